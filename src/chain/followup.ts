/**
 * The step after a commit, run by the next scheduled job: a timelocked commit is checked on
 * chain once its reveal block has passed and the outcome written to `weights-check-<n>.json`;
 * a hash commit is revealed inside its window and the reveal written to
 * `weights-reveal-<n>.json`. The signed weights.json is only read. Each file is written once:
 * a commit with a final outcome (or a reveal) on record is not followed up again.
 */
import { WeightsSchema } from '../documents/weights.js';
import { WeightsCheckSchema } from '../documents/weights-check.js';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { readDocument, writeDocument } from '../json/file.js';
import { schemaId } from '../schemas/builders.js';
import type { WeightsCheckDocument } from '../documents/weights-check.js';
import { ChainError, messageOf } from './errors.js';
import { indexedFiles, nextIndexedFile } from './indexed-file.js';
import { revealWeights } from './reveal.js';
import type { WeightsDocument } from '../documents/weights.js';
import { checkTimelockedCommit } from './timelock-check.js';

/** What followUp did, in one line, and the file it wrote (null: nothing to record now). */
export interface FollowUp {
  readonly action: 'checked' | 'revealed' | 'waiting' | 'done' | 'nothing';
  readonly message: string;
  readonly file: string | null;
}

const CONNECTION_CODES = new Set(['unreachable', 'disconnected', 'timeout']);

/**
 * Follows up the commit recorded in `weightsFile`, writing records into `recordDir`. A lost
 * connection during a check is recorded as "unchecked" (the next run checks again); other
 * ChainErrors propagate.
 */
export async function followUp(
  api: ApiPromise,
  keypair: KeyringPair,
  weightsFile: string,
  recordDir: string,
): Promise<FollowUp> {
  const doc = (await readDocument(weightsFile, WeightsSchema)) as unknown as WeightsDocument;
  if (doc.status !== 'committed') {
    return {
      action: 'nothing',
      message: `${weightsFile}: status "${doc.status}", no commit to follow up`,
      file: null,
    };
  }
  if (doc.timelock) return followTimelock(api, doc, weightsFile, recordDir);
  return followHash(api, keypair, doc, weightsFile, recordDir);
}

async function followTimelock(
  api: ApiPromise,
  doc: WeightsDocument,
  weightsFile: string,
  recordDir: string,
): Promise<FollowUp> {
  for (const file of await indexedFiles(recordDir, 'weights-check')) {
    const prior = (await readDocument(file, WeightsCheckSchema)) as unknown as WeightsCheckDocument;
    if (prior.status === 'revealed' || prior.status === 'not-revealed') {
      return { action: 'done', message: `${file}: already recorded "${prior.status}"`, file: null };
    }
  }
  let outcome: Pick<
    WeightsCheckDocument,
    'status' | 'reason' | 'checkedAt' | 'revealedAt' | 'readBack'
  >;
  try {
    outcome = await checkTimelockedCommit(api, doc);
  } catch (err) {
    if (!(err instanceof ChainError) || !CONNECTION_CODES.has(err.code)) throw err;
    outcome = {
      status: 'unchecked',
      reason: messageOf(err),
      checkedAt: null,
      revealedAt: null,
      readBack: null,
    };
  }
  if (outcome.status === 'pending')
    return { action: 'waiting', message: outcome.reason, file: null };
  const record: WeightsCheckDocument = {
    $schema: schemaId('weights-check'),
    version: 1,
    netuid: doc.netuid,
    validator: doc.validator,
    weights: {
      path: weightsFile,
      sha256: createHash('sha256')
        .update(await readFile(weightsFile))
        .digest('hex'),
    },
    revealRound: doc.timelock!.revealRound,
    ...outcome,
  } as WeightsCheckDocument;
  const file = await nextIndexedFile(recordDir, 'weights-check');
  await writeDocument(file, WeightsCheckSchema, record);
  return { action: 'checked', message: `${outcome.status}: ${outcome.reason}`, file };
}

async function followHash(
  api: ApiPromise,
  keypair: KeyringPair,
  doc: WeightsDocument,
  weightsFile: string,
  recordDir: string,
): Promise<FollowUp> {
  if ((await indexedFiles(recordDir, 'weights-reveal')).length > 0) {
    return {
      action: 'done',
      message: `${weightsFile}: the reveal is already recorded`,
      file: null,
    };
  }
  try {
    const revealed = await revealWeights(api, keypair, doc);
    const file = await nextIndexedFile(recordDir, 'weights-reveal');
    await writeDocument(file, WeightsSchema, revealed);
    return { action: 'revealed', message: `revealed at #${revealed.block!.number}`, file };
  } catch (err) {
    // before the window: come back later (the message names the block)
    if (err instanceof ChainError && err.code === 'rate-limit') {
      return { action: 'waiting', message: err.message, file: null };
    }
    throw err;
  }
}
