/**
 * The ratio of two loops measured in paired rounds (bench:harness, bench:pipeline): each round
 * ran a block of `block` runs of each loop back to back, so drift of the machine between
 * rounds (frequency, other work) is shared inside a round. The estimate is the geometric mean
 * of the per-round ratios of the block medians, and its 95 % interval a bootstrap over the
 * rounds: the estimator's own noise, which the figure it reports must be read against.
 */
import { median, quantile } from '../src/bench/stats.js';
import { SeedStream } from '../src/tasks/seed-stream.js';

/** A paired ratio a/b: the estimate, its 95 % bootstrap interval, and the rounds it used. */
export interface PairedRatio {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly rounds: number;
}

/**
 * Returns a/b over rounds of `block` runs: `a` and `b` hold the runs in round order (round r's
 * runs at r × block … (r + 1) × block − 1). Resamples 2,000 times from a stream of `seed` and
 * `label`. Throws when the arrays do not hold the same whole number of rounds (≥ 2).
 */
export function pairedRatio(
  a: readonly number[],
  b: readonly number[],
  block: number,
  seed: string,
  label: string,
): PairedRatio {
  const rounds = a.length / block;
  if (!Number.isInteger(rounds) || rounds < 2 || b.length !== a.length) {
    throw new RangeError(
      `paired rounds need the same whole number (≥ 2) of ${block}-run rounds on both sides (got ${a.length} and ${b.length} runs)`,
    );
  }
  const logs = Array.from({ length: rounds }, (_, r) => {
    const at = (xs: readonly number[]) => xs.slice(r * block, (r + 1) * block);
    return Math.log(median(at(a)) / median(at(b)));
  });
  const mean = (xs: readonly number[]) => xs.reduce((t, x) => t + x, 0) / xs.length;
  const rng = new SeedStream(seed, label);
  const reps = Array.from({ length: 2000 }, () =>
    Math.exp(mean(Array.from({ length: rounds }, () => logs[rng.below(rounds)]!))),
  ).sort((x, y) => x - y);
  return {
    ratio: Math.exp(mean(logs)),
    low: quantile(reps, 0.025),
    high: quantile(reps, 0.975),
    rounds,
  };
}
