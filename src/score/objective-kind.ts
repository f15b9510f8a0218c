/**
 * What kind of thing an objective or tie-breaker names: a metric the harness measures (a ratio
 * against the baseline) or a count read from the graph; anything else is a task measure.
 */
import { METRIC_NAMES, type MetricName } from '../documents/score.js';

/** Static counts read from the inspection of the bench files. */
export type StaticName = 'parameters' | 'flops';

/** True for a metric the harness measures (a ratio against the baseline). */
export function isMetric(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

/** True for a count read from the graph. */
export function isStatic(name: string): name is StaticName {
  return name === 'parameters' || name === 'flops';
}
