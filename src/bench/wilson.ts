/**
 * The Wilson score interval for a binomial proportion (e.g. accuracy = correct / total), which
 * stays inside [0, 1] and behaves near 0 and 1, unlike the normal approximation.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/**
 * Returns the Wilson interval [low, high] for `successes` out of `total` at normal quantile
 * `z` (default 95 %). Throws RangeError when total < 1 or successes is outside [0, total].
 */
export function wilsonInterval(successes: number, total: number, z = Z95): [number, number] {
  if (!Number.isInteger(total) || total < 1)
    throw new RangeError(`total must be ≥ 1 (got ${total})`);
  if (!Number.isInteger(successes) || successes < 0 || successes > total) {
    throw new RangeError(`successes must be an integer in [0, ${total}] (got ${successes})`);
  }
  const p = successes / total;
  const z2 = z * z;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z / (1 + z2 / total)) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
