/**
 * The two scoring strategies, applied to one valid submission's per-runner measurements.
 * speed-at-parity: score = Π ratio_m^(e_m) · φ with e_m = w_m / Σ w over the included metrics
 * and φ the fidelity factor; its interval carries the latency interval (the other metrics are
 * single measurements). pareto: one interval per declared objective, compared by dominance.
 */
import type { Contest } from '../contest/load.js';
import { sig } from './format.js';
import { combineRuns, fidelityFactor, type RunMeasure } from './metrics.js';
import { dominates, type OrientedValue } from './rank.js';
import type {
  MetricName,
  ObjectiveName,
  ScoreInterval,
  ScoreObjective,
} from '../documents/score.js';

/** A metric in the scalar score with its exponent. */
export interface Exponent {
  readonly name: MetricName;
  readonly weight: number;
  readonly exponent: number;
}

/** Returns the included metrics' exponents e_m = w_m / Σ w (6 significant digits). */
export function exponents(contest: Contest, included: readonly MetricName[]): Exponent[] {
  const weights = new Map<string, number>(contest.metrics.map((m) => [m.name, m.weight]));
  const scored = included.filter((m) => weights.has(m));
  let total = 0;
  for (const m of scored) total += weights.get(m)!;
  return scored.map((name) => ({
    name,
    weight: weights.get(name)!,
    exponent: sig(weights.get(name)! / total),
  }));
}

/** Everything the strategies derive for one valid submission. */
export interface Evaluated {
  readonly metrics: Partial<Record<MetricName, ScoreInterval>>;
  readonly fidelity: {
    measure: Contest['scoring']['similarity']['measure'];
    mean: number;
    worst: number;
    factor: number;
  };
  readonly parameters: number | null;
  readonly score: ScoreInterval | null;
  readonly objectives: ScoreObjective[] | null;
  readonly oriented: OrientedValue[] | null;
  readonly earns: boolean;
}

/** Combines a submission's runs: metric intervals, fidelity and the parameter count. */
export function combineMeasures(
  runs: readonly RunMeasure[],
  included: readonly MetricName[],
  parameters: number | null,
  contest: Contest,
): Pick<Evaluated, 'metrics' | 'fidelity' | 'parameters'> {
  const metrics: Partial<Record<MetricName, ScoreInterval>> = {};
  for (const m of included) metrics[m] = combineRuns(runs, m, contest.scoring.confidence);
  let total = 0;
  for (const r of runs) total += r.fidelity.mean;
  const mean = runs.length === 1 ? runs[0]!.fidelity.mean : sig(total / runs.length);
  const worst = Math.min(...runs.map((r) => r.fidelity.worst));
  const factor = fidelityFactor(mean, contest);
  return {
    metrics,
    fidelity: { measure: runs[0]!.fidelity.measure, mean, worst, factor },
    parameters,
  };
}

/**
 * speed-at-parity: the score interval; earns when its lower bound is above 1 + noiseFloor
 * (better than the baseline beyond both the bootstrap's noise and the contest's noise floor).
 */
export function evaluateParity(
  base: Pick<Evaluated, 'metrics' | 'fidelity' | 'parameters'>,
  exps: readonly Exponent[],
  noiseFloor: number,
): Evaluated {
  if (exps.length === 0) {
    return { ...base, score: null, objectives: null, oriented: null, earns: false };
  }
  let point = base.fidelity.factor;
  let lower = base.fidelity.factor;
  let upper = base.fidelity.factor;
  for (const { name, exponent } of exps) {
    const r = base.metrics[name]!;
    point *= r.point ** exponent;
    lower *= r.lower ** exponent;
    upper *= r.upper ** exponent;
  }
  const score = { point: sig(point), lower: sig(lower), upper: sig(upper) };
  return { ...base, score, objectives: null, oriented: null, earns: score.lower > 1 + noiseFloor };
}

/** A declared pareto objective that survived the null check. */
export interface ObjectiveSpec {
  readonly name: ObjectiveName;
  readonly direction: 'min' | 'max';
}

function isMeasured(name: ObjectiveName): name is MetricName {
  return name !== 'parameters' && name !== 'fidelity';
}

/** Ratios are baseline/submission, so a "min" metric is better when its ratio is higher. */
export function higherIsBetter(o: ObjectiveSpec): boolean {
  return isMeasured(o.name) ? o.direction === 'min' : o.direction === 'max';
}

function objectiveValue(
  base: Pick<Evaluated, 'metrics' | 'fidelity' | 'parameters'>,
  name: ObjectiveName,
): ScoreInterval {
  if (isMeasured(name)) return base.metrics[name]!;
  const v = name === 'parameters' ? base.parameters! : base.fidelity.mean;
  return { point: v, lower: v, upper: v };
}

/**
 * pareto: one interval per objective. Earns when, against the baseline (measured ratios as the
 * band [1 − noiseFloor, 1 + noiseFloor], its parameter count; fidelity not compared, the
 * baseline is its reference), it is better beyond noise on some objective and worse beyond
 * noise on none.
 */
export function evaluatePareto(
  base: Pick<Evaluated, 'metrics' | 'fidelity' | 'parameters'>,
  specs: readonly ObjectiveSpec[],
  baselineParameters: number | null,
  noiseFloor: number,
): Evaluated {
  const objectives = specs.map((o) => ({ ...o, value: objectiveValue(base, o.name) }));
  const oriented = objectives.map((o) => ({ value: o.value, higherIsBetter: higherIsBetter(o) }));
  const mine: OrientedValue[] = [];
  const reference: OrientedValue[] = [];
  specs.forEach((o, k) => {
    if (o.name === 'fidelity') return;
    const value =
      o.name === 'parameters'
        ? { point: baselineParameters!, lower: baselineParameters!, upper: baselineParameters! }
        : { point: 1, lower: 1 - noiseFloor, upper: 1 + noiseFloor };
    mine.push(oriented[k]!);
    reference.push({ value, higherIsBetter: higherIsBetter(o) });
  });
  const earns = mine.length > 0 && dominates(mine, reference);
  return { ...base, score: null, objectives, oriented, earns };
}

/** pareto dominance between two evaluated submissions. */
export function paretoDominates(a: Evaluated, b: Evaluated): boolean {
  return dominates(a.oriented!, b.oriented!);
}
