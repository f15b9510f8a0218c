/**
 * The second half of commit-reveal: revealing the weights a `committed` weights document holds
 * (uids, values, salt, version key), inside the reveal window the commit fixed. Before and after
 * the window the runtime would refuse; podium refuses first, saying which block to come back at.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ChainError } from './errors.js';
import { readWeightsAt } from './subnet-params.js';
import { requireCall } from './runtime.js';
import type { WeightsDocument } from '../documents/weights.js';
import { signAndWait } from './submit.js';
import { withTimeout } from './connect.js';
import { commitSalt } from './salt.js';
import { weightsCommitHash } from './weights.js';

/**
 * Reveals the weights committed in `committed` (status 'committed') and returns the document
 * completed: status 'revealed', block, extrinsic hash, read-back. Throws ChainError('input') for
 * a document that is not a pending commit of this hotkey, ChainError('rate-limit') before the
 * window opens (the message names the block) and ChainError('input') after it closed.
 */
export async function revealWeights(
  api: ApiPromise,
  keypair: KeyringPair,
  committed: WeightsDocument,
  options: { waitFor?: 'inBlock' | 'finalized'; onSubmitted?: (hash: `0x${string}`) => void } = {},
): Promise<WeightsDocument> {
  const cr = revealable(
    committed,
    keypair.address,
    (await api.rpc.chain.getHeader()).number.toNumber(),
  );
  const uids = committed.weights.map((w) => w.uid);
  const values = committed.weights.map((w) => w.value);
  const { fn } = requireCall(api, 'subtensorModule', 'revealWeights', [
    ['netuid', 'uids', 'values', 'salt', 'versionKey'],
  ]);
  const salt = revealSalt(keypair, committed, cr);
  const tx = fn(committed.netuid, uids, values, salt, committed.versionKey);
  const inclusion = await signAndWait(api, keypair, tx, {
    what: `reveal the weights committed at #${cr.commit.number} on subnet ${committed.netuid}`,
    waitFor: options.waitFor ?? 'inBlock',
    ...(options.onSubmitted ? { onSubmitted: options.onSubmitted } : {}),
  });
  const readBack = await readWeightsAt(
    api,
    committed.netuid,
    committed.validatorUid,
    inclusion.blockHash,
  );
  return {
    ...committed,
    commitReveal: { ...cr, salt },
    status: 'revealed',
    block: { number: inclusion.blockNumber, hash: inclusion.blockHash },
    extrinsicHash: inclusion.extrinsicHash,
    readBack,
  };
}

/**
 * The commit's salt: recorded (documents before ADR 0072) or re-derived from the hotkey secret;
 * checked against the commit hash so a wrong key fails here, before anything is sent.
 */
function revealSalt(
  keypair: KeyringPair,
  doc: WeightsDocument,
  cr: NonNullable<WeightsDocument['commitReveal']>,
): number[] {
  const uids = doc.weights.map((w) => w.uid);
  const values = doc.weights.map((w) => w.value);
  const salt =
    cr.salt ??
    commitSalt(keypair, { netuid: doc.netuid, uids, values, versionKey: doc.versionKey });
  const hash = weightsCommitHash({
    hotkey: keypair.address,
    netuid: doc.netuid,
    uids,
    values,
    salt,
    versionKey: doc.versionKey,
  });
  if (hash !== cr.commitHash) {
    throw new ChainError(
      'key',
      `the salt derived from hotkey ${keypair.address} does not reproduce commit hash ${cr.commitHash}: the ` +
        'commit was made with another key; nothing was sent',
    );
  }
  return salt;
}

function revealable(
  committed: WeightsDocument,
  hotkey: string,
  head: number,
): NonNullable<WeightsDocument['commitReveal']> {
  const cr = committed.commitReveal;
  if (committed.status !== 'committed' || !cr) {
    const got = committed.status;
    throw new ChainError(
      'input',
      `only a weights document with status "committed" can be revealed (got "${got}")`,
    );
  }
  if (committed.validator !== hotkey) {
    throw new ChainError(
      'input',
      `the commit was made by ${committed.validator}, not by ${hotkey}`,
    );
  }
  const { first, last } = cr.revealWindow;
  if (head + 1 < first) {
    throw new ChainError(
      'rate-limit',
      `the reveal window opens at block #${first} (now #${head}); reveal again then`,
    );
  }
  if (head + 1 > last) {
    throw new ChainError(
      'input',
      `the reveal window closed at block #${last} (now #${head}); the commit expired: publish again`,
    );
  }
  return cr;
}

/**
 * Waits until the chain's best block is at least `number`; throws ChainError('timeout').
 * For commit-reveal on a live chain: wait for `revealWindow.first - 1`, then reveal.
 */
export async function waitForBlock(
  api: ApiPromise,
  number: number,
  timeoutMs: number,
): Promise<void> {
  let unsubscribe: (() => void) | undefined;
  const reached = new Promise<void>((resolve) => {
    void api.rpc.chain
      .subscribeNewHeads((header) => {
        if (header.number.toNumber() >= number) resolve();
      })
      .then((u) => {
        unsubscribe = u;
      });
  });
  try {
    await withTimeout(reached, timeoutMs, `wait for block #${number}`);
  } finally {
    unsubscribe?.();
  }
}
