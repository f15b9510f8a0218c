/**
 * The GitHub REST calls the entry check makes, and nothing else. The PR's files are read as
 * data: the list of changed files, then the contents of each entry file at the head commit.
 * No archive, tree or checkout of the head is ever requested, and nothing from it is run.
 *
 * Endpoints (https://docs.github.com/rest):
 *   GET    /repos/{owner}/{repo}/pulls/{n}/files                     list changed files
 *   GET    /repos/{owner}/{repo}/contents/{path}?ref={head_sha}      one entry file
 *   GET    /repos/{owner}/{repo}/issues/{n}/comments                 find our comment
 *   POST   /repos/{owner}/{repo}/issues/{n}/comments                 create it once
 *   PATCH  /repos/{owner}/{repo}/issues/comments/{id}                update it in place
 *   POST   /repos/{owner}/{repo}/statuses/{sha}                      commit status
 *   GET    /repos/{owner}/{repo}/issues/{n}/labels                   current labels
 *   POST   /repos/{owner}/{repo}/issues/{n}/labels                   add a label
 *   DELETE /repos/{owner}/{repo}/issues/{n}/labels/{name}            remove a label
 */
import { Octokit } from '@octokit/rest';
import type { ChangedFile } from './scope.js';

/** The pull request under check. */
export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  /** The head commit the check is about (statuses go there; contents are read there). */
  readonly headSha: string;
}

/** Returns an Octokit for `token` against `baseUrl` (GITHUB_API_URL; a local server in tests). */
export function makeOctokit(token: string, baseUrl: string): Octokit {
  return new Octokit({ auth: token, baseUrl, userAgent: 'podium-entry-check' });
}

/** Lists the PR's changed files (paginated; GitHub lists at most 3000). */
export async function listChangedFiles(
  octokit: Octokit,
  pr: PullRequestRef,
): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
  }));
}

/** One file's content at the head commit, or why it could not be read. */
export type FileAtHead =
  | { readonly kind: 'file'; readonly size: number; readonly bytes: Uint8Array | null }
  | { readonly kind: 'not-a-file'; readonly type: string };

/**
 * Reads `path` at the PR's head commit through the contents API. Files larger than `maxBytes`
 * come back with `bytes: null` (their size is enough to reject them). Throws Octokit's
 * RequestError when GitHub answers with an error.
 */
export async function readFileAtHead(
  octokit: Octokit,
  pr: PullRequestRef,
  path: string,
  maxBytes: number,
): Promise<FileAtHead> {
  const { data } = await octokit.rest.repos.getContent({
    owner: pr.owner,
    repo: pr.repo,
    path,
    ref: pr.headSha,
  });
  if (Array.isArray(data)) return { kind: 'not-a-file', type: 'dir' };
  if (data.type !== 'file') return { kind: 'not-a-file', type: data.type };
  if (data.size > maxBytes || data.encoding !== 'base64') {
    return { kind: 'file', size: data.size, bytes: null };
  }
  return {
    kind: 'file',
    size: data.size,
    bytes: new Uint8Array(Buffer.from(data.content, 'base64')),
  };
}

/** A comment as the check needs it. */
export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly login: string | null;
  readonly htmlUrl: string;
}

/** Lists the PR's conversation comments (paginated). */
export async function listComments(octokit: Octokit, pr: PullRequestRef): Promise<IssueComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  return comments.map(toComment);
}

/** The fields podium uses of a REST issue comment. */
function toComment(data: {
  id: number;
  body?: string | null;
  user?: { login: string } | null;
  html_url: string;
}): IssueComment {
  return {
    id: data.id,
    body: data.body ?? '',
    login: data.user?.login ?? null,
    htmlUrl: data.html_url,
  };
}

/** Creates a comment; returns it. */
export async function createComment(
  octokit: Octokit,
  pr: PullRequestRef,
  body: string,
): Promise<IssueComment> {
  const { data } = await octokit.rest.issues.createComment({
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    body,
  });
  return toComment(data);
}

/** Replaces a comment's body; returns it. */
export async function updateComment(
  octokit: Octokit,
  pr: PullRequestRef,
  id: number,
  body: string,
): Promise<IssueComment> {
  const { data } = await octokit.rest.issues.updateComment({
    owner: pr.owner,
    repo: pr.repo,
    comment_id: id,
    body,
  });
  return toComment(data);
}

/** Sets a commit status on the head commit. */
export async function setStatus(
  octokit: Octokit,
  pr: PullRequestRef,
  status: {
    state: 'success' | 'failure' | 'error';
    context: string;
    description: string;
    targetUrl?: string;
  },
): Promise<void> {
  await octokit.rest.repos.createCommitStatus({
    owner: pr.owner,
    repo: pr.repo,
    sha: pr.headSha,
    state: status.state,
    context: status.context,
    description: status.description.slice(0, 140),
    ...(status.targetUrl !== undefined ? { target_url: status.targetUrl } : {}),
  });
}

/** Returns the names of the PR's labels. */
export async function listLabels(octokit: Octokit, pr: PullRequestRef): Promise<string[]> {
  const labels = await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  return labels.map((l) => l.name);
}

/** Adds labels to the PR (GitHub creates a label that does not exist yet). */
export async function addLabels(
  octokit: Octokit,
  pr: PullRequestRef,
  labels: string[],
): Promise<void> {
  await octokit.rest.issues.addLabels({
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    labels,
  });
}

/** Removes one label from the PR; a label that is already gone (404) is not an error. */
export async function removeLabel(
  octokit: Octokit,
  pr: PullRequestRef,
  name: string,
): Promise<void> {
  try {
    await octokit.rest.issues.removeLabel({
      owner: pr.owner,
      repo: pr.repo,
      issue_number: pr.number,
      name,
    });
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err;
  }
}
