/**
 * The cutoff block of a round: the last block whose `Timestamp.Now` is ≤ the cutoff instant,
 * found by binary search over block numbers (block timestamps only ever increase), so a round
 * on a chain of n blocks costs about log2(n) + 2 timestamp reads. The search runs up to the
 * finalized head by default, so a round is never frozen at a block that could still be replaced.
 */
import type { ApiPromise } from '@polkadot/api';
import { withRetries } from './connect.js';
import { ChainError } from './errors.js';
import { requireStorage } from './runtime.js';

/** The block a round is frozen at. */
export interface CutoffBlock {
  readonly number: number;
  readonly hash: `0x${string}`;
  readonly timestampMs: number;
  /** How many blocks' timestamps were read to find it. */
  readonly probes: number;
}

/** Options of findCutoffBlock. */
export interface CutoffOptions {
  /** Search up to the finalized head (default) or the best block. */
  readonly head?: 'finalized' | 'best';
}

/**
 * Returns the last block with `Timestamp.Now ≤ cutoffMs`. Throws ChainError('cutoff') when the
 * cutoff is before block 1 or after the head (the chain has not passed the cutoff yet: retry
 * later), 'disconnected' after bounded retries.
 */
export async function findCutoffBlock(
  api: ApiPromise,
  cutoffMs: number,
  options: CutoffOptions = {},
): Promise<CutoffBlock> {
  const what = `find the cutoff block for ${iso(cutoffMs)}`;
  return withRetries(api, () => search(api, cutoffMs, options.head ?? 'finalized'), { what });
}

async function search(
  api: ApiPromise,
  cutoffMs: number,
  head: 'finalized' | 'best',
): Promise<CutoffBlock> {
  const headHash =
    head === 'finalized'
      ? await api.rpc.chain.getFinalizedHead()
      : await api.rpc.chain.getBlockHash();
  const headNumber = (await api.rpc.chain.getHeader(headHash)).number.toNumber();
  if (headNumber < 1)
    throw new ChainError('cutoff', `the chain has no ${head} block after genesis yet`);
  let probes = 0;
  const probe = async (n: number) => {
    probes += 1;
    return blockTime(api, n);
  };
  const first = await probe(1);
  if (cutoffMs < first.timestampMs) {
    throw new ChainError(
      'cutoff',
      `cutoff ${iso(cutoffMs)} is before the chain's first block (#1 at ${iso(first.timestampMs)}); check the round's date`,
    );
  }
  let low = first;
  let high = headNumber === 1 ? first : await probe(headNumber);
  if (high.timestampMs <= cutoffMs) {
    if (high.timestampMs === cutoffMs) return { ...high, probes };
    throw new ChainError(
      'cutoff',
      `cutoff ${iso(cutoffMs)} is after the ${head} block (#${high.number} at ${iso(high.timestampMs)}); ` +
        'the chain has not passed the cutoff yet: run collect again later',
    );
  }
  // Invariant: low.timestampMs ≤ cutoff < high.timestampMs.
  while (high.number - low.number > 1) {
    const mid = await probe(Math.floor((low.number + high.number) / 2));
    if (mid.timestampMs <= cutoffMs) low = mid;
    else high = mid;
  }
  return { ...low, probes };
}

async function blockTime(
  api: ApiPromise,
  number: number,
): Promise<{ number: number; hash: `0x${string}`; timestampMs: number }> {
  const hash = (await api.rpc.chain.getBlockHash(number)).toHex();
  const now = await requireStorage(api, 'timestamp', 'now').at(hash);
  return { number, hash, timestampMs: Number(now.toString()) };
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}
