/**
 * Metric values and ratios. Every ratio is baseline / submission on the same runner (above 1
 * is better). Latency is the ratio of summed paired timings with a bootstrap interval; load
 * time, memory, GPU memory and energy are single measurements, so their interval is the point.
 * A metric that is null (or ≤ 0) for any scored model on any runner is left out for everyone.
 * Several runners combine by the geometric mean of per-runner ratios (per resample for
 * latency); the fidelity of several runners is the mean of their means.
 */
import type { Contest } from '../contest/load.js';
import { percentileInterval, sum, type Pairs, type RunnerBootstrap } from './bootstrap.js';
import { sig } from './format.js';
import { DEFAULT_LOOKS, lookConfidence } from './ratio.js';
import type { Bench } from './inputs.js';
import { METRIC_NAMES, type MetricName, type ScoreInterval } from '../documents/score.js';
import { measureSpec } from '../tasks/measures.js';
import { measureValues } from './quality.js';

type ScalarMetric = Exclude<MetricName, 'latency'>;

/** Returns a model's single measurement of a non-latency metric, or null when absent. */
export function scalarValue(doc: Bench, metric: ScalarMetric): number | null {
  switch (metric) {
    case 'loadTime':
      return doc.load.sessionMs;
    case 'memory':
      return doc.memory.peakRssBytes;
    case 'gpuMemory':
      return doc.memory.gpuMemoryBytes;
    case 'energy':
      return doc.energy.joulesPerSample;
  }
}

/** Returns the metrics the contest needs measured (scored metrics and pareto objectives). */
export function neededMetrics(contest: Contest): MetricName[] {
  const wanted = new Set<string>(contest.metrics.map((m) => m.name));
  if (contest.scoring.strategy === 'pareto') {
    for (const o of contest.scoring.objectives ?? []) wanted.add(o.metric);
  }
  return METRIC_NAMES.filter((m) => wanted.has(m));
}

/** The models a runner contributes to the metric check: its baseline and its scored docs. */
export interface RunnerModels {
  readonly runner: string;
  readonly baseline: Bench;
  readonly submissions: readonly (readonly [string, Bench])[];
}

/** Splits the needed metrics into those usable for everyone and those left out (with why). */
export function usableMetrics(
  needed: readonly MetricName[],
  runners: readonly RunnerModels[],
): { included: MetricName[]; excluded: { name: MetricName; reason: string }[] } {
  const included: MetricName[] = [];
  const excluded: { name: MetricName; reason: string }[] = [];
  for (const metric of needed) {
    const missing = metric === 'latency' ? null : firstMissing(metric, runners);
    if (missing) excluded.push({ name: metric, reason: missing });
    else included.push(metric);
  }
  return { included, excluded };
}

function firstMissing(metric: ScalarMetric, runners: readonly RunnerModels[]): string | null {
  for (const r of runners) {
    const models: (readonly [string, Bench])[] = [['the baseline', r.baseline], ...r.submissions];
    for (const [who, doc] of models) {
      const v = scalarValue(doc, metric);
      if (v === null || !(v > 0)) {
        return `${v === null ? 'not measured' : `is ${v}`} for ${who} on runner ${r.runner}`;
      }
    }
  }
  return null;
}

/** One metric of one submission on one runner. */
export interface MetricValue {
  readonly baseline: number;
  readonly submission: number;
  readonly ratio: ScoreInterval;
  /** Resampled ratios (latency only). */
  readonly replicates: Float64Array | null;
}

/** What one runner measured for one submission. */
export interface RunMeasure {
  readonly name: string;
  readonly pairs: number;
  readonly metrics: ReadonlyMap<MetricName, MetricValue>;
  readonly fidelity: {
    measure: Contest['scoring']['similarity']['measure'];
    mean: number;
    worst: number;
  };
}

/** Keeps integers (bytes) exact and rounds everything else to 6 significant digits. */
export function num(x: number): number {
  return Number.isInteger(x) ? x : sig(x);
}

