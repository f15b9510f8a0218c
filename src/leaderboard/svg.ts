/**
 * Minimal, deterministic SVG building blocks for the leaderboard charts. Output is plain SVG 1.1
 * with an opaque background, explicit size and system fonts, so it renders the same on GitHub
 * (light and dark themes, where it is shown through <img>) and in a headless browser.
 */

/** Escapes text for SVG content and attribute values. */
export function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** Formats a coordinate with at most 2 decimals, so output bytes are stable. */
export function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * Returns "nice" tick values (1, 2, 2.5, 5 × 10^k steps), about `count` of them, whose first is
 * ≤ lo and last ≥ hi, so an axis built on them encloses the data.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const last = Math.ceil(hi / step - 1e-9) * step;
  for (let t = Math.floor(lo / step + 1e-9) * step; t <= last + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A linear scale from a data domain to a pixel range. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

export const FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
export const COLORS = {
  ink: '#1f2328',
  muted: '#656d76',
  grid: '#d8dee4',
  accent: '#0969da',
  good: '#1a7f37',
  baseline: '#cf222e',
  background: '#ffffff',
};

/** Wraps SVG body elements in a document of the given size with a title and background. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(FONT)}" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="${COLORS.background}"/>`,
    `<text x="16" y="24" font-size="15" font-weight="600" fill="${COLORS.ink}">${esc(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
