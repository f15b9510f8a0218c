/**
 * `npm run demo` as an end-to-end test: a whole round of each demo contest on the local chain
 * through the workflow's action code, asserting what each demo miner must get.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDocument } from '../json/file.js';
import { runDemo, type ContestResult, type DemoResult } from './main.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';

let root: string | undefined;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('runs every demo contest end to end: each miner gets its verdict, weights land, rounds verify', async () => {
    root = await mkdtemp(join(tmpdir(), 'podium-demo-'));
    const demo: DemoResult = await runDemo(root);
    expect(demo.contests.map((c) => c.id)).toEqual([
      'sr-x2-demo',
      'mnist-nas-demo',
      'digits-pipeline-demo',
    ]);
    const [sr, mnist, pipeline] = demo.contests as [ContestResult, ContestResult, ContestResult];
    await expectSuperResolution(sr);
    await expectClassification(mnist);
    await expectPipeline(pipeline);
    // The results site (src/demo/site.ts): each round's page and byte copies of its files.
    const site = join(root!, 'site');
    for (const c of demo.contests) {
      const { roundId, dir } = await latestRound(c);
      expect(await readFile(join(site, c.id, roundId, 'index.html'), 'utf8')).toContain(
        'Verify in this browser',
      );
      expect(await readFile(join(site, 'files', c.id, roundId, 'score.json'), 'utf8')).toBe(
        await readFile(join(dir, 'score.json'), 'utf8'),
      );
    }
  }, 600_000);
});

async function latestRound(c: ContestResult) {
  const [roundId] = JSON.parse(
    await readFile(join(c.resultsDir, 'index.json'), 'utf8'),
  ).entries.map((e: { round: string }) => e.round);
  const dir = join(c.resultsDir, roundId);
  const score = await readDocument(join(dir, 'score.json'), ScoreSchema);
  const round = await readDocument(join(dir, 'round.json'), RoundSchema);
  return { roundId, dir, score, round, byUid: new Map(score.submissions.map((s) => [s.uid, s])) };
}

/** uid i+1 is demo miner i: slim, fp16, zeroed, corrupt, custom-op, copy, wrong-hash. */
async function expectSuperResolution(c: ContestResult): Promise<void> {
  const { round, byUid } = await latestRound(c);
  expect(byUid.get(1)).toMatchObject({ valid: true, earns: true, rank: 1 });
  expect(byUid.get(1)!.metrics.latency!.lower).toBeGreaterThan(1.5);
  expect(byUid.get(2)).toMatchObject({ valid: true, earns: false });
  expect(byUid.get(3)!.reasons[0]!.message).toMatch(
    /fidelity: input \d+ \([a-z-]+\.png at \d+,\d+\): psnr/,
  );
  expect(byUid.get(4)!.reasons[0]!.message).toContain('truncated');
  expect(byUid.get(5)!.reasons[0]!.message).toContain('com.example.fast:FusedUpsample');
  expect(round.rejected.map((r) => [r.uid, r.reason])).toEqual(
    expect.arrayContaining([
      [6, 'copy'],
      [7, 'hash-mismatch'],
    ]),
  );
  expect(c.weights).toEqual([{ uid: 1, value: 65535 }]);
  const readme = await readFile(c.leaderboard, 'utf8');
  expect(readme).toContain('![Best speed-up per round](history.svg)');
  expect(readme).toMatch(/\| 1 \| 1 \| .* \| earns \| 65535 \(100\.0 %\) \|/);
}

/** uid 8 … 12 are the classification miners: small, wide, damaged, copy, io-mismatch. */
async function expectClassification(c: ContestResult): Promise<void> {
  const { round, byUid } = await latestRound(c);
  const objective = (uid: number, name: string) =>
    byUid.get(uid)!.objectives!.find((o) => o.name === name)!.value;
  // small: accuracy tied with the baseline's (overlapping Wilson intervals), fewer params and
  // FLOPs: it dominates the baseline and is alone on the front.
  expect(byUid.get(8)).toMatchObject({ valid: true, earns: true, rank: 1, share: 1 });
  expect(objective(8, 'parameters').point).toBe(2346);
  expect(objective(8, 'flops').point).toBe(133256);
  expect(objective(8, 'accuracy').point).toBe(0.958);
  // wide: as accurate as the baseline but larger: valid, dominated by small, earns nothing.
  expect(byUid.get(9)).toMatchObject({ valid: true, earns: false, rank: 2 });
  expect(objective(9, 'accuracy').point).toBe(0.9725);

  expect(byUid.get(10)!.reasons[0]!.message).toMatch(/accuracy .* is below the floor/);
  // copy: the baseline's own bytes, refused at collect as a contest artifact.
  expect(round.rejected.map((r) => [r.uid, r.reason])).toContainEqual([11, 'contest-artifact']);
  expect(byUid.get(12)!.reasons[0]!.message).toMatch(/input image/);
  expect(c.weights).toEqual([{ uid: 8, value: 65535 }]);
  const readme = await readFile(c.leaderboard, 'utf8');
  expect(readme).toMatch(
    /\| 1 \| 8 \| .* \| on the front, earns: dominates the baseline \| 65535 \(100\.0 %\) \|/,
  );
}

/** uid 13 … 17 are the pipeline miners: fewer-steps, fp16, broken, escape, oversized. */
async function expectPipeline(c: ContestResult): Promise<void> {
  const { byUid } = await latestRound(c);
  // fewer steps: faster, but some image drifts from the baseline's below 0.75 similarity.
  expect(byUid.get(13)).toMatchObject({ valid: false, earns: false });
  expect(byUid.get(13)!.reasons[0]!.message).toMatch(
    /input \d+ \(prompt "\d"\): pipelineSimilarity 0\.\d+ is below the threshold 0\.75/,
  );
  // fp16 denoiser: faithful, not faster beyond noise: valid, earns nothing.
  expect(byUid.get(14)).toMatchObject({ valid: true, earns: false });
  expect(byUid.get(15)!.reasons[0]!.message).toContain('role decoder (decoder.onnx)');
  expect(byUid.get(16)!.reasons[0]!.message).toContain('member "../escape.onnx"');
  expect(byUid.get(17)!.reasons[0]!.message).toContain('member "padding.bin" is 1048577 bytes');
  expect(c.weights).toEqual([{ uid: 0, value: 65535 }]);
  const readme = await readFile(c.leaderboard, 'utf8');
  expect(readme).toMatch(/\| 14 \|/);
}
