import { describe, expect, it } from 'vitest';
import { DEV_PATHS, devKeypair } from './dev.js';
import { commitSalt } from './salt.js';

const vector = { netuid: 2, uids: [1, 2], values: [65535, 100], versionKey: 100 };

describe('commitSalt', () => {
  it('is the same for the same hotkey and vector, so a later run can reveal without a stored salt', () => {
    const salt = commitSalt(devKeypair(DEV_PATHS.validator), vector);
    expect(salt).toHaveLength(8);
    expect(salt.every((s) => Number.isInteger(s) && s >= 0 && s <= 65535)).toBe(true);
    expect(commitSalt(devKeypair(DEV_PATHS.validator), { ...vector })).toEqual(salt);
  });

  it('differs for another hotkey secret and for another vector, netuid or version key', () => {
    const salt = commitSalt(devKeypair(DEV_PATHS.validator), vector);
    expect(commitSalt(devKeypair(DEV_PATHS.miner(0)), vector)).not.toEqual(salt);
    expect(
      commitSalt(devKeypair(DEV_PATHS.validator), { ...vector, values: [65535, 101] }),
    ).not.toEqual(salt);
    expect(commitSalt(devKeypair(DEV_PATHS.validator), { ...vector, netuid: 3 })).not.toEqual(salt);
    expect(commitSalt(devKeypair(DEV_PATHS.validator), { ...vector, versionKey: 101 })).not.toEqual(
      salt,
    );
  });
});
