/**
 * Offline verification of `results/<contest>/`: the index's schema, its hash chain and
 * signatures, every round file's sha256, schema and place, and a re-run of scoring for every
 * round. Nothing here touches the network; an auditor needs only the folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contestFileSha256 } from '../contest/hash.js';
import { describeValue, DocumentError } from '../json/errors.js';
import { readDocument } from '../json/file.js';
import { checkScore } from '../score/files.js';
import { ResultsError } from './errors.js';
import { checkRoundFile, compareRecords, listRoundFiles, roundFileRecords } from './files.js';
import { contestOf, INDEX_FILE, readIndex } from './index.js';
import type { IndexEntryDocument, ResultsIndexDocument } from '../documents/results-index.js';
import { entryHash, signatureProblem } from './sign.js';
import { RoundSchema } from '../documents/round.js';

/** The outcome of re-running scoring for one round. */
export interface ScoreOutcome {
  readonly status: 'passed' | 'failed' | 'not available';
  /** What differs (failed) or why it could not run (not available). */
  readonly detail?: string;
}

/**
 * Re-runs scoring for the round in `roundDir` from the committed files and compares the result
 * with the committed score.json byte for byte.
 */
export type ScoreCheck = (roundDir: string) => Promise<ScoreOutcome>;

/**
 * The scoring re-run of the score layer (checkScore), with the contest read from
 * `<contestsRoot>/<contest>`. "not available" when that contest file is missing or is not the
 * one the round froze (its sha256 differs from round.json's): check out the contest as of the
 * round to re-run it.
 */
export function scoreRerun(contestsRoot: string): ScoreCheck {
  return async (roundDir) => {
    const round = await readDocument(join(roundDir, 'round.json'), RoundSchema);
    const contestDir = join(contestsRoot, round.contest.id);
    const file = join(contestDir, 'contest.json');
    const sha = await contestFileSha256(file).catch(() => null);
    if (sha === null) return { status: 'not available', detail: `no contest file ${file}` };
    if (sha !== round.contest.sha256) {
      return {
        status: 'not available',
        detail: `${file} has sha256 ${sha}, the round froze ${round.contest.sha256}: check out the contest as of the round`,
      };
    }
    const check = await checkScore(roundDir, { contestDir });
    if (check.ok) return { status: 'passed' };
    const d = check.difference;
    return {
      status: 'failed',
      detail:
        `${check.reason} at ${d.pointer || '/'} (committed ${describeValue(d.committed)}, ` +
        `recomputed ${describeValue(d.recomputed)})`,
    };
  };
}

/** Options of verifyResults. */
export interface VerifyOptions {
  /** The validator hotkey every entry must be signed by; default: the first entry's signer. */
  readonly validator?: string;
  /** The hash the last entry must have (a head seen earlier): catches entries cut off the end. */
  readonly head?: string;
  /** The scoring re-run (scoreRerun); absent → every round reports "score re-run: not available". */
  readonly scoreCheck?: ScoreCheck | null;
}

/** The verdict on one round. */
export interface RoundReport {
  readonly round: string;
  /** ok: everything checked passed; fail: a problem below; pending: committed, not yet indexed. */
  readonly status: 'ok' | 'fail' | 'pending';
  readonly files: number;
  readonly signer: string | null;
  readonly score: 'passed' | 'failed' | 'not available' | 'not run';
  /** Why the re-run was not available, or what it found different. */
  readonly scoreDetail?: string;
  /** One line per problem, each naming the file and what differs. */
  readonly problems: readonly string[];
}

/** The verdict on a results folder. */
export interface VerifyReport {
  readonly contest: string;
  /** Problems with the folder or index as a whole (not tied to one round). */
  readonly problems: readonly string[];
  readonly rounds: readonly RoundReport[];
  readonly validator: string | null;
  readonly head: string | null;
  readonly ok: boolean;
}

const ROUND_DIR = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$/;

/**
 * Verifies `resultsDir` (`results/<contest>`). Returns the full report; never throws for bad
 * data (every problem is in the report), only for I/O errors other than missing files.
 */
