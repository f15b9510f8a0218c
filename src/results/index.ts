/**
 * `results/<contest>/index.json`: reading it, signing the entry for a round, and accepting a
 * signed index only when it is the current one plus exactly one new entry. Earlier entries are
 * never rewritten; accepting the same entry twice is a no-op.
 */
import { basename, join, resolve } from 'node:path';
import { canonicalJson } from '../json/canonical.js';
import { readDocument, writeDocument } from '../json/file.js';
import { schemaId } from '../schemas/builders.js';
import { ResultsError } from './errors.js';
import { compareRecords, roundFileRecords } from './files.js';
import { ResultsIndexSchema, type IndexEntryDocument, type ResultsIndexDocument } from '../documents/results-index.js';
import { entryHash, signatureProblem, signEntry, type Sr25519Signer } from './sign.js';

/** File name of the index inside a contest's results folder. */
export const INDEX_FILE = 'index.json';

/** The contest id of a results folder: its folder name (`results/<contest>`). */
export function contestOf(resultsDir: string): string {
  return basename(resolve(resultsDir));
}

/** An index with no entries for `contest`. */
export function emptyIndex(contest: string): ResultsIndexDocument {
  return { $schema: schemaId('results-index'), version: 1, contest, entries: [] };
}

/**
 * Reads and validates `<resultsDir>/index.json`; returns an empty index when the file does not
 * exist. Throws DocumentError for an invalid file, ResultsError when it names another contest.
 */
export async function readIndex(resultsDir: string): Promise<ResultsIndexDocument> {
  const file = join(resultsDir, INDEX_FILE);
  const contest = contestOf(resultsDir);
  let index: ResultsIndexDocument;
  try {
    index = structuredClone(await readDocument(file, ResultsIndexSchema)) as ResultsIndexDocument;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex(contest);
    throw err;
  }
  if (index.contest !== contest) {
    throw new ResultsError(file, `/contest is "${index.contest}", expected the folder "${contest}"`);
  }
  return index;
}

/** The last entry's round id, or null for an empty index. */
export function lastRound(index: ResultsIndexDocument): string | null {
  return index.entries.at(-1)?.round ?? null;
}

/**
 * Signs an entry for `round` over the files now in `<resultsDir>/<round>/`, chained to the
 * current last entry, and returns the new index (not written). Throws ResultsError when the
 * round is already indexed or not newer than the last indexed round, or the folder is empty.
 */
export async function signRound(
  resultsDir: string,
  round: string,
  key: Sr25519Signer,
): Promise<{ index: ResultsIndexDocument; entry: IndexEntryDocument }> {
  const index = await readIndex(resultsDir);
  const last = index.entries.at(-1);
  const file = join(resultsDir, INDEX_FILE);
  if (last !== undefined && round <= last.round) {
    throw new ResultsError(
      file,
      `round ${round} is not newer than the last indexed round ${last.round}; the index is ` +
        'append-only and round ids must increase',
    );
  }
  const files = await roundFileRecords(join(resultsDir, round));
  if (files.length === 0) throw new ResultsError(join(resultsDir, round), 'has no files to index');
  const contest = index.contest;
  const { entry } = signEntry({ contest, round, files, previous: last?.hash ?? null }, key);
  return { index: { ...index, entries: [...index.entries, entry] }, entry };
}

/**
 * Writes `next` as `<resultsDir>/index.json` when it is the current index plus exactly one new
 * entry that chains to the current last entry, hashes correctly, is validly signed, and lists
 * exactly the files now in its round folder with their hashes. Returns "unchanged" when `next`
 * equals the current index. Throws ResultsError naming what differs otherwise.
 */
export async function acceptIndex(
  resultsDir: string,
  next: ResultsIndexDocument,
): Promise<'appended' | 'unchanged'> {
  const file = join(resultsDir, INDEX_FILE);
  const current = await readIndex(resultsDir);
  if (next.contest !== current.contest) {
    throw new ResultsError(file, `new index is for contest "${next.contest}", not "${current.contest}"`);
  }
  const n = current.entries.length;
  for (let i = 0; i < Math.min(n, next.entries.length); i += 1) {
    const [was, now] = [current.entries[i], next.entries[i]];
    if (canonicalJson(was) !== canonicalJson(now)) {
      throw new ResultsError(
        file,
        `new index changes entry ${i} (round ${was?.round}): the index moved on or an earlier ` +
          'entry was rewritten; earlier entries are never rewritten — sign again on the current index',
      );
    }
  }
  if (next.entries.length === n) return 'unchanged';
  if (next.entries.length < n) {
    throw new ResultsError(file, `new index drops ${n - next.entries.length} entr(y/ies)`);
  }
  if (next.entries.length > n + 1) {
    throw new ResultsError(file, `new index adds ${next.entries.length - n} entries; one at a time`);
  }
  const entry = next.entries[n] as IndexEntryDocument;
  await checkNewEntry(resultsDir, current, entry);
  await writeDocument(file, ResultsIndexSchema, next);
  return 'appended';
}

async function checkNewEntry(
  resultsDir: string,
  current: ResultsIndexDocument,
  entry: IndexEntryDocument,
): Promise<void> {
  const file = join(resultsDir, INDEX_FILE);
  const where = `entry for round ${entry.round}`;
  const last = current.entries.at(-1);
  if (last !== undefined && entry.round <= last.round) {
    throw new ResultsError(file, `${where} is not newer than the last indexed round ${last.round}`);
  }
  if (entry.previous !== (last?.hash ?? null)) {
    throw new ResultsError(
      file,
      `${where} chains to ${entry.previous ?? 'nothing'} but the last entry's hash is ` +
        `${last?.hash ?? 'none (empty index)'}; sign again on the current index`,
    );
  }
  const hash = entryHash({ ...entry, contest: current.contest, signer: entry.signature.signer });
  if (hash !== entry.hash) {
    throw new ResultsError(file, `${where} has hash ${entry.hash} but its content hashes to ${hash}`);
  }
  const signature = signatureProblem(entry, hash);
  if (signature !== null) throw new ResultsError(file, `${where}: ${signature}`);
  const differences = compareRecords(
    entry.files,
    await roundFileRecords(join(resultsDir, entry.round)),
  );
  if (differences.length > 0) {
    throw new ResultsError(
      join(resultsDir, entry.round),
      `files differ from the signed entry: ${differences.join('; ')}`,
    );
  }
}

/** Reads and validates an index file from any location; throws DocumentError or a fs error. */
export async function readIndexFile(file: string): Promise<ResultsIndexDocument> {
  return structuredClone(await readDocument(file, ResultsIndexSchema)) as ResultsIndexDocument;
}
