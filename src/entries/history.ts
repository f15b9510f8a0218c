/**
 * The entry files of one contest as they were in the entries repository at the last commit
 * before the cutoff instant, read from git history (never from the work tree, which may be
 * newer). The commit is the newest one on the first-parent chain of `ref` whose committer date
 * is strictly before the cutoff: merges made by GitHub carry the merge time as committer date,
 * and the first-parent chain is the branch as it was merged (docs/adr/0052-entries-at-cutoff.md).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One entry file at the snapshot's commit. */
export interface SnapshotFile {
  /** Repository-relative path, `contests/<id>/entries/<name>`. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The entries folder of a contest at one commit. */
export interface EntriesSnapshot {
  /** The commit used, or null when the branch has no commit before the cutoff. */
  readonly commit: string | null;
  /** Its committer date (ISO 8601, UTC), or null. */
  readonly committedAt: string | null;
  /** Every regular file under `contests/<id>/entries/` (sub-folders included), sorted by path. */
  readonly files: readonly SnapshotFile[];
}

/** A git command failed; the message names the repository and the command. */
export class GitHistoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHistoryError';
  }
}

async function git(repo: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8') {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], {
      encoding,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
    });
    return stdout;
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new GitHistoryError(`${repo}: git ${args.join(' ')} failed: ${stderr || err}`, {
      cause: err,
    });
  }
}

/** Seconds since the epoch of the last whole second strictly before `cutoff`. */
export function lastSecondBefore(cutoff: Date): number {
  return Math.ceil(cutoff.getTime() / 1000) - 1;
}

/**
 * Returns the commit of `ref` that was current at `cutoff` (newest first-parent commit with a
 * committer date strictly before it), with its committer date; null when there is none.
 * Throws GitHistoryError when `repo` is not a git repository or `ref` is unknown.
 */
export async function commitBefore(
  repo: string,
  cutoff: Date,
  ref = 'HEAD',
): Promise<{ commit: string; committedAt: string } | null> {
  const before = `--before=@${lastSecondBefore(cutoff)}`;
  const out = String(
    await git(repo, ['rev-list', '-1', '--first-parent', before, '--format=%ct', ref, '--']),
  );
  // rev-list --format prints "commit <sha>" then the formatted line.
  const match = /^commit ([0-9a-f]{40,64})\n(\S+)/m.exec(out);
  if (!match || !match[1] || !match[2]) return null;
  return { commit: match[1], committedAt: new Date(Number(match[2]) * 1000).toISOString() };
}

/**
 * Reads every regular file under `contests/<contestId>/entries/` at the commit current at
 * `cutoff`. Symlinks and submodules are left out (an entry is a plain file). Throws
 * GitHistoryError on git failures.
 */
export async function entriesAtCutoff(
  repo: string,
  contestId: string,
  cutoff: Date,
  ref = 'HEAD',
): Promise<EntriesSnapshot> {
  const found = await commitBefore(repo, cutoff, ref);
  if (found === null) return { commit: null, committedAt: null, files: [] };
  const folder = `contests/${contestId}/entries/`;
  const listing = String(
    await git(repo, ['ls-tree', '-r', '-z', '--full-tree', found.commit, '--', folder]),
  );
  const files: SnapshotFile[] = [];
  for (const record of listing.split('\0')) {
    const m = /^(\d{6}) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(record);
    if (!m || m[2] !== 'blob' || (m[1] !== '100644' && m[1] !== '100755')) continue;
    const bytes = (await git(repo, ['cat-file', 'blob', m[3] as string], 'buffer')) as Buffer;
    files.push({ path: m[4] as string, bytes: new Uint8Array(bytes) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...found, files };
}
