import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoModel, tempContest } from '../../src/bench/testing/contest.js';
import { HOTKEYS, writeRound } from '../../src/bench/testing/round.js';
import { runAction } from '../../src/github/local-runner.js';
import { REPO_ROOT } from '../../src/version.js';

/** Runs actions/benchmark through its action.yml step, as a runner does (src/github/local-runner.ts). */
async function action(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const temp = await mkdtemp(join(tmpdir(), 'podium-bench-action-'));
  return runAction('benchmark', inputs, { workspace: REPO_ROOT, temp, env });
}

describe('actions/benchmark', () => {
  it('writes bench/<runner>-shard-N files, sets outputs, annotates invalid submissions', async () => {
    const loaded = await tempContest();
    const models = await Promise.all(
      (['esrgan-medium-x2-zeroed', 'esrgan-medium-x2-fp16'] as const).map(demoModel),
    );
    const roundFile = await writeRound(await mkdtemp(join(tmpdir(), 'podium-r-')), loaded, models);
    const out = await mkdtemp(join(tmpdir(), 'podium-out-'));
    const res = await action(
      { contest: loaded.dir, round: roundFile, shard: '0', shards: '2', out },
      { RUNNER_NAME: 'Validator GPU 7' },
    );
    expect(res.code).toBe(0);
    const dir = join(out, 'bench', 'validator-gpu-7-shard-0');
    expect((await readdir(dir)).sort()).toEqual([`${HOTKEYS[0]}.json`, 'baseline.json'].sort());
    expect(res.outputs).toMatchObject({ 'bench-dir': dir, invalid: '1' });
    expect(res.stdout).toMatch(
      new RegExp(
        `::error title=uid 1 ${HOTKEYS[0]} is invalid on validator-gpu-7-shard-0::fidelity: input \\d`,
      ),
    );
    expect(res.summary).toContain('speed vs baseline');
    expect(res.summary).toContain('FAIL fidelity');
  });

  it('fails with a message naming the input when the shard is out of range', async () => {
    const res = await action({
      contest: 'contests/sr-x2-demo',
      round: 'round.json',
      shard: '2',
      shards: '2',
      out: tmpdir(),
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('::error::input "shard" must be below shards (2) (got "2")');
  });
});
