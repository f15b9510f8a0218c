/**
 * Timelocked weight commits (CRv3 `commit_crv3_weights`, v4 `commit_timelocked_weights`): the
 * reveal round (Bittensor client's formula), the encrypted payload and the call. The runtime
 * decrypts and applies the commit itself once the drand pulse of the reveal round is on chain;
 * podium checks the outcome afterwards (timelock-check.ts). See docs/adr/0071.
 */
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { ChainError } from './errors.js';
import { requireCall, requireStorage, runtimeName } from './runtime.js';
import { encodeTlockPayload } from './timelock-payload.js';
import { QUICKNET, timelockEncrypt } from './timelock.js';
import type { PlannedWeight } from './weights.js';

/** The runtime's limit on a timelocked commit (MAX_CRV3_COMMIT_SIZE_BYTES). */
export const MAX_COMMIT_BYTES = 5000;

/** CommitRevealWeightsVersion values podium can produce commits for. */
export const KNOWN_COMMIT_REVEAL_VERSIONS = [4] as const;

/** A drand beacon: public key (compressed G2 hex), genesis (unix s), period (s). */
export interface Beacon {
  readonly publicKey: string;
  readonly genesisTime: number;
  readonly periodSeconds: number;
}

/** When a commit made now is revealed. */
export interface RevealTiming {
  /** First block of epoch commit + RevealPeriodEpochs (the client's formula). */
  readonly revealBlock: number;
  /** That block's expected time, ms since the epoch. */
  readonly revealTimeMs: number;
  /** The drand round whose pulse opens the commit: the first at or after revealTimeMs. */
  readonly revealRound: number;
}

/**
 * The reveal block and drand round of a commit sent at `block` (the best block), as the
 * Bittensor client computes them: epoch = (block + netuid + 1) / (tempo + 1), reveal block =
 * (epoch + revealPeriod)·(tempo + 1) − (netuid + 1), round = ceil((time of that block −
 * genesis) / period) with the block's time extrapolated from `blockTimestampMs` at
 * `blockTimeMs` a block. Throws ChainError('input') when the round is not in the future of
 * `nowMs` (a tempo or reveal period of 0) or of `lastStoredRound`. Pure.
 */
export function revealTiming(input: {
  readonly block: number;
  readonly blockTimestampMs: number;
  readonly blockTimeMs: number;
  readonly netuid: number;
  readonly tempo: number;
  readonly revealPeriodEpochs: number;
  readonly beacon: Beacon;
  readonly lastStoredRound: number;
}): RevealTiming {
  const { block, netuid, tempo, beacon } = input;
  const epoch = Math.floor((block + netuid + 1) / (tempo + 1));
  const revealBlock = (epoch + input.revealPeriodEpochs) * (tempo + 1) - (netuid + 1);
  const revealTimeMs = input.blockTimestampMs + (revealBlock - block) * input.blockTimeMs;
  const revealRound = Math.ceil((revealTimeMs / 1000 - beacon.genesisTime) / beacon.periodSeconds);
  const currentRound = Math.floor(
    (input.blockTimestampMs / 1000 - beacon.genesisTime) / beacon.periodSeconds,
  );
  const latest = Math.max(currentRound, input.lastStoredRound);
  if (revealRound <= latest) {
    throw new ChainError(
      'input',
      `reveal round ${revealRound} (block #${revealBlock}) is not in the future: drand is at round ${latest} ` +
        `(tempo ${tempo}, RevealPeriodEpochs ${input.revealPeriodEpochs}); a pulse already public would reveal ` +
        'the weights at once, so nothing was sent',
    );
  }
  return { revealBlock, revealTimeMs, revealRound };
}

/** The chain facts a timelocked commit needs, read at the best block. */
export interface TimelockContext {
  readonly head: number;
  readonly headTimestampMs: number;
  readonly blockTimeMs: number;
  readonly lastStoredRound: number;
  readonly beacon: Beacon;
}

/**
 * Reads the head, its timestamp, the block time (2 × Timestamp.MinimumPeriod, Aura), the drand
 * pallet's last stored round and beacon (quicknet unless the pallet names another key).
 */
export async function readTimelockContext(api: ApiPromise): Promise<TimelockContext> {
  const header = await api.rpc.chain.getHeader();
  const at = await api.at(header.hash);
  const now = await requireStorage(at, 'timestamp', 'now')();
  const minimumPeriod = api.consts.timestamp?.minimumPeriod;
  if (!minimumPeriod) {
    throw new ChainError('shape', `runtime ${runtimeName(api)} has no Timestamp.MinimumPeriod`);
  }
  const last = await requireStorage(at, 'drand', 'lastStoredRound')();
  return {
    head: header.number.toNumber(),
    headTimestampMs: Number(now.toString()),
    blockTimeMs: 2 * Number(minimumPeriod.toString()),
    lastStoredRound: Number(last.toString()),
    beacon: await readBeacon(at),
  };
}

