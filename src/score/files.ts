/**
 * The file side of scoring: read a round folder (round.json, bench/<runner>/*.json), its
 * contest and the earlier rounds' score.json, then write score.json or check the committed one
 * against a recomputation. Everything that decides lives in scoreRound; this module only reads
 * and writes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { canonicalJson } from '../json/canonical.js';
import { describeValue } from '../json/errors.js';
import { parseJson, readDocument, writeDocument } from '../json/file.js';
import { loadContest } from '../contest/load.js';
import type { Contest } from '../contest/load.js';
import { scoreTextDifference, type Difference } from './diff.js';
import { earlierRounds, historyDepth } from './history.js';
import { ScoreInputError } from './errors.js';
import { byCodeUnit } from './format.js';
import type { Bench, PastScore, Round, ScoreInputs } from './inputs.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';
import { scoreRound } from './score.js';
import { contestFileSha256 } from '../contest/hash.js';
import { BenchSchema } from '../documents/bench.js';
import { RoundSchema } from '../documents/round.js';

/** Where to find the contest of a round. */
export interface ScoreDirOptions {
  /** The contest folder; default `<contestsRoot>/<round's contest id>`. */
  readonly contestDir?: string;
  /** Folder holding contest folders; default `contests` (relative to the working directory). */
  readonly contestsRoot?: string;
  /**
   * Folder holding the contest's round folders (and index.json), for earlier rounds; default
   * the round folder's parent. Set it when the round folder is scored outside results/.
   */
  readonly historyDir?: string;
}

const ROUND_ID = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$/;

/** Reads everything scoreRound needs from a round folder; throws DocumentError or fs errors. */
export async function loadScoreInputs(
  roundDir: string,
  options: ScoreDirOptions = {},
): Promise<ScoreInputs> {
  const round = await readDocument(join(roundDir, 'round.json'), RoundSchema);
  const contestDir =
    options.contestDir ?? join(options.contestsRoot ?? 'contests', round.contest.id);
  const { contest, file } = await loadContest(contestDir);
  const sha = await contestFileSha256(file);
  if (sha !== round.contest.sha256) {
    throw new ScoreInputError(
      `${file}: sha256 ${sha} is not the contest file round ${round.id} froze (${round.contest.sha256}); score with the contest as of the round (--contest <dir>)`,
    );
  }
  const bench = await readBench(join(roundDir, 'bench'));
  const history = await loadHistory(
    options.historyDir ?? dirname(resolve(roundDir)),
    round,
    contest,
  );
  return { contest, round, bench, history };
}

/**
 * sha256 (hex) of a contest file's compact canonical JSON as written (defaults not filled in):
 * the hash round.json and the bench files freeze (same definition as bench/round.ts).
 */

async function readBench(dir: string): Promise<Bench[]> {
  const files: string[] = [];
  const runners = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const runner of runners.filter((d) => d.isDirectory())) {
    const names = await readdir(join(dir, runner.name));
    for (const name of names.filter((n) => n.endsWith('.json')))
      files.push(join(dir, runner.name, name));
  }
  const docs: Bench[] = [];
  for (const file of files.sort(byCodeUnit)) docs.push(await readDocument(file, BenchSchema));
  return docs;
}

/**
 * Returns the score.json of the earlier rounds the contest's weight policy needs, most recent
 * first, from `parent` (results/<contest>): round ids from its index.json (entries[].round) when
 * it exists, else its round folders sorted by id; rounds without a score.json are skipped.
 */
export async function loadHistory(
  parent: string,
  round: Round,
  contest: Contest,
): Promise<PastScore[]> {
  const needed = historyDepth(contest);
  const out: PastScore[] = [];
  for (const id of earlierRounds(await roundIds(parent), round.id)) {
    if (out.length >= needed) break;
    const file = join(parent, id, 'score.json');
    if (!(await exists(file))) continue;
    out.push(await readDocument(file, ScoreSchema));
  }
  return out;
}

async function roundIds(parent: string): Promise<string[]> {
  const index = join(parent, 'index.json');
  if (await exists(index)) {
    const data = parseJson(index, await readFile(index, 'utf8')) as { entries?: unknown };
    if (!Array.isArray(data.entries)) {
      throw new ScoreInputError(`${index}: has no entries array to list the rounds`);
    }
    return data.entries
      .map((e) => (e as { round?: unknown }).round)
      .filter((id): id is string => typeof id === 'string' && ROUND_ID.test(id));
  }
  const dirs = await readdir(parent, { withFileTypes: true });
  return dirs.filter((d) => d.isDirectory() && ROUND_ID.test(d.name)).map((d) => d.name);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A computed score and the bytes it is written as. */
export interface ComputedScore {
  readonly file: string;
  readonly document: ScoreDocument;
  readonly text: string;
}

/** Scores a round folder without writing anything. */
export async function computeScore(
  roundDir: string,
  options: ScoreDirOptions = {},
): Promise<ComputedScore> {
  const document = scoreRound(await loadScoreInputs(roundDir, options));
  return { file: join(roundDir, 'score.json'), document, text: canonicalJson(document) };
}

/** Scores a round folder and writes `<roundDir>/score.json` (validated, atomic). */
export async function writeScore(
  roundDir: string,
  options: ScoreDirOptions = {},
): Promise<ComputedScore> {
  const computed = await computeScore(roundDir, options);
  const text = await writeDocument(computed.file, ScoreSchema, computed.document);
  return { ...computed, text };
}

/** The outcome of checking a committed score.json, with the recomputed score. */
export type ScoreCheck =
  | { readonly ok: true; readonly file: string; readonly computed: ComputedScore }
  | {
      readonly ok: false;
      readonly file: string;
      readonly computed: ComputedScore;
      readonly difference: Difference;
      readonly reason: string;
    };

/**
 * Recomputes a round's score and compares it byte for byte with the committed score.json.
 * Returns ok, or the first differing JSON pointer ('' when the file is missing, not JSON, or
 * only formatted differently). Throws when the inputs cannot be read.
 */
export async function checkScore(
  roundDir: string,
  options: ScoreDirOptions = {},
): Promise<ScoreCheck> {
  const computed = await computeScore(roundDir, options);
  const file = computed.file;
  const committed = await readFile(file, 'utf8').catch(() => null);
  const different = scoreTextDifference(committed, computed.text);
  if (different === null) return { ok: true, file, computed };
  return { ok: false, file, computed, ...different };
}

/** One line naming the file, the first differing pointer, and both values when there are. */
export function checkMessage(check: Extract<ScoreCheck, { ok: false }>): string {
  const { pointer, committed, recomputed } = check.difference;
  const values =
    committed === undefined && recomputed === undefined
      ? ''
      : ` (committed ${describeValue(committed)}, recomputed ${describeValue(recomputed)})`;
  return `${check.file}: ${pointer || '/'} ${check.reason}${values}`;
}
