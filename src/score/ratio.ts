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
