/**
 * Sequential measurement to a declared precision (docs/adr/0140-sequential-precision.md).
 * Looks are pre-declared at minSamples × 2^k pairs, k = 0..looks−1; at each look every live
 * submission's speed ratio is computed with scoring's paired bootstrap (src/score/ratio.ts, the
 * same seed, runner and resamples as score.json) at the per-look confidence 1 − (1 − c)/looks.
 * Measuring stops at the first look where every live submission's relative half-width is at
 * most the target, at the time cap (one last look, if any is left), or after the last look.
 * Pure apart from the clock the caller passes in.
 */
import type { Samples } from '../score/bootstrap.js';
import { DEFAULT_LOOKS, lookConfidence, relativeHalfWidth, speedRatio } from '../score/ratio.js';

/** The contest's precision declaration with its defaults applied. */
export interface PrecisionTarget {
  readonly halfWidth: number;
  readonly maxSeconds: number;
  readonly looks: number;
  readonly aaSeconds: number;
}

/** The A/A check's length when the contest leaves it out. */
export const DEFAULT_AA_SECONDS = 5;

/** Returns the target with defaults, or null when the contest declares no precision. */
export function precisionTarget(
  declared: {
    halfWidth: number;
    maxSeconds: number;
    looks?: number | undefined;
    aaSeconds?: number | undefined;
  } | null,
): PrecisionTarget | null {
  if (declared === null) return null;
  return {
    halfWidth: declared.halfWidth,
    maxSeconds: declared.maxSeconds,
    looks: declared.looks ?? DEFAULT_LOOKS,
    aaSeconds: declared.aaSeconds ?? DEFAULT_AA_SECONDS,
  };
}

/** The bootstrap the looks use: scoring's, so the bench's interval is score.json's. */
export interface LookEstimator {
  readonly seed: string;
  readonly runner: string;
  readonly resamples: number;
  readonly confidence: number;
}

/** One submission's interval at a look. */
export interface LookResult {
  readonly halfWidth: number | null;
  readonly pairs: number;
}

/** Why measuring stopped. */
export type StopReason = 'reached' | 'cap' | 'looks';

/** Returns the pair count of look k (0-based): minSamples × 2^k. */
export function lookPairs(minSamples: number, k: number): number {
  return minSamples * 2 ** k;
}

/** Returns one submission's relative half-width against the baseline at `confidence`. */
export function lookAt(
  baseline: Samples,
  submission: Samples,
  estimator: LookEstimator,
  looks: number,
): LookResult {
  const r = speedRatio(baseline, submission, {
    ...estimator,
    confidence: lookConfidence(estimator.confidence, looks),
  });
  if (r === null) return { halfWidth: null, pairs: 0 };
  return { halfWidth: relativeHalfWidth(r), pairs: r.pairs };
}

/**
 * Decides after a block: null to go on, or why to stop. `pairs` is the pair count measured so
 * far, `taken` the looks already taken, `look` computes every live submission's result (called
 * only when a look is due). The cap stops at once, with one last look if any is left.
 */
export function decide(
  target: PrecisionTarget,
  minSamples: number,
  state: { pairs: number; taken: number; seconds: number; capSeconds: number },
  look: () => readonly LookResult[],
): { stop: StopReason | null; looked: readonly LookResult[] | null } {
  const capped = state.seconds >= state.capSeconds;
  const left = state.taken < target.looks;
  const due = left && (capped || state.pairs >= lookPairs(minSamples, state.taken));
  if (!due) return { stop: capped ? 'cap' : null, looked: null };
  const looked = look();
  const met = looked.every((r) => r.halfWidth !== null && r.halfWidth <= target.halfWidth);
  if (met) return { stop: 'reached', looked };
  if (capped) return { stop: 'cap', looked };
  if (state.taken + 1 >= target.looks) return { stop: 'looks', looked };
  return { stop: null, looked };
}

/** The A/A check's verdict: the noise figures, and a message when the cap cannot reach the target. */
export interface AaVerdict {
  readonly halfWidth: number;
  readonly pairs: number;
  readonly seconds: number;
  readonly projectedHalfWidth: number;
  readonly tooNoisy: string | null;
}

/**
 * Projects the A/A half-width to the cap: a half-width shrinks as 1/√pairs, and the cap buys
 * pairs at the A/A's rate (maxSeconds / seconds × pairs). Returns the figures and, when the
 * projection misses the target, the message a BenchError carries.
 */
export function judgeAa(target: PrecisionTarget, aa: LookResult, seconds: number): AaVerdict {
  const hw = aa.halfWidth ?? Number.POSITIVE_INFINITY;
  const capPairs = Math.max(aa.pairs, (aa.pairs * target.maxSeconds) / Math.max(seconds, 1e-9));
  const projected = aa.pairs > 0 ? hw * Math.sqrt(aa.pairs / capPairs) : hw;
  const pct = (x: number) => `±${(100 * x).toFixed(2)} %`;
  const tooNoisy =
    projected > target.halfWidth
      ? `runner too noisy: the A/A check (baseline against itself) reached ${pct(hw)} over ${aa.pairs} pairs in ${seconds.toFixed(1)} s; the cap of ${target.maxSeconds} s per submission would reach about ${pct(projected)}, the contest needs ${pct(target.halfWidth)}`
      : null;
  return { halfWidth: hw, pairs: aa.pairs, seconds, projectedHalfWidth: projected, tooNoisy };
}
