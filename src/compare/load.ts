/**
 * Reading one validator's results for `podium compare`: a contest results folder
 * (`results/<contest>`, every round folder with a round.json and a score.json) or one round
 * folder. Every file is schema-validated; every round must be of the same contest.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';
import { DocumentError } from '../json/errors.js';
import { readDocument } from '../json/file.js';
import { ResultsError } from '../results/errors.js';
import type { RoundSide } from './compare.js';

/** One validator's results: the contest id and its scored rounds by id. */
export interface ResultsSide {
  readonly path: string;
  readonly contest: string;
  /** The round.json the contest id was read from. */
  readonly contestFile: string;
  readonly rounds: ReadonlyMap<string, RoundSide>;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * Reads `path` as side `label`. Throws ResultsError when it holds no scored round,
 * DocumentError for an invalid file or a round of another contest than the folder's first.
 */
export async function readResultsSide(path: string, label: string): Promise<ResultsSide> {
  const dirs = (await exists(join(path, 'round.json')))
    ? [path]
    : (
        await readdir(path, { withFileTypes: true }).catch(() => {
          throw new ResultsError(path, 'cannot be read: give a results/<contest> or round folder');
        })
      )
        .filter((d) => d.isDirectory())
        .map((d) => join(path, d.name))
        .sort();
  const rounds = new Map<string, RoundSide>();
  let contest: { id: string; file: string } | null = null;
  for (const dir of dirs) {
    if (!(await exists(join(dir, 'round.json'))) || !(await exists(join(dir, 'score.json'))))
      continue;
    const file = join(dir, 'round.json');
    const round = await readDocument(file, RoundSchema);
    const score = await readDocument(join(dir, 'score.json'), ScoreSchema);
    contest ??= { id: round.contest.id, file };
    if (round.contest.id !== contest.id) {
      throw new DocumentError(file, [
        {
          pointer: '/contest/id',
          rule: 'same-contest',
          message: `is not the contest of ${contest.file} ("${contest.id}"): one results folder holds one contest`,
          value: round.contest.id,
        },
      ]);
    }
    rounds.set(round.id, { label, round, score });
  }
  if (contest === null) {
    throw new ResultsError(
      path,
      'holds no scored round (a round folder with round.json and score.json)',
    );
  }
  return { path, contest: contest.id, contestFile: contest.file, rounds };
}

/**
 * Throws DocumentError naming B's round.json and its /contest/id when the two sides are
 * results of different contests.
 */
export function requireSameContest(a: ResultsSide, b: ResultsSide): void {
  if (a.contest === b.contest) return;
  throw new DocumentError(b.contestFile, [
    {
      pointer: '/contest/id',
      rule: 'same-contest',
      message:
        `is not the contest of ${a.contestFile} ("${a.contest}"): podium compare needs two ` +
        "validators' results of the same contest",
      value: b.contest,
    },
  ]);
}
