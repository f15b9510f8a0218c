/**
 * The round page's timing chart: for each model on a runner, its raw per-sample timings as dots
 * with the median marked, the baseline first, on one shared millisecond axis (SVG, built from
 * the leaderboard's SVG helpers). Pure and byte-stable.
 */
import { COLORS, esc, linear, n, niceTicks, svgDocument } from '../leaderboard/svg.js';

/** One row of the chart: a label and its raw timings (ms). */
export interface DistributionRow {
  readonly label: string;
  readonly ms: readonly number[];
  readonly baseline: boolean;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Returns the SVG strip chart of the rows' timings; rows without timings say so. */
export function distributionChart(rows: readonly DistributionRow[], title: string): string {
  const width = 720;
  const rowHeight = 30;
  const m = { left: 200, right: 24, top: 44, bottom: 40 };
  const height = m.top + m.bottom + Math.max(1, rows.length) * rowHeight;
  const all = rows.flatMap((r) => r.ms);
  const ticks = niceTicks(Math.min(...all, Infinity) === Infinity ? 0 : 0, Math.max(1, ...all));
  const x = linear(ticks[0] ?? 0, ticks.at(-1) ?? 1, m.left, width - m.right);
  const body: string[] = [];
  for (const t of ticks) {
    body.push(
      `<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${m.top}" y2="${height - m.bottom}" stroke="${COLORS.grid}"/>`,
      `<text x="${n(x(t))}" y="${height - m.bottom + 16}" text-anchor="middle" fill="${COLORS.muted}">${esc(`${t} ms`)}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const cy = m.top + i * rowHeight + rowHeight / 2;
    const color = r.baseline ? COLORS.baseline : COLORS.accent;
    body.push(
      `<text x="${m.left - 10}" y="${n(cy + 4)}" text-anchor="end" fill="${COLORS.ink}">${esc(r.label)}</text>`,
    );
    if (r.ms.length === 0) {
      body.push(
        `<text x="${m.left}" y="${n(cy + 4)}" fill="${COLORS.muted}">no timings (not run or stopped)</text>`,
      );
      return;
    }
    const step = Math.max(1, Math.ceil(r.ms.length / 300));
    for (let k = 0; k < r.ms.length; k += step) {
      const jitter = ((k * 7919) % 11) - 5;
      body.push(
        `<circle cx="${n(x(r.ms[k]!))}" cy="${n(cy + jitter)}" r="2" fill="${color}" fill-opacity="0.45"/>`,
      );
    }
    const med = median(r.ms);
    body.push(
      `<line x1="${n(x(med))}" x2="${n(x(med))}" y1="${n(cy - 10)}" y2="${n(cy + 10)}" stroke="${COLORS.ink}" stroke-width="2"><title>${esc(`${r.label}: median ${med.toFixed(3)} ms over ${r.ms.length} samples`)}</title></line>`,
    );
  });
  body.push(
    `<text x="${width - m.right}" y="${height - 10}" text-anchor="end" fill="${COLORS.muted}">dots: every timed sample · bar: median · baseline in red, labelled</text>`,
  );
  return svgDocument(width, height, title, body);
}
