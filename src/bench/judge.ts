/**
 * Judging a model's kept outputs: non-finite values first, then the contest's task computes its
 * measures on every sample (src/tasks/), and the contest's fidelity rule is applied to the
 * measure it names — a minimum on every sample (the worst sample named), or a minimum of the
 * mean as a fraction of the baseline's mean. Pure functions; no task is named here.
 */
import type { Contest } from '../contest/load.js';
import { measureSpec } from '../tasks/measures.js';
import { taskOf } from '../tasks/registry.js';
import type { Outputs, Sample } from '../tasks/types.js';
import type { WireTensor } from './child/protocol.js';
import { ModelRejection } from './errors.js';
import { firstNonFinite } from '../tasks/compare.js';
import type { BenchDocument } from '../documents/bench.js';

/** The fidelity block of a bench file. */
export type Fidelity = NonNullable<BenchDocument['fidelity']>;

/** A human name for sample `i`: "input 3 (clouds.png at 12,40)", "input 3 (mnist #81)". */
export function sampleName(samples: readonly Sample[], i: number): string {
  const s = samples[i];
  if (!s?.source) return `input ${i}`;
  return s.label === null
    ? `input ${i} (${s.source} at ${s.left},${s.top})`
    : `input ${i} (${s.source})`;
}

/** The rejection for the first NaN/Infinity in `outputs`, or null when all are finite. */
export function nonFinite(
  outputs: readonly (readonly WireTensor[])[],
  samples: readonly Sample[],
): ModelRejection | null {
  for (let i = 0; i < outputs.length; i++) {
    for (const t of outputs[i] ?? []) {
      const at = firstNonFinite(t);
      if (at >= 0) {
        return new ModelRejection(
          'non-finite-output',
          `${sampleName(samples, i)}: output ${t.name} holds NaN or Infinity (element ${at})`,
        );
      }
    }
  }
  return null;
}

/** Judged outcome of one model. */
export interface Judged {
  readonly fidelity: Fidelity | null;
  readonly rejection: ModelRejection | null;
}

/**
 * Computes the task's measures for `outputs` against `baseline` (the same outputs when the
 * baseline itself is judged) and applies the contest's fidelity rule. `baselineMean` is the
 * baseline's mean of the measure, needed by fraction-of-baseline rules (null otherwise).
 * Returns the fidelity record and the rejection naming why it failed, if it did.
 */
export function judgeFidelity(
  contest: Contest,
  baseline: Outputs,
  outputs: Outputs,
  samples: readonly Sample[],
  baselineMean: number | null = null,
  baselineRecord: Fidelity | null = null,
): Judged {
  const { measure, threshold } = contest.scoring.similarity;
  const spec = measureSpec(measure);
  let values;
  try {
    values = taskOf(contest.task).judge({ contest, samples, baseline, outputs });
  } catch (err) {
    return {
      fidelity: null,
      rejection: new ModelRejection('output-mismatch', (err as Error).message),
    };
  }
  const perSample = values.map((v, input) => ({ input, ...v }));
  let worst = { input: 0, value: Infinity };
  let total = 0;
  for (const p of perSample) {
    const value = p[spec.field as keyof typeof p] as number | null | undefined;
    if (value === null || value === undefined) {
      const why = `measure ${measure} does not apply to this contest's outputs`;
      return { fidelity: null, rejection: new ModelRejection('fidelity', why) };
    }
    total += value;
    if (value < worst.value) worst = { input: p.input, value };
  }
  const mean = round6(total / Math.max(1, perSample.length));
  const rule = spec.threshold ?? 'per-sample-minimum';
  const reference = rule === 'fraction-of-baseline' ? (baselineMean ?? mean) : null;
  const passed = reference === null ? worst.value >= threshold : mean >= threshold * reference;
  const fidelity: Fidelity = {
    measure,
    rule,
    threshold,
    perSample,
    worst,
    mean,
    baselineMean: reference,
    passed,
  };
  if (!passed) return { fidelity, rejection: failure(fidelity, samples) };
  return { fidelity, rejection: floorFailure(contest, perSample, baselineRecord ?? fidelity) };
}

/**
 * The task's further floors (Task.floors): each measure's mean over the round must reach
 * threshold × the baseline's mean of it (read from the baseline's fidelity record; the
 * model's own when the baseline itself is judged). Returns the first failure, or null.
 */
function floorFailure(
  contest: Contest,
  perSample: readonly Record<string, number | null>[],
  baseline: Fidelity,
): ModelRejection | null {
  const meanOf = (rows: readonly Record<string, unknown>[], field: string) =>
    round6(rows.reduce((t, r) => t + Number(r[field] ?? 0), 0) / Math.max(1, rows.length));
  for (const floor of taskOf(contest.task).floors?.(contest) ?? []) {
    const field = measureSpec(floor.measure).field;
    const mean = meanOf(perSample, field);
    const reference = meanOf(baseline.perSample as readonly Record<string, unknown>[], field);
    const min = round6(floor.threshold * reference);
    if (mean < min) {
      return new ModelRejection(
        'fidelity',
        `${floor.measure} ${mean} over ${perSample.length} inputs is below the floor ${min} ` +
          `(${floor.threshold} × the baseline's ${reference})`,
      );
    }
  }
  return null;
}

function failure(f: Fidelity, samples: readonly Sample[]): ModelRejection {
  const unit = measureSpec(f.measure).unit;
  const u = unit ? ` ${unit}` : '';
  if (f.baselineMean !== null) {
    const floor = round6(f.threshold * f.baselineMean);
    return new ModelRejection(
      'fidelity',
      `${f.measure} ${f.mean} over ${f.perSample.length} inputs is below the floor ${floor} ` +
        `(${f.threshold} × the baseline's ${f.baselineMean})`,
    );
  }
  return new ModelRejection(
    'fidelity',
    `${sampleName(samples, f.worst.input)}: ${f.measure} ${f.worst.value}${u} is below the ` +
      `threshold ${f.threshold}${u}`,
  );
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
