/**
 * The registered tasks: one line per kind of contest. The contest schema's `task` enum, the
 * contest rules and the docs read this list; nothing outside src/tasks/ branches on a task id.
 */
import { baselineAgreement } from './baseline-agreement.js';
import { labelledClassification } from './labelled-classification.js';
import { generationPipeline } from './pipeline.js';
import { measureSpec, type MeasureSpec } from './measures.js';
import { superResolution } from './super-resolution.js';
import { tensor } from './tensor.js';
import { groundTruthSuperResolution } from './ground-truth-super-resolution.js';
import { classificationThroughput } from './throughput.js';
import type { Task } from './types.js';

/** Every task podium can run, in the order the docs list them. */
export const TASKS = [
  superResolution,
  baselineAgreement,
  tensor,
  labelledClassification,
  groundTruthSuperResolution,
  classificationThroughput,
  generationPipeline,
] as const satisfies readonly Task[];

/** The `task` values a contest may name. */
export const TASK_IDS = TASKS.map((t) => t.id) as unknown as readonly [string, ...string[]];

/** Returns the task of `id`; throws RangeError for an id no task has (the schema refuses it). */
export function taskOf(id: string): Task {
  const task = TASKS.find((t) => t.id === id);
  if (!task) throw new RangeError(`no task "${id}" (known: ${TASK_IDS.join(', ')})`);
  return task;
}

/** The specs of a task's per-sample measures, in the task's order. */
export function taskMeasures(task: Task): MeasureSpec[] {
  return task.measures.map(measureSpec);
}
