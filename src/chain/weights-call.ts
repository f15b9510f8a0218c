/**
 * The extrinsic publish-weights sends, chosen from the subnet's parameters and what the runtime
 * offers (its metadata, never its version number): `set_weights` when commit-reveal is off;
 * when it is on, a drand-timelocked commit the runtime reveals by itself — v4
 * `commit_timelocked_weights` where the runtime has it, else CRv3 `commit_crv3_weights` — or,
 * on request or where no timelock call exists, the hash commit `commit_weights` whose reveal
 * podium sends later. See docs/adr/0071.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { ChainError } from './errors.js';
import { hasCall, requireCall, requireStorage, runtimeName } from './runtime.js';
import type { SubnetParams } from './subnet-params.js';
import {
  buildTimelockCommit,
  KNOWN_COMMIT_REVEAL_VERSIONS,
  readTimelockContext,
  revealTiming,
  type TimelockCommit,
} from './timelock-commit.js';
import { weightsCommitHash, type PlannedWeight } from './weights.js';

/** How weights reach the chain. */
export type WeightsPath = 'set-weights' | 'commit-reveal-hash' | 'timelock-crv3' | 'timelock-v4';

/** Which commit scheme to use when commit-reveal is on: auto prefers the timelock. */
export type CommitScheme = 'auto' | 'hash' | 'timelock';

/** What the runtime offers, from its metadata and storage. */
export interface RuntimeOffer {
  readonly hashCommit: boolean;
  readonly crv3: boolean;
  readonly timelocked: boolean;
  /** Storage CommitRevealWeightsVersion, or null when the runtime has no such item. */
  readonly commitRevealVersion: number | null;
}

export interface BuiltCall {
  readonly path: WeightsPath;
  readonly tx: SubmittableExtrinsic<'promise'>;
  readonly text: string;
  readonly commit: { readonly hash: `0x${string}`; readonly salt: number[] } | null;
  readonly timelock: TimelockCommit['record'] | null;
}

/**
 * The path for a subnet with commit-reveal `enabled` on a runtime offering `offer`. Pure.
 * Throws ChainError('shape') when the runtime offers no path podium can produce, or its
 * CommitRevealWeightsVersion is one podium does not know.
 */
export function choosePath(
  enabled: boolean,
  offer: RuntimeOffer,
  scheme: CommitScheme = 'auto',
  runtime = 'the runtime',
): WeightsPath {
  if (!enabled) return 'set-weights';
  if (scheme === 'hash' || (!offer.timelocked && !offer.crv3)) {
    if (offer.hashCommit) return 'commit-reveal-hash';
    throw new ChainError(
      'shape',
      `commit-reveal is on but ${runtime} offers no ${scheme === 'hash' ? 'hash commit (commit_weights)' : 'commit call podium knows'}; ` +
        'nothing was sent — update podium for this runtime',
    );
  }
  if (offer.timelocked) {
    const v = offer.commitRevealVersion;
    if (v !== null && (KNOWN_COMMIT_REVEAL_VERSIONS as readonly number[]).includes(v))
      return 'timelock-v4';
    throw new ChainError(
      'shape',
      `${runtime} has CommitRevealWeightsVersion ${v ?? '(absent)'}; podium produces timelocked commits for ` +
        `version ${KNOWN_COMMIT_REVEAL_VERSIONS.join(', ')} only: nothing was sent — update podium`,
    );
  }
  return 'timelock-crv3';
}

/** Reads what the connected runtime offers for weights (metadata, CommitRevealWeightsVersion). */
export async function readOffer(api: ApiPromise): Promise<RuntimeOffer> {
  const timelocked = hasCall(api, 'subtensorModule', 'commitTimelockedWeights');
  const hasVersion = Boolean(api.query.subtensorModule?.commitRevealWeightsVersion);
  return {
    hashCommit: hasCall(api, 'subtensorModule', 'commitWeights'),
    crv3: hasCall(api, 'subtensorModule', 'commitCrv3Weights'),
    timelocked,
    commitRevealVersion: hasVersion
      ? Number(
          (await requireStorage(api, 'subtensorModule', 'commitRevealWeightsVersion')()).toString(),
        )
      : null,
  };
}

/**
 * Builds the weight-setting extrinsic for `params`; throws ChainError('shape') when podium
 * cannot produce what the runtime needs, ChainError('input') for a timelocked commit over the
 * size limit or with a reveal round not in the future.
 */
export async function buildCall(
  api: ApiPromise,
  input: {
    readonly hotkey: string;
    readonly netuid: number;
    readonly weights: readonly PlannedWeight[];
    readonly params: SubnetParams;
    readonly versionKey: number;
    readonly scheme?: CommitScheme;
    /** The hash commit's salt (salt.ts commitSalt). */
    readonly salt: (vector: { uids: number[]; values: number[] }) => number[];
  },
): Promise<BuiltCall> {
  const { hotkey, netuid, weights, params, versionKey } = input;
  const uids = weights.map((w) => w.uid);
  const values = weights.map((w) => w.value);
  const offer = await readOffer(api);
  const path = choosePath(params.commitReveal, offer, input.scheme, `runtime ${runtimeName(api)}`);
  if (path === 'set-weights') {
    const { fn } = requireCall(api, 'subtensorModule', 'setWeights', [
      ['netuid', 'dests', 'weights', 'versionKey'],
    ]);
    const vector = `[${uids.join(',')}], [${values.join(',')}]`;
    return {
      path,
      tx: fn(netuid, uids, values, versionKey),
      text: `subtensorModule.setWeights(${netuid}, ${vector}, ${versionKey})`,
      commit: null,
      timelock: null,
    };
  }
  if (path === 'commit-reveal-hash') {
    const salt = input.salt({ uids, values });
    const hash = weightsCommitHash({ hotkey, netuid, uids, values, salt, versionKey });
    const { fn } = requireCall(api, 'subtensorModule', 'commitWeights', [['netuid', 'commitHash']]);
    return {
      path,
      tx: fn(netuid, hash),
      text: `subtensorModule.commitWeights(${netuid}, ${hash})`,
      commit: { hash, salt },
      timelock: null,
    };
  }
  const context = await readTimelockContext(api);
  const timing = revealTiming({
    block: context.head,
    blockTimestampMs: context.headTimestampMs,
    blockTimeMs: context.blockTimeMs,
    netuid,
    tempo: params.tempo,
    revealPeriodEpochs: params.revealPeriodEpochs,
    beacon: context.beacon,
    lastStoredRound: context.lastStoredRound,
  });
  const built = buildTimelockCommit(api, {
    scheme: path === 'timelock-v4' ? 'v4' : 'crv3',
    hotkey,
    netuid,
    weights,
    versionKey,
    timing,
    beacon: context.beacon,
    commitRevealVersion: offer.commitRevealVersion,
  });
  return { path, tx: built.tx, text: built.text, commit: null, timelock: built.record };
}

/** Parses a commit scheme setting named `name`; throws ChainError('input') naming the value. */
export function parseCommitScheme(value: string, name = '--commit-scheme'): CommitScheme {
  if (value === 'auto' || value === 'hash' || value === 'timelock') return value;
  throw new ChainError('input', `${name} must be auto, timelock or hash (got "${value}")`);
}
