/**
 * publish: set a round's weights on chain (the chain layer's publishWeights), record what
 * happened as the round's weights.json, and sign the round's index entry over all its files
 * with the same validator hotkey. Re-publishing the latest signed round's weights (the hourly
 * workflow) goes through the same mapping and records nothing.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { metagraphAt } from '../chain/metagraph.js';
import { publishWeights } from '../chain/publish.js';
import { versionKeyOf } from '../chain/weights.js';
import { WeightsSchema, type WeightsDocument } from '../documents/weights.js';
import { canonicalJson } from '../json/canonical.js';
import { readDocument, writeDocument, writeFileAtomic } from '../json/file.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';
import { PODIUM_VERSION } from '../version.js';
import { ResultsError } from '../results/errors.js';
import { compareRecords, fileRecord } from '../results/files.js';
import { INDEX_FILE, readIndex, signRound } from '../results/index.js';
import type { IndexEntryDocument, ResultsIndexDocument } from '../documents/results-index.js';
import { sha256Hex } from '../results/sign.js';
import { weightsFromScore } from './weights.js';

/** What publishRound and republishLatest need. */
export interface PublishInput {
  readonly api: ApiPromise;
  readonly key: KeyringPair;
  /** `results/<contest>` in the checkout. */
  readonly resultsDir: string;
  readonly netuid: number;
  readonly log?: (line: string) => void;
  /** Build and record the call without sending it. */
  readonly dryRun?: boolean;
}

/** What publishRound produced. */
export interface PublishedRound {
  readonly weights: WeightsDocument;
  readonly entry: IndexEntryDocument;
  readonly index: ResultsIndexDocument;
  /** Files written under `out`: `index.json` and `<round>/weights.json`. */
  readonly files: readonly string[];
}

/**
 * Publishes the weights of `round` (its committed score.json), writes weights.json into the
 * round folder, signs the round's index entry with the same key, and writes the record
 * artifact to `out` (`index.json`, `<round>/weights.json`) for the record job. Throws
 * ResultsError (round already indexed or not committed), ChainError from the chain layer.
 */
export async function publishRound(
  input: PublishInput,
  round: string,
  out: string,
): Promise<PublishedRound> {
  const roundDir = join(input.resultsDir, round);
  const last = (await readIndex(input.resultsDir)).entries.at(-1)?.round;
  if (last !== undefined && round <= last) {
    throw new ResultsError(
      join(input.resultsDir, INDEX_FILE),
      `round ${round} is not newer than the last indexed round ${last}: nothing to publish`,
    );
  }
  const { score, source } = await readScore(input.resultsDir, round);
  const weights = await send(input, score, source);
  const text = await writeDocument(join(roundDir, 'weights.json'), WeightsSchema, weights);
  const { index, entry } = await signRound(input.resultsDir, round, input.key);
  await writeFileAtomic(join(out, INDEX_FILE), canonicalJson(index));
  await writeFileAtomic(join(out, round, 'weights.json'), text);
  return { weights, entry, index, files: [INDEX_FILE, `${round}/weights.json`] };
}

/**
 * Re-publishes the weights of the last round signed into the index, after checking that its
 * score.json still has the sha256 the index records. Returns the weights document (status
 * "skipped" with reason "rate-limit" when the subnet would refuse now), or null when the index
 * is empty. Throws ResultsError when score.json differs from the index.
 */
export async function republishLatest(input: PublishInput): Promise<WeightsDocument | null> {
  const last = (await readIndex(input.resultsDir)).entries.at(-1);
  if (last === undefined) return null;
  const { score, source, bytes } = await readScore(input.resultsDir, last.round);
  checkIndexed(last, bytes, source.path);
  return send(input, score, source);
}

/** Throws ResultsError when score.json's bytes are not the ones the index entry signed. */
export function checkIndexed(entry: IndexEntryDocument, bytes: Uint8Array, path: string): void {
  const recorded = entry.files.find((f) => f.path === 'score.json');
  const differences = compareRecords(recorded ? [recorded] : [], [fileRecord('score.json', bytes)]);
  if (recorded === undefined || differences.length > 0) {
    throw new ResultsError(
      path,
      `does not match index.json (${differences.join('; ') || 'not recorded'}); refusing to publish it`,
    );
  }
}

/**
 * Reads `<resultsDir>/<round>/score.json` with its bytes and sha256; throws ResultsError when it
 * is missing or is another round's score, DocumentError when it is invalid.
 */
export async function readScore(resultsDir: string, round: string) {
  const file = join(resultsDir, round, 'score.json');
  const bytes = await readFile(file).catch(() => {
    throw new ResultsError(file, 'missing: the round is not committed (run the commit job first)');
  });
  const score = (await readDocument(file, ScoreSchema)) as ScoreDocument;
  if (score.round !== round) {
    throw new ResultsError(file, `is the score of round ${score.round}, not ${round}`);
  }
  return { score, bytes, source: { path: file, sha256: sha256Hex(bytes) } };
}

async function send(
  input: PublishInput,
  score: ScoreDocument,
  source: { path: string; sha256: string },
): Promise<WeightsDocument> {
  const head = (await input.api.rpc.chain.getHeader()).hash.toHex();
  const metagraph = await metagraphAt(input.api, input.netuid, head);
  const decision = weightsFromScore(score, metagraph.neurons);
  if (decision.note !== null) input.log?.(decision.note);
  return publishWeights(input.api, input.key, input.netuid, decision.byHotkey, {
    versionKey: versionKeyOf(PODIUM_VERSION),
    source,
    dryRun: input.dryRun,
    log: input.log,
  });
}
