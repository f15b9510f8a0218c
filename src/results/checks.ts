/**
 * The checks of `podium verify`, over a ResultsSource: the index's schema, its hash chain and
 * signatures bound to a validator named from outside the folder (ADR 0150), every round file's
 * sha256, schema and place, the round seed, weights.json against the entry and the score, the
 * files outside the round folders, and (through a ScoreCheck) a re-run of scoring. A check that
 * could not run leaves the verdict not ok unless it was skipped by name. One implementation for the CLI (node source) and the results site (fetch source
 * in the browser): nothing here touches the file system, the network or node's crypto.
 */
import { DocumentError } from '../json/errors.js';
import { checkDocument, parseJson } from '../json/file.js';
import {
  ResultsIndexSchema,
  type IndexEntryDocument,
  type IndexFileRecord,
  type ResultsIndexDocument,
} from '../documents/results-index.js';
import { ResultsError } from './errors.js';
import { checkRoundFile, compareRecords } from './files.js';
import { leaderboardProblems, outsideProblems, ROUND_DIR } from './derived.js';
import { emptyIndex, INDEX_FILE } from './index.js';
import { seedProblems, weightsProblems } from './round-checks.js';
import { entryHashText, signatureProblem } from './sign.js';
import { readText, utf8Bytes, utf8Text, type ResultsSource } from './source.js';

/** The outcome of re-running scoring for one round. */
export interface ScoreOutcome {
  readonly status: 'passed' | 'failed' | 'not available';
  /** What differs (failed) or why it could not run (not available). */
  readonly detail?: string;
}

/**
 * Re-runs scoring for `round` of `source` from its committed files (the index lists the earlier
 * rounds) and compares the result with the committed score.json byte for byte.
 */
export type ScoreCheck = (
  source: ResultsSource,
  round: string,
  index: ResultsIndexDocument,
) => Promise<ScoreOutcome>;

/** The checks that can be skipped by name (`podium verify --skip <check>`). */
export const SKIPPABLE = ['score', 'leaderboard'] as const;
export type SkippableCheck = (typeof SKIPPABLE)[number];

/** Who sent one extrinsic a weights.json records, as read on chain (src/chain/weights-signer.ts). */
export interface ChainSigner {
  /** Where weights.json names it, e.g. "/extrinsicHash 0x… in block 0x…". */
  readonly what: string;
  /** The extrinsic's signer (ss58, prefix 42); null when it was not found. */
  readonly signer: string | null;
  /** Why it does not show the weights being set (missing, unsigned, another call), if so. */
  readonly problem?: string;
}

/** Options of verifySource. */
export interface VerifyOptions {
  /**
   * The validator hotkey every entry must be signed by, from outside the folder (`--validator`,
   * podium.json, the chain). Absent: the verdict fails, since the index is signed by whoever
   * wrote it and its own first entry proves nothing.
   */
  readonly validator?: string;
  /** Where `validator` came from, said in the messages (e.g. "--validator", "podium.json"). */
  readonly validatorFrom?: string;
  /** Unindexed rounds that the current run is writing: a score there is not an error. */
  readonly pending?: readonly string[];
  /** Checks the user asked to skip: reported as skipped, never as passed. */
  readonly skip?: readonly SkippableCheck[];
  /** With an endpoint: per round, who sent the extrinsics its weights.json records. */
  readonly chainSigners?: ReadonlyMap<string, readonly ChainSigner[]>;
  /** The hash the last entry must have (a head seen earlier): catches entries cut off the end. */
  readonly head?: string;
  /** The scoring re-run; absent → every round reports "score re-run: not available". */
  readonly scoreCheck?: ScoreCheck | null;
}

/** The verdict on one round. */
export interface RoundReport {
  readonly round: string;
  /** ok: everything checked passed; fail: a problem below; pending: committed, not yet indexed. */
  readonly status: 'ok' | 'fail' | 'pending';
  readonly files: number;
  readonly signer: string | null;
  readonly score: 'passed' | 'failed' | 'not available' | 'not run' | 'skipped';
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
  /**
   * Checks that could not run, each saying why and what to pass to run it (or to skip it):
   * any of them leaves `ok` false.
   */
  readonly incomplete: readonly string[];
  /** The checks skipped on request. */
  readonly skipped: readonly SkippableCheck[];
  /** With chainSigners: how many weights extrinsics the chain shows sent by the validator. */
  readonly onChain: number | null;
  readonly ok: boolean;
}

export { ROUND_DIR };

/**
 * Reads and validates the index of `source`; an empty index when there is none. Throws
 * DocumentError for an invalid file, ResultsError when it names another contest.
 */
export async function readSourceIndex(source: ResultsSource): Promise<ResultsIndexDocument> {
  const file = source.shown(INDEX_FILE);
  const text = await readText(source, INDEX_FILE);
  if (text === null) return emptyIndex(source.contest);
  const index = structuredClone(
    checkDocument(file, parseJson(file, text), ResultsIndexSchema),
  ) as ResultsIndexDocument;
  if (index.contest !== source.contest) {
    throw new ResultsError(file, `/contest is "${index.contest}", expected the folder "${source.contest}"`);
  }
  return index;
}

