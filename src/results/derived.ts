/**
 * What `podium verify` checks outside the round folders of `results/<contest>/`: the files
 * derived from the indexed rounds (the leaderboard README.md and its charts) are regenerated and
 * compared byte for byte, the follow-up records under weights-log/ are checked against their
 * schema and must belong to an indexed round, and any other file is reported as unknown: nothing
 * a reader sees beside the signed rounds escapes the check.
 */
import { BenchSchema, type BenchDocument } from '../documents/bench.js';
import type { ResultsIndexDocument } from '../documents/results-index.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';
import { WeightsSchema } from '../documents/weights.js';
import { WeightsCheckSchema } from '../documents/weights-check.js';
import { DocumentError } from '../json/errors.js';
import { checkDocument, parseJson, type DocumentSchema, type Frozen } from '../json/file.js';
import type { RoundResults } from '../leaderboard/rows.js';
import { LEADERBOARD_FILES, leaderboardTexts } from '../leaderboard/write.js';
import { INDEX_FILE } from './index.js';
import { readText, type ResultsSource } from './source.js';

/** What a round folder's name looks like. */
export const ROUND_DIR = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$/;

const WEIGHTS_LOG = /^weights-log\/([^/]+)\/weights-(check|reveal)-[1-9][0-9]*\.json$/;

/** The outcome of the leaderboard regeneration. */
export interface DerivedOutcome {
  /** One line per problem, each naming the file. */
  readonly problems: string[];
  /** Why the leaderboard could not be regenerated (a round file it needs is invalid), or null. */
  readonly notRun: string | null;
}

async function doc<S extends DocumentSchema>(source: ResultsSource, rel: string, schema: S) {
  const text = await readText(source, rel);
  if (text === null) return null;
  return checkDocument(source.shown(rel), parseJson(source.shown(rel), text), schema);
}

/** The indexed rounds as the leaderboard reads them, through the source. */
async function indexedRounds(
  source: ResultsSource,
  index: ResultsIndexDocument,
): Promise<RoundResults[]> {
  const rounds: RoundResults[] = [];
  for (const entry of index.entries) {
    const round = await doc(source, `${entry.round}/round.json`, RoundSchema);
    if (round === null) throw new Error(`${source.shown(`${entry.round}/round.json`)}: missing`);
    const bench: Frozen<BenchDocument>[] = [];
    for (const f of entry.files.filter((f) => f.path.startsWith('bench/'))) {
      const b = await doc(source, `${entry.round}/${f.path}`, BenchSchema);
      if (b !== null) bench.push(b);
    }
    const hasScore = entry.files.some((f) => f.path === 'score.json');
    const score = hasScore ? await doc(source, `${entry.round}/score.json`, ScoreSchema) : null;
    rounds.push({ id: entry.round, round, score, bench });
  }
  return rounds;
}

/**
 * Regenerates the leaderboard files from the indexed rounds and compares each one present
 * (record writes them with the index; a contest with no recorded round has none).
 */
export async function leaderboardProblems(
  source: ResultsSource,
  index: ResultsIndexDocument,
): Promise<DerivedOutcome> {
  let rounds: RoundResults[];
  try {
    rounds = await indexedRounds(source, index);
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    return { problems: [], notRun: `a round file it is derived from is invalid (${first})` };
  }
  const problems: string[] = [];
  for (const [name, text] of leaderboardTexts(index.contest, rounds)) {
    const found = await readText(source, name);
    if (found === null || found === text) continue;
    problems.push(
      `${source.shown(name)}: differs from the ${name} that \`podium leaderboard\` derives from the ` +
        `indexed rounds (${firstDifference(found, text)}): it was edited, or not regenerated`,
    );
  }
  return { problems, notRun: null };
}

function firstDifference(found: string, wanted: string): string {
  const a = found.split('\n');
  const b = wanted.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (s: string | undefined) => (s === undefined ? 'nothing' : JSON.stringify(s.slice(0, 80)));
      return `line ${i + 1} is ${show(a[i])}, expected ${show(b[i])}`;
    }
  }
  return 'same lines, different bytes';
}

/**
 * Files of the results folder that are neither in a round folder nor a file podium writes
 * there: unknown files, weights-log records that fail their schema or belong to no indexed
 * round, and folders that are not round folders.
 */
export async function outsideProblems(
  source: ResultsSource,
  index: ResultsIndexDocument,
): Promise<string[]> {
  const indexed = new Set(index.entries.map((e) => e.round));
  const known = new Set<string>([INDEX_FILE, ...LEADERBOARD_FILES]);
  const out: string[] = [];
  for (const path of await source.allFiles()) {
    const top = path.split('/')[0] ?? '';
    if (known.has(path) || (path.includes('/') && ROUND_DIR.test(top))) continue;
    const log = WEIGHTS_LOG.exec(path);
    if (log === null) {
      out.push(
        `${source.shown(path)}: unknown file: results/<contest>/ holds only ${INDEX_FILE}, ` +
          `${LEADERBOARD_FILES.join(', ')}, round folders and weights-log/<round>/weights-(check|reveal)-<n>.json`,
      );
      continue;
    }
    const [, round = '', kind] = log;
    if (!indexed.has(round)) {
      out.push(`${source.shown(path)}: a follow-up record of round ${round}, which has no entry in ${INDEX_FILE}`);
    }
    const text = (await readText(source, path)) ?? '';
    try {
      const schema = kind === 'check' ? WeightsCheckSchema : WeightsSchema;
      checkDocument(source.shown(path), parseJson(source.shown(path), text), schema);
    } catch (err) {
      if (err instanceof DocumentError) out.push(...err.message.split('\n'));
      else throw err;
    }
  }
  return out;
}