export async function verifyResults(
  resultsDir: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const contest = contestOf(resultsDir);
  const indexFile = join(resultsDir, INDEX_FILE);
  const problems: string[] = [];
  let index: ResultsIndexDocument;
  try {
    index = await readIndex(resultsDir);
  } catch (err) {
    const message = err instanceof DocumentError || err instanceof ResultsError;
    problems.push(message ? (err as Error).message : `${indexFile}: ${(err as Error).message}`);
    return { contest, problems, rounds: [], validator: null, head: null, ok: false };
  }
  const validator = options.validator ?? index.entries[0]?.signature.signer ?? null;
  const rounds: RoundReport[] = [];
  for (const [i, entry] of index.entries.entries()) {
    rounds.push(await verifyEntry(resultsDir, index, i, entry, validator, options));
  }
  rounds.push(...(await unindexedRounds(resultsDir, index)));
  const head = index.entries.at(-1)?.hash ?? null;
  if (options.head !== undefined && options.head !== head) {
    problems.push(
      `${indexFile}: the last entry's hash is ${head ?? 'none (empty index)'}, expected ` +
        `${options.head} (--head): entries were removed from or added to the end`,
    );
  }
  const ok = problems.length === 0 && rounds.every((r) => r.status !== 'fail');
  return { contest, problems, rounds, validator, head, ok };
}

async function verifyEntry(
  resultsDir: string,
  index: ResultsIndexDocument,
  i: number,
  entry: IndexEntryDocument,
  validator: string | null,
  options: VerifyOptions,
): Promise<RoundReport> {
  const problems = chainProblems(join(resultsDir, INDEX_FILE), index, i, entry, validator);
  const roundDir = join(resultsDir, entry.round);
  const found = await roundFileRecords(roundDir);
  for (const difference of compareRecords(entry.files, found)) {
    problems.push(`${join(roundDir, difference)}`);
  }
  problems.push(...(await fileProblems(roundDir, index.contest, entry.round)));
  let score: RoundReport['score'] = 'not available';
  let scoreDetail: string | undefined;
  if (options.scoreCheck && problems.length > 0) score = 'not run';
  else if (options.scoreCheck) {
    const outcome = await options.scoreCheck(roundDir);
    score = outcome.status;
    scoreDetail = outcome.detail;
    if (outcome.status === 'failed') {
      problems.push(`${join(roundDir, 'score.json')}: re-run ${outcome.detail ?? 'differs'}`);
    }
  }
  return {
    round: entry.round,
    status: problems.length === 0 ? 'ok' : 'fail',
    files: entry.files.length,
    signer: entry.signature.signer,
    score,
    scoreDetail,
    problems,
  };
}

/** Problems with entry i's place in the chain, its hash, its signature and its signer. */
function chainProblems(
  indexFile: string,
  index: ResultsIndexDocument,
  i: number,
  entry: IndexEntryDocument,
  validator: string | null,
): string[] {
  const at = `${indexFile}: /entries/${i}`;
  const out: string[] = [];
  const before = index.entries[i - 1];
  const wanted = before?.hash ?? null;
  if (entry.previous !== wanted) {
    const whose = before ? `the hash of entry ${i - 1} (round ${before.round})` : 'null (first entry)';
    out.push(
      `${at}/previous is ${entry.previous ?? 'null'}, expected ${whose}${wanted ? ` ${wanted}` : ''}: ` +
        'entries were reordered, removed or inserted',
    );
  }
  if (before && entry.round <= before.round) {
    out.push(`${at}/round ${entry.round} is not after the previous entry's round ${before.round}`);
  }
  const hash = entryHash({ ...entry, contest: index.contest, signer: entry.signature.signer });
  if (hash !== entry.hash) {
    out.push(`${at}/hash is ${entry.hash} but the entry hashes to ${hash}: it was edited after signing`);
  }
  const signature = signatureProblem(entry, entry.hash);
  if (signature !== null) out.push(`${at}/signature: ${signature}`);
  if (validator !== null && entry.signature.signer !== validator) {
    out.push(`${at}/signature/signer is ${entry.signature.signer}, expected the validator ${validator}`);
  }
  return out;
}

