/**
 * The leaderboard's two charts, as SVG text: the best speed-up per round over time, and the
 * latest round's speed-up ratios with their 95 % intervals (a forest plot: one row per
 * submission, the baseline at 1.0). Pure functions of plain data; byte-stable output.
 */
import { COLORS, esc, linear, n, niceTicks, svgDocument } from './svg.js';

/** One point of the history chart: a round and its best speed-up with interval (or none). */
export interface HistoryPoint {
  round: string;
  best: { ratio: number; low: number; high: number; label: string } | null;
}

/** One row of the ratio chart. */
export interface RatioRow {
  label: string;
  ratio: number;
  low: number;
  high: number;
  rank: number | null;
  /** score.json's verdict: drawn green only when the submission earns. */
  earns: boolean;
}

const WIDTH = 720;

/** Returns the SVG line chart of the best speed-up per round, the baseline drawn at 1×. */
export function historyChart(points: HistoryPoint[], title = 'Best speed-up per round'): string {
  const height = 320;
  const m = { left: 64, right: 40, top: 44, bottom: 72 };
  const inset = 36;
  const values = points.flatMap((p) => (p.best ? [p.best.low, p.best.high] : []));
  const lo = Math.min(0.9, ...values);
  const hi = Math.max(1.1, ...values);
  const ticks = niceTicks(lo, hi);
  const y = linear(ticks[0] ?? lo, ticks[ticks.length - 1] ?? hi, height - m.bottom, m.top);
  const step = points.length > 1 ? (WIDTH - m.left - m.right - 2 * inset) / (points.length - 1) : 0;
  const x = (i: number) =>
    points.length > 1 ? m.left + inset + i * step : (WIDTH + m.left - m.right) / 2;
  const body: string[] = [...yAxis(ticks, y, m.left, WIDTH - m.right, '×')];
  body.push(baselineLine(y(1), m.left, WIDTH - m.right));
  const path = points
    .map((p, i) => (p.best ? `${x(i)},${y(p.best.ratio)}` : null))
    .filter((s): s is string => s !== null)
    .map((s, i) => `${i === 0 ? 'M' : 'L'}${s.split(',').map(Number).map(n).join(',')}`)
    .join(' ');
  if (path) body.push(`<path d="${path}" fill="none" stroke="${COLORS.accent}" stroke-width="2"/>`);
  points.forEach((p, i) => {
    const cx = n(x(i));
    body.push(
      `<text x="${cx}" y="${n(height - m.bottom + 16)}" text-anchor="end" transform="rotate(-35 ${cx} ${n(height - m.bottom + 16)})" fill="${COLORS.muted}">${esc(p.round)}</text>`,
    );
    if (!p.best) {
      body.push(
        `<text x="${cx}" y="${n(y(1) - 8)}" text-anchor="middle" fill="${COLORS.muted}">none</text>`,
      );
      return;
    }
    body.push(
      `<line x1="${cx}" x2="${cx}" y1="${n(y(p.best.low))}" y2="${n(y(p.best.high))}" stroke="${COLORS.accent}" stroke-width="1.5"/>`,
      `<circle cx="${cx}" cy="${n(y(p.best.ratio))}" r="4" fill="${COLORS.accent}"><title>${esc(`${p.round}: ${p.best.label} ${p.best.ratio.toFixed(3)}× [${p.best.low.toFixed(3)}, ${p.best.high.toFixed(3)}]`)}</title></circle>`,
    );
  });
  return svgDocument(WIDTH, height, title, body);
}

/** Returns the SVG forest plot of the latest round's ratios with intervals, best first. */
export function ratioChart(
  rows: RatioRow[],
  title = 'Speed-up vs baseline, latest round (95 % interval)',
): string {
  const rowHeight = 28;
  const m = { left: 190, right: 32, top: 48, bottom: 54 };
  const height = m.top + m.bottom + Math.max(1, rows.length) * rowHeight;
  const values = rows.flatMap((r) => [r.low, r.high]);
  const ticks = niceTicks(Math.min(0.9, ...values), Math.max(1.1, ...values));
  const x = linear(ticks[0] ?? 0.9, ticks[ticks.length - 1] ?? 1.1, m.left, WIDTH - m.right);
  const body: string[] = [];
  for (const t of ticks) {
    body.push(
      `<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${m.top}" y2="${height - m.bottom}" stroke="${COLORS.grid}"/>`,
      `<text x="${n(x(t))}" y="${height - m.bottom + 16}" text-anchor="middle" fill="${COLORS.muted}">${esc(`${t}×`)}</text>`,
    );
  }
  body.push(
    `<line x1="${n(x(1))}" x2="${n(x(1))}" y1="${m.top - 6}" y2="${height - m.bottom}" stroke="${COLORS.baseline}" stroke-dasharray="5 4" stroke-width="1.5"/>`,
    `<text x="${n(x(1))}" y="${m.top - 10}" text-anchor="middle" fill="${COLORS.baseline}">baseline</text>`,
    `<text x="${WIDTH - m.right}" y="${height - 12}" text-anchor="end" fill="${COLORS.muted}">green: earns weight · grey: valid, within noise of the baseline</text>`,
  );
  if (rows.length === 0) {
    body.push(
      `<text x="${m.left}" y="${m.top + 18}" fill="${COLORS.muted}">no valid submission this round</text>`,
    );
  }
  rows.forEach((r, i) => {
    const cy = m.top + i * rowHeight + rowHeight / 2;
    const color = r.earns ? COLORS.good : COLORS.muted;
    const label = `${r.rank === null ? '–' : `#${r.rank}`}  ${r.label}`;
    body.push(
      `<text x="${m.left - 10}" y="${n(cy + 4)}" text-anchor="end" fill="${COLORS.ink}">${esc(label)}</text>`,
      `<line x1="${n(x(r.low))}" x2="${n(x(r.high))}" y1="${n(cy)}" y2="${n(cy)}" stroke="${color}" stroke-width="2"/>`,
      `<circle cx="${n(x(r.ratio))}" cy="${n(cy)}" r="4.5" fill="${color}"><title>${esc(`${r.label}: ${r.ratio.toFixed(3)}× [${r.low.toFixed(3)}, ${r.high.toFixed(3)}]`)}</title></circle>`,
    );
  });
  return svgDocument(WIDTH, height, title, body);
}

function yAxis(
  ticks: number[],
  y: (v: number) => number,
  x0: number,
  x1: number,
  unit: string,
): string[] {
  return ticks.flatMap((t) => [
    `<line x1="${x0}" x2="${x1}" y1="${n(y(t))}" y2="${n(y(t))}" stroke="${COLORS.grid}"/>`,
    `<text x="${x0 - 8}" y="${n(y(t) + 4)}" text-anchor="end" fill="${COLORS.muted}">${esc(`${t}${unit}`)}</text>`,
  ]);
}

function baselineLine(yv: number, x0: number, x1: number): string {
  return [
    `<line x1="${x0}" x2="${x1}" y1="${n(yv)}" y2="${n(yv)}" stroke="${COLORS.baseline}" stroke-dasharray="5 4" stroke-width="1.5"/>`,
    `<text x="${x1}" y="${n(yv - 6)}" text-anchor="end" fill="${COLORS.baseline}">baseline 1×</text>`,
  ].join('\n');
}
