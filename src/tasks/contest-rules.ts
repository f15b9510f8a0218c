/**
 * The contest rules that depend on the task: the task's own (IO it can feed, its input
 * source), the fidelity measure being one the task computes with a threshold its rule can
 * read, pareto objectives naming measures the task computes in their table direction, and
 * FLOPs scored only where unknown operators are refused. Pure: reads the contest only.
 */
import type { Contest } from '../contest/load.js';
import type { Problem } from '../json/errors.js';
import { METRIC_NAMES } from '../contest/schema.js';
import { MEASURES, measureSpec } from './measures.js';
import { TASKS, taskOf } from './registry.js';
import type { Task } from './types.js';

const METRICS = new Set<string>(METRIC_NAMES);

/** Returns every task-related problem of `c` (empty when the benchmark can run it). */
export function taskRules(c: Contest): Problem[] {
  const task = taskOf(c.task);
  const problems = [...task.check(c)];
  const { measure, threshold } = c.scoring.similarity;
  if (!(task.measures as readonly string[]).includes(measure)) {
    problems.push({
      pointer: '/scoring/similarity/measure',
      rule: 'task-measure',
      message: `must be a measure task ${c.task} computes (${computable(task.measures).join(', ')})`,
      value: measure,
    });
  } else if (
    measureSpec(measure).threshold === 'fraction-of-baseline' &&
    !(threshold > 0 && threshold <= 1)
  ) {
    problems.push({
      pointer: '/scoring/similarity/threshold',
      rule: 'fraction',
      message: `must be in (0, 1]: for ${measure} it is a fraction of the baseline's ${measure}`,
      value: threshold,
    });
  }
  const truth = task.measures.some((m) => measureSpec(m).against === 'ground-truth');
  if (c.inputs.groundTruth && !truth) {
    problems.push({
      pointer: '/inputs/groundTruth',
      rule: 'task-inputs',
      message: `must be absent for task ${c.task}: it is not judged against ground truth`,
      value: c.inputs.groundTruth,
    });
  }
  if (c.measurement.load !== undefined && !task.underLoad) {
    problems.push({
      pointer: '/measurement/load',
      rule: 'task-load',
      message: `must be null for task ${c.task}: only tasks measured under load read it (${loadTasks()})`,
    });
  }
  (c.scoring.objectives ?? []).forEach((o, i) => problems.push(...objectiveProblems(c, o, i)));
  if (scoresFlops(c) && c.limits.unknownOperators === 'ignore') {
    problems.push({
      pointer: '/limits/unknownOperators',
      rule: 'flops-scored',
      message: 'must be "reject" when FLOPs are scored (an ignored operator would hide its cost)',
      value: 'ignore',
    });
  }
  return problems;
}

/** True when FLOPs decide anything: an objective or the tie-breaker. */
export function scoresFlops(c: Contest): boolean {
  return (
    c.scoring.tieBreaker === 'flops' ||
    (c.scoring.objectives ?? []).some((o) => o.metric === 'flops')
  );
}

function loadTasks(): string {
  return TASKS.filter((t: Task) => t.underLoad)
    .map((t) => t.id)
    .join(', ');
}

function computable(names: readonly string[]): string[] {
  return names.filter((n) => measureSpec(n).threshold !== null);
}

function objectiveProblems(
  c: Contest,
  o: { readonly metric: string; readonly direction: 'min' | 'max' },
  i: number,
): Problem[] {
  if (METRICS.has(o.metric) || o.metric === 'fidelity') return [];
  const spec = MEASURES.find((m) => m.name === o.metric)!;
  const task = taskOf(c.task);
  if (spec.scope === 'per-sample' && !(task.measures as readonly string[]).includes(spec.name)) {
    return [
      {
        pointer: `/scoring/objectives/${i}/metric`,
        rule: 'task-measure',
        message: `must be a metric, a static count or a measure task ${c.task} computes (${task.measures.join(', ')})`,
        value: o.metric,
      },
    ];
  }
  if (o.direction !== spec.direction) {
    return [
      {
        pointer: `/scoring/objectives/${i}/direction`,
        rule: 'measure-direction',
        message: `must be "${spec.direction}" for ${spec.name} (${spec.direction === 'max' ? 'higher' : 'lower'} is better)`,
        value: o.direction,
      },
    ];
  }
  return [];
}
