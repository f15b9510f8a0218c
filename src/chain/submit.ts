/**
 * Sending one extrinsic and waiting until it is in a block (or finalized): the single place
 * where podium signs. Failures become ChainErrors that name the runtime's error and say what to
 * do; a connection lost after submission is reported as such (the extrinsic may or may not have
 * landed), never retried blindly.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
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
  const waitFor = options.waitFor ?? 'inBlock';
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise<Inclusion>((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let settled = false;
    let submittedHash: `0x${string}` | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      api.off('disconnected', lost);
      unsub?.();
      fn();
    };
    const lost = () =>
      finish(() =>
        reject(
          new ChainError(
            'disconnected',
            `${options.what}: the connection to the chain was lost ` +
              (submittedHash
                ? `after extrinsic ${submittedHash} was submitted; it may or may not be included — ` +
                  'check the chain before sending again'
                : 'before the extrinsic was accepted; nothing was sent — run the command again'),
          ),
        ),
      );
    api.on('disconnected', lost);
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new ChainError(
              'timeout',
              `${options.what}: not ${waitFor === 'inBlock' ? 'included' : 'finalized'} within ${timeoutMs} ms` +
                (submittedHash
                  ? ` (extrinsic ${submittedHash}); check the chain before sending again`
                  : ''),
            ),
          ),
        ),
      timeoutMs,
    );
    tx.signAndSend(signer, { nonce: -1 }, (result) => {
      if (settled) return;
      if (
        !submittedHash &&
        (result.status.isReady || result.status.isBroadcast || result.status.isInBlock)
      ) {
        submittedHash = tx.hash.toHex();
        options.onSubmitted?.(submittedHash);
      }
      if (result.status.isInvalid || result.status.isDropped || result.status.isUsurped) {
        const why = result.status.type;
        finish(() =>
          reject(
            new ChainError(
              'invalid',
              `${options.what}: the node dropped the extrinsic (${why}); send it again`,
            ),
          ),
        );
        return;
      }
      const landed = waitFor === 'inBlock' ? result.status.isInBlock : result.status.isFinalized;
      if (!landed) return;
      const blockHash = (
        result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized
      ).toHex();
      if (result.dispatchError) {
        const error = dispatchFailure(api, result.dispatchError, options.what);
        finish(() => reject(error));
        return;
      }
      const extrinsicHash = tx.hash.toHex();
      api.rpc.chain
        .getHeader(blockHash)
        .then((header) =>
          finish(() =>
            resolve({
              extrinsicHash,
              blockHash,
              blockNumber: header.number.toNumber(),
              events: result.events,
            }),
          ),
        )
        .catch(lost);
    })
      .then((u) => {
        if (settled) u();
        else unsub = u;
      })
      .catch((err: unknown) => finish(() => reject(poolRefusal(err, options.what))));
  });
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
