import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { demoModel, tempContest } from '../../src/bench/testing/contest.js';
import { HOTKEYS, writeRound } from '../../src/bench/testing/round.js';

const run = promisify(execFile);

/** Runs the action the way action.yml does: tsx on main.ts with INPUT_* variables. */
async function action(inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv = {}) {
  const tmp = await mkdtemp(join(tmpdir(), 'podium-bench-action-'));
  const output = join(tmp, 'output');
  const summary = join(tmp, 'summary.md');
  await writeFile(output, '');
  await writeFile(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const tsx = resolve('node_modules/.bin/tsx');
  const result = await run(tsx, [resolve('actions/benchmark/main.ts')], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  return {
    ...result,
    outputs: await readFile(output, 'utf8'),
    summary: await readFile(summary, 'utf8'),
  };
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
    expect(res.outputs).toMatch(new RegExp(`bench-dir<<.*\\n${dir}\\n`));
    expect(res.outputs).toMatch(/invalid<<.*\n1\n/);
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
