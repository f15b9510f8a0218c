/**
 * What a pull request may change: entry files only (`contests/<id>/entries/<hotkey>.json`,
 * added or modified), at most one per hotkey, at most MAX_ENTRY_FILES in all. Pure: it sees the
 * list of changed files GitHub reports, never their content.
 */
import { entryLocation, type Check } from '../entries/checks.js';

/** Most entry files one PR may add or change (each costs API calls and a chain lookup). */
export const MAX_ENTRY_FILES = 10;

/** A changed file as `GET /repos/{owner}/{repo}/pulls/{n}/files` reports it. */
export interface ChangedFile {
  readonly filename: string;
  readonly status: string;
  readonly previous_filename?: string;
}

/** Pull-request-level checks (ids are not per file). */
export type ScopeCheckId = 'scope' | 'one-per-hotkey' | 'count';

/** A pull-request-level check result; same statuses as an entry check. */
export interface ScopeCheck extends Omit<Check, 'id'> {
  readonly id: ScopeCheckId;
}

/** The changed files sorted into the entry files to read and the PR-level verdicts. */
export interface Scope {
  /** Entry files to fetch and check (added or modified), sorted. */
  readonly entryPaths: readonly string[];
  readonly checks: readonly ScopeCheck[];
}

const WRITABLE = new Set(['added', 'modified', 'changed']);

/** Sorts the PR's changed files into entry paths and PR-level checks. Never throws. */
export function classifyChanges(files: readonly ChangedFile[]): Scope {
  const outside: string[] = [];
  const removed: string[] = [];
  const entryPaths: string[] = [];
  for (const file of files) {
    const isEntry = entryLocation(file.filename) !== null && isRepoEntryPath(file.filename);
    const before = file.previous_filename;
    if (before !== undefined && before !== file.filename) {
      if (isRepoEntryPath(before)) removed.push(`${before} (renamed to ${file.filename})`);
      else outside.push(`${before} (renamed to ${file.filename})`);
    }
    if (!isEntry) outside.push(file.filename);
    else if (file.status === 'removed') removed.push(file.filename);
    else if (WRITABLE.has(file.status) || file.status === 'renamed') entryPaths.push(file.filename);
    else outside.push(`${file.filename} (${file.status})`);
  }
  entryPaths.sort();
  return {
    entryPaths: entryPaths.slice(0, MAX_ENTRY_FILES),
    checks: [scopeCheck(outside, removed), hotkeyCheck(entryPaths), countCheck(entryPaths)],
  };
}

/** True for `contests/<id>/entries/<name>.json` exactly (no sub-folder, repository-relative). */
export function isRepoEntryPath(path: string): boolean {
  return /^contests\/[a-z0-9][a-z0-9-]{0,62}\/entries\/[^/]+\.json$/.test(path);
}

function scopeCheck(outside: string[], removed: string[]): ScopeCheck {
  if (outside.length === 0 && removed.length === 0) {
    return { id: 'scope', status: 'pass', detail: 'only entry files are added or changed' };
  }
  const lines = [
    ...outside.map((f) => `changes ${f}, which is not an entry file`),
    ...removed.map((f) => `removes ${f}`),
  ];
  return {
    id: 'scope',
    status: 'fail',
    detail: lines.join('\n'),
    fix:
      'an entry PR may only add or update contests/<contest-id>/entries/<hotkey>.json; ' +
      'open a separate PR for anything else (to withdraw an entry, change your on-chain commitment)',
  };
}

function hotkeyCheck(entryPaths: string[]): ScopeCheck {
  const byHotkey = new Map<string, string[]>();
  for (const path of entryPaths) {
    const stem = entryLocation(path)?.stem ?? path;
    byHotkey.set(stem, [...(byHotkey.get(stem) ?? []), path]);
  }
  const twice = [...byHotkey.entries()].filter(([, paths]) => paths.length > 1);
  if (twice.length === 0)
    return { id: 'one-per-hotkey', status: 'pass', detail: 'one entry per hotkey' };
  return {
    id: 'one-per-hotkey',
    status: 'fail',
    detail: twice
      .map(([key, paths]) => `${key} has ${paths.length} entries: ${paths.join(', ')}`)
      .join('\n'),
    fix: 'a hotkey holds one on-chain commitment, so it enters one contest at a time: keep one file',
  };
}

function countCheck(entryPaths: string[]): ScopeCheck {
  if (entryPaths.length === 0) {
    return {
      id: 'count',
      status: 'fail',
      detail: 'no entry file is added or changed',
      fix: 'add contests/<contest-id>/entries/<hotkey>.json (see docs/miner.md)',
    };
  }
  if (entryPaths.length > MAX_ENTRY_FILES) {
    return {
      id: 'count',
      status: 'fail',
      detail: `${entryPaths.length} entry files; only the first ${MAX_ENTRY_FILES} were checked`,
      fix: `split the PR: at most ${MAX_ENTRY_FILES} entry files per PR`,
    };
  }
  return { id: 'count', status: 'pass', detail: `${entryPaths.length} entry file(s)` };
}
