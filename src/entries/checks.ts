/**
 * The checks one entry file must pass, as data: each check has a stable id, a status and, when
 * it fails, the fix. Everything here is offline and pure (no clock, network or file system:
 * the caller passes the contest, the time and the file bytes), so the CLI, the PR check and
 * collect all decide the same way.
 */
import type { Contest } from '../contest/load.js';
import { DocumentError } from '../json/errors.js';
import { checkDocument, parseJson, type Frozen } from '../json/file.js';
import { EntrySchema, type EntryDocument } from './schema.js';
import { hotkeyProblem } from '../documents/hotkey.js';
import { signatureProblem } from './sign.js';

/** Largest entry file accepted, in bytes: a real entry is ≈ 600 bytes. */
export const ENTRY_MAX_BYTES = 4096;

/** pass ✅, fail ❌, warn ⚠️ (does not block), skip: not checked (and said so). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** Stable check ids, in the order they are reported. */
export const CHECK_IDS = [
  'path',
  'size',
  'schema',
  'file-name',
  'contest-id',
  'signature',
  'contest',
  'open',
  'artifact-size',
  'url-https',
  'url-reachable',
  'registration',
  'commitment',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One check's outcome. `detail` says what was found; `fix` (on fail/warn/skip) what to do. */
export interface Check {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

/** Where an entry file sits: `contests/<contest>/entries/<stem>.json`. */
export interface EntryLocation {
  readonly contest: string;
  readonly stem: string;
}

const ENTRY_PATH = /(?:^|\/)contests\/([^/]+)\/entries\/([^/]+)\.json$/;

/** Parses a repository path (or a path ending in one); null when it is not an entry path. */
export function entryLocation(path: string): EntryLocation | null {
  const m = ENTRY_PATH.exec(path.replaceAll('\\', '/'));
  return m && m[1] !== undefined && m[2] !== undefined ? { contest: m[1], stem: m[2] } : null;
}

/** Inputs of checkEntryFile; every one is data, so the result is a pure function of them. */
export interface EntryFileInput {
  /** Path as shown to the user; must end in `contests/<id>/entries/<hotkey>.json`. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** The contest whose folder the path names, or null when there is no such contest. */
  readonly contest: Contest | null;
  /** The instant "now" for the contest's opens/closes dates. */
  readonly now: Date;
  /** Accept `file:` model URLs (local demo and tests); the PR check never does. */
  readonly allowFileUrls?: boolean;
}

/** The offline verdict on one entry file: its checks and, when it parsed, the entry. */
export interface EntryFileReport {
  readonly path: string;
  readonly checks: readonly Check[];
  readonly entry: Frozen<EntryDocument> | null;
}

/**
 * Runs every offline check on one entry file, in CHECK_IDS order, stopping where later checks
 * would be meaningless (an unparsable file has no signature to check). Never throws.
 */
export function checkEntryFile(input: EntryFileInput): EntryFileReport {
  if (input.bytes.length > ENTRY_MAX_BYTES) return oversizeReport(input.path, input.bytes.length);
  const checks: Check[] = [];
  const location = entryLocation(input.path);
  checks.push(pathCheck(input.path, location));
  checks.push(pass('size', `${input.bytes.length} bytes (limit ${ENTRY_MAX_BYTES})`));
  const parsed = parseEntry(input.path, input.bytes);
  if ('problems' in parsed) {
    checks.push(fail('schema', parsed.problems, 'fix the fields listed, then re-sign the entry'));
    return { path: input.path, checks, entry: null };
  }
  const entry = parsed.entry;
  checks.push(pass('schema', 'matches schemas/entry.schema.json'));
  checks.push(fileNameCheck(entry, location), contestIdCheck(entry, location));
  checks.push(signatureCheck(entry));
  checks.push(...contestChecks(entry, input));
  checks.push(urlSchemeCheck(entry.model.url, input.allowFileUrls === true));
  return { path: input.path, checks, entry };
}

/** The report on a file known only by its size, which is over ENTRY_MAX_BYTES. */
export function oversizeReport(path: string, size: number): EntryFileReport {
  const checks = [
    pathCheck(path, entryLocation(path)),
    fail('size', `file is ${size} bytes`, sizeFix()),
  ];
  return { path, checks, entry: null };
}

function pass(id: CheckId, detail: string): Check {
  return { id, status: 'pass', detail };
}

function fail(id: CheckId, detail: string, fix: string): Check {
  return { id, status: 'fail', detail, fix };
}

function sizeFix(): string {
  return `an entry file must be at most ${ENTRY_MAX_BYTES} bytes; write it with \`podium entry create\``;
}

function pathCheck(path: string, location: EntryLocation | null): Check {
  if (location) return pass('path', `contests/${location.contest}/entries/${location.stem}.json`);
  return fail(
    'path',
    `${path} is not contests/<contest-id>/entries/<hotkey>.json`,
    'put the entry in the contest folder as entries/<your hotkey ss58>.json',
  );
}

function parseEntry(
  path: string,
  bytes: Uint8Array,
): { entry: Frozen<EntryDocument> } | { problems: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problems: `${path}: is not UTF-8 text` };
  }
  try {
    return { entry: checkDocument(path, parseJson(path, text), EntrySchema) };
  } catch (err) {
    if (err instanceof DocumentError) return { problems: err.message };
    throw err;
  }
}

