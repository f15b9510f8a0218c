import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { historyChart, ratioChart } from './charts.js';
import { niceTicks } from './svg.js';

const HISTORY = [
  { round: '2026-11-20', best: null },
  { round: '2026-11-21', best: { ratio: 1.4, low: 1.3, high: 1.5, label: 'uid 3' } },
  { round: '2026-11-22', best: { ratio: 2.1, low: 2.0, high: 2.2, label: 'uid <5> & co' } },
];
const ROWS = [
  { label: 'uid 2', ratio: 2.4, low: 2.3, high: 2.5, rank: 1, earns: true },
  { label: 'uid 4', ratio: 1.02, low: 1.01, high: 1.03, rank: 2, earns: false },
];

/** Counts pixels that are clearly not the white background. */
async function inkedPixels(svg: string): Promise<{ width: number; height: number; inked: number }> {
  const { data, info } = await sharp(Buffer.from(svg))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let inked = 0;
  for (let i = 0; i < data.length; i += 3)
    if ((data[i] ?? 255) + (data[i + 1] ?? 255) + (data[i + 2] ?? 255) < 600) inked++;
  return { width: info.width, height: info.height, inked };
}

describe('leaderboard charts', () => {
  it('render as real SVG with visible marks', async () => {
    const history = await inkedPixels(historyChart(HISTORY));
    expect([history.width, history.height]).toEqual([720, 320]);
    expect(history.inked).toBeGreaterThan(2000);
    const ratios = await inkedPixels(ratioChart(ROWS));
    expect(ratios.width).toBe(720);
    expect(ratios.inked).toBeGreaterThan(1000);
  });

  it('are byte-identical for identical data', () => {
    expect(historyChart(HISTORY)).toBe(historyChart(structuredClone(HISTORY)));
    expect(ratioChart(ROWS)).toBe(ratioChart(structuredClone(ROWS)));
  });

  it('escape labels', () => {
    const svg = historyChart(HISTORY);
    expect(svg).toContain('uid &lt;5&gt; &amp; co');
    expect(svg).not.toContain('<5>');
  });

  it('colour a row by the score verdict, not by its interval alone', () => {
    const svg = ratioChart(ROWS);
    const circles = [...svg.matchAll(/<circle [^>]*fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(circles).toEqual(['#1a7f37', '#656d76']);
  });

  it('say so when a round has no valid submission', () => {
    expect(ratioChart([])).toContain('no valid submission this round');
  });
});

describe('niceTicks', () => {
  it('encloses the data with round steps', () => {
    expect(niceTicks(0.9, 2.5)).toEqual([0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(0.97, 1.03, 4)).toEqual([0.96, 0.98, 1, 1.02, 1.04]);
  });
});
