/**
 * Adding a round's files to `results/<contest>/<round>/`. Every file is validated (schema,
 * contest, round, file name) before anything is written; files land as canonical JSON. Adding
 * the same content again is a no-op; different content for a file that already exists, any
 * change to an indexed round, or a round older than the last indexed one is refused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../json/canonical.js';
import { describeValue, DocumentError } from '../json/errors.js';
import { writeFileAtomic } from '../json/file.js';
import { firstDifference } from '../score/diff.js';
import { ResultsError } from './errors.js';
import { checkRoundFile, listRoundFiles } from './files.js';
import { contestOf, INDEX_FILE, readIndex } from './index.js';

/** What addRoundFiles did, path by path (relative to the round folder). */
export interface AddResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * Validates every file under `fromDir` (laid out like a round folder) and copies it into
 * `<resultsDir>/<round>/` as canonical JSON. Returns which paths were written and which were
 * already identical. Throws ResultsError (nothing written) when a file is invalid, differs from
 * the one already there, the round is indexed and would change, or the round is older than
 * the last indexed round; DocumentError for a file that fails its schema or sits in the wrong
 * place (AggregateError of them when several do).
 */
export async function addRoundFiles(
  resultsDir: string,
  round: string,
  fromDir: string,
): Promise<AddResult> {
  const contest = contestOf(resultsDir);
  const roundDir = join(resultsDir, round);
  const paths = await listRoundFiles(fromDir);
  if (paths.length === 0) throw new ResultsError(fromDir, 'holds no round files to add');
  const index = await readIndex(resultsDir);
  const last = index.entries.at(-1)?.round ?? null;
  const indexed = index.entries.some((e) => e.round === round);
  if (!indexed && last !== null && round < last) {
    throw new ResultsError(
      join(resultsDir, INDEX_FILE),
      `round ${round} is older than the last indexed round ${last}; the index is append-only`,
    );
  }
  const contestSha256 = await roundContestSha256(fromDir, roundDir);
  const planned: { path: string; text: string }[] = [];
  const invalid: DocumentError[] = [];
  for (const path of paths) {
    const source = join(fromDir, ...path.split('/'));
    try {
      const text = await readFile(source, 'utf8');
      const doc = checkRoundFile(source, path, text, { contest, round, contestSha256 });
      planned.push({ path, text: canonicalJson(doc) });
    } catch (err) {
      if (!(err instanceof DocumentError)) throw err;
      invalid.push(err);
    }
  }
  if (invalid.length === 1) throw invalid[0];
  if (invalid.length > 1) throw new AggregateError(invalid, `${invalid.length} round files are invalid`);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const { path, text } of planned) {
    const target = join(roundDir, ...path.split('/'));
    const existing = await readFile(target, 'utf8').catch(() => null);
    if (existing === text) unchanged.push(path);
    else if (existing !== null) throw differs(target, existing, text);
    else if (indexed) {
      throw new ResultsError(target, `round ${round} is already indexed; it cannot gain files`);
    } else written.push(path);
  }
  for (const { path, text } of planned) {
    if (written.includes(path)) await writeFileAtomic(join(roundDir, ...path.split('/')), text);
  }
  return { written, unchanged };
}

/** The contest sha256 from the round.json being added, else from the one already committed. */
async function roundContestSha256(fromDir: string, roundDir: string): Promise<string> {
  for (const dir of [fromDir, roundDir]) {
    const text = await readFile(join(dir, 'round.json'), 'utf8').catch(() => null);
    if (text === null) continue;
    const sha = (JSON.parse(text) as { contest?: { sha256?: unknown } }).contest?.sha256;
    if (typeof sha === 'string') return sha;
  }
  throw new ResultsError(
    join(fromDir, 'round.json'),
    `missing: neither ${fromDir} nor ${roundDir} holds the round's round.json`,
  );
}

function differs(target: string, existing: string, incoming: string): ResultsError {
  const where = firstDifference(JSON.parse(existing), JSON.parse(incoming));
  const detail =
    where === null
      ? 'differs in formatting only'
      : `${where.pointer || '/'} is ${describeValue(where.committed)} here, ` +
        `${describeValue(where.recomputed)} in the new file`;
  return new ResultsError(
    target,
    `already exists with different content (${detail}); a round's files are never rewritten`,
  );
}
