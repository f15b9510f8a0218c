/**
 * The speed ratio a miner sees in `podium bench` and the harness reports, computed by
 * scoring's own paired bootstrap (src/score/bootstrap.ts) so the numbers match score.json:
 * Σ baseline / Σ submission over (block, input) pairs; above 1 is faster than the baseline.
 */
import {
  RunnerBootstrap,
  pairSamples,
  percentileInterval,
  prepareBaseline,
  sum,
  type Samples,
} from './bootstrap.js';

/** A ratio and its interval. */
export interface SpeedRatio {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly pairs: number;
}

/** Bootstrap settings: the round seed, the runner name, resamples and confidence. */
export interface RatioOptions {
  readonly seed: string;
  readonly runner: string;
  readonly resamples: number;
  readonly confidence: number;
}

/** Returns the speed ratio of `submission` against `baseline`, or null with < 2 pairs. */
export function speedRatio(
  baseline: Samples,
  submission: Samples,
  options: RatioOptions,
): SpeedRatio | null {
  const pairs = pairSamples(prepareBaseline(baseline), submission);
  const n = pairs.submission.length;
  if (n < 2) return null;
  const boot = new RunnerBootstrap(options.seed, options.runner, options.resamples);
  const { lower, upper } = percentileInterval(boot.ratios(pairs), options.confidence);
  return { ratio: sum(pairs.baseline) / sum(pairs.submission), low: lower, high: upper, pairs: n };
}

/** Looks a contest's precision declares when it leaves `looks` out. */
export const DEFAULT_LOOKS = 8;

/**
 * Returns the per-look confidence that keeps `confidence` over up to `looks` pre-declared
 * looks (Bonferroni: each look may miss with probability (1 − confidence)/looks, so the union
 * of misses has at most 1 − confidence, whichever look the stopping rule ends on). One look
 * returns `confidence` itself. Throws unless looks is an integer ≥ 1.
 */
export function lookConfidence(confidence: number, looks: number): number {
  if (!Number.isInteger(looks) || looks < 1) throw new RangeError(`bad look count ${looks}`);
  return 1 - (1 - confidence) / looks;
}

/** Returns the interval's half-width relative to the ratio: (high − low) / 2 / ratio. */
export function relativeHalfWidth(r: SpeedRatio): number {
  return (r.high - r.low) / 2 / r.ratio;
}
