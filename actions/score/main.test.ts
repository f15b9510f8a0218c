import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../../src/github/local-runner.js';
import { DEV_HOTKEYS as H, writeTestRound } from '../../src/score/testing.js';
import { REPO_ROOT } from '../../src/version.js';

let tmp: string;
let roundDir: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'podium-score-action-'));
  roundDir = await writeTestRound(tmp);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Runs actions/score through its action.yml step, as a runner does (src/github/local-runner.ts). */
function action(inputs: Record<string, string>) {
  return runAction('score', inputs, { workspace: REPO_ROOT, temp: join(tmp, 'runner') });
}

describe('actions/score', () => {
  it('writes score.json, sets its outputs and summarises the ranking', async () => {
    const contests = join(tmp, 'contests');
    const res = await action({ round: roundDir, contests });
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({ winner: H.alice, earning: '1', fallback: 'false' });
    expect(res.outputs.weights).toContain(`{"${H.bob}":0,"${H.alice}":65535}`);
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
    expect(res.stdout).toContain('input "check" must be true or false (got "yes")');
  });
});
