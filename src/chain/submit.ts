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
import { blockTimeMs, dispatchErrorIn, findExtrinsic, headNumber, isPending } from './inclusion.js';

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
  /**
   * Blocks the chain may take before podium asks the node whether it still holds the extrinsic
   * (default 10 for inBlock, 20 for finalized). The wait is this × the chain's block time.
   */
  readonly blocks?: number;
  /** Further windows of `blocks` to wait while the node's pool still holds it (default 5). */
  readonly pendingWindows?: number;
  /** Called with the extrinsic hash once the node accepted it into its pool. */
  readonly onSubmitted?: (extrinsicHash: `0x${string}`) => void;
  /** Called with a line when the wait is extended or inclusion is confirmed from chain state. */
  readonly log?: (line: string) => void;
}

/** What one signAndWait call is waiting for, and what it has seen. */
interface Watch {
  readonly api: ApiPromise;
  readonly options: SubmitOptions;
  readonly waitFor: 'inBlock' | 'finalized';
  /** The wait for one window: blocks × block time. */
  readonly windowMs: number;
  readonly blocks: number;
  submitted?: `0x${string}`;
  done: boolean;
}

/** A block holding the extrinsic; `events` null when the status subscription could not read them. */
interface Landed {
  readonly blockHash: `0x${string}`;
  readonly events: EventRecord[] | null;
}

/**
 * Signs `tx` with `signer` (next nonce), submits it and waits for inclusion: from the status
 * subscription, or — when its notification is late or lost — from chain state (each new block's
 * body is searched for the extrinsic). After `blocks` × the chain's block time without it, a
 * still-pending extrinsic is waited for again (`pendingWindows` times); otherwise podium gives
 * up. Returns where it landed. Throws ChainError: 'invalid' (refused by the pool: funds, nonce,
 * rate limits), 'dispatch' (included but failed; message names the runtime error and what to
 * do), 'disconnected' (connection lost after submission: outcome unknown), 'timeout'.
 */
export async function signAndWait(
  api: ApiPromise,
  signer: KeyringPair,
  tx: SubmittableExtrinsic<'promise'>,
  options: SubmitOptions,
): Promise<Inclusion> {
  const waitFor = options.waitFor ?? 'inBlock';
  const blocks = options.blocks ?? (waitFor === 'inBlock' ? 10 : 20);
  const windowMs = blocks * (await blockTimeMs(api));
  const watch: Watch = { api, options, waitFor, windowMs, blocks, done: false };
  const firstBlock = (await headNumber(api, false)) + 1;
  let unsubscribe: (() => void) | undefined;
  let onLost = (): void => undefined;
  const lost = new Promise<never>((_, reject) => {
    onLost = () => reject(lostError(watch));
    api.once('disconnected', onLost);
  });
  const heads = new Pulse();
  let unsubscribeHeads: (() => void) | undefined;
  let notified: Promise<Landed> | undefined;
  try {
    unsubscribeHeads = await (waitFor === 'finalized'
      ? api.rpc.chain.subscribeFinalizedHeads(() => heads.fire())
      : api.rpc.chain.subscribeNewHeads(() => heads.fire()));
    // Signed first, so the hash that the chain-state search looks for is known before sending.
    await Promise.race([tx.signAsync(signer, { nonce: -1 }), lost]).catch((err: unknown) => {
      throw poolRefusal(err, options.what);
    });
    const txHash = tx.hash.toHex();
    notified = new Promise<Landed>((resolve, reject) => {
      tx.send((result) => onStatus(watch, txHash, result, resolve, reject))
        .then((u) => (unsubscribe = u))
        .catch((err: unknown) => reject(poolRefusal(err, options.what)));
    });
    const fromChain = confirmFromChain(watch, txHash, firstBlock, heads);
    const landed = await Promise.race([notified, fromChain, lost]);
    return await Promise.race([complete(watch, txHash, landed), lost]);
  } finally {
    watch.done = true;
    heads.stop();
    api.off('disconnected', onLost);
    unsubscribe?.();
    unsubscribeHeads?.();
    lost.catch(() => undefined);
    notified?.catch(() => undefined);
  }
}