/**
 * Verifies the results folder of `source`. Returns the full report; never throws for bad data
 * (every problem is in the report), only for read errors other than missing files.
 */
export async function verifySource(
  source: ResultsSource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const contest = source.contest;
  const indexFile = source.shown(INDEX_FILE);
  const skipped = [...new Set(options.skip ?? [])];
  const problems: string[] = [];
  const incomplete: string[] = [];
  let index: ResultsIndexDocument;
  try {
    index = await readSourceIndex(source);
  } catch (err) {
    const message = err instanceof DocumentError || err instanceof ResultsError;
    problems.push(message ? (err as Error).message : `${indexFile}: ${(err as Error).message}`);
    const empty = { rounds: [], validator: null, head: null, incomplete, skipped, onChain: null };
    return { contest, problems, ...empty, ok: false };
  }
  const validator = options.validator ?? null;
  if (validator === null && index.entries.length > 0) {
    const signers = [...new Set(index.entries.map((e) => e.signature.signer))].join(', ');
    problems.push(
      `${indexFile}: no trusted validator hotkey: the entries are signed by ${signers}, and a ` +
        'signature only shows who wrote the index, not that the writer is the validator. Pass ' +
        '--validator <ss58>, declare it in podium.json (/validator/hotkey) at the repository ' +
        'root, or pass --endpoint to take it from the chain (the hotkey that set the weights)',
    );
  }
  const rounds: RoundReport[] = [];
  for (const [i, entry] of index.entries.entries()) {
    rounds.push(await verifyEntry(source, index, i, entry, validator, options, skipped));
  }
  rounds.push(...(await unindexedRounds(source, index, options.pending ?? [])));
  for (const r of rounds) {
    if (r.score !== 'not available') continue;
    incomplete.push(
      `${source.shown(r.round)}: score re-run could not run (${r.scoreDetail ?? 'no re-run given'}); ` +
        'give it the contest the round froze, or pass --skip score',
    );
  }
  problems.push(...(await outsideProblems(source, index)));
  if (!skipped.includes('leaderboard')) {
    const derived = await leaderboardProblems(source, index);
    problems.push(...derived.problems);
    if (derived.notRun !== null) {
      incomplete.push(
        `${source.shown('README.md')}: the leaderboard could not be regenerated: ${derived.notRun}; ` +
          'fix the round, or pass --skip leaderboard',
      );
    }
  }
  const head = index.entries.at(-1)?.hash ?? null;
  if (options.head !== undefined && options.head !== head) {
    problems.push(
      `${indexFile}: the last entry's hash is ${head ?? 'none (empty index)'}, expected ` +
        `${options.head} (--head): entries were removed from or added to the end`,
    );
  }
  const ok =
    problems.length === 0 && incomplete.length === 0 && rounds.every((r) => r.status !== 'fail');
  const onChain =
    options.chainSigners === undefined
      ? null
      : index.entries
          .flatMap((e) => options.chainSigners?.get(e.round) ?? [])
          .filter((c) => c.problem === undefined && validator !== null && c.signer === validator).length;
  return { contest, problems, rounds, validator, head, incomplete, skipped, onChain, ok };
}

/** A round folder's files, read once: their index records and their text. */
interface RoundFiles {
  readonly records: IndexFileRecord[];
  readonly texts: Map<string, string>;
}

