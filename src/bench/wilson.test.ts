import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.js';

describe('the Wilson interval', () => {
  it('matches the textbook value for 81 of 263 (Wilson 1927 / Newcombe 1998: 0.2553–0.3662)', () => {
    const [lo, hi] = wilsonInterval(81, 263);
    expect(lo).toBeCloseTo(0.2553, 4);
    expect(hi).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] at 0 and at total successes, with a non-zero width', () => {
    const [lo0, hi0] = wilsonInterval(0, 10);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.2775, 4);
    const [lo1, hi1] = wilsonInterval(10, 10);
    expect(hi1).toBeCloseTo(1, 12);
    expect(lo1).toBeCloseTo(0.7225, 4);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(3, 0)).toThrow('total must be ≥ 1 (got 0)');
    expect(() => wilsonInterval(11, 10)).toThrow(
      'successes must be an integer in [0, 10] (got 11)',
    );
  });
});
