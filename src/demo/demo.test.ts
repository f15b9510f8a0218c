/**
 * `npm run demo` as an end-to-end test: the whole round on the local chain through the
 * workflow's action code, asserting what each of the seven demo miners must get.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDocument } from '../json/file.js';
import { runDemo, type DemoResult } from './main.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';

let root: string | undefined;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('ranks slim first, gives fp16 nothing, rejects the rest with their reasons, and verifies', async () => {
    root = await mkdtemp(join(tmpdir(), 'podium-demo-'));
    const demo: DemoResult = await runDemo(root);
    const [roundId] = JSON.parse(
      await readFile(join(demo.resultsDir, 'index.json'), 'utf8'),
    ).entries.map((e: { round: string }) => e.round);
    const dir = join(demo.resultsDir, roundId);
    const score = await readDocument(join(dir, 'score.json'), ScoreSchema);
    const round = await readDocument(join(dir, 'round.json'), RoundSchema);
    const byUid = new Map(score.submissions.map((s) => [s.uid, s]));
    // uid i+1 is demo miner i: slim, fp16, zeroed, corrupt, custom-op, copy, wrong-hash
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
    expect(demo.weights).toEqual([{ uid: 1, value: 65535 }]);
    const readme = await readFile(demo.leaderboard, 'utf8');
    expect(readme).toContain('![Best speed-up per round](history.svg)');
    expect(readme).toMatch(/\| 1 \| 1 \| .* \| earns \| 65535 \(100\.0 %\) \|/);
    // The results site (src/demo/site.ts): the round's page and a byte copy of its score.json.
    const site = join(root, 'site');
    expect(await readFile(join(site, 'sr-x2-demo', roundId, 'index.html'), 'utf8')).toContain(
      'Verify in this browser',
    );
    expect(await readFile(join(site, 'files', 'sr-x2-demo', roundId, 'score.json'), 'utf8')).toBe(
      await readFile(join(dir, 'score.json'), 'utf8'),
    );
  }, 300_000);
});
