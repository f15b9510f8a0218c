/**
 * Sending one extrinsic and waiting until it is in a block (or finalized): the single place
 * where podium signs. Failures become ChainErrors that name the runtime's error and say what to
 * do; a connection lost after submission is reported as such (the extrinsic may or may not have
 * landed), never retried blindly.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import type { DispatchError, EventRecord } from '@polkadot/types/interfaces';
import { ChainError, messageOf } from './errors.js';
import { explainCustomInvalid, explainModuleError } from './explain.js';

/** Where an extrinsic landed. */
export interface Inclusion {
  readonly extrinsicHash: `0x${string}`;
  readonly blockHash: `0x${string}`;
  readonly blockNumber: number;
  readonly events: readonly EventRecord[];
}

/** Options of signAndWait. */
export interface SubmitOptions {
  /** What the extrinsic does, for messages ("commit podium/1 … for 5F…"). */
  readonly what: string;
  /** Resolve once in a block (default) or once finalized. */
  readonly waitFor?: 'inBlock' | 'finalized';
  /** Give up waiting after this many ms (default 120 000). */
  readonly timeoutMs?: number;
  /** Called with the extrinsic hash once the node accepted it into its pool. */
  readonly onSubmitted?: (extrinsicHash: `0x${string}`) => void;
}

/**
 * Signs `tx` with `signer` (next nonce), submits it and waits for inclusion. Returns where it
 * landed. Throws ChainError: 'invalid' (refused by the pool: funds, nonce, rate limits),
 * 'dispatch' (included but failed; message names the runtime error and what to do),
 * 'disconnected' (connection lost after submission: outcome unknown), 'timeout'.
 */
export async function signAndWait(
  api: ApiPromise,
  signer: KeyringPair,
  tx: SubmittableExtrinsic<'promise'>,
  options: SubmitOptions,
): Promise<Inclusion> {
  const watch: Watch = { api, options, waitFor: options.waitFor ?? 'inBlock' };
  let unsubscribe: (() => void) | undefined;
  let onLost = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    onLost = () => reject(lostError(watch));
    api.once('disconnected', onLost);
    const ms = options.timeoutMs ?? 120_000;
    timer = setTimeout(() => reject(timeoutError(watch, ms)), ms);
  });
  const landed = new Promise<{ blockHash: `0x${string}`; events: EventRecord[] }>(
    (resolve, reject) => {
      tx.signAndSend(signer, { nonce: -1 }, (result) =>
        onStatus(watch, tx, result, resolve, reject),
      )
        .then((u) => (unsubscribe = u))
        .catch((err: unknown) => reject(poolRefusal(err, options.what)));
    },
  );
  try {
    const { blockHash, events } = await Promise.race([landed, failed]);
    const header = await Promise.race([api.rpc.chain.getHeader(blockHash), failed]);
    const extrinsicHash = tx.hash.toHex();
    return { extrinsicHash, blockHash, blockNumber: header.number.toNumber(), events };
  } finally {
    clearTimeout(timer);
    api.off('disconnected', onLost);
    unsubscribe?.();
    failed.catch(() => undefined);
    landed.catch(() => undefined);
  }
}

/** What one signAndWait call is waiting for, and what it has seen. */
interface Watch {
  readonly api: ApiPromise;
  readonly options: SubmitOptions;
  readonly waitFor: 'inBlock' | 'finalized';
  submitted?: `0x${string}`;
}

function onStatus(
  watch: Watch,
  tx: SubmittableExtrinsic<'promise'>,
  result: ISubmittableResult,
  resolve: (landed: { blockHash: `0x${string}`; events: EventRecord[] }) => void,
  reject: (err: ChainError) => void,
): void {
  const { status } = result;
  if (!watch.submitted && (status.isReady || status.isBroadcast || status.isInBlock)) {
    watch.submitted = tx.hash.toHex();
    watch.options.onSubmitted?.(watch.submitted);
  }
  if (status.isInvalid || status.isDropped || status.isUsurped) {
    reject(
      new ChainError(
        'invalid',
        `${watch.options.what}: the node dropped the extrinsic (${status.type}); send it again`,
      ),
    );
    return;
  }
  const landed = watch.waitFor === 'inBlock' ? status.isInBlock : status.isFinalized;
  if (!landed) return;
  if (result.dispatchError) {
    reject(dispatchFailure(watch.api, result.dispatchError, watch.options.what));
    return;
  }
  const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
  resolve({ blockHash, events: [...result.events] });
}

function lostError(watch: Watch): ChainError {
  return new ChainError(
    'disconnected',
    `${watch.options.what}: the connection to the chain was lost ` +
      (watch.submitted
        ? `after extrinsic ${watch.submitted} was submitted; it may or may not be included — ` +
          'check the chain before sending again'
        : 'before the extrinsic was accepted; nothing was sent — run the command again'),
  );
}

function timeoutError(watch: Watch, ms: number): ChainError {
  const state = watch.waitFor === 'inBlock' ? 'included' : 'finalized';
  const sent = watch.submitted
    ? ` (extrinsic ${watch.submitted}); check the chain before sending again`
    : '';
  return new ChainError('timeout', `${watch.options.what}: not ${state} within ${ms} ms${sent}`);
}

/** Turns a DispatchError into a ChainError('dispatch') naming the runtime error and the fix. */
export function dispatchFailure(api: ApiPromise, error: DispatchError, what: string): ChainError {
  if (error.isModule) {
    const meta = api.registry.findMetaError(error.asModule);
    const name = `${meta.section}.${meta.name}`;
    const advice = explainModuleError(name);
    const docs = meta.docs.join(' ').trim();
    return new ChainError(
      'dispatch',
      `${what}: the chain refused it with ${name}${docs ? ` (${docs})` : ''}${advice ? `; ${advice}` : ''}`,
    );
  }
  return new ChainError(
    'dispatch',
    `${what}: the chain refused it with ${error.type} (${error.toString()})`,
  );
}

function poolRefusal(err: unknown, what: string): ChainError {
  if (err instanceof ChainError) return err;
  const text = messageOf(err);
  const custom = /custom(?: error)?"?:\s*(\d+)/i.exec(text);
  const advice = custom ? explainCustomInvalid(Number(custom[1])) : undefined;
  if (/disconnected|not connected/i.test(text)) {
    return new ChainError(
      'disconnected',
      `${what}: no connection to the chain (${text}); nothing was sent`,
      {
        cause: err,
      },
    );
  }
  const hint = /Inability to pay|1010.*pay/i.test(text)
    ? '; the signing account has too little free balance for the fee: fund it'
    : advice
      ? `; ${advice}`
      : '';
  return new ChainError('invalid', `${what}: the node refused the extrinsic (${text})${hint}`, {
    cause: err,
  });
}

/** Finds the first event `section.method` in `events`, or undefined. */
export function findEvent(
  events: readonly EventRecord[],
  section: string,
  method: string,
): EventRecord | undefined {
  return events.find(({ event }) => event.section === section && event.method === method);
}
