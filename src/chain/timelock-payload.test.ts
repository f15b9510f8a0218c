import { TypeRegistry } from '@polkadot/types';
import { describe, expect, it } from 'vitest';
import { DEV_PATHS, devKeypair } from './dev.js';
import { decodeTlockPayload, encodeTlockPayload } from './timelock-payload.js';

/** The Rust types, as polkadot-js's independent SCALE codec describes them. */
const registry = new TypeRegistry();
registry.register({
  WeightsTlockPayload: {
    hotkey: 'Vec<u8>',
    uids: 'Vec<u16>',
    values: 'Vec<u16>',
    version_key: 'u64',
  },
  LegacyWeightsTlockPayload: { uids: 'Vec<u16>', values: 'Vec<u16>', version_key: 'u64' },
});
const hotkey = devKeypair(DEV_PATHS.validator);

describe('timelocked weight payloads (SCALE)', () => {
  it('encodes v4 as WeightsTlockPayload { hotkey, uids, values, version_key }', () => {
    const payload = {
      hotkey: hotkey.address,
      uids: [1, 2, 300],
      values: [65535, 0, 258],
      versionKey: 10_203,
    };
    const ours = encodeTlockPayload(payload);
    const theirs = registry
      .createType('WeightsTlockPayload', {
        hotkey: Array.from(hotkey.publicKey),
        uids: payload.uids,
        values: payload.values,
        version_key: payload.versionKey,
      })
      .toU8a();
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(theirs).toString('hex'));
    // compact(32) ‖ 32 bytes, compact(3) ‖ 3 × u16 LE, compact(3) ‖ 3 × u16 LE, u64 LE
    expect(Buffer.from(ours.subarray(33)).toString('hex')).toBe(
      '0c' + '0100' + '0200' + '2c01' + '0c' + 'ffff' + '0000' + '0201' + 'db27000000000000',
    );
    expect(ours[0]).toBe(0x80);
    expect(decodeTlockPayload(ours, 'v4')).toEqual(payload);
  });

  it('encodes CRv3 as the legacy payload without the hotkey', () => {
    const payload = { hotkey: null, uids: [0, 7], values: [1, 65535], versionKey: 100 };
    const ours = encodeTlockPayload(payload);
    const theirs = registry
      .createType('LegacyWeightsTlockPayload', {
        uids: [0, 7],
        values: [1, 65535],
        version_key: 100,
      })
      .toU8a();
    expect(Buffer.from(ours)).toEqual(Buffer.from(theirs));
    expect(decodeTlockPayload(ours, 'legacy')).toEqual(payload);
  });

  it('refuses mismatched vectors, non-u16 values and bytes that are not one payload', () => {
    expect(() =>
      encodeTlockPayload({ hotkey: null, uids: [1], values: [], versionKey: 1 }),
    ).toThrow('timelock payload: 1 uids but 0 values');
    expect(() =>
      encodeTlockPayload({ hotkey: null, uids: [1], values: [70000], versionKey: 1 }),
    ).toThrow('timelock payload: 70000 is not a u16');
    const legacy = encodeTlockPayload({ hotkey: null, uids: [1], values: [2], versionKey: 3 });
    expect(() => decodeTlockPayload(legacy, 'v4')).toThrow(/hotkey is 1 bytes, not 32/);
    expect(() => decodeTlockPayload(legacy.subarray(0, 10), 'legacy')).toThrow(
      /version_key runs past the end/,
    );
    expect(() => decodeTlockPayload(new Uint8Array([...legacy, 0]), 'legacy')).toThrow(
      /1 trailing bytes/,
    );
  });
});
