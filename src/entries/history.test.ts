import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitBefore, entriesAtCutoff, GitHistoryError, lastSecondBefore } from './history.js';

let repo: string;

function git(args: string[], date?: string): string {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo };
  const dated = date ? { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : env;
  return execFileSync('git', ['-C', repo, ...args], { env: dated, encoding: 'utf8' }).trim();
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(repo, path, '..'), { recursive: true });
  await writeFile(join(repo, path), text);
}

function commit(message: string, date: string): string {
  git(['add', '-A']);
  git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', message], date);
  return git(['rev-parse', 'HEAD']);
}

beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'podium-history-'));
  git(['init', '-q', '-b', 'main']);
});
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

const E = 'contests/c1/entries';

describe('entries as of the cutoff, from git history', () => {
  it('reads the entries of the last commit before the cutoff, not later ones nor the work tree', async () => {
    await put(`${E}/a.json`, 'A1');
    await put('contests/c2/entries/x.json', 'other contest');
    const first = commit('a', '2025-06-01T18:00:00Z');
    await put(`${E}/a.json`, 'A2');
    await put(`${E}/b.json`, 'B');
    const second = commit('a2 b', '2025-06-01T18:59:59.000Z');
    await put(`${E}/c.json`, 'C');
    commit('c after cutoff', '2025-06-01T19:00:00Z');
    await put(`${E}/d.json`, 'uncommitted');

    const cutoff = new Date('2025-06-01T19:00:00Z');
    const snap = await entriesAtCutoff(repo, 'c1', cutoff);
    expect(snap.commit).toBe(second);
    expect(snap.committedAt).toBe('2025-06-01T18:59:59.000Z');
    expect(snap.files.map((f) => [f.path, Buffer.from(f.bytes).toString()])).toEqual([
      [`${E}/a.json`, 'A2'],
      [`${E}/b.json`, 'B'],
    ]);
    const earlier = await entriesAtCutoff(repo, 'c1', new Date('2025-06-01T18:59:59Z'));
    expect(earlier.commit).toBe(first);
    expect(earlier.files.map((f) => f.path)).toEqual([`${E}/a.json`]);
  });

  it('treats a commit at the exact cutoff second as too late', async () => {
    await put(`${E}/a.json`, 'A');
    commit('a', '2025-06-01T19:00:00Z');
    expect(await commitBefore(repo, new Date('2025-06-01T19:00:00Z'))).toBeNull();
    expect((await commitBefore(repo, new Date('2025-06-01T19:00:00.001Z')))?.committedAt).toBe(
      '2025-06-01T19:00:00.000Z',
    );
    expect(lastSecondBefore(new Date(1000))).toBe(0);
    expect(lastSecondBefore(new Date(1001))).toBe(1);
  });

  it('returns no files when nothing was committed before the cutoff', async () => {
    await put(`${E}/a.json`, 'A');
    commit('a', '2025-06-02T00:00:00Z');
    expect(await entriesAtCutoff(repo, 'c1', new Date('2025-06-01T00:00:00Z'))).toEqual({
      commit: null,
      committedAt: null,
      files: [],
    });
  });

  it('follows the first-parent chain: a merged branch counts at its merge time', async () => {
    await put('README', 'r');
    commit('base', '2025-06-01T10:00:00Z');
    git(['checkout', '-q', '-b', 'pr']);
    await put(`${E}/a.json`, 'A');
    commit('entry written long ago', '2025-05-01T00:00:00Z');
    git(['checkout', '-q', 'main']);
    await put('README', 'r2');
    commit('main moves', '2025-06-01T11:00:00Z');
    git(
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'merge', '-q', '--no-ff', '-m', 'merge', 'pr'],
      '2025-06-01T20:00:00Z',
    );
    const snap = await entriesAtCutoff(repo, 'c1', new Date('2025-06-01T19:00:00Z'));
    expect(snap.files).toEqual([]);
    const after = await entriesAtCutoff(repo, 'c1', new Date('2025-06-01T21:00:00Z'));
    expect(after.files.map((f) => f.path)).toEqual([`${E}/a.json`]);
  });

  it('leaves symlinks out: an entry is a plain file', async () => {
    await put(`${E}/a.json`, 'A');
    await symlink('a.json', join(repo, E, 'b.json'));
    commit('a + link', '2025-06-01T10:00:00Z');
    const snap = await entriesAtCutoff(repo, 'c1', new Date('2025-06-02T00:00:00Z'));
    expect(snap.files.map((f) => f.path)).toEqual([`${E}/a.json`]);
  });

  it('names the repository when git fails', async () => {
    await expect(entriesAtCutoff(join(repo, 'missing'), 'c1', new Date())).rejects.toThrow(
      GitHistoryError,
    );
    await expect(commitBefore(repo, new Date(), 'no-such-ref')).rejects.toThrow(/no-such-ref/);
  });
});