async function readBeacon(at: Awaited<ReturnType<ApiPromise['at']>>): Promise<Beacon> {
  const config = (await requireStorage(at, 'drand', 'beaconConfig')()).toJSON() as {
    publicKey?: string;
    period?: number;
    genesisTime?: number;
  } | null;
  const key = config?.publicKey?.replace(/^0x/, '');
  if (key && key !== QUICKNET.publicKey) {
    throw new ChainError(
      'shape',
      `the chain's drand beacon key ${key.slice(0, 16)}… is not quicknet's; podium encrypts to quicknet only`,
    );
  }
  return {
    publicKey: QUICKNET.publicKey,
    genesisTime: QUICKNET.genesisTime,
    periodSeconds: QUICKNET.periodSeconds,
  };
}

/** What a timelocked commit sends and records. */
export interface TimelockCommit {
  readonly tx: SubmittableExtrinsic<'promise'>;
  readonly text: string;
  readonly record: {
    readonly scheme: 'crv3' | 'v4';
    readonly revealRound: number;
    readonly expectedRevealBlock: number;
    readonly ciphertext: `0x${string}`;
    readonly beaconPublicKey: string;
  };
}

/**
 * Encrypts the weights to the reveal round and builds `commit_crv3_weights` (legacy payload)
 * or `commit_timelocked_weights` (v4 payload with the hotkey, `version` = the storage
 * CommitRevealWeightsVersion). Throws ChainError('input') for a commit over 5000 bytes or a
 * reveal round not in the future, ChainError('shape') for an unknown call shape.
 */
export function buildTimelockCommit(
  api: ApiPromise,
  input: {
    readonly scheme: 'crv3' | 'v4';
    readonly hotkey: string;
    readonly netuid: number;
    readonly weights: readonly PlannedWeight[];
    readonly versionKey: number;
    readonly timing: RevealTiming;
    readonly beacon: Beacon;
    readonly commitRevealVersion: number | null;
  },
): TimelockCommit {
  const { scheme, netuid, timing } = input;
  const payload = encodeTlockPayload({
    hotkey: scheme === 'v4' ? input.hotkey : null,
    uids: input.weights.map((w) => w.uid),
    values: input.weights.map((w) => w.value),
    versionKey: input.versionKey,
  });
  const ciphertext = timelockEncrypt(payload, timing.revealRound, {
    publicKey: input.beacon.publicKey,
  });
  if (ciphertext.length > MAX_COMMIT_BYTES) {
    throw new ChainError(
      'input',
      `the timelocked commit of ${input.weights.length} weights is ${ciphertext.length} bytes, above the ` +
        `runtime's ${MAX_COMMIT_BYTES}-byte limit; nothing was sent — publish fewer weights`,
    );
  }
  const hex = u8aToHex(ciphertext);
  const shown = `<${ciphertext.length} bytes ${hex.slice(0, 18)}…>`;
  const record = {
    scheme,
    revealRound: timing.revealRound,
    expectedRevealBlock: timing.revealBlock,
    ciphertext: hex,
    beaconPublicKey: input.beacon.publicKey,
  };
  if (scheme === 'crv3') {
    const { fn } = requireCall(api, 'subtensorModule', 'commitCrv3Weights', [
      ['netuid', 'commit', 'revealRound'],
    ]);
    return {
      tx: fn(netuid, hex, timing.revealRound),
      text: `subtensorModule.commitCrv3Weights(${netuid}, ${shown}, ${timing.revealRound})`,
      record,
    };
  }
  const version = input.commitRevealVersion;
  const { fn } = requireCall(api, 'subtensorModule', 'commitTimelockedWeights', [
    ['netuid', 'commit', 'revealRound', 'commitRevealVersion'],
  ]);
  return {
    tx: fn(netuid, hex, timing.revealRound, version),
    text: `subtensorModule.commitTimelockedWeights(${netuid}, ${shown}, ${timing.revealRound}, ${version})`,
    record,
  };
}

/** One line saying when and how a timelocked commit opens, for logs and summaries. */
export function describeTimelock(t: {
  readonly scheme: string;
  readonly revealRound: number;
  readonly expectedRevealBlock: number;
  readonly commit?: { readonly number: number; readonly extrinsicHash: string } | null;
}): string {
  const landed = t.commit ? `committed at #${t.commit.number} (${t.commit.extrinsicHash}); ` : '';
  return (
    `${landed}timelock ${t.scheme}: the runtime reveals it at #${t.expectedRevealBlock} once drand ` +
    `quicknet round ${t.revealRound} is on chain; check afterwards (the next run records the outcome)`
  );
}