/** Schema and placement problems of every file present in the round folder. */
async function fileProblems(roundDir: string, contest: string, round: string): Promise<string[]> {
  const out: string[] = [];
  const paths = await listRoundFiles(roundDir);
  const roundText = await readFile(join(roundDir, 'round.json'), 'utf8').catch(() => null);
  const contestSha256 = roundText === null ? undefined : contestSha(roundText);
  for (const path of paths) {
    const file = join(roundDir, ...path.split('/'));
    try {
      checkRoundFile(file, path, await readFile(file, 'utf8'), { contest, round, contestSha256 });
    } catch (err) {
      if (err instanceof DocumentError) out.push(...err.message.split('\n'));
      else throw err;
    }
  }
  return out;
}

function contestSha(text: string): string | undefined {
  try {
    const sha = (JSON.parse(text) as { contest?: { sha256?: unknown } }).contest?.sha256;
    return typeof sha === 'string' ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** Round folders with no index entry: pending when newer than the last entry, else failures. */
async function unindexedRounds(
  resultsDir: string,
  index: ResultsIndexDocument,
): Promise<RoundReport[]> {
  const indexed = new Set(index.entries.map((e) => e.round));
  const last = index.entries.at(-1)?.round ?? null;
  const dirs = (await readdir(resultsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && ROUND_DIR.test(d.name) && !indexed.has(d.name))
    .map((d) => d.name)
    .sort();
  const reports: RoundReport[] = [];
  for (const round of dirs) {
    const roundDir = join(resultsDir, round);
    const paths = await listRoundFiles(roundDir);
    const problems: string[] = [];
    if (paths.includes('weights.json')) {
      problems.push(
        `${roundDir}: has weights.json but no entry in ${INDEX_FILE}: its entry was removed ` +
          '(publish records weights.json and the entry in the same commit)',
      );
    } else if (last !== null && round < last) {
      problems.push(
        `${roundDir}: not in ${INDEX_FILE} but older than the last indexed round ${last}: its ` +
          'entry was removed or the folder was added by hand',
      );
    } else problems.push(...(await fileProblems(roundDir, index.contest, round)));
    const pending = problems.length === 0;
    reports.push({
      round,
      status: pending ? 'pending' : 'fail',
      files: paths.length,
      signer: null,
      score: 'not run',
      problems,
    });
  }
  return reports;
}

/** The report as lines: one per round, problems indented under it, then a verdict line. */
export function formatReport(report: VerifyReport): string[] {
  const lines: string[] = [];
  for (const r of report.rounds) {
    const status = { ok: 'ok  ', fail: 'FAIL', pending: 'wait' }[r.status];
    const detail =
      r.status === 'pending'
        ? `${r.files} file(s), committed but not yet signed into the index (publish pending)`
        : `${r.files} file(s), chain and signature ${r.status === 'ok' ? 'ok' : 'checked'}` +
          `${r.signer ? ` (signer ${r.signer})` : ''}, score re-run: ${r.score}` +
          (r.score === 'not available' && r.scoreDetail ? ` (${r.scoreDetail})` : '');
    lines.push(`${status}  ${r.round}  ${detail}`);
    for (const p of r.problems) lines.push(`      ${p}`);
  }
  for (const p of report.problems) lines.push(`FAIL  ${p}`);
  const failed = report.rounds.filter((r) => r.status === 'fail').length;
  const unscored = report.rounds.filter((r) => r.score === 'not available').length;
  lines.push(
    `${report.ok ? 'ok' : 'FAIL'}: ${report.contest}: ${report.rounds.length} round(s), ` +
      `${failed} failed${report.problems.length > 0 ? `, ${report.problems.length} index problem(s)` : ''}; ` +
      `head ${report.head ?? 'none'}; signer ${report.validator ?? 'none'}` +
      (unscored > 0 ? `; score re-run not available for ${unscored} round(s), not counted as passed` : ''),
  );
  return lines;
}
