/**
 * Publishing a verdict on the PR: podium's comment (found by its hidden marker among the bot's
 * own comments, created once, then edited in place), a commit status on the head commit, and
 * exactly one of the labels `entry:valid` / `entry:invalid`.
 */
import type { Octokit } from '@octokit/rest';
import {
  addLabels,
  createComment,
  listComments,
  listLabels,
  removeLabel,
  setStatus,
  updateComment,
  type PullRequestRef,
} from './api.js';
import { COMMENT_MARKER, summaryLine, type Verdict } from './comment.js';

/** The label a valid PR carries. */
export const LABEL_VALID = 'entry:valid';
/** The label an invalid PR carries. */
export const LABEL_INVALID = 'entry:invalid';

/** Where to publish. */
export interface PublishTarget {
  readonly pr: PullRequestRef;
  readonly botLogin: string;
  readonly statusContext: string;
}

/**
 * Creates or updates the comment, sets the status, switches the labels. Returns the comment's
 * URL. Throws Octokit's RequestError when GitHub refuses a call.
 */
export async function publishReport(
  octokit: Octokit,
  target: PublishTarget,
  verdict: Verdict,
  body: string,
): Promise<string> {
  const comment = await upsertComment(octokit, target, body);
  await setStatus(octokit, target.pr, {
    state: verdict.valid ? 'success' : 'failure',
    context: target.statusContext,
    description: summaryLine(verdict),
    targetUrl: comment.htmlUrl,
  });
  await switchLabels(octokit, target.pr, verdict.valid);
  return comment.htmlUrl;
}

/** Edits the bot's marked comment when there is one, else creates it; returns it. */
export async function upsertComment(octokit: Octokit, target: PublishTarget, body: string) {
  const existing = (await listComments(octokit, target.pr)).find(
    (c) => c.login === target.botLogin && c.body.startsWith(COMMENT_MARKER),
  );
  if (existing === undefined) return createComment(octokit, target.pr, body);
  if (existing.body === body) return existing;
  return updateComment(octokit, target.pr, existing.id, body);
}

/** Leaves exactly one of the two entry labels on the PR. */
export async function switchLabels(
  octokit: Octokit,
  pr: PullRequestRef,
  valid: boolean,
): Promise<void> {
  const [want, drop] = valid ? [LABEL_VALID, LABEL_INVALID] : [LABEL_INVALID, LABEL_VALID];
  const current = await listLabels(octokit, pr);
  if (current.includes(drop)) await removeLabel(octokit, pr, drop);
  if (!current.includes(want)) await addLabels(octokit, pr, [want]);
}
