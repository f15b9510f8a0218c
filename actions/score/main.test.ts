import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEV_HOTKEYS as H, writeTestRound } from '../../src/score/testing.js';

const run = promisify(execFile);
let tmp: string;
let roundDir: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'podium-score-action-'));
  roundDir = await writeTestRound(tmp);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Runs the action the way action.yml does: tsx on main.ts with INPUT_* variables. */
async function action(inputs: Record<string, string>) {
  const output = join(tmp, 'output');
  const summary = join(tmp, 'summary.md');
  await writeFile(output, '');
  await writeFile(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const tsx = resolve('node_modules/.bin/tsx');
  const result = await run(tsx, [resolve('actions/score/main.ts')], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  return {
    ...result,
    outputs: await readFile(output, 'utf8'),
    summary: await readFile(summary, 'utf8'),
  };
}

describe('actions/score', () => {
  it('writes score.json, sets its outputs and summarises the ranking', async () => {
    const contests = join(tmp, 'contests');
    const res = await action({ round: roundDir, contests });
    expect(res.code).toBe(0);
    expect(res.outputs).toMatch(new RegExp(`winner<<.*\\n${H.alice}\\n`));
    expect(res.outputs).toMatch(/earning<<.*\n1\n/);
    expect(res.outputs).toMatch(/fallback<<.*\nfalse\n/);
    expect(res.outputs).toContain(`{"${H.bob}":0,"${H.alice}":65535}`);
    expect(res.summary).toContain('score score-test 2025-03-01');
    expect(res.summary).toContain(H.alice);
    const check = await action({ round: roundDir, contests, check: 'true' });
    expect(check.code).toBe(0);
    expect(check.summary).toContain('matches the recomputed score');
  });

  it('fails the step when the committed score.json differs, naming the pointer', async () => {
    const contests = join(tmp, 'contests');
    await action({ round: roundDir, contests });
    const file = join(roundDir, 'score.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"earns": true', '"earns": false'));
    const res = await action({ round: roundDir, contests, check: 'true' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('::error::');
    expect(res.stdout).toMatch(/\/submissions\/0\/earns differs from the recomputed score/);
  });

  it('refuses a check input that is not true or false', async () => {
    const res = await action({ round: roundDir, check: 'yes' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('input "check" must be "true" or "false" (got "yes")');
  });
});
