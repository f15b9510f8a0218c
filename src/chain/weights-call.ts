/**
 * The extrinsic publish-weights sends: `set_weights`, or `commit_weights` with a fresh salt when
 * the subnet requires commit-reveal and the runtime offers the hash scheme. A runtime that only
 * offers CRv3 (drand timelock) commits is refused: podium cannot produce them offline.
 */
import { randomBytes } from 'node:crypto';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { ChainError } from './errors.js';
import { hasCall, requireCall, runtimeName } from './runtime.js';
import type { SubnetParams } from './subnet-params.js';
import { weightsCommitHash, type PlannedWeight } from './weights.js';

export interface BuiltCall {
  readonly tx: SubmittableExtrinsic<'promise'>;
  readonly text: string;
  readonly commit: { readonly hash: `0x${string}`; readonly salt: number[] } | null;
}

/** Builds the weight-setting extrinsic for `params`; throws ChainError('shape') when podium cannot. */
export function buildCall(
  api: ApiPromise,
  hotkey: string,
  netuid: number,
  weights: readonly PlannedWeight[],
  params: SubnetParams,
  versionKey: number,
): BuiltCall {
  const uids = weights.map((w) => w.uid);
  const values = weights.map((w) => w.value);
  const vector = `[${uids.join(',')}], [${values.join(',')}]`;
  const mode = commitRevealMode(
    params.commitReveal,
    hasCall(api, 'subtensorModule', 'commitWeights'),
    hasCall(api, 'subtensorModule', 'commitCrv3Weights'),
  );
  if (mode === 'none') {
    const { fn } = requireCall(api, 'subtensorModule', 'setWeights', [
      ['netuid', 'dests', 'weights', 'versionKey'],
    ]);
    return {
      tx: fn(netuid, uids, values, versionKey),
      text: `subtensorModule.setWeights(${netuid}, ${vector}, ${versionKey})`,
      commit: null,
    };
  }
  if (mode === 'unsupported') {
    throw new ChainError(
      'shape',
      `subnet ${netuid} requires commit-reveal but runtime ${runtimeName(api)} offers neither commit_weights ` +
        'nor commit_crv3_weights; nothing was sent — update podium for this runtime',
    );
  }
  if (mode === 'crv3-only') {
    throw new ChainError(
      'shape',
      `subnet ${netuid} requires commit-reveal and this runtime only offers commit_crv3_weights (drand timelock ` +
        'encryption); podium cannot produce those commits offline (no drand beacon), so nothing was sent — ' +
        'ask the subnet owner, or run a podium that supports CRv3',
    );
  }
  const salt = randomSalt();
  const hash = weightsCommitHash({ hotkey, netuid, uids, values, salt, versionKey });
  const { fn } = requireCall(api, 'subtensorModule', 'commitWeights', [['netuid', 'commitHash']]);
  return {
    tx: fn(netuid, hash),
    text: `subtensorModule.commitWeights(${netuid}, ${hash})`,
    commit: { hash, salt },
  };
}

/** Which weight-setting path a subnet needs, given what the runtime offers. Pure. */
export function commitRevealMode(
  enabled: boolean,
  hashCommit: boolean,
  crv3: boolean,
): 'none' | 'hash' | 'crv3-only' | 'unsupported' {
  if (!enabled) return 'none';
  if (hashCommit) return 'hash';
  return crv3 ? 'crv3-only' : 'unsupported';
}

function randomSalt(): number[] {
  const bytes = randomBytes(16);
  return Array.from({ length: 8 }, (_, i) => bytes.readUInt16LE(i * 2));
}
