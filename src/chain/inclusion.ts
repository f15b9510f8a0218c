/**
 * Where an extrinsic is, read from chain state rather than from its status subscription: the
 * chain's block time (what every inclusion wait derives from), a scan of block bodies for an
 * extrinsic hash with that extrinsic's events, and whether the node's pool still holds it.
 * signAndWait uses these when the "in block" notification is late or never comes.
 */
import type { ApiPromise } from '@polkadot/api';
import type { DispatchError, EventRecord } from '@polkadot/types/interfaces';

/** An extrinsic found in a block body. */
export interface FoundExtrinsic {
  readonly blockHash: `0x${string}`;
  readonly blockNumber: number;
  /** Position in the block body (the events' ApplyExtrinsic phase). */
  readonly index: number;
  /** The events of this extrinsic only. */
  readonly events: EventRecord[];
}

/** Fallback when the runtime states no block time: Subtensor's 12 s. */
export const DEFAULT_BLOCK_TIME_MS = 12_000;

const blockTimes = new WeakMap<ApiPromise, number>();

/**
 * The chain's target block time in ms: Aura's slot duration (runtime API), else twice
 * `Timestamp.MinimumPeriod`, else 12 000. Cached per api. Never throws.
 */
export async function blockTimeMs(api: ApiPromise): Promise<number> {
  const cached = blockTimes.get(api);
  if (cached !== undefined) return cached;
  let ms = DEFAULT_BLOCK_TIME_MS;
  try {
    const slot = await api.call.auraApi?.slotDuration?.();
    const minimum = api.consts.timestamp?.minimumPeriod;
    if (slot !== undefined && Number(slot.toString()) > 0) ms = Number(slot.toString());
    else if (minimum !== undefined && Number(minimum.toString()) > 0)
      ms = 2 * Number(minimum.toString());
  } catch {
    // no runtime API and no constant: keep the default
  }
  blockTimes.set(api, ms);
  return ms;
}

/**
 * Looks for the extrinsic `txHash` in blocks `from`…`to` of the canonical chain, oldest first.
 * Returns where it is with its events, or null. Throws the api's error when a read fails.
 */
export async function findExtrinsic(
  api: ApiPromise,
  txHash: `0x${string}`,
  from: number,
  to: number,
): Promise<FoundExtrinsic | null> {
  for (let n = Math.max(from, 0); n <= to; n += 1) {
    const blockHash = await api.rpc.chain.getBlockHash(n);
    const { block } = await api.rpc.chain.getBlock(blockHash);
    const index = block.extrinsics.findIndex((x) => x.hash.toHex() === txHash);
    if (index < 0) continue;
    return {
      blockHash: blockHash.toHex(),
      blockNumber: n,
      index,
      events: await extrinsicEvents(api, blockHash.toHex(), index),
    };
  }
  return null;
}

/** The events the extrinsic at `index` of block `blockHash` emitted. */
export async function extrinsicEvents(
  api: ApiPromise,
  blockHash: `0x${string}`,
  index: number,
): Promise<EventRecord[]> {
  const all = (await api.query.system!.events!.at(blockHash)) as unknown as EventRecord[];
  return [...all].filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.eqn(index));
}

/** The DispatchError of a failed extrinsic from its events (`System.ExtrinsicFailed`), if any. */
export function dispatchErrorIn(
  api: ApiPromise,
  events: readonly EventRecord[],
): DispatchError | undefined {
  const failed = events.find(({ event }) => api.events.system!.ExtrinsicFailed!.is(event));
  return failed ? (failed.event.data[0] as DispatchError) : undefined;
}

/** True when the node's transaction pool still holds `txHash` (submitted, not yet in a block). */
export async function isPending(api: ApiPromise, txHash: `0x${string}`): Promise<boolean> {
  const pending = await api.rpc.author.pendingExtrinsics();
  return pending.some((x) => x.hash.toHex() === txHash);
}

/** The number of the best block (`finalized`: of the last finalized block). */
export async function headNumber(api: ApiPromise, finalized: boolean): Promise<number> {
  // getHeader(undefined) would ask for the zero hash, which chopsticks answers with genesis
  const header = finalized
    ? await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
    : await api.rpc.chain.getHeader();
  return header.number.toNumber();
}