function fileNameCheck(entry: Frozen<EntryDocument>, location: EntryLocation | null): Check {
  const problem = hotkeyProblem(entry.hotkey);
  if (problem !== null) {
    return fail('file-name', `hotkey ${entry.hotkey} ${problem}`, 'use your hotkey ss58 address');
  }
  if (location && location.stem !== entry.hotkey) {
    return fail(
      'file-name',
      `file name ${location.stem}.json does not match the hotkey ${entry.hotkey}`,
      `rename the file to ${entry.hotkey}.json (one file per hotkey, named after it)`,
    );
  }
  return pass('file-name', `${entry.hotkey}.json names the entry's hotkey`);
}

function contestIdCheck(entry: Frozen<EntryDocument>, location: EntryLocation | null): Check {
  if (location && location.contest !== entry.contest) {
    return fail(
      'contest-id',
      `entry says contest "${entry.contest}" but sits in contests/${location.contest}/`,
      `set "contest" to "${location.contest}" (and re-sign) or move the file to contests/${entry.contest}/entries/`,
    );
  }
  return pass('contest-id', `contest "${entry.contest}"`);
}

function signatureCheck(entry: Frozen<EntryDocument>): Check {
  const problem = signatureProblem(entry as EntryDocument);
  if (problem === null) return pass('signature', `sr25519 signature by ${entry.hotkey} verifies`);
  return fail('signature', problem, 'run `podium entry create` with your hotkey to re-sign');
}

function contestChecks(entry: Frozen<EntryDocument>, input: EntryFileInput): Check[] {
  const contest = input.contest;
  if (contest === null) {
    const id = entryLocation(input.path)?.contest ?? entry.contest;
    return [
      fail(
        'contest',
        `no contest "${id}" in this repository`,
        'use the id of a folder under contests/ that holds a contest.json',
      ),
    ];
  }
  const limit = contest.limits.artifactBytes;
  const size: Check =
    entry.model.bytes <= limit
      ? pass('artifact-size', `model is ${entry.model.bytes} bytes (limit ${limit})`)
      : fail(
          'artifact-size',
          `model is ${entry.model.bytes} bytes, over the contest limit of ${limit}`,
          `submit a model of at most ${limit} bytes`,
        );
  return [pass('contest', `contest "${contest.id}" exists`), openCheck(contest, input.now), size];
}

/** Returns the calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

function openCheck(contest: Contest, now: Date): Check {
  const { opens, closes, timeZone } = contest.schedule;
  const today = localDate(now, timeZone);
  if (opens !== undefined && today < opens) {
    return fail(
      'open',
      `contest opens on ${opens} (${timeZone}); today is ${today}`,
      `open the PR again on or after ${opens}`,
    );
  }
  if (closes !== undefined && today > closes) {
    return fail(
      'open',
      `contest closed on ${closes} (${timeZone}); today is ${today}`,
      'this contest takes no more entries; pick an open contest under contests/',
    );
  }
  const until = closes === undefined ? 'no closing date' : `open until ${closes}`;
  return pass('open', `accepting entries (${until}, ${timeZone})`);
}

function urlSchemeCheck(url: string, allowFileUrls: boolean): Check {
  if (url.startsWith('https://')) return pass('url-https', `model URL is https`);
  if (allowFileUrls && url.startsWith('file:')) {
    return {
      id: 'url-https',
      status: 'warn',
      detail: `file: URL accepted for local use only (${url})`,
      fix: 'a PR needs an https:// URL that validators can download',
    };
  }
  return fail('url-https', `model URL is not https: ${url}`, 'host the model at an https:// URL');
}

/** True when some check failed. */
export function hasFailure(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === 'fail');
}
