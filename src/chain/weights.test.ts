import { TypeRegistry } from '@polkadot/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { commitmentSpace, epochIndex, firstBlockOfEpoch } from './commitments.js';
import {
  planWeights,
  rateLimit,
  revealWindow,
  toU16,
  weightRuleProblem,
  weightsCommitHash,
} from './weights.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';

describe('weight planning', () => {
  it('scales the largest weight to 65535 and rounds the rest', () => {
    expect(toU16([0.5, 0.25, 0])).toEqual([65535, 32768, 0]);
    expect(toU16([1, 3])).toEqual([21845, 65535]);
    expect(toU16([0, 0])).toEqual([0, 0]);
  });

  it('refuses negative and non-finite weights', () => {
    expect(() => toU16([1, -1])).toThrow(/≥ 0/);
    expect(() => toU16([Number.NaN])).toThrow(/finite/);
  });

  it('maps hotkeys to uids, sorts by uid and drops unregistered hotkeys with a reason', () => {
    const uids: Record<string, number> = { [ALICE]: 3, [BOB]: 1 };
    const plan = planWeights({ [ALICE]: 2, [BOB]: 1, [CHARLIE]: 5 }, (h) => uids[h]);
    expect(plan.weights).toEqual([
      { uid: 1, hotkey: BOB, value: 32768 },
      { uid: 3, hotkey: ALICE, value: 65535 },
    ]);
    expect(plan.dropped).toEqual([
      expect.objectContaining({ hotkey: CHARLIE, reason: 'not-registered' }),
    ]);
  });

  it('predicts the runtime rate limit: never set, too soon, exactly at the limit', () => {
    expect(rateLimit(0, 100, 5)).toEqual({ ok: true });
    expect(rateLimit(10, 3, 12)).toEqual({ ok: false, nextAllowedBlock: 13 });
    expect(rateLimit(10, 3, 13)).toEqual({ ok: true });
  });

  it('checks MinAllowedWeights against the subnet size and allows a lone self-weight', () => {
    const one = [{ uid: 2, hotkey: BOB, value: 65535 }];
    const rules = { minAllowedWeights: 2, maxWeightsLimit: 65535, subnetN: 4 };
    expect(weightRuleProblem(one, 0, rules)).toMatch(/at least 2/);
    expect(weightRuleProblem(one, 2, rules)).toBeNull();
    expect(weightRuleProblem(one, 0, { ...rules, subnetN: 1 })).toBeNull();
    expect(
      weightRuleProblem(one, 0, { ...rules, minAllowedWeights: 1, maxWeightsLimit: 30000 }),
    ).toMatch(/MaxWeightsLimit 30000/);
  });
});

describe('Subtensor epochs', () => {
  it('computes epochs and reveal windows as the runtime does (tempo 10, netuid 2)', () => {
    // (block + netuid + 1) / (tempo + 1): blocks 8..18 are epoch 1 on netuid 2.
    expect(epochIndex(7, 2, 10)).toBe(0);
    expect(epochIndex(8, 2, 10)).toBe(1);
    expect(firstBlockOfEpoch(2, 2, 10)).toBe(19);
    expect(revealWindow(10, 2, 10, 1)).toEqual({ first: 19, last: 29 });
  });

  it('counts commitment space per epoch with a 100-byte minimum', () => {
    const base = { block: 10, netuid: 2, tempo: 10, maxSpace: 250, length: 73 };
    expect(commitmentSpace({ ...base, usage: null })).toEqual({ ok: true });
    expect(commitmentSpace({ ...base, usage: { lastEpoch: 1, usedSpace: 200 } })).toEqual({
      ok: false,
      used: 200,
      maxSpace: 250,
      nextEpochBlock: 19,
    });
    expect(commitmentSpace({ ...base, usage: { lastEpoch: 0, usedSpace: 200 } })).toEqual({
      ok: true,
    });
  });
});

describe('weights commit hash', () => {
  it('equals blake2-256 of the SCALE tuple the runtime hashes at reveal', () => {
    const input = {
      hotkey: ALICE,
      netuid: 2,
      uids: [1, 3],
      values: [32768, 65535],
      salt: [7, 8, 9],
      versionKey: 1002,
    };
    const registry = new TypeRegistry();
    const encoded = registry
      .createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [
        input.hotkey,
        input.netuid,
        input.uids,
        input.values,
        input.salt,
        input.versionKey,
      ])
      .toU8a();
    expect(weightsCommitHash(input)).toBe(blake2AsHex(encoded, 256));
  });
});
