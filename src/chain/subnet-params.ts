/**
 * The subnet parameters publish-weights obeys, and the weights a validator has on chain, read at
 * one block with that block's metadata.
 */
import type { ApiPromise } from '@polkadot/api';
import type { Codec } from '@polkadot/types/types';
import { withRetries } from './connect.js';
import { metagraphAt, type Metagraph } from './metagraph.js';
import { requireStorage } from './runtime.js';

/** Subnet parameters publish-weights obeys, read at the mapping block. */
export interface SubnetParams {
  readonly versionKey: number;
  readonly rateLimit: number;
  readonly commitReveal: boolean;
  readonly tempo: number;
  readonly revealPeriodEpochs: number;
  readonly minAllowedWeights: number;
  readonly maxWeightsLimit: number;
}

/** Reads the metagraph and the weight parameters of `netuid` at the best block. */
export async function readContext(
  api: ApiPromise,
  netuid: number,
): Promise<{ metagraph: Metagraph; params: SubnetParams }> {
  const head = (await api.rpc.chain.getHeader()).hash.toHex();
  const metagraph = await metagraphAt(api, netuid, head);
  const params = await withRetries(api, () => readParams(api, netuid, head), {
    what: `read the weight parameters of subnet ${netuid}`,
  });
  return { metagraph, params };
}

async function readParams(
  api: ApiPromise,
  netuid: number,
  blockHash: `0x${string}`,
): Promise<SubnetParams> {
  const at = await api.at(blockHash);
  const read = (item: string) => requireStorage(at, 'subtensorModule', item)(netuid);
  const [versionKey, limit, commitReveal, tempo, reveal, minAllowed, maxLimit] = await Promise.all(
    [
      'weightsVersionKey',
      'weightsSetRateLimit',
      'commitRevealWeightsEnabled',
      'tempo',
      'revealPeriodEpochs',
      'minAllowedWeights',
      'maxWeightsLimit',
    ].map(read),
  );
  const num = (c: Codec | undefined) => Number(c?.toString() ?? '0');
  return {
    versionKey: num(versionKey),
    rateLimit: num(limit),
    commitReveal: commitReveal?.toJSON() === true,
    tempo: num(tempo),
    revealPeriodEpochs: num(reveal),
    minAllowedWeights: num(minAllowed),
    maxWeightsLimit: num(maxLimit),
  };
}

/** Reads `Weights(netuid, uid)` at `blockHash`, as [{ uid, value }]. */
export async function readWeightsAt(
  api: ApiPromise,
  netuid: number,
  uid: number,
  blockHash: `0x${string}`,
): Promise<{ uid: number; value: number }[]> {
  return withRetries(
    api,
    async () => {
      const at = await api.at(blockHash);
      const row = (
        await requireStorage(at, 'subtensorModule', 'weights')(netuid, uid)
      ).toJSON() as [number, number][];
      return row.map(([u, value]) => ({ uid: u, value }));
    },
    { what: `read back the weights of uid ${uid} on subnet ${netuid}` },
  );
}