/** The inclusion read back: block number, and the events from chain state when not yet known. */
async function complete(watch: Watch, txHash: `0x${string}`, landed: Landed): Promise<Inclusion> {
  const { api } = watch;
  const header = await api.rpc.chain.getHeader(landed.blockHash);
  let events = landed.events;
  if (events === null) {
    const found = await findExtrinsic(
      api,
      txHash,
      header.number.toNumber(),
      header.number.toNumber(),
    );
    events = found?.events ?? [];
    const error = dispatchErrorIn(api, events);
    if (error) throw dispatchFailure(api, error, watch.options.what);
  }
  return {
    extrinsicHash: txHash,
    blockHash: landed.blockHash,
    blockNumber: header.number.toNumber(),
    events,
  };
}

/**
 * Resolves when a block from `firstBlock` on (finalized, when waiting for finality) holds the
 * extrinsic, checking at every new head and at the end of each window. Rejects with
 * ChainError('timeout') when a window ends and the node no longer holds it (after two grace
 * windows: a block may be under construction), or after the pending windows are spent.
 */
async function confirmFromChain(
  watch: Watch,
  txHash: `0x${string}`,
  firstBlock: number,
  heads: Pulse,
): Promise<Landed> {
  const { api, options } = watch;
  const finalized = watch.waitFor === 'finalized';
  let scanned = firstBlock - 1;
  let pendingLeft = options.pendingWindows ?? 5;
  let graceLeft = 2;
  let deadline = Date.now() + watch.windowMs;
  let windows = 1;
  let waitedMs = watch.windowMs;
  // Blocks are counted by number (the subscription also sends the head it started at).
  let top = scanned;
  let windowStart = top;
  let lastDeadline = top;
  for (;;) {
    const wake = await heads.next(deadline);
    if (watch.done || wake === 'stop') return new Promise<never>(() => undefined);
    try {
      top = Math.max(top, await headNumber(api, finalized));
      const found = await findExtrinsic(api, txHash, scanned + 1, top);
      scanned = Math.max(scanned, top);
      if (watch.done) return new Promise<never>(() => undefined);
      if (found) {
        options.log?.(
          `${options.what}: confirmed from chain state in block #${found.blockNumber} (no status notification yet)`,
        );
        const error = dispatchErrorIn(api, found.events);
        if (error) throw dispatchFailure(api, error, options.what);
        return { blockHash: found.blockHash, events: found.events };
      }
    } catch (err) {
      if (err instanceof ChainError) throw err;
      // a read failed (busy node): the next head or the window's end checks again
    }
    if (wake !== 'deadline') continue;
    const seen = { inWindow: top - windowStart, sinceDeadline: top - lastDeadline };
    lastDeadline = top;
    if (windowEnd(seen, watch.blocks, null) === 'extend') {
      // The chain is alive but slower than its block time (a busy machine): a window is
      // `blocks` blocks, so wait for the rest of them instead of spending a window. Each
      // extension needs a new block, so a window extends at most `blocks` times.
      options.log?.(
        `${options.what}: ${seen.inWindow} of ${watch.blocks} blocks in ${seconds(watch.windowMs)}: ` +
          `the chain is slower than its block time; waiting for the rest`,
      );
      deadline = Date.now() + watch.windowMs;
      waitedMs += watch.windowMs;
      continue;
    }
    windowStart = top;
    const pending = await isPending(api, txHash).catch(() => false);
    const state = windowEnd(seen, watch.blocks, pending) as WaitState;
    if (state === 'dropped' ? graceLeft-- <= 0 : pendingLeft-- <= 0)
      throw timeoutError(watch, windows, state, waitedMs);
    options.log?.(
      `${options.what}: not ${finalized ? 'finalized' : 'in a block'} after ${watch.blocks} blocks' time ` +
        `(${seconds(watch.windowMs)}); ${WAIT_STATES[state]}: waiting another ${watch.blocks} blocks`,
    );
    windows += 1;
    waitedMs += watch.windowMs;
    deadline = Date.now() + watch.windowMs;
  }
}

