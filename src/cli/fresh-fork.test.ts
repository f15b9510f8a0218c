/**
 * A validator's first commands in a fresh fork, through the real `podium` binary: there is no
 * `results/` yet. Neither command fails, and neither claims it checked something.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const PODIUM = resolve('bin/podium.js');
let fork: string;

async function podium(...args: string[]) {
  return run(process.execPath, [PODIUM, ...args], { cwd: fork }).then(
    (ok) => ({ code: 0, ...ok }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

beforeAll(async () => {
  fork = await mkdtemp(join(tmpdir(), 'podium-fork-'));
  await cp('contests/sr-x2-demo', join(fork, 'contests', 'sr-x2-demo'), { recursive: true });
});
afterAll(() => rm(fork, { recursive: true, force: true }));

describe('a fresh fork (no results/ yet)', () => {
  it('podium validate checks the contests and says results/ is not there yet, exit 0', async () => {
    const r = await podium('validate');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'skip  results/: not there yet (nothing to validate)\n' +
        'ok    contests/sr-x2-demo/contest.json (contest)\n',
    );
  });

  it('podium verify says nothing was checked, for a missing and an empty results folder, exit 0', async () => {
    const missing = await podium('verify', 'results/sr-x2-demo');
    await mkdir(join(fork, 'results', 'sr-x2-demo'), { recursive: true });
    const empty = await podium('verify', 'results/sr-x2-demo');
    for (const [r, state] of [
      [missing, 'does not exist yet'],
      [empty, 'holds no round yet'],
    ] as const) {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        `nothing to verify: results/sr-x2-demo ${state} (a contest gets its first round at its ` +
          'first cutoff); nothing was checked\n',
      );
      expect(r.stdout).not.toMatch(/^ok/m);
    }
    const typo = await podium('verify', 'results/no-such-contest');
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe('podium: results/no-such-contest: not a results folder');
  });
});
