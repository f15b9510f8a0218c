/**
 * The chain layer as the entry check's CommitmentSource: registration from the metagraph and
 * the commitment from `Commitments.CommitmentOf`, both at one block (the finalized head when
 * the check starts), through src/chain's typed readers.
 */
import type { ApiPromise } from '@polkadot/api';
import { readCommitments } from '../chain/commitments.js';
import { connectChain } from '../chain/connect.js';
import { metagraphAt, uidOf, type Metagraph } from '../chain/metagraph.js';
import type { CommitmentSource } from '../entries/onchain.js';

/** A CommitmentSource over `api` at `blockHash`; metagraphs are read once per netuid. */
export function chainCommitmentSource(
  api: ApiPromise,
  block: { readonly number: number; readonly hash: `0x${string}` },
  endpoint: string,
): CommitmentSource {
  const metagraphs = new Map<number, Promise<Metagraph>>();
  const metagraph = (netuid: number) => {
    if (!metagraphs.has(netuid)) metagraphs.set(netuid, metagraphAt(api, netuid, block.hash));
    return metagraphs.get(netuid) as Promise<Metagraph>;
  };
  return {
    description: `${endpoint} at block ${block.number}`,
    async registration(netuid, hotkey) {
      const uid = uidOf(await metagraph(netuid), hotkey);
      return uid === undefined ? null : { uid };
    },
    async commitment(netuid, hotkey) {
      const uid = uidOf(await metagraph(netuid), hotkey) ?? null;
      const [record] = await readCommitments(api, netuid, block.hash, [{ hotkey, uid }]);
      if (record === undefined) return null;
      return {
        text: record.text ?? `(${record.parsed.ok ? '' : record.parsed.message})`,
        block: record.block,
      };
    },
  };
}

/**
 * Connects to `endpoint` with short timeouts (the PR check must answer within a minute) and
 * returns a source at the finalized head plus a function that disconnects. Throws ChainError
 * when the chain cannot be reached.
 */
export async function connectCommitmentSource(
  endpoint: string,
): Promise<{ source: CommitmentSource; close: () => Promise<void> }> {
  const api = await connectChain(endpoint, { attempts: 2, connectTimeoutMs: 8000 });
  const hash = (await api.rpc.chain.getFinalizedHead()).toHex() as `0x${string}`;
  const header = await api.rpc.chain.getHeader(hash);
  const source = chainCommitmentSource(api, { number: header.number.toNumber(), hash }, endpoint);
  return { source, close: () => api.disconnect() };
}