async function readRoundFiles(source: ResultsSource, round: string): Promise<RoundFiles> {
  const paths = await source.filesUnder(round);
  const bytes: (Uint8Array | null)[] = new Array<Uint8Array | null>(paths.length).fill(null);
  let next = 0;
  // A few reads in flight at once: over HTTP each read is a round trip.
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      bytes[i] = await source.read(`${round}/${paths[i]}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, paths.length) }, worker));
  const records: IndexFileRecord[] = [];
  const texts = new Map<string, string>();
  for (const [i, path] of paths.entries()) {
    const data = bytes[i];
    if (data === null || data === undefined) continue;
    records.push({ path, sha256: await source.sha256(data), bytes: data.byteLength });
    texts.set(path, utf8Text(data));
  }
  return { records, texts };
}

async function verifyEntry(
  source: ResultsSource,
  index: ResultsIndexDocument,
  i: number,
  entry: IndexEntryDocument,
  validator: string | null,
  options: VerifyOptions,
  skipped: readonly SkippableCheck[],
): Promise<RoundReport> {
  const problems = await chainProblems(source, index, i, entry, validator, options.validatorFrom);
  const found = await readRoundFiles(source, entry.round);
  for (const difference of compareRecords(entry.files, found.records)) {
    problems.push(source.shown(`${entry.round}/${difference}`));
  }
  problems.push(...fileProblems(source, index.contest, entry.round, found.texts));
  problems.push(...(await seedProblems(source, index.contest, entry.round, found.texts)));
  problems.push(
    ...weightsProblems(source, entry.round, found.texts, entry.files, entry.signature.signer, validator),
  );
  for (const c of options.chainSigners?.get(entry.round) ?? []) {
    const at = `${source.shown(`${entry.round}/weights.json`)}: ${c.what}`;
    if (c.problem !== undefined) problems.push(`${at}: on chain, ${c.problem}`);
    else if (validator !== null && c.signer !== validator) {
      problems.push(`${at} was sent on chain by ${c.signer}, not the validator ${validator}`);
    }
  }
  let score: RoundReport['score'] = 'not available';
  let scoreDetail: string | undefined;
  if (skipped.includes('score')) score = 'skipped';
  else if (!options.scoreCheck) scoreDetail = 'no score re-run was given';
  else if (problems.length > 0) score = 'not run';
  else {
    const outcome = await options.scoreCheck(source, entry.round, index);
    score = outcome.status;
    scoreDetail = outcome.detail;
    if (outcome.status === 'failed') {
      problems.push(`${source.shown(`${entry.round}/score.json`)}: re-run ${outcome.detail ?? 'differs'}`);
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
async function chainProblems(
  source: ResultsSource,
  index: ResultsIndexDocument,
  i: number,
  entry: IndexEntryDocument,
  validator: string | null,
  validatorFrom: string | undefined,
): Promise<string[]> {
  const at = `${source.shown(INDEX_FILE)}: /entries/${i}`;
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
  const body = { ...entry, contest: index.contest, signer: entry.signature.signer };
  const hash = await source.sha256(utf8Bytes(entryHashText(body)));
  if (hash !== entry.hash) {
    out.push(`${at}/hash is ${entry.hash} but the entry hashes to ${hash}: it was edited after signing`);
  }
  const signature = signatureProblem(entry, entry.hash);
  if (signature !== null) out.push(`${at}/signature: ${signature}`);
  if (validator !== null && entry.signature.signer !== validator) {
    const from = validatorFrom ? ` (${validatorFrom})` : '';
    out.push(
      `${at}/signature/signer is ${entry.signature.signer}, expected the validator ${validator}${from}: ` +
        'the entry was signed by another key',
    );
  }
  return out;
}

/** Schema and placement problems of every file present in the round folder. */
function fileProblems(
  source: ResultsSource,
  contest: string,
  round: string,
  texts: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  const roundText = texts.get('round.json');
  const contestSha256 = roundText === undefined ? undefined : contestSha(roundText);
  for (const [path, text] of texts) {
    try {
      checkRoundFile(source.shown(`${round}/${path}`), path, text, { contest, round, contestSha256 });
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

/**
 * Round folders with no index entry. A folder holding only round.json and bench files is
 * pending. One holding score.json (or weights.json) is what a signed round looks like with its
 * entry dropped: an error, unless the current run names it as the round it is writing.
 */
async function unindexedRounds(
  source: ResultsSource,
  index: ResultsIndexDocument,
  pending: readonly string[],
): Promise<RoundReport[]> {
  const indexed = new Set(index.entries.map((e) => e.round));
  const last = index.entries.at(-1)?.round ?? null;
  const dirs = (await source.folders())
    .filter((name) => ROUND_DIR.test(name) && !indexed.has(name))
    .sort();
  const reports: RoundReport[] = [];
  for (const round of dirs) {
    const roundDir = source.shown(round);
    const paths = await source.filesUnder(round);
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
    } else if (paths.includes('score.json') && !pending.includes(round)) {
      problems.push(
        `${roundDir}: holds score.json but has no entry in ${INDEX_FILE}: a scored round is ` +
          'signed by the record job of the run that scored it, so its entry was removed ' +
          `(unless this is the round the current run is writing: pass --pending ${round})`,
      );
    } else {
      const { texts } = await readRoundFiles(source, round);
      problems.push(...fileProblems(source, index.contest, round, texts));
      problems.push(...(await seedProblems(source, index.contest, round, texts)));
    }
    const ok = problems.length === 0;
    reports.push({
      round,
      status: ok ? 'pending' : 'fail',
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
  for (const p of report.incomplete) lines.push(`NOT RUN  ${p}`);
  const failed = report.rounds.filter((r) => r.status === 'fail').length;
  const unscored = report.rounds.filter((r) => r.score === 'not available').length;
  lines.push(
    `${report.ok ? 'ok' : 'FAIL'}: ${report.contest}: ${report.rounds.length} round(s), ` +
      `${failed} failed${report.problems.length > 0 ? `, ${report.problems.length} folder or index problem(s)` : ''}; ` +
      `head ${report.head ?? 'none'}; signer ${report.validator ?? 'none'}` +
      (unscored > 0 ? `; score re-run not available for ${unscored} round(s), not counted as passed` : '') +
      (report.onChain !== null
        ? `; on chain: ${report.onChain} weights extrinsic(s) sent by the validator`
        : '') +
      (report.skipped.length > 0 ? `; skipped on request: ${report.skipped.join(', ')}` : ''),
  );
  return lines;
}
