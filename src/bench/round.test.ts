import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../json/file.js';
import { runnerSlug } from '../documents/bench.js';
import { benchmarkRound, shardSubmissions } from './round.js';
import { demoModel, tempContest } from './testing/contest.js';
import { HOTKEYS, writeRound } from './testing/round.js';
import { BenchSchema } from '../documents/bench.js';

const tmp = () => mkdtemp(join(tmpdir(), 'podium-round-'));

describe('benchmarkRound', () => {
  it("benchmarks this runner's shard and writes a schema-valid bench file per model", async () => {
    const loaded = await tempContest();
    const models = await Promise.all(
      (['esrgan-medium-x2-fp16', 'esrgan-medium-x2-zeroed', 'esrgan-medium-x2-copy'] as const).map(
        demoModel,
      ),
    );
    const roundFile = await writeRound(await tmp(), loaded, models);
    const outDir = join(await tmp(), 'bench', 'gpu-1');
    const result = await benchmarkRound(roundFile, loaded.dir, {
      outDir,
      shard: { index: 1, count: 2 },
      runnerName: 'GPU 1',
    });
    expect((await readdir(outDir)).sort()).toEqual([`${HOTKEYS[1]}.json`, 'baseline.json'].sort());
    const sub = await readDocument(join(outDir, `${HOTKEYS[1]}.json`), BenchSchema);
    expect(sub.subject).toMatchObject({ role: 'submission', hotkey: HOTKEYS[1], uid: 2 });
    expect(sub.runner).toEqual({ name: 'gpu-1', label: 'cpu-demo' });
    expect(sub.round).toBe('2025-06-01');
    expect(sub.reasons.map((r) => r.code)).toEqual(['fidelity']);
    const base = await readDocument(join(outDir, 'baseline.json'), BenchSchema);
    expect(base.subject.model.sha256).toBe(loaded.contest.baseline.model.sha256);
    expect(base.contest.sha256).toBe(sub.contest.sha256);
    expect(result.files).toHaveLength(2);
  });

  it('refuses a round whose contest file changed since the cutoff', async () => {
    const loaded = await tempContest();
    const roundFile = await writeRound(await tmp(), loaded, []);
    const text = await readFile(loaded.file, 'utf8');
    await writeFile(loaded.file, text.replace('"samplesPerRound": 3', '"samplesPerRound": 4'));
    await expect(
      benchmarkRound(roundFile, loaded.dir, { outDir: await tmp() }),
    ).rejects.toMatchObject({
      code: 'round-mismatch',
      message: expect.stringContaining('check out the contest as of the round'),
    });
  });

  it('fails on a runner that is not the contest device before fetching anything', async () => {
    const cacheDir = await tmp();
    for (const runner of [
      { label: 'rtx', device: 'NVIDIA GeForce RTX 4090', executionProvider: 'cuda' },
      { label: 'cpu', device: 'Some Other CPU 9000', executionProvider: 'cpu' },
    ]) {
      const loaded = await tempContest((c) => {
        c.runner = runner;
      });
      const roundFile = await writeRound(await tmp(), loaded, [await demoModel('esrgan-slim-x2')]);
      await expect(
        benchmarkRound(roundFile, loaded.dir, { outDir: await tmp(), cacheDir }),
      ).rejects.toMatchObject({
        code: 'device-mismatch',
        message: expect.stringContaining(runner.device),
      });
    }
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

describe('sharding and runner names', () => {
  it('deals submissions round-robin over shards, every one exactly once', () => {
    const all = [0, 1, 2, 3, 4, 5, 6];
    const shards = [0, 1, 2].map((index) => shardSubmissions(all, { index, count: 3 }));
    expect(shards).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
    expect(() => shardSubmissions(all, { index: 3, count: 3 })).toThrow(/not in 0..2/);
  });

  it('turns a runner name into a folder name', () => {
    expect(runnerSlug('GPU Runner #1 (rtx4090)')).toBe('gpu-runner-1-rtx4090');
    expect(runnerSlug('***')).toBe('runner');
  });
});
