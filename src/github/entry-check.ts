/**
 * The PR entry check, end to end: list the PR's changed files, read each entry file at the head
 * commit through the contents API (as data: parsed, never run), check it offline against the
 * BASE repository's contests, probe the model URL, ask the chain, then publish one comment
 * (created once, updated in place), a commit status and the `entry:valid`/`entry:invalid`
 * label. Knows nothing of GitHub Actions: actions/entry-check/main.ts feeds it.
 */
import type { Octokit } from '@octokit/rest';
import { join } from 'node:path';
import { loadContest, type Contest } from '../contest/load.js';
import {
  checkEntryFile,
  ENTRY_MAX_BYTES,
  entryLocation,
  oversizeReport,
  type Check,
} from '../entries/checks.js';
import { onchainChecks, type CommitmentSource } from '../entries/onchain.js';
import { readFileAtHead, type PullRequestRef } from './api.js';
import {
  renderComment,
  summaryLine,
  verdictOf,
  type CheckReport,
  type FileChecks,
  type Verdict,
} from './comment.js';
import type { UrlProbe } from './probe.js';
import { publishReport } from './publish.js';
import { classifyChanges, type ChangedFile } from './scope.js';
import { listChangedFiles } from './api.js';

/** Settings of one run (from the workflow's inputs; see actions/entry-check/main.ts). */
export interface EntryCheckSettings {
  readonly pr: PullRequestRef;
  /** Root of the BASE repository checkout: contests are read from `<root>/contests/<id>/`. */
  readonly repoRoot: string;
  /** The instant used for "the contest accepts entries now". */
  readonly now: Date;
  /** Login that owns podium's comment (the GITHUB_TOKEN's `github-actions[bot]`). */
  readonly botLogin: string;
  /** Commit status context, e.g. `podium/entry`. */
  readonly statusContext: string;
}

/** The I/O the check uses; each can be a local real implementation in tests. */
export interface EntryCheckDeps {
  readonly octokit: Octokit;
  /** null: the URL is not probed ("not checked"). */
  readonly probe: UrlProbe | null;
  /** null: registration and commitment are "not checked". */
  readonly chain: CommitmentSource | null;
}

/** What a run decided and where it said so. */
export interface EntryCheckResult {
  readonly verdict: Verdict;
  readonly report: CheckReport;
  readonly commentUrl: string;
  readonly summary: string;
}

/**
 * Runs the check on one PR and publishes the result. Returns the verdict; throws only when
 * GitHub itself fails (the caller turns that into a failed job).
 */
export async function runEntryCheck(
  settings: EntryCheckSettings,
  deps: EntryCheckDeps,
): Promise<EntryCheckResult> {
  const report = await buildReport(settings, deps);
  const body = renderComment(report);
  const verdict = verdictOf(report);
  const commentUrl = await publishReport(deps.octokit, settings, verdict, body);
  return { verdict, report, commentUrl, summary: summaryLine(verdict) };
}

/** Lists, reads and checks the PR's entry files; publishes nothing. */
export async function buildReport(
  settings: EntryCheckSettings,
  deps: EntryCheckDeps,
): Promise<CheckReport> {
  const changed: ChangedFile[] = await listChangedFiles(deps.octokit, settings.pr);
  const scope = classifyChanges(changed);
  const contests = new Map<string, Promise<Contest | null>>();
  const contestFor = (id: string) => {
    if (!contests.has(id)) contests.set(id, baseContest(settings.repoRoot, id));
    return contests.get(id) as Promise<Contest | null>;
  };
  const files: FileChecks[] = [];
  for (const path of scope.entryPaths)
    files.push(await checkOneFile(path, settings, deps, contestFor));
  return { headSha: settings.pr.headSha, checkedAt: settings.now, scope: scope.checks, files };
}

async function baseContest(root: string, id: string): Promise<Contest | null> {
  try {
    return (await loadContest(join(root, 'contests', id))).contest;
  } catch {
    return null;
  }
}

async function checkOneFile(
  path: string,
  settings: EntryCheckSettings,
  deps: EntryCheckDeps,
  contestFor: (id: string) => Promise<Contest | null>,
): Promise<FileChecks> {
  let read;
  try {
    read = await readFileAtHead(deps.octokit, settings.pr, path, ENTRY_MAX_BYTES);
  } catch (err) {
    const detail = `cannot read ${path} at ${settings.pr.headSha}: ${(err as Error).message}`;
    return { path, checks: [{ id: 'path', status: 'fail', detail, fix: 'push the file again' }] };
  }
  if (read.kind === 'not-a-file') {
    const detail = `${path} is a ${read.type}, not a regular file`;
    return {
      path,
      checks: [{ id: 'path', status: 'fail', detail, fix: 'commit a plain JSON file' }],
    };
  }
  if (read.bytes === null) return oversizeReport(path, read.size);
  const contest = await contestFor(entryLocation(path)?.contest ?? '');
  const offline = checkEntryFile({ path, bytes: read.bytes, contest, now: settings.now });
  if (offline.entry === null || contest === null) return offline;
  const entry = offline.entry;
  const online: Check[] = [await urlCheck(entry.model.url, entry.model.bytes, deps.probe)];
  online.push(
    ...(await onchainChecks(
      {
        contestId: contest.id,
        netuid: contest.chain.netuid,
        hotkey: entry.hotkey,
        sha256: entry.model.sha256,
      },
      deps.chain,
    )),
  );
  return { path, checks: [...offline.checks, ...online] };
}

/** The `url-reachable` check: the URL answers with the declared size (when reachable). */
export async function urlCheck(
  url: string,
  declared: number,
  probe: UrlProbe | null,
): Promise<Check> {
  if (!url.startsWith('https://')) {
    return { id: 'url-reachable', status: 'skip', detail: 'not checked: the URL is not https' };
  }
  if (probe === null) {
    return {
      id: 'url-reachable',
      status: 'skip',
      detail: 'not checked: URL probing is off for this run',
    };
  }
  const result = await probe(url);
  const publicFix = 'make the URL publicly downloadable without credentials before the cutoff';
  if (!result.reachable) {
    return {
      id: 'url-reachable',
      status: 'warn',
      detail: `could not reach it: ${result.reason}`,
      fix: publicFix,
    };
  }
  if (result.bytes === null) {
    return {
      id: 'url-reachable',
      status: 'warn',
      detail: `reachable, but the server did not say the size (${result.via})`,
      fix: 'serve Content-Length on HEAD or answer Range requests',
    };
  }
  if (result.bytes !== declared) {
    return {
      id: 'url-reachable',
      status: 'fail',
      detail: `the URL serves ${result.bytes} bytes; the entry declares ${declared}`,
      fix: 'point the entry at the exact file you hashed, or re-create the entry from it',
    };
  }
  return {
    id: 'url-reachable',
    status: 'pass',
    detail: `${result.bytes} bytes, as declared (${result.via})`,
  };
}
