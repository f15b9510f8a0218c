/**
 * What the round is scored on, decided once for everyone: the measured metrics that are
 * available for every scored model, the speed-at-parity exponents, and the pareto objectives
 * (a measured objective left out for a null, parameters left out when any model lacks a count).
 */
import type { Contest } from '../contest/load.js';
import type { Assessed, RunnerContext } from './assess.js';
import type { MetricName, ObjectiveName } from '../documents/score.js';
import { exponents, type Exponent, type ObjectiveSpec } from './strategy.js';

/** The scoring plan of one round. */
export interface Plan {
  /** Measured metrics computed for every valid submission. */
  readonly included: MetricName[];
  /** speed-at-parity: the metrics in the score with their exponents (empty for pareto). */
  readonly exponents: Exponent[];
  /** pareto: the objectives compared (null for speed-at-parity). */
  readonly objectives: ObjectiveSpec[] | null;
  readonly excluded: { name: ObjectiveName; reason: string }[];
  readonly baselineParameters: number | null;
}

/** Returns the plan from the usable metrics and the valid submissions' bench files. */
export function planStrategy(
  contest: Contest,
  usable: { included: MetricName[]; excluded: { name: MetricName; reason: string }[] },
  assessed: readonly Assessed[],
  runners: readonly RunnerContext[],
): Plan {
  const excluded: { name: ObjectiveName; reason: string }[] = [...usable.excluded];
  if (contest.scoring.strategy === 'speed-at-parity') {
    return {
      included: usable.included,
      exponents: exponents(contest, usable.included),
      objectives: null,
      excluded,
      baselineParameters: null,
    };
  }
  const baselineParameters =
    runners.map((r) => r.bench.baseline?.inspection?.parameters ?? null).find((p) => p !== null) ??
    null;
  const missingParameters = parametersMissing(assessed, baselineParameters);
  const objectives: ObjectiveSpec[] = [];
  for (const o of contest.scoring.objectives ?? []) {
    const name = o.metric;
    if (objectives.some((x) => x.name === name) || excluded.some((x) => x.name === name)) continue;
    if (name === 'parameters' && missingParameters !== null) {
      excluded.push({ name, reason: missingParameters });
      continue;
    }
    if (name !== 'parameters' && name !== 'fidelity' && !usable.included.includes(name)) continue;
    objectives.push({ name, direction: o.direction });
  }
  return { included: usable.included, exponents: [], objectives, excluded, baselineParameters };
}

function parametersMissing(assessed: readonly Assessed[], baseline: number | null): string | null {
  if (baseline === null) return 'not counted for the baseline';
  for (const a of assessed) {
    if (!a.valid) continue;
    if (a.runs.every((r) => (r.doc.inspection?.parameters ?? null) === null)) {
      return `not counted for ${a.sub.hotkey}`;
    }
  }
  return null;
}
