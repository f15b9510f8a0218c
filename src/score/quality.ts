/**
 * The task measures on the scoring side, read back from bench files and never trusted: the
 * fidelity rule re-checked on every runner (a minimum on every sample, or a minimum of the
 * mean as a fraction of that runner's baseline), and per-sample measures aggregated over a
 * submission's runners with the interval the measure table declares (src/tasks/measures.ts):
 * the mean of the runners' means with no interval, or the pooled proportion with Wilson's
 * interval for 0/1 outcomes such as accuracy. Pure.
 */
import type { Contest } from '../contest/load.js';
import { measureSpec } from '../tasks/measures.js';
import { sig } from './format.js';
import type { Bench } from './inputs.js';
import type { ScoreInterval, ScoreReason } from '../documents/score.js';
import { meanInterval } from './student-t.js';
import { wilsonInterval } from './wilson.js';

/** Returns the per-sample values of measure `name` in a bench file (null where not computed). */
export function measureValues(doc: Bench, name: string): (number | null)[] {
  const field = measureSpec(name).field;
  return (doc.fidelity?.perSample ?? []).map(
    (s) => (s as Readonly<Record<string, number | null | undefined>>)[field] ?? null,
  );
}

/** Mean of the values, NaN when any is missing or there are none. */
export function meanOf(values: readonly (number | null)[]): number {
  if (values.length === 0) return Number.NaN;
  let total = 0;
  for (const v of values) total += v ?? Number.NaN;
  return total / values.length;
}

/**
 * Returns why a submission's bench file fails the contest's fidelity rule on its runner (empty
 * when it passes). `baseline` is that runner's baseline bench file, read for fraction rules.
 */
export function fidelityReasons(
  doc: Bench,
  baseline: Bench | null,
  contest: Contest,
): ScoreReason[] {
  const runner = doc.runner.name;
  const { measure } = contest.scoring.similarity;
  const f = doc.fidelity;
  if (!f || f.perSample.length === 0) {
    return [{ code: 'fidelity-missing', message: `runner ${runner}: no fidelity was measured` }];
  }
  if (f.measure !== measure) {
    return [
      {
        code: 'fidelity-measure-mismatch',
        message: `runner ${runner} measured ${f.measure}, the contest scores ${measure}`,
      },
    ];
  }
  const inputs = new Set(f.perSample.map((s) => s.input));
  if (inputs.size < doc.settings.inputs) {
    return [
      {
        code: 'fidelity-incomplete',
        message: `runner ${runner}: fidelity covers ${inputs.size} of ${doc.settings.inputs} inputs`,
      },
    ];
  }
  const values = measureValues(doc, measure);
  if (measureSpec(measure).threshold === 'fraction-of-baseline') {
    return fractionReasons(runner, values, baseline, contest);
  }
  return minimumReasons(runner, values, f.perSample, contest);
}

function minimumReasons(
  runner: string,
  values: readonly (number | null)[],
  perSample: readonly { readonly input: number }[],
  contest: Contest,
): ScoreReason[] {
  const { measure, threshold } = contest.scoring.similarity;
  // Name the worst sample (a missing value counts as worst), as the bench file does.
  let bad = -1;
  values.forEach((v, i) => {
    const worst = bad < 0 ? undefined : values[bad];
    if (
      (v === null || v < threshold) &&
      (bad < 0 || v === null || (worst !== null && v < worst!))
    ) {
      if (bad < 0 || worst !== null) bad = i;
    }
  });
  if (bad < 0) return [];
  const sample = perSample[bad]!;
  return [
    {
      code: 'fidelity-below-threshold',
      message: `runner ${runner}: ${measure} on input ${sample.input} is ${values[bad] ?? 'missing'}, below ${threshold}`,
    },
  ];
}

function fractionReasons(
  runner: string,
  values: readonly (number | null)[],
  baseline: Bench | null,
  contest: Contest,
): ScoreReason[] {
  const { measure, threshold } = contest.scoring.similarity;
  const reference = baseline ? meanOf(measureValues(baseline, measure)) : Number.NaN;
  if (!Number.isFinite(reference)) {
    return [
      {
        code: 'fidelity-missing',
        message: `runner ${runner}: the baseline has no ${measure} to compare with`,
      },
    ];
  }
  const mean = meanOf(values);
  const floor = threshold * reference;
  if (mean >= floor) return [];
  return [
    {
      code: 'fidelity-below-threshold',
      message: `runner ${runner}: ${measure} ${sig(mean)} is below ${sig(floor)} (${threshold} × the baseline's ${sig(reference)})`,
    },
  ];
}

/** One per-sample measure of one model, aggregated over its runners. */
export interface Aggregate extends ScoreInterval {
  readonly worst: number;
}

/**
 * Aggregates measure `name` over `docs` (one model's bench files, one per runner): the point is
 * the mean of the runners' means (the pooled proportion for Wilson measures), the interval
 * Wilson's at `confidence` for 0/1 measures and the point otherwise, and the worst sample.
 */
export function aggregateMeasure(
  docs: readonly Bench[],
  name: string,
  confidence: number,
): Aggregate {
  const runs = docs.map((d) => measureValues(d, name));
  const worst = sig(Math.min(...runs.map((v) => Math.min(...v.map((x) => x ?? Number.NaN)))));
  if (measureSpec(name).interval === 'wilson') {
    let k = 0;
    let n = 0;
    for (const v of runs) {
      for (const x of v) k += x ?? Number.NaN;
      n += v.length;
    }
    const { lower, upper } = wilsonInterval(k, n, confidence);
    return { point: sig(k / n), lower: sig(lower), upper: sig(upper), worst };
  }
  if (measureSpec(name).interval === 'student-t') {
    const t = meanInterval([...perInput(docs, name).values()], confidence);
    return { point: sig(t.mean), lower: sig(t.lower), upper: sig(t.upper), worst };
  }
  const means = runs.map((v) => sig(meanOf(v)));
  let total = 0;
  for (const m of means) total += m;
  const point = means.length === 1 ? means[0]! : sig(total / means.length);
  return { point, lower: point, upper: point, worst };
}

/**
 * Measure `name` per evaluation input, averaged over `docs` (one model's bench files, one per
 * runner: the same inputs everywhere, so a runner never doubles the sample count). A missing
 * value makes its input NaN.
 */
export function perInput(docs: readonly Bench[], name: string): Map<number, number> {
  const sums = new Map<number, { total: number; n: number }>();
  for (const d of docs) {
    const values = measureValues(d, name);
    (d.fidelity?.perSample ?? []).forEach((s, i) => {
      const acc = sums.get(s.input) ?? { total: 0, n: 0 };
      acc.total += values[i] ?? Number.NaN;
      acc.n += 1;
      sums.set(s.input, acc);
    });
  }
  const out = new Map<number, number>();
  for (const [input, { total, n }] of [...sums].sort(([a], [b]) => a - b))
    out.set(input, total / n);
  return out;
}