/** Wakes a waiter on each new head, at a deadline, or when stopped; a head seen between waits is kept. */
class Pulse {
  private seen = false;
  private waiter: ((why: 'head' | 'deadline' | 'stop') => void) | undefined;
  private stopped = false;

  fire(): void {
    if (this.waiter) this.wake('head');
    else this.seen = true;
  }

  stop(): void {
    this.stopped = true;
    this.wake('stop');
  }

  next(deadline: number): Promise<'head' | 'deadline' | 'stop'> {
    if (this.stopped) return Promise.resolve('stop');
    if (this.seen) {
      this.seen = false;
      return Promise.resolve('head');
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake('deadline'), Math.max(deadline - Date.now(), 0));
      this.waiter = (why) => {
        clearTimeout(timer);
        resolve(why);
      };
    });
  }

  private wake(why: 'head' | 'deadline' | 'stop'): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(why);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function onStatus(
  watch: Watch,
  txHash: `0x${string}`,
  result: ISubmittableResult,
  resolve: (landed: Landed) => void,
  reject: (err: ChainError) => void,
): void {
  const { status } = result;
  if (!watch.submitted && (status.isReady || status.isBroadcast || status.isInBlock)) {
    watch.submitted = txHash;
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
  // A finalized block is also a block it is in: @polkadot/api's signAndSend drops the "in block"
  // result when "finalized" arrives while it still reads that block's events (switchMap), as
  // chopsticks does 100 ms after "in block". Waiting only for isInBlock then waits forever.
  const landed =
    watch.waitFor === 'inBlock' ? status.isInBlock || status.isFinalized : status.isFinalized;
  if (!landed) return;
  if (result.dispatchError) {
    reject(dispatchFailure(watch.api, result.dispatchError, watch.options.what));
    return;
  }
  const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
  // internalError: the events of that block could not be read; complete() reads them from state
  resolve({ blockHash, events: result.internalError ? null : [...result.events] });
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

/** Where a not-yet-included extrinsic is at the end of a window. */
type WaitState = 'pending' | 'building' | 'dropped';

/**
 * What the end of a wait window means, from the new heads seen in the window and since the
 * last deadline, and whether the node's pool holds the extrinsic (null: not asked yet).
 * 'extend': the chain is alive but built fewer than `blocks` blocks, slower than its block time
 * (a busy machine), so the window waits for the rest; each extension needs a new block.
 * 'pending': in the pool. 'building': out of the pool and no block finished since the last
 * deadline, so the block holding it is still being built: waiting on the chain, like pending.
 * 'dropped': out of the pool while blocks were built without it (the grace windows).
 */
export function windowEnd(
  heads: { readonly inWindow: number; readonly sinceDeadline: number },
  blocks: number,
  pending: boolean | null,
): 'extend' | WaitState {
  if (heads.sinceDeadline > 0 && heads.inWindow < blocks) return 'extend';
  if (pending === null || pending) return 'pending';
  return heads.sinceDeadline > 0 ? 'dropped' : 'building';
}

const WAIT_STATES: Record<WaitState, string> = {
  pending: "still pending in the node's pool",
  building: 'not in the pool and no new block yet (a block may be under construction)',
  dropped: 'not in the pool (a block may be under construction)',
};

function timeoutError(
  watch: Watch,
  windows: number,
  state: WaitState,
  waitedMs: number,
): ChainError {
  const landed = watch.waitFor === 'inBlock' ? 'included' : 'finalized';
  const hash = watch.submitted ?? 'submitted';
  const where = {
    pending: "it is still in the node's pool: the chain is not producing blocks; check the node",
    building:
      'the node took it from its pool but finished no block since: the node is stalled or far too slow; check it before sending again',
    dropped:
      'the node no longer holds it in its pool (dropped or replaced): check the chain before sending again',
  }[state];
  return new ChainError(
    'timeout',
    `${watch.options.what}: extrinsic ${hash} not ${landed} within ${windows * watch.blocks} blocks ` +
      `(${seconds(waitedMs)}); ${where}`,
  );
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
