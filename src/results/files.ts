/**
 * The files of one round folder `results/<contest>/<round>/`: which paths may exist, which
 * document kind each must be, and the checks that tie them to their contest and round.
 *
 *   round.json                     kind `round`   (collect)
 *   bench/<runner>/<hotkey>.json   kind `bench`   (benchmark; `baseline.json` for the baseline)
 *   score.json                     kind `score`   (score)
 *   weights.json                   kind `weights` (publish)
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runnerSlug } from '../documents/bench.js';
import { DocumentError, type Problem } from '../json/errors.js';
import { checkDocument, parseJson } from '../json/file.js';
import { BenchSchema } from '../documents/bench.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';
import { WeightsSchema } from '../documents/weights.js';
import type { IndexFileRecord } from '../documents/results-index.js';
import { sha256Hex } from './sign.js';

/** The document kind a round-folder path must hold. */
export type RoundFileKind = 'round' | 'bench' | 'score' | 'weights';

const BENCH_PATH = /^bench\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\.json$/;

/** The kind a relative round-folder path must hold, or null for a path that has no place there. */
export function kindOfPath(path: string): RoundFileKind | null {
  if (path === 'round.json') return 'round';
  if (path === 'score.json') return 'score';
  if (path === 'weights.json') return 'weights';
  if (BENCH_PATH.test(path)) return 'bench';
  return null;
}

/** Every file under `roundDir` as sorted "/"-separated relative paths; [] when it is absent. */
export async function listRoundFiles(roundDir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    });
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), rel);
      else out.push(rel);
    }
  }
  await walk(roundDir, '');
  return out.sort();
}

/** The index record (path, sha256, bytes) of the bytes `data` stored at `path`. */
export function fileRecord(path: string, data: Uint8Array): IndexFileRecord {
  return { path, sha256: sha256Hex(data), bytes: data.byteLength };
}

/** Index records of every file in `roundDir`, sorted by path. */
export async function roundFileRecords(roundDir: string): Promise<IndexFileRecord[]> {
  const records: IndexFileRecord[] = [];
  for (const path of await listRoundFiles(roundDir)) {
    records.push(fileRecord(path, await readFile(join(roundDir, ...path.split('/')))));
  }
  return records;
}

/**
 * What differs between the files an index entry records and the files found: one phrase per
 * path ("score.json: sha256 is …, index.json records …", "x.json: missing", "y.json: not in the
 * index"), in path order; [] when they agree.
 */
export function compareRecords(
  recorded: readonly IndexFileRecord[],
  found: readonly IndexFileRecord[],
): string[] {
  const byPath = new Map(found.map((f) => [f.path, f]));
  const out: string[] = [];
  for (const want of recorded) {
    const got = byPath.get(want.path);
    byPath.delete(want.path);
    if (got === undefined) out.push(`${want.path}: missing (the index records it)`);
    else if (got.sha256 !== want.sha256) {
      out.push(`${want.path}: sha256 is ${got.sha256}, the index records ${want.sha256}`);
    } else if (got.bytes !== want.bytes) {
      out.push(`${want.path}: ${got.bytes} bytes, the index records ${want.bytes}`);
    }
  }
  for (const extra of byPath.keys()) out.push(`${extra}: not in the index`);
  return out;
}

/** Where a round file belongs, for the cross-file checks. */
export interface RoundContext {
  readonly contest: string;
  readonly round: string;
  /** The contest sha256 recorded in round.json, when known: every other file must agree. */
  readonly contestSha256?: string;
}

/**
 * Parses and validates the round file `path` (relative) whose text is `text`, shown to the user
 * as `shown`. Returns the parsed document. Throws DocumentError listing every problem: wrong
 * kind for the path, schema violations, or a contest/round/hotkey that disagrees with where the
 * file sits.
 */
export function checkRoundFile(
  shown: string,
  path: string,
  text: string,
  context: RoundContext,
): unknown {
  const kind = kindOfPath(path);
  if (kind === null) {
    throw new DocumentError(shown, [
      {
        pointer: '',
        rule: 'layout',
        message:
          'has no place in a round folder (expected round.json, score.json, weights.json or ' +
          'bench/<runner>/<name>.json)',
      },
    ]);
  }
  const doc = checkDocument(shown, parseJson(shown, text), ROUND_FILE_SCHEMAS[kind]) as unknown;
  const problems = placeProblems(path, doc, context);
  if (problems.length > 0) throw new DocumentError(shown, problems);
  return doc;
}

/** The schema each file of a round folder is checked against, by its place in the folder. */
const ROUND_FILE_SCHEMAS = {
  round: RoundSchema,
  bench: BenchSchema,
  score: ScoreSchema,
  weights: WeightsSchema,
} as const;

type Json = Record<string, unknown>;

function field(doc: unknown, ...keys: string[]): unknown {
  let at: unknown = doc;
  for (const key of keys) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

/** Problems with where a valid document sits: its contest, its round, its file name. */
function placeProblems(path: string, doc: unknown, context: RoundContext): Problem[] {
  const problems: Problem[] = [];
  const expect = (pointer: string, actual: unknown, wanted: string | undefined, what: string) => {
    if (actual !== undefined && wanted !== undefined && actual !== wanted) {
      problems.push({ pointer, rule: 'place', message: `must be ${what} "${wanted}"`, value: actual });
    }
  };
  expect('/contest/id', field(doc, 'contest', 'id'), context.contest, 'the contest folder');
  const roundPointer = path === 'round.json' ? '/id' : '/round';
  const round = field(doc, path === 'round.json' ? 'id' : 'round');
  expect(roundPointer, round, context.round, 'the round folder');
  if (path !== 'round.json') {
    expect('/contest/sha256', field(doc, 'contest', 'sha256'), context.contestSha256, "round.json's");
  }
  if (path.startsWith('bench/')) {
    const folder = path.split('/')[1];
    const runner = field(doc, 'runner', 'name');
    if (typeof runner === 'string' && runnerSlug(runner) !== folder) {
      problems.push({
        pointer: '/runner/name',
        rule: 'place',
        message: `must be the runner of its folder "bench/${folder}/" (its folder is "${runnerSlug(runner)}")`,
        value: runner,
      });
    }
    const name = path.slice(path.lastIndexOf('/') + 1, -'.json'.length);
    const role = field(doc, 'subject', 'role');
    const wanted = role === 'baseline' ? 'baseline' : field(doc, 'subject', 'hotkey');
    if (name !== wanted) {
      problems.push({
        pointer: role === 'baseline' ? '/subject/role' : '/subject/hotkey',
        rule: 'place',
        message: `must match the file name "${name}.json"`,
        value: role === 'baseline' ? role : wanted,
      });
    }
  }
  return problems;
}
