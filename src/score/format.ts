/**
 * Fixed number formatting for score.json: every computed (non-integer) number is rounded to
 * 6 significant digits with `Number.prototype.toPrecision`, whose result the ECMAScript
 * specification fixes exactly (the nearest 6-digit decimal, the larger one on an exact tie).
 * Decisions (earns, ranks, ties) are taken on the rounded numbers, so that anyone reading the
 * file sees the very numbers that decided.
 */

export const SIGNIFICANT_DIGITS = 6;

/** Returns `x` rounded to 6 significant digits (0 for ±0); throws on NaN or ±Infinity. */
export function sig(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot format ${x} as a score number`);
  if (x === 0) return 0;
  return Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

/** Compares strings by UTF-16 code unit, the order canonical JSON sorts keys in. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
