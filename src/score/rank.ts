/**
 * Ranking with noise. A submission's rank is 1 + the number of submissions better than it
 * beyond noise: for a scalar score, whose interval lies entirely above its interval; for
 * pareto, which dominate it (better beyond noise on some objective, worse beyond noise on
 * none). Submissions of equal rank form a tie group; within it the tie-breaker orders them,
 * then the earlier commitment. docs/adr/0041 says why not "overlap chains".
 */
import type { ScoreInterval } from '../documents/score.js';

/** Returns 1 + #{j : lower_j > upper_i} for every i, in O(n log n). */
export function ranksByInterval(items: readonly ScoreInterval[]): number[] {
  const lowers = items.map((x) => x.lower).sort((a, b) => a - b);
  return items.map((x) => 1 + lowers.length - upperBound(lowers, x.upper));
}

/** Index of the first element > value in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Returns 1 + the number of items that dominate each item. */
export function ranksByDominance<T>(
  items: readonly T[],
  dominates: (a: T, b: T) => boolean,
): number[] {
  const ranks = items.map(() => 1);
  items.forEach((a, i) => {
    items.forEach((b, j) => {
      if (i !== j && dominates(a, b)) ranks[j]! += 1;
    });
  });
  return ranks;
}

/** One pareto objective's interval and orientation. */
export interface OrientedValue {
  readonly value: ScoreInterval;
  readonly higherIsBetter: boolean;
}

/** True when `a` is better than `b` beyond noise: their intervals do not overlap. */
export function beats(a: OrientedValue, b: OrientedValue): boolean {
  return a.higherIsBetter ? a.value.lower > b.value.upper : a.value.upper < b.value.lower;
}

/** True when `a` beats `b` on some objective and `b` beats `a` on none. */
export function dominates(a: readonly OrientedValue[], b: readonly OrientedValue[]): boolean {
  let some = false;
  for (let k = 0; k < a.length; k++) {
    if (beats(b[k]!, a[k]!)) return false;
    if (beats(a[k]!, b[k]!)) some = true;
  }
  return some;
}

/** Returns the dense tie-group index (1, 2, …) of each rank. */
export function tieGroups(ranks: readonly number[]): number[] {
  const distinct = [...new Set(ranks)].sort((a, b) => a - b);
  const index = new Map(distinct.map((r, i) => [r, i + 1]));
  return ranks.map((r) => index.get(r)!);
}
