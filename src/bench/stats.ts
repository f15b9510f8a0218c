/**
 * Summary statistics over raw timings (pure). Speed ratios and their intervals are scoring's:
 * see src/score/ratio.ts, which calls src/score/bootstrap.ts so that the CLI shows what score.json will.
 */

/** The summary recorded in a bench file. */
export interface Summary {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly stdevMs: number;
  readonly relStdev: number;
}

/**
 * The q-quantile of ascending `sorted` values by linear interpolation between closest ranks
 * (Hyndman–Fan type 7, numpy's default). Throws on an empty array.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** The median of `values` in any order (quantile 0.5 of a sorted copy). Throws on none. */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Mean, p50/p90/p99, sample stdev and relative stdev of `ms`; null when there are none. */
export function summarize(ms: readonly number[]): Summary | null {
  if (ms.length === 0) return null;
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((s, x) => s + x, 0) / ms.length;
  const variance =
    ms.length > 1 ? ms.reduce((s, x) => s + (x - mean) ** 2, 0) / (ms.length - 1) : 0;
  const stdev = Math.sqrt(variance);
  return {
    count: ms.length,
    meanMs: round(mean),
    p50Ms: round(quantile(sorted, 0.5)),
    p90Ms: round(quantile(sorted, 0.9)),
    p99Ms: round(quantile(sorted, 0.99)),
    stdevMs: round(stdev),
    relStdev: round(mean > 0 ? stdev / mean : 0),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
