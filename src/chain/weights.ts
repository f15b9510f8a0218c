/**
 * The decisions of publish-weights, as pure functions: hotkeys → uids, u16 normalisation, the
 * rate limit, the subnet's weight rules, and the commit-reveal hash and window — each exactly as
 * the Subtensor runtime computes it, so a refusal is predicted before anything is sent.
 */
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { ChainError } from './errors.js';
import { epochIndex, firstBlockOfEpoch } from './commitments.js';

/** One weight as sent: uid, hotkey, u16 value. */
export interface PlannedWeight {
  readonly uid: number;
  readonly hotkey: string;
  readonly value: number;
}

/** An input hotkey left out, and why. */
export interface DroppedWeight {
  readonly hotkey: string;
  readonly reason: 'not-registered';
  readonly message: string;
}

/**
 * Scales non-negative weights so the largest is 65535 (rounded to nearest); all-zero stays
 * zero. Throws ChainError('input') for a negative or non-finite weight.
 */
export function toU16(weights: readonly number[]): number[] {
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) {
      throw new ChainError('input', `weights must be finite and ≥ 0 (got ${w})`);
    }
  }
  const max = Math.max(0, ...weights);
  if (max === 0) return weights.map(() => 0);
  return weights.map((w) => Math.round((w / max) * 65535));
}

/**
 * Maps hotkey weights to uids with `uidOf` (the metagraph at the current block), drops
 * unregistered hotkeys with a reason, normalises to u16 and sorts by uid.
 */
export function planWeights(
  weightsByHotkey: Readonly<Record<string, number>>,
  uidOf: (hotkey: string) => number | undefined,
): { weights: PlannedWeight[]; dropped: DroppedWeight[] } {
  const kept: { uid: number; hotkey: string; weight: number }[] = [];
  const dropped: DroppedWeight[] = [];
  for (const [hotkey, weight] of Object.entries(weightsByHotkey).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const uid = uidOf(hotkey);
    if (uid === undefined) {
      dropped.push({
        hotkey,
        reason: 'not-registered',
        message: `${hotkey} is not registered on the subnet now (deregistered)`,
      });
    } else kept.push({ uid, hotkey, weight });
  }
  kept.sort((a, b) => a.uid - b.uid);
  const values = toU16(kept.map((k) => k.weight));
  return {
    weights: kept.map((k, i) => ({ uid: k.uid, hotkey: k.hotkey, value: values[i]! })),
    dropped,
  };
}

/** The subnet's rules for a weight vector (storage items of the same names). */
export interface WeightRules {
  readonly minAllowedWeights: number;
  readonly maxWeightsLimit: number;
  readonly subnetN: number;
}

/**
 * Checks a planned vector against the subnet's rules as the runtime does (length ≥
 * min(MinAllowedWeights, SubnetworkN), max-upscaled values ≤ MaxWeightsLimit, except a single
 * self-weight). Returns the problem in words, or null.
 */
export function weightRuleProblem(
  weights: readonly PlannedWeight[],
  validatorUid: number,
  rules: WeightRules,
): string | null {
  const self = weights.length === 1 && weights[0]!.uid === validatorUid;
  if (self) return null;
  const minimum = Math.min(rules.minAllowedWeights, rules.subnetN);
  if (weights.length < minimum) {
    return `${weights.length} weights, but the subnet requires at least ${minimum} (MinAllowedWeights)`;
  }
  if (rules.maxWeightsLimit < 65535 && weights.some((w) => w.value > rules.maxWeightsLimit)) {
    return `the largest weight is 65535 after normalisation, above the subnet's MaxWeightsLimit ${rules.maxWeightsLimit}`;
  }
  return null;
}

/**
 * Whether the validator may set (or commit) weights in `nextBlock`: never set (LastUpdate 0) or
 * at least `limit` blocks since LastUpdate. Pure.
 */
export function rateLimit(
  lastUpdate: number,
  limit: number,
  nextBlock: number,
): { ok: true } | { ok: false; nextAllowedBlock: number } {
  if (lastUpdate === 0 || nextBlock - lastUpdate >= limit) return { ok: true };
  return { ok: false, nextAllowedBlock: lastUpdate + limit };
}

/**
 * The hash `commit_weights` stores: blake2-256 of SCALE(hotkey AccountId32, netuid u16,
 * uids Vec<u16>, values Vec<u16>, salt Vec<u16>, version_key u64), as the runtime recomputes at
 * reveal.
 */
export function weightsCommitHash(input: {
  hotkey: string;
  netuid: number;
  uids: readonly number[];
  values: readonly number[];
  salt: readonly number[];
  versionKey: number;
}): `0x${string}` {
  const u16 = (v: number) => new Uint8Array([v & 0xff, (v >> 8) & 0xff]);
  const vec = (vs: readonly number[]) => u8aConcat(compactToU8a(vs.length), ...vs.map(u16));
  const u64 = new Uint8Array(8);
  new DataView(u64.buffer).setBigUint64(0, BigInt(input.versionKey), true);
  const encoded = u8aConcat(
    decodeAddress(input.hotkey),
    u16(input.netuid),
    vec(input.uids),
    vec(input.values),
    vec(input.salt),
    u64,
  );
  return blake2AsHex(encoded, 256);
}

/** Blocks in which a commit made in `commitBlock` may be revealed (Subtensor's get_reveal_blocks). */
export function revealWindow(
  commitBlock: number,
  netuid: number,
  tempo: number,
  revealPeriodEpochs: number,
): { first: number; last: number } {
  const first = firstBlockOfEpoch(
    epochIndex(commitBlock, netuid, tempo) + revealPeriodEpochs,
    netuid,
    tempo,
  );
  return { first, last: first + tempo };
}

/**
 * `version_key` for a podium version: major·10000 + minor·100 + patch ("0.1.0" → 100), the
 * convention subnets use so a validator on an old release is refused. Throws ChainError('input').
 */
export function versionKeyOf(version: string): number {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new ChainError('input', `"${version}" is not a semantic version`);
  return Number(match[1]) * 10_000 + Number(match[2]) * 100 + Number(match[3]);
}
