import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from './half.js';

describe('float16 conversion', () => {
  it('encodes known values to their IEEE binary16 bit patterns', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65520, 0x7c00], // rounds up past the largest finite half → +Inf
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -26, 0x0000], // below half the smallest subnormal → 0
      [1 + 2 ** -11, 0x3c00], // exactly halfway, ties to even (down)
      [1 + 3 * 2 ** -11, 0x3c02], // exactly halfway, ties to even (up)
      [Infinity, 0x7c00],
    ];
    for (const [value, bits] of cases) expect([value, toHalfBits(value)]).toEqual([value, bits]);
    expect(toHalfBits(NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalfBits(NaN) & 0x3ff).not.toBe(0);
  });

  it('round-trips every finite half exactly and rounds other floats to the nearest half', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromHalfBits(bits);
      if (Number.isFinite(value) && toHalfBits(value) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
    for (const x of [0.3333, 1e-5, -123.456, 4097.3, 6.1e-5]) {
      const h = fromHalfBits(toHalfBits(x));
      const ulp =
        Math.abs(h) < 6.103515625e-5 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(Math.abs(h))) - 10);
      expect(Math.abs(h - x)).toBeLessThanOrEqual(ulp / 2);
    }
  });
});
