import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitRound } from './commit.js';
import { ResultsError } from '../results/errors.js';
import { git, pushWithRetry } from '../results/git.js';
import { addRoundFiles } from '../results/write.js';
import {
  makeGitFixture,
  raceBeforePush,
  writeRoundFixture,
  type GitFixture,
} from '../results/testing.js';

const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const ROUND = '2026-03-10';
let root: string;
let fixture: GitFixture;
let ours: string;
let theirs: string;
let staging: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-git-'));
  fixture = await makeGitFixture(root);
  ours = await fixture.clone('ours');
  theirs = await fixture.clone('theirs');
  staging = await writeRoundFixture(join(root, 'staging'), 'sr-demo', ROUND, [HOTKEY]);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const push = { branch: 'main', backoffMs: 1 };
const write = () => ({ repo: ours, contest: 'sr-demo', round: ROUND, from: staging });

/** Writes a round in the other clone and commits it there, unpushed (the hook pushes it). */
async function commitInTheirs(from: string): Promise<void> {
  await addRoundFiles(join(theirs, 'results', 'sr-demo'), ROUND, from);
  await git(theirs, ['add', 'results']);
  await git(theirs, ['commit', '--quiet', '-m', 'their round']);
}

/** Files of the remote's main branch under `path`. */
async function remoteFiles(path: string): Promise<string[]> {
  const out = await git(fixture.remote, ['ls-tree', '-r', '--name-only', 'main', '--', path]);
  return out.split('\n').filter(Boolean);
}

/** Commits on the remote's main that touched `path`. */
async function commitsTouching(path: string): Promise<number> {
  const out = await git(fixture.remote, ['log', '--format=%H', 'main', '--', path]);
  return out.split('\n').filter(Boolean).length;
}

describe('commitRound with fetch-rebase-retry', () => {
  it('pushes a round on the first attempt when nobody races', async () => {
    const result = await commitRound(write(), push);
    expect(result).toMatchObject({ status: 'pushed', attempts: 1 });
    expect(await remoteFiles('results')).toEqual([
      `results/sr-demo/${ROUND}/bench/runner-1/${HOTKEY}.json`,
      `results/sr-demo/${ROUND}/bench/runner-1/baseline.json`,
      `results/sr-demo/${ROUND}/round.json`,
    ]);
  });

  it('retries after a concurrent push lands first, keeping both changes', async () => {
    await writeFile(join(theirs, 'other.txt'), 'a weights commit or an entry merge\n');
    await git(theirs, ['add', 'other.txt']);
    await git(theirs, ['commit', '--quiet', '-m', 'concurrent']);
    await raceBeforePush(ours, theirs, 'git push --quiet origin HEAD:main');
    const lines: string[] = [];
    const result = await commitRound(write(), { ...push, log: (l) => lines.push(l) });
    expect(result).toMatchObject({ status: 'pushed', attempts: 2 });
    expect(lines[0]).toMatch(/attempt 1: lost a push race/);
    expect(await remoteFiles('other.txt')).toEqual(['other.txt']);
    expect(await remoteFiles(`results/sr-demo/${ROUND}/round.json`)).toHaveLength(1);
    expect(await commitsTouching('results')).toBe(1);
  });

  it('does not duplicate a round that a concurrent run pushed first', async () => {
    await commitInTheirs(staging);
    await raceBeforePush(ours, theirs, 'git push --quiet origin HEAD:main');
    const result = await commitRound(write(), push);
    expect(result).toMatchObject({ status: 'unchanged', attempts: 2 });
    expect(await commitsTouching('results')).toBe(1);
  });

  it('refuses, rather than rewrites, a round pushed concurrently with other content', async () => {
    const theirStaging = await writeRoundFixture(join(root, 'their'), 'sr-demo', ROUND, [HOTKEY]);
    const file = join(theirStaging, 'bench', 'runner-1', 'baseline.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('10.25', '12.5'));
    await commitInTheirs(theirStaging);
    await raceBeforePush(ours, theirs, 'git push --quiet origin HEAD:main');
    const error = await commitRound(write(), push).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsError);
    expect((error as Error).message).toMatch(
      /2026-03-10\/bench\/runner-1\/baseline\.json: already exists with different content \(\/samples\/ms\/1 is 12\.5 here, 10\.25 in the new file\)/,
    );
    const path = `main:results/sr-demo/${ROUND}/bench/runner-1/baseline.json`;
    expect(await git(fixture.remote, ['show', path])).toContain('12.5');
    expect(await commitsTouching('results')).toBe(1);
  });

  it('gives up after the bounded number of attempts, saying so', async () => {
    await raceBeforePush(
      ours,
      theirs,
      'git commit --quiet --allow-empty -m race && git push --quiet origin HEAD:main',
      false,
    );
    await expect(commitRound(write(), { ...push, attempts: 3 })).rejects.toThrow(
      /lost the race 3 time\(s\); the change is not pushed/,
    );
  });

  it('fails at once, without retrying, when git fails for another reason', async () => {
    let applied = 0;
    const error = await pushWithRetry({
      cwd: ours,
      branch: 'main',
      remote: 'nowhere',
      message: 'x',
      backoffMs: 1,
      apply: async () => {
        applied += 1;
        await writeFile(join(ours, `f${applied}.txt`), 'x\n');
        return [`f${applied}.txt`];
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsError);
    expect((error as Error).message).toMatch(/git push nowhere main failed/);
    expect(applied).toBe(1);
  });
});
