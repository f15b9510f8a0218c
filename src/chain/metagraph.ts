/**
 * The subnet's neurons at one block: uid ↔ hotkey, validator permits, stake and last weight
 * update, read with the metadata of that block (`api.at`) so a runtime upgrade between the
 * block and today cannot change how the state is decoded.
 */
import type { ApiPromise } from '@polkadot/api';
import type { ApiDecoration } from '@polkadot/api/types';
import type { Codec } from '@polkadot/types/types';
import { withRetries } from './connect.js';
import { ChainError } from './errors.js';
import { requireStorage } from './runtime.js';

/** One registered neuron. */
export interface Neuron {
  readonly uid: number;
  readonly hotkey: string;
  readonly validatorPermit: boolean;
  /** The hotkey's alpha stake on this subnet (`TotalHotkeyAlpha`), in rao. */
  readonly stakeRao: bigint;
  /** Block of the neuron's last weight update (`LastUpdate`; registration block until then). */
  readonly lastUpdate: number;
}

/** The neurons of a subnet at a block, sorted by uid. */
export interface Metagraph {
  readonly netuid: number;
  readonly block: { readonly number: number; readonly hash: `0x${string}` };
  readonly neurons: readonly Neuron[];
}

/**
 * Reads the metagraph of `netuid` at `blockHash`. Throws ChainError('input') when the subnet
 * does not exist at that block, 'shape' when the runtime lacks an item, 'disconnected' after
 * bounded retries.
 */
export async function metagraphAt(
  api: ApiPromise,
  netuid: number,
  blockHash: `0x${string}`,
): Promise<Metagraph> {
  return withRetries(api, () => readMetagraph(api, netuid, blockHash), {
    what: `read the metagraph of subnet ${netuid} at ${blockHash}`,
  });
}

async function readMetagraph(
  api: ApiPromise,
  netuid: number,
  blockHash: `0x${string}`,
): Promise<Metagraph> {
  const [at, header] = await Promise.all([api.at(blockHash), api.rpc.chain.getHeader(blockHash)]);
  const exists = await requireStorage(at, 'subtensorModule', 'networksAdded')(netuid);
  if (!isTrue(exists)) {
    throw new ChainError(
      'input',
      `subnet ${netuid} does not exist at block #${header.number.toNumber()} (${blockHash})`,
    );
  }
  const keys = await requireStorage(at, 'subtensorModule', 'keys').entries(netuid);
  const byUid = keys
    .map(([key, value]) => ({ uid: Number(key.args[1]!.toString()), hotkey: value.toString() }))
    .sort((a, b) => a.uid - b.uid);
  const [permits, lastUpdate, stakes] = await Promise.all([
    requireStorage(at, 'subtensorModule', 'validatorPermit')(netuid),
    requireStorage(at, 'subtensorModule', 'lastUpdate')(netuid),
    requireStorage(at, 'subtensorModule', 'totalHotkeyAlpha').multi(
      byUid.map((n) => [n.hotkey, netuid]),
    ),
  ]);
  const permitList = toArray(permits);
  const updateList = toArray(lastUpdate);
  return {
    netuid,
    block: { number: header.number.toNumber(), hash: blockHash },
    neurons: byUid.map((n, i) => ({
      uid: n.uid,
      hotkey: n.hotkey,
      validatorPermit: isTrue(permitList[n.uid]),
      stakeRao: BigInt(stakes[i]?.toString() ?? '0'),
      lastUpdate: Number(updateList[n.uid]?.toString() ?? '0'),
    })),
  };
}

/** The uid of `hotkey` in `metagraph`, or undefined when it is not registered. */
export function uidOf(metagraph: Metagraph, hotkey: string): number | undefined {
  return metagraph.neurons.find((n) => n.hotkey === hotkey)?.uid;
}

/** Returns the decorated api at `blockHash` (metadata of that block). */
export function apiAt(
  api: ApiPromise,
  blockHash: `0x${string}`,
): Promise<ApiDecoration<'promise'>> {
  return api.at(blockHash);
}

function toArray(codec: Codec): Codec[] {
  return Array.isArray(codec) ? (codec as Codec[]) : [];
}

function isTrue(codec: Codec | undefined): boolean {
  return codec !== undefined && codec.toJSON() === true;
}
