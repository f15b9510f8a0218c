/**
 * Checks of `podium verify` that tie a round's files to each other and to the trusted validator,
 * beyond their hashes: the round seed recomputed from the cutoff block hash (ADR 0062) and used
 * by every bench file, and weights.json naming the trusted validator, the entry's signer and the
 * very score.json the entry records (ADR 0150). Each problem names the file, the field and both
 * values. Reads only parsed texts and hashes through the source: the browser runs the same code.
 */
import type { IndexFileRecord } from '../documents/results-index.js';
import { roundSeedText } from '../documents/seed.js';
import { utf8Bytes, type ResultsSource } from './source.js';

type Json = Record<string, unknown>;

function parsed(text: string | undefined): Json | null {
  if (text === undefined) return null;
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Json) : null;
  } catch {
    return null; // reported by the schema check
  }
}

function at(doc: Json | null, ...keys: string[]): unknown {
  let v: unknown = doc;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Json)[k];
  }
  return v;
}

/**
 * round.json's seed against the one its cutoff block hash gives, and every bench file's
 * settings.seed against round.json's. `texts` are the round folder's files by relative path.
 */
export async function seedProblems(
  source: ResultsSource,
  contest: string,
  round: string,
  texts: ReadonlyMap<string, string>,
): Promise<string[]> {
  const doc = parsed(texts.get('round.json'));
  const seed = at(doc, 'seed');
  const blockHash = at(doc, 'cutoff', 'blockHash');
  if (typeof seed !== 'string' || typeof blockHash !== 'string') return [];
  const out: string[] = [];
  const wanted = `0x${await source.sha256(utf8Bytes(roundSeedText(contest, round, blockHash)))}`;
  if (seed !== wanted) {
    out.push(
      `${source.shown(`${round}/round.json`)}: /seed is ${seed}, but the cutoff block hash ` +
        `${blockHash} gives ${wanted} (sha256 of "${roundSeedText(contest, round, blockHash)}", ` +
        'ADR 0062): the round was not seeded by its cutoff block',
    );
  }
  for (const [path, text] of texts) {
    if (!path.startsWith('bench/')) continue;
    const used = at(parsed(text), 'settings', 'seed');
    if (typeof used === 'string' && used !== seed) {
      out.push(
        `${source.shown(`${round}/${path}`)}: /settings/seed is ${used}, not the round's seed ` +
          `${seed} (round.json /seed): it was measured with other inputs and block orders`,
      );
    }
  }
  return out;
}

/**
 * weights.json of an indexed round: it must name the trusted validator and the entry's signer,
 * and its source must be this round's score.json with the sha256 the entry records.
 */
export function weightsProblems(
  source: ResultsSource,
  round: string,
  texts: ReadonlyMap<string, string>,
  files: readonly IndexFileRecord[],
  signer: string,
  validator: string | null,
): string[] {
  const doc = parsed(texts.get('weights.json'));
  if (doc === null) return [];
  const file = source.shown(`${round}/weights.json`);
  const out: string[] = [];
  const named = at(doc, 'validator');
  if (typeof named === 'string' && named !== signer) {
    out.push(`${file}: /validator is ${named}, but the index entry is signed by ${signer}`);
  } else if (typeof named === 'string' && validator !== null && named !== validator) {
    out.push(`${file}: /validator is ${named}, expected the validator ${validator}`);
  }
  const from = at(doc, 'source');
  const score = files.find((f) => f.path === 'score.json');
  if (from === null) {
    out.push(`${file}: /source is null: a round's weights must come from its score.json`);
    return out;
  }
  const path = at(from as Json, 'path');
  const sha = at(from as Json, 'sha256');
  if (typeof path === 'string' && !path.replaceAll('\\', '/').endsWith(`${round}/score.json`)) {
    out.push(`${file}: /source/path is "${path}", not this round's ${round}/score.json`);
  }
  if (typeof sha === 'string' && sha !== score?.sha256) {
    out.push(
      `${file}: /source/sha256 is ${sha}, but the index records score.json as ` +
        `${score?.sha256 ?? 'absent'}: the weights were not set from this score`,
    );
  }
  return out;
}
