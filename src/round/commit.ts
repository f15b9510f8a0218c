/**
 * The two writes of a round into the repository, each committed and pushed with
 * fetch-rebase-retry (git.ts):
 *
 * - commitRound (the `commit` job, `contents: write`, no secrets): round.json, bench files and
 *   score.json into `results/<contest>/<round>/`.
 * - recordRound (the `record` job, `contents: write`, no secrets): weights.json plus the index
 *   that the `publish` job signed, accepted only as the current index plus that one entry, and
 *   the leaderboard (README.md + charts) regenerated from the indexed rounds.
 */
import { basename, join } from 'node:path';
import { acceptIndex, readIndexFile } from '../results/index.js';
import { pushWithRetry, type PushOptions, type PushResult } from '../results/git.js';
import { addRoundFiles } from '../results/write.js';
import { writeLeaderboard } from '../leaderboard/write.js';

/** Where and how to push; the rest of PushOptions. */
export type PushSettings = Omit<PushOptions, 'apply' | 'message' | 'cwd'>;

/** One round's write into a checkout. */
export interface RoundWrite {
  /** The checkout (work tree) of the results repository. */
  readonly repo: string;
  readonly contest: string;
  readonly round: string;
  /** Folder laid out like the round folder, holding the files to add. */
  readonly from: string;
  /** Folder of the results inside the repo (default `results`). */
  readonly resultsRoot?: string;
}

function resultsDir(write: RoundWrite): string {
  return join(write.repo, write.resultsRoot ?? 'results', write.contest);
}

function relativeResults(write: RoundWrite): string {
  return `${write.resultsRoot ?? 'results'}/${write.contest}`;
}

/**
 * Adds the round's files to the checkout without committing (validated, idempotent; see
 * addRoundFiles). Returns the repo-relative paths to stage. Throws on a refusal.
 */
export async function applyRound(write: RoundWrite): Promise<string[]> {
  await addRoundFiles(resultsDir(write), write.round, write.from);
  return [`${relativeResults(write)}/${write.round}`];
}

/**
 * Adds `from/<round>/weights.json` and accepts `from/index.json` (signed by publish) as the new
 * index, without committing. Returns the repo-relative paths to stage. Throws ResultsError when
 * the signed index does not extend the current one by exactly this round's entry (e.g. the
 * index moved on: publish must sign again).
 */
export async function applyRecord(write: RoundWrite): Promise<string[]> {
  const next = await readIndexFile(join(write.from, 'index.json'));
  await addRoundFiles(resultsDir(write), write.round, join(write.from, write.round));
  await acceptIndex(resultsDir(write), next);
  // The leaderboard is derived from the indexed rounds: regenerate it in the same commit.
  const leaderboard = await writeLeaderboard(resultsDir(write));
  return [
    `${relativeResults(write)}/${write.round}`,
    `${relativeResults(write)}/index.json`,
    ...leaderboard.map((file) => `${relativeResults(write)}/${basename(file)}`),
  ];
}

/**
 * applyRound, then commit and push with fetch-rebase-retry. Returns the push result
 * ("unchanged" when the remote already holds identical files). Throws ResultsError /
 * DocumentError on a refusal, ResultsError when the push cannot be made.
 */
export async function commitRound(write: RoundWrite, push: PushSettings): Promise<PushResult> {
  return pushWithRetry({
    ...push,
    cwd: write.repo,
    message: `results: ${write.contest} round ${write.round}`,
    apply: () => applyRound(write),
  });
}

/** applyRecord, then commit and push both files in one commit with fetch-rebase-retry. */
export async function recordRound(write: RoundWrite, push: PushSettings): Promise<PushResult> {
  return pushWithRetry({
    ...push,
    cwd: write.repo,
    message: `results: ${write.contest} round ${write.round} weights and signed index entry`,
    apply: () => applyRecord(write),
  });
}
