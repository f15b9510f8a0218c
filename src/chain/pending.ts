/**
 * Commits of a hotkey still pending on a subnet: unexpired hash commits (`WeightCommits`) and
 * timelocked commits in the CRv3/v4 queues. publish-weights sends no commit while one is
 * pending (ADR 0071), so a round is never committed twice unless the first commit is gone.
 */
import type { ApiPromise } from '@polkadot/api';
import { requireStorage } from './runtime.js';

/** A pending commit, in words, with the block it is bound to (hash) or its epoch (timelock). */
export interface PendingCommit {
  readonly kind: 'hash' | 'timelock';
  readonly description: string;
}

const TIMELOCK_QUEUES = ['crv3WeightCommits', 'timelockedWeightCommits'] as const;

/** Returns the pending commits of `hotkey` on `netuid` at `blockHash` (block `head`). */
export async function pendingCommits(
  api: ApiPromise,
  netuid: number,
  hotkey: string,
  blockHash: `0x${string}`,
  head: number,
): Promise<PendingCommit[]> {
  const at = await api.at(blockHash);
  const out: PendingCommit[] = [];
  const modules = at.query.subtensorModule as unknown as Record<string, unknown>;
  if (modules.weightCommits) {
    const queue = (
      await requireStorage(at, 'subtensorModule', 'weightCommits')(netuid, hotkey)
    ).toJSON() as [string, number, number, number][] | null;
    for (const [hash, block, first, last] of queue ?? []) {
      if (last >= head) {
        out.push({
          kind: 'hash',
          description: `hash commit ${hash.slice(0, 10)}… from #${block}, reveal window #${first}–#${last}`,
        });
      }
    }
  }
  for (const item of TIMELOCK_QUEUES) {
    if (!modules[item]) continue;
    const entries = await requireStorage(at, 'subtensorModule', item).entries(netuid);
    for (const [key, value] of entries) {
      if (!JSON.stringify(value.toJSON()).includes(hotkey)) continue;
      const epoch = key.args[1]?.toString() ?? '?';
      out.push({ kind: 'timelock', description: `timelocked commit of epoch ${epoch} (${item})` });
    }
  }
  return out;
}