/** Measures one submission on one runner: ratios for the included metrics, and fidelity. */
export function measureRun(
  doc: Bench,
  baseline: Bench,
  pairs: Pairs | null,
  boot: RunnerBootstrap,
  included: readonly MetricName[],
  contest: Contest,
): RunMeasure {
  const metrics = new Map<MetricName, MetricValue>();
  for (const metric of included) {
    if (metric === 'latency' && pairs) {
      const n = pairs.submission.length;
      const b = sum(pairs.baseline);
      const s = sum(pairs.submission);
      const replicates = boot.ratios(pairs);
      const { lower, upper } = percentileInterval(replicates, latencyConfidence(contest));
      metrics.set(metric, {
        baseline: sig(b / n),
        submission: sig(s / n),
        ratio: { point: sig(b / s), lower: sig(lower), upper: sig(upper) },
        replicates,
      });
    } else if (metric !== 'latency') {
      const b = scalarValue(baseline, metric)!;
      const s = scalarValue(doc, metric)!;
      const point = sig(b / s);
      metrics.set(metric, {
        baseline: num(b),
        submission: num(s),
        ratio: { point, lower: point, upper: point },
        replicates: null,
      });
    }
  }
  const { measure } = contest.scoring.similarity;
  const values = measureValues(doc, measure).map((v) => v ?? Number.NaN);
  const fidelity = {
    measure,
    mean: sig(values.reduce((a, v) => a + v, 0) / values.length),
    worst: sig(Math.min(...values)),
  };
  return { name: doc.runner.name, pairs: pairs?.submission.length ?? 0, metrics, fidelity };
}

/**
 * Returns the confidence of latency intervals: the contest's, or with a declared precision the
 * per-look confidence the bench stopped on (docs/adr/0140), so the interval scored is the one
 * whose coverage survives stopping on it.
 */
export function latencyConfidence(contest: Contest): number {
  const precision = contest.measurement.precision;
  if (precision === null) return contest.scoring.confidence;
  return lookConfidence(contest.scoring.confidence, precision.looks ?? DEFAULT_LOOKS);
}

/** Returns the geometric mean of positive values (the value itself for one). */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 1) return values[0]!;
  let logs = 0;
  for (const v of values) logs += Math.log(v);
  return Math.exp(logs / values.length);
}

/** Combines one metric's ratio over a submission's runners. */
export function combineRuns(
  runs: readonly RunMeasure[],
  metric: MetricName,
  confidence: number,
): ScoreInterval {
  const values = runs.map((r) => r.metrics.get(metric)!);
  if (values.length === 1) return values[0]!.ratio;
  const point = sig(geometricMean(values.map((v) => v.ratio.point)));
  const reps = values.map((v) => v.replicates);
  if (reps.some((r) => r === null)) return { point, lower: point, upper: point };
  const combined = new Float64Array(reps[0]!.length);
  for (const rep of reps) {
    for (let r = 0; r < combined.length; r++) combined[r] = combined[r]! + Math.log(rep![r]!);
  }
  for (let r = 0; r < combined.length; r++) combined[r] = Math.exp(combined[r]! / reps.length);
  const { lower, upper } = percentileInterval(combined, confidence);
  return { point, lower: sig(lower), upper: sig(upper) };
}

/**
 * Returns the fidelity factor φ = clamp((f − threshold)/(perfect − threshold), 0, 1)^k for mean
 * fidelity f, or 1 when the exponent k is 0 or the threshold is already perfect.
 */
export function fidelityFactor(mean: number, contest: Contest): number {
  const k = contest.scoring.fidelityExponent;
  const { measure, threshold } = contest.scoring.similarity;
  const perfect = measureSpec(measure).perfect;
  if (k === 0 || perfect === null || threshold >= perfect) return 1;
  const margin = Math.min(1, Math.max(0, (mean - threshold) / (perfect - threshold)));
  return sig(margin ** k);
}
