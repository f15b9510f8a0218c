/**
 * Wilson's score interval for a proportion (accuracy: k correct of n), the interval a
 * labelled-classification contest reports for accuracy. It stays inside [0, 1], is not
 * degenerate at 0 or n successes, and keeps close to its nominal coverage for the sample sizes
 * a round uses (Brown, Cai & DasGupta 2001), unlike the normal (Wald) interval. Pure.
 */

/**
 * Returns the two-sided `confidence` Wilson interval of k successes in n trials. Throws
 * RangeError when n < 1, k is outside 0..n, or confidence is outside (0, 1).
 */
export function wilsonInterval(
  k: number,
  n: number,
  confidence: number,
): { lower: number; upper: number } {
  if (!(n >= 1) || !(k >= 0) || k > n) throw new RangeError(`bad proportion ${k}/${n}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bad confidence ${confidence}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Returns z with Φ(z) = p for 0 < p < 1 (Acklam's algorithm). */
export function normalQuantile(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = D as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}
