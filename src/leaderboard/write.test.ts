import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptIndex, signRound } from '../results/index.js';
import { devKeyPair } from '../results/testing.js';
import { writeScore } from '../score/files.js';
import { writeTestRound } from '../score/testing.js';
import { roundRows, textTable } from './rows.js';
import { readRounds, writeLeaderboard } from './write.js';

/** A contest results folder with one real scored and signed round (score helper's fixture). */
async function scoredResults(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'podium-leaderboard-'));
  const roundDir = await writeTestRound(root);
  await writeScore(roundDir, { contestsRoot: join(root, 'contests') });
  const resultsDir = dirname(roundDir);
  const { index } = await signRound(resultsDir, '2025-03-01', await devKeyPair('//Alice'));
  await acceptIndex(resultsDir, index);
  return resultsDir;
}

describe('leaderboard', () => {
  it('writes README.md with the ranked table, links and both charts', async () => {
    const dir = await scoredResults();
    const files = await writeLeaderboard(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'README.md',
      'history.svg',
      'ratios.svg',
    ]);
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('## Round 2025-03-01');
    expect(readme).toContain('| rank | uid | hotkey | speed-up (95 % CI) |');
    expect(readme).toContain('![Best speed-up per round](history.svg)');
    expect(readme).toContain('[score](2025-03-01/score.json)');
    // Alice's model ran in 0.7× the baseline's time: ~1.43× faster, ranked first and earning.
    const first = readme.split('\n').find((l) => l.startsWith('| 1 | 1 |'));
    expect(first).toMatch(/\| 1\.4\d\d× \[1\.\d+, 1\.\d+\] \|.*\| earns \| 65535 \(100\.0 %\) \|$/);
    // Bob is slower than the baseline: valid, but earns nothing.
    expect(readme).toMatch(/\| 2 \| .*not faster than the baseline beyond noise \| 0 \|/);
  });

  it('is byte-identical when regenerated from the same rounds', async () => {
    const dir = await scoredResults();
    await writeLeaderboard(dir);
    const first = await Promise.all(
      ['README.md', 'ratios.svg'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    await writeLeaderboard(dir);
    const second = await Promise.all(
      ['README.md', 'ratios.svg'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    expect(second).toEqual(first);
  });

  it('prints the same rows as a terminal table with each status', async () => {
    const [round] = await readRounds(await scoredResults());
    const text = textTable(roundRows(round!));
    expect(text.split('\n')[0]).toMatch(/^rank\s+uid\s+hotkey\s+speed-up \(95 % CI\)/);
    expect(text).toContain('└ earns');
  });
});
