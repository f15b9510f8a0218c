/**
 * The two scoring strategies, applied to one valid submission's per-runner measurements.
 * speed-at-parity: score = Π ratio_m^(e_m) · φ with e_m = w_m / Σ w over the included metrics
 * and φ the fidelity factor; its interval carries the latency interval (the other metrics are
 * single measurements). pareto: one interval per declared objective, compared by dominance.
 */
import type { Contest } from '../contest/load.js';
import { sig } from './format.js';
import { combineRuns, fidelityFactor, latencyConfidence, type RunMeasure } from './metrics.js';
import { dominates, type OrientedValue } from './rank.js';
import { isMetric, isStatic } from './objective-kind.js';
import type { Plan } from './plan.js';
import { checkBudget, earnsAtBudget, pairedDifference, type AtBudget } from './at-budget.js';
import type { Aggregate } from './quality.js';
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
    lower: number;
    upper: number;
    worst: number;
    factor: number;
  };
  readonly parameters: number | null;
  readonly flops: number | null;
  /** Per-sample measures named by pareto objectives, aggregated over the runners. */
  readonly quality: ReadonlyMap<string, Aggregate>;
  readonly score: ScoreInterval | null;
  readonly objectives: ScoreObjective[] | null;
  readonly oriented: OrientedValue[] | null;
  readonly earns: boolean;
  /** quality-at-budget: per-input quality, the budget check and the gain over the baseline. */
  readonly atBudget?: AtBudget;
}

/** What both strategies start from. */
export type Combined = Pick<Evaluated, 'metrics' | 'fidelity' | 'parameters' | 'flops' | 'quality'>;

/** Combines a submission's runs: metric intervals, fidelity, static counts and quality. */
export function combineMeasures(
  runs: readonly RunMeasure[],
  included: readonly MetricName[],
  counts: { parameters: number | null; flops: number | null },
  quality: ReadonlyMap<string, Aggregate>,
  contest: Contest,
): Combined {
  const metrics: Partial<Record<MetricName, ScoreInterval>> = {};
  for (const m of included) metrics[m] = combineRuns(runs, m, latencyConfidence(contest));
  const measure = contest.scoring.similarity.measure;
  const f = quality.get(measure)!;
  const factor = fidelityFactor(f.point, contest);
  return {
    metrics,
    fidelity: { measure, mean: f.point, lower: f.lower, upper: f.upper, worst: f.worst, factor },
    ...counts,
    quality,
  };
}

/**
 * speed-at-parity: the score interval; earns when its lower bound is above 1 + noiseFloor
 * (better than the baseline beyond both the bootstrap's noise and the contest's noise floor).
 */
export function evaluateParity(
  base: Combined,
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

/** A declared pareto objective that survived the plan's checks. */
export interface ObjectiveSpec {
  readonly name: ObjectiveName;
  readonly direction: 'min' | 'max';
}

/** Ratios are baseline/submission, so a "min" metric is better when its ratio is higher. */
export function higherIsBetter(o: ObjectiveSpec): boolean {
  return isMetric(o.name) ? o.direction === 'min' : o.direction === 'max';
}

/** The measure an objective names: the contest's fidelity measure for "fidelity". */
export function objectiveMeasure(name: ObjectiveName, contest: Contest): string {
  return name === 'fidelity' ? contest.scoring.similarity.measure : name;
}

function point(v: number): ScoreInterval {
  return { point: v, lower: v, upper: v };
}

function objectiveValue(base: Combined, name: ObjectiveName, contest: Contest): ScoreInterval {
  if (isMetric(name)) return base.metrics[name]!;
  if (isStatic(name)) return point(base[name]!);
  const q = base.quality.get(objectiveMeasure(name, contest))!;
  return { point: q.point, lower: q.lower, upper: q.upper };
}

/**
 * The baseline's value on an objective, or null when the baseline is the objective's reference
 * (a measure against the baseline's own outputs): measured ratios as the band
 * [1 − noiseFloor, 1 + noiseFloor], counts as counted, label measures as measured.
 */
function baselineValue(o: ObjectiveSpec, plan: Plan, contest: Contest): ScoreInterval | null {
  const f = contest.scoring.noiseFloor;
  if (isMetric(o.name)) return { point: 1, lower: 1 - f, upper: 1 + f };
  if (isStatic(o.name)) return point(plan.baseline[o.name]!);
  const q = plan.baseline.quality.get(objectiveMeasure(o.name, contest));
  return q ? { point: q.point, lower: q.lower, upper: q.upper } : null;
}

/**
 * pareto: one interval per objective. Earns when, against the baseline, it is better beyond
 * noise on some objective and worse beyond noise on none; objectives whose reference is the
 * baseline itself (fidelity against its outputs) are not compared with it.
 */
export function evaluatePareto(base: Combined, plan: Plan, contest: Contest): Evaluated {
  const specs = plan.objectives!;
  const objectives = specs.map((o) => ({ ...o, value: objectiveValue(base, o.name, contest) }));
  const oriented = objectives.map((o) => ({ value: o.value, higherIsBetter: higherIsBetter(o) }));
  const mine: OrientedValue[] = [];
  const reference: OrientedValue[] = [];
  specs.forEach((o, k) => {
    const value = baselineValue(o, plan, contest);
    if (value === null) return;
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

/**
 * quality-at-budget: the score is the quality measure's interval, for a submission within the
 * latency budget (null over it, so it is not placed); earns when, within budget, its paired
 * gain over the baseline clears the earlier-block margin.
 */
export function evaluateAtBudget(
  base: Combined,
  perInput: ReadonlyMap<number, number>,
  plan: Plan,
  contest: Contest,
): Evaluated {
  const speed = base.metrics.latency;
  const baseline = plan.baseline.perInput;
  if (!speed || !baseline) {
    return { ...base, score: null, objectives: null, oriented: null, earns: false };
  }
  const atBudget: AtBudget = {
    perInput,
    budget: checkBudget(speed, contest),
    overBaseline: pairedDifference(perInput, baseline, contest.scoring.confidence),
  };
  const q = base.quality.get(contest.scoring.similarity.measure)!;
  const score = atBudget.budget.within ? { point: q.point, lower: q.lower, upper: q.upper } : null;
  const earns = earnsAtBudget(atBudget, contest);
  return { ...base, score, objectives: null, oriented: null, earns, atBudget };
}
