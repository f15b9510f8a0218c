/**
 * The text `podium compare` prints: one block per round with every figure of the comparison,
 * then a verdict line. Reporting only; the figures come from compare.ts.
 */
import type { RoundComparison } from './compare.js';

const pct = (x: number | null) =>
  x === null ? 'n/a (no ordered pair)' : `${(x * 100).toFixed(1)} %`;

/** Returns the lines for one round. */
export function roundLines(c: RoundComparison): string[] {
  const lines = [
    `round ${c.round} (runners A: ${c.runners.a.join(', ') || 'none'}; B: ${c.runners.b.join(', ') || 'none'})`,
    c.frozen.length === 0
      ? '  frozen inputs: same cutoff block, seed, contest file and submission set'
      : `  frozen inputs differ:\n${c.frozen.map((f) => `    - ${f}`).join('\n')}`,
    `  non-tied pairs ordered the same: ${c.pairs.same} of ${c.pairs.total} (${pct(c.pairs.share)})`,
  ];
  for (const d of c.pairDifferences) {
    lines.push(
      `    - ${d.kind}: ${d.hotkeys.join(' / ')}: ${d.detail}; would close it: ${d.setting}`,
    );
  }
  lines.push(`  verdicts that differ: ${c.verdicts.length}`);
  for (const v of c.verdicts) {
    lines.push(
      `    - uid ${v.uid} ${v.hotkey}: A ${v.a}, B ${v.b}: ${v.cause} (${v.withinNoise ? 'within noise' : 'beyond noise'}): ${v.detail}; would close it: ${v.setting}`,
    );
  }
  lines.push(`  weight vectors: L1 distance ${c.l1} (identical: ${c.l1 === 0 ? 'yes' : 'no'})`);
  lines.push(
    `  vtrust estimate: ${c.vtrust} (A's weight kept when B's vector is the consensus: 1 − L1/2)`,
  );
  if (c.closest) {
    lines.push(`  closest to the earn line: ${c.closest.earn}`);
    if (c.closest.pair) lines.push(`  closest ordered pair: ${c.closest.pair}`);
  }
  lines.push(
    c.beyondNoise.length === 0
      ? '  within what the noise settings predict'
      : `  BEYOND what the noise settings predict:\n${c.beyondNoise.map((b) => `    - ${b}`).join('\n')}`,
  );
  return lines;
}
