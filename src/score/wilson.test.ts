import { describe, expect, it } from 'vitest';
import { normalQuantile, wilsonInterval } from './wilson.js';

describe('the Wilson interval', () => {
  it('matches the textbook value for 81 of 263 (Wilson 1927 / Newcombe 1998: 0.2553–0.3662)', () => {
    const { lower, upper } = wilsonInterval(81, 263, 0.95);
    expect(lower).toBeCloseTo(0.2553, 4);
    expect(upper).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] at 0 and at total successes, with a non-zero width', () => {
    const none = wilsonInterval(0, 10, 0.95);
    expect(none.lower).toBe(0);
    expect(none.upper).toBeCloseTo(0.2775, 4);
    const all = wilsonInterval(10, 10, 0.95);
    expect(all.upper).toBeCloseTo(1, 12);
    expect(all.lower).toBeCloseTo(0.7225, 4);
  });

  it('uses the normal quantile of the confidence asked for', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829304, 8);
    expect(normalQuantile(0.5)).toBe(0);
    const w90 = wilsonInterval(90, 100, 0.9);
    const w99 = wilsonInterval(90, 100, 0.99);
    expect(w99.upper - w99.lower).toBeGreaterThan(w90.upper - w90.lower);
  });

  it('rejects impossible counts and confidences', () => {
    expect(() => wilsonInterval(3, 0, 0.95)).toThrow('bad proportion 3/0');
    expect(() => wilsonInterval(11, 10, 0.95)).toThrow('bad proportion 11/10');
    expect(() => wilsonInterval(5, 10, 1)).toThrow('bad confidence 1');
  });
});
