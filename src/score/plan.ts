/**
 * What the round is scored on, decided once for everyone: the measured metrics that are
 * available for every scored model, the speed-at-parity exponents, and the pareto objectives
 * (a measured objective left out for a null, a static count — parameters, FLOPs — left out when
 * the baseline or any valid model lacks it), with the baseline's own values the objectives are
 * compared with.
 */
import type { Contest } from '../contest/load.js';
import { measureSpec } from '../tasks/measures.js';
import type { Assessed, RunnerContext } from './assess.js';
import { aggregateMeasure, perInput, type Aggregate } from './quality.js';
import type { MetricName, ObjectiveName } from '../documents/score.js';
import { isMetric, isStatic, type StaticName } from './objective-kind.js';
import { exponents, type Exponent, type ObjectiveSpec } from './strategy.js';

/** The baseline's values the pareto objectives compare with. */
export interface BaselineValues {
  readonly parameters: number | null;
  readonly flops: number | null;
  /** Per-sample measures judged against labels, aggregated over the usable runners. */
  readonly quality: ReadonlyMap<string, Aggregate>;
  /** quality-at-budget: the quality measure per evaluation input. */
  readonly perInput?: ReadonlyMap<number, number>;
}

/** The scoring plan of one round. */
export interface Plan {
  /** Measured metrics computed for every valid submission. */
  readonly included: MetricName[];
  /** speed-at-parity: the metrics in the score with their exponents (empty for pareto). */
  readonly exponents: Exponent[];
  /** pareto: the objectives compared (null for speed-at-parity). */
  readonly objectives: ObjectiveSpec[] | null;
  readonly excluded: { name: ObjectiveName; reason: string }[];
  readonly baseline: BaselineValues;
}

const NO_BASELINE: BaselineValues = { parameters: null, flops: null, quality: new Map() };

/** Returns the plan from the usable metrics and the valid submissions' bench files. */
export function planStrategy(
  contest: Contest,
  usable: { included: MetricName[]; excluded: { name: MetricName; reason: string }[] },
  assessed: readonly Assessed[],
  runners: readonly RunnerContext[],
): Plan {
  const excluded: { name: ObjectiveName; reason: string }[] = [...usable.excluded];
  if (contest.scoring.strategy === 'quality-at-budget') {
    const baseline = baselineValues(contest, runners);
    const docs = runners.filter((r) => r.problem === null).map((r) => r.bench.baseline!);
    const measure = contest.scoring.similarity.measure;
    const judged = docs.length > 0 && docs.every((d) => (d.fidelity?.perSample.length ?? 0) > 0);
    return {
      included: usable.included,
      exponents: [],
      objectives: null,
      excluded,
      baseline: judged ? { ...baseline, perInput: perInput(docs, measure) } : baseline,
    };
  }
  if (contest.scoring.strategy === 'speed-at-parity') {
    return {
      included: usable.included,
      exponents: exponents(contest, usable.included),
      objectives: null,
      excluded,
      baseline: NO_BASELINE,
    };
  }
  const baseline = baselineValues(contest, runners);
  const objectives: ObjectiveSpec[] = [];
  for (const o of contest.scoring.objectives ?? []) {
    const name = o.metric;
    if (objectives.some((x) => x.name === name) || excluded.some((x) => x.name === name)) continue;
    if (isStatic(name)) {
      const missing = staticMissing(name, assessed, baseline[name]);
      if (missing !== null) {
        excluded.push({ name, reason: missing });
        continue;
      }
    }
    if (isMetric(name) && !usable.included.includes(name)) continue;
    objectives.push({ name, direction: o.direction });
  }
  return { included: usable.included, exponents: [], objectives, excluded, baseline };
}

function baselineValues(contest: Contest, runners: readonly RunnerContext[]): BaselineValues {
  const docs = runners.filter((r) => r.problem === null).map((r) => r.bench.baseline!);
  const first = (pick: (d: (typeof docs)[number]) => number | null | undefined) =>
    runners.map((r) => pick(r.bench.baseline!) ?? null).find((v) => v !== null) ?? null;
  const quality = new Map<string, Aggregate>();
  const named = (contest.scoring.objectives ?? []).map((o) => o.metric as string);
  if (contest.scoring.strategy === 'quality-at-budget') named.push('fidelity');
  for (const metric of named) {
    const name = metric === 'fidelity' ? contest.scoring.similarity.measure : metric;
    if (isMetric(name) || isStatic(name) || measureSpec(name).against === 'baseline') continue;
    if (docs.length > 0 && docs.every((d) => (d.fidelity?.perSample.length ?? 0) > 0)) {
      quality.set(name, aggregateMeasure(docs, name, contest.scoring.confidence));
    }
  }
  return {
    parameters: runners.length > 0 ? first((d) => d?.inspection?.parameters) : null,
    flops: runners.length > 0 ? first((d) => d?.inspection?.flops) : null,
    quality,
  };
}

function staticMissing(
  name: StaticName,
  assessed: readonly Assessed[],
  baseline: number | null,
): string | null {
  if (baseline === null) return 'not counted for the baseline';
  for (const a of assessed) {
    if (!a.valid) continue;
    if (a.runs.every((r) => (r.doc.inspection?.[name] ?? null) === null)) {
      return `not counted for ${a.sub.hotkey}`;
    }
  }
  return null;
}
