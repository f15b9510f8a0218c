import { describe, expect, it } from 'vitest';
import { bootstrapIndices, bootstrapState, Xoshiro128 } from './prng.js';

describe('bootstrap random numbers (docs/scoring.md test vector)', () => {
  it('produces the xoshiro128** reference outputs for state (1, 2, 3, 4)', () => {
    const g = new Xoshiro128([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => g.next())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('derives the state from the round seed, the runner and the pair count', () => {
    const state = bootstrapState(`0x${'5e'.repeat(32)}`, 'runner-a', 8);
    expect(state).toEqual([0xfb793e65, 0x18c11b6c, 0xfd688a6c, 0xbd5dc2c8]);
    expect(Array.from(bootstrapIndices(`0x${'5e'.repeat(32)}`, 'runner-a', 8, 2))).toEqual([
      5, 5, 2, 7, 5, 4, 7, 2, 6, 6, 0, 2, 1, 5, 1, 4,
    ]);
    expect(bootstrapState(`0x${'5e'.repeat(32)}`, 'runner-b', 8)).not.toEqual(state);
    expect(bootstrapState(`0x${'5e'.repeat(32)}`, 'runner-a', 9)).not.toEqual(state);
  });

  it('replaces an all-zero state so the generator does not stick at 0', () => {
    const g = new Xoshiro128([0, 0, 0, 0]);
    expect(new Set(Array.from({ length: 8 }, () => g.next())).size).toBeGreaterThan(1);
  });

  it('draws every index below n about equally often', () => {
    const g = new Xoshiro128([9, 8, 7, 6]);
    const counts = new Array<number>(7).fill(0);
    for (let k = 0; k < 70_000; k++) counts[g.nextIndex(7)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => g.nextIndex(0)).toThrow(RangeError);
  });
});
