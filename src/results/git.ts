/**
 * Committing and pushing results with fetch-rebase-retry. A push that loses a race (another
 * round, a weights commit or an entry merge landed first) is retried a bounded number of times
 * with exponential backoff: fetch, move to the fetched tip, and re-apply the change there. The
 * re-application is the rebase: it goes through the same idempotent writer as the first attempt
 * (addRoundFiles / acceptIndex), so a retry never duplicates a round (identical content is a
 * no-op) and never rewrites an earlier one (different content is refused).
 */
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResultsError } from './errors.js';

/** How to commit and push one change. */
export interface PushOptions {
  /** The git work tree (a clone with `remote` configured). */
  readonly cwd: string;
  readonly remote?: string;
  readonly branch: string;
  readonly message: string;
  /**
   * Applies the change to the work tree and returns the paths (relative to `cwd`) to stage.
   * Called once per attempt, each time on a fresh tip; it must be idempotent and throw to refuse.
   */
  readonly apply: () => Promise<readonly string[]>;
  /** Attempts in all (default 5). */
  readonly attempts?: number;
  /** Backoff before retry k is backoffMs × 2^(k-1) plus up to 50 % jitter (default 2000). */
  readonly backoffMs?: number;
  /** Commit author and committer; default: the repository's git config. */
  readonly author?: { readonly name: string; readonly email: string };
  readonly log?: (line: string) => void;
}

/** What pushWithRetry did. */
export interface PushResult {
  /** "pushed": a new commit is on the remote; "unchanged": the remote already had the change. */
  readonly status: 'pushed' | 'unchanged';
  readonly attempts: number;
  /** The commit that holds the change on the remote branch. */
  readonly commit: string;
}

/** The bot identity GitHub documents for commits made with GITHUB_TOKEN. */
export const ACTIONS_BOT = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
} as const;

const RACE = /\[rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref|stale info/;

/**
 * Applies, commits and pushes a change, retrying on a push race as described above. Returns
 * the result; throws ResultsError when git fails for another reason, when `apply` refuses, or
 * when every attempt lost the race (the message names the attempts and the last git error).
 */
export async function pushWithRetry(options: PushOptions): Promise<PushResult> {
  const { cwd, branch, message } = options;
  const remote = options.remote ?? 'origin';
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 2000;
  const log = options.log ?? (() => undefined);
  const identity = options.author
    ? ['-c', `user.name=${options.author.name}`, '-c', `user.email=${options.author.email}`]
    : [];
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const paths = await options.apply();
    if (paths.length > 0) await git(cwd, ['add', '--', ...paths]);
    if (await nothingStaged(cwd)) {
      log(`attempt ${attempt}: nothing to commit, the remote already has this change`);
      return { status: 'unchanged', attempts: attempt, commit: await head(cwd) };
    }
    await git(cwd, [...identity, 'commit', '--quiet', '-m', message]);
    const pushed = await tryGit(cwd, ['push', '--porcelain', remote, `HEAD:refs/heads/${branch}`]);
    if (pushed.ok) {
      log(`attempt ${attempt}: pushed ${await head(cwd)}`);
      return { status: 'pushed', attempts: attempt, commit: await head(cwd) };
    }
    lastError = pushed.output.trim();
    if (!RACE.test(lastError)) {
      throw new ResultsError(cwd, `git push ${remote} ${branch} failed: ${lastError}`);
    }
    log(`attempt ${attempt}: lost a push race; fetching and re-applying on the new tip`);
    if (attempt === attempts) break;
    await sleep(backoffMs * 2 ** (attempt - 1) * (1 + Math.random() / 2));
    await git(cwd, ['fetch', '--quiet', remote, branch]);
    await git(cwd, ['reset', '--quiet', '--hard', `${remote}/${branch}`]);
  }
  throw new ResultsError(
    cwd,
    `push to ${remote} ${branch} lost the race ${attempts} time(s); the change is not pushed ` +
      `(the workflow artifact still holds it). Last git error: ${lastError}`,
  );
}

async function nothingStaged(cwd: string): Promise<boolean> {
  return (await tryGit(cwd, ['diff', '--cached', '--quiet'])).ok;
}

async function head(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/** Runs git; returns stdout. Throws ResultsError with git's output on failure. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const result = await tryGit(cwd, args);
  if (!result.ok) throw new ResultsError(cwd, `git ${args.join(' ')} failed: ${result.output.trim()}`);
  return result.stdout;
}

function tryGit(
  cwd: string,
  args: readonly string[],
): Promise<{ ok: boolean; stdout: string; output: string }> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: err === null, stdout, output: `${stdout}${stderr}` });
    });
  });
}
