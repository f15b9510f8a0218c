import { describe, expect, it } from 'vitest';
import { versionKeyOf } from '../chain/weights.js';
import { weightsFromScore } from './weights.js';

const A = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const B = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const neurons = [
  { uid: 0, hotkey: A },
  { uid: 3, hotkey: B },
];

describe('weightsFromScore', () => {
  it('sends the positive u16 weights by hotkey, leaving out the zeros', () => {
    const score = { weights: { u16: { [A]: 65535, [B]: 0 }, fallback: null } };
    expect(weightsFromScore(score, neurons)).toEqual({ byHotkey: { [A]: 65535 }, note: null });
  });

  it('gives all weight to the hotkey registered at the fallback uid when nobody earned', () => {
    const score = { weights: { u16: { [A]: 0 }, fallback: { uid: 3, u16: 65535 } } };
    expect(weightsFromScore(score, neurons)).toEqual({ byHotkey: { [B]: 65535 }, note: null });
  });

  it('sends nothing, and says why, when the fallback uid is not registered (no throw)', () => {
    const score = { weights: { u16: {}, fallback: { uid: 7, u16: 65535 } } };
    expect(weightsFromScore(score, neurons)).toEqual({
      byHotkey: {},
      note: 'nobody earned and the fallback uid 7 is not registered now: nothing to set',
    });
  });
});

describe('versionKeyOf (the one version_key rule)', () => {
  it('is major·10000 + minor·100 + patch', () => {
    expect(versionKeyOf('0.1.0')).toBe(100);
    expect(versionKeyOf('1.2.3')).toBe(10203);
    expect(versionKeyOf('2.10.4-rc.1')).toBe(21004);
  });

  it('refuses a version that is not major.minor.patch', () => {
    expect(() => versionKeyOf('v1')).toThrow('"v1" is not a semantic version');
  });
});
