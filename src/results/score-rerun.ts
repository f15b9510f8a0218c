/**
 * The score re-run of `podium verify` over a ResultsSource: reads round.json, the bench files
 * and the earlier rounds' score.json through the source, the contest file the round froze
 * through a ContestFile, runs the pure scoring function and compares the result with the
 * committed score.json byte for byte. The CLI and the results site both use it.
 */
import { compactCanonicalJson, canonicalJson } from '../json/canonical.js';
import { describeValue, DocumentError } from '../json/errors.js';
import { checkDocument, parseJson } from '../json/file.js';
import type { Contest } from '../contest/load.js';
import { ContestSchema } from '../contest/schema.js';
import { BenchSchema } from '../documents/bench.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';
import { scoreTextDifference } from '../score/diff.js';
import { ScoreInputError } from '../score/errors.js';
import { byCodeUnit } from '../score/format.js';
import { earlierRounds, historyDepth } from '../score/history.js';
import type { Bench, PastScore, Round } from '../score/inputs.js';
import { scoreRound } from '../score/score.js';
import type { ResultsIndexDocument } from '../documents/results-index.js';
import type { ScoreCheck, ScoreOutcome } from './checks.js';
import { readText, utf8Bytes, type ResultsSource } from './source.js';

/** The contest file a round froze: how it is named, and its text (null when there is none). */
export type ContestFile = (round: Round) => Promise<{ file: string; text: string | null }>;

/** The score re-run with the contest read through `contestFile`. */
export function scoreRerunWith(contestFile: ContestFile): ScoreCheck {
  return async (source, roundId, index) => {
    try {
      return await rerun(source, roundId, index, contestFile);
    } catch (err) {
      if (err instanceof DocumentError || err instanceof ScoreInputError) {
        return { status: 'failed', detail: `cannot be recomputed: ${err.message}` };
      }
      throw err;
    }
  };
}

async function rerun(
  source: ResultsSource,
  roundId: string,
  index: ResultsIndexDocument,
  contestFile: ContestFile,
): Promise<ScoreOutcome> {
  const round = await readDoc(source, `${roundId}/round.json`, RoundSchema);
  if (round === null) return { status: 'failed', detail: 'cannot be recomputed: round.json is missing' };
  const { file, text } = await contestFile(round);
  if (text === null) return { status: 'not available', detail: `no contest file ${file}` };
  let contest: Contest;
  try {
    const data = parseJson(file, text);
    const sha = await source.sha256(utf8Bytes(compactCanonicalJson(data)));
    if (sha !== round.contest.sha256) {
      return {
        status: 'not available',
        detail: `${file} has sha256 ${sha}, the round froze ${round.contest.sha256}: check out the contest as of the round`,
      };
    }
    contest = checkDocument(file, data, ContestSchema);
  } catch (err) {
    if (err instanceof DocumentError) return { status: 'not available', detail: err.message };
    throw err;
  }
  const bench: Bench[] = [];
  const paths = (await source.filesUnder(roundId)).filter((p) => /^bench\/[^/]+\/[^/]+\.json$/.test(p));
  for (const path of paths.sort(byCodeUnit)) {
    const doc = await readDoc(source, `${roundId}/${path}`, BenchSchema);
    if (doc !== null) bench.push(doc);
  }
  const history: PastScore[] = [];
  const depth = historyDepth(contest);
  for (const id of earlierRounds(index.entries.map((e) => e.round), round.id)) {
    if (history.length >= depth) break;
    const past = await readDoc(source, `${id}/score.json`, ScoreSchema);
    if (past !== null) history.push(past);
  }
  const recomputed = canonicalJson(scoreRound({ contest, round, bench, history }));
  const committed = await readText(source, `${roundId}/score.json`);
  const different = scoreTextDifference(committed, recomputed);
  if (different === null) return { status: 'passed' };
  const d = different.difference;
  return {
    status: 'failed',
    detail:
      `${different.reason} at ${d.pointer || '/'} (committed ${describeValue(d.committed)}, ` +
      `recomputed ${describeValue(d.recomputed)})`,
  };
}

async function readDoc<S extends typeof RoundSchema | typeof BenchSchema | typeof ScoreSchema>(
  source: ResultsSource,
  rel: string,
  schema: S,
) {
  const text = await readText(source, rel);
  if (text === null) return null;
  const file = source.shown(rel);
  return checkDocument(file, parseJson(file, text), schema);
}
