/**
 * The contest rules of the quality-at-budget strategy the schema cannot express: a budget is
 * required by it and read by nothing else, the latency it bounds must be measured, and the
 * quality it ranks by must be judged against ground truth or labels — a measure against the
 * baseline's own outputs cannot be better than the baseline. Pure.
 */
import type { Contest } from './load.js';
import type { Problem } from '../json/errors.js';
import { measureSpec } from '../tasks/measures.js';

/** Returns every quality-at-budget problem of `c` (empty when it is consistent). */
export function budgetRules(c: Contest): Problem[] {
  const s = c.scoring;
  const problems: Problem[] = [];
  if (s.strategy !== 'quality-at-budget') {
    for (const key of ['budget', 'earlierAdvantage'] as const) {
      if (s[key] !== undefined) {
        problems.push({
          pointer: `/scoring/${key}`,
          rule: 'strategy-field',
          message: `is read only by strategy "quality-at-budget", not "${s.strategy}"`,
          value: s[key],
        });
      }
    }
    return problems;
  }
  if (s.budget === undefined) {
    problems.push({
      pointer: '/scoring/budget',
      rule: 'budget-required',
      message:
        'is required when strategy is "quality-at-budget": the most latency allowed as a multiple of the baseline\'s, e.g. {"latency": 1}',
    });
  }
  if (!c.metrics.some((m) => m.name === 'latency')) {
    problems.push({
      pointer: '/metrics',
      rule: 'budget-needs-latency',
      message: 'must include latency: quality-at-budget bounds the latency the harness measures',
      value: c.metrics.map((m) => m.name),
    });
  }
  const spec = measureSpec(s.similarity.measure);
  if (spec.against === 'baseline') {
    problems.push({
      pointer: '/scoring/similarity/measure',
      rule: 'quality-measure',
      message: `must be judged against ground truth or labels for quality-at-budget (${s.similarity.measure} compares with the baseline's own outputs)`,
      value: s.similarity.measure,
    });
  }
  if (s.objectives !== undefined) {
    problems.push({
      pointer: '/scoring/objectives',
      rule: 'strategy-field',
      message: 'is read only by strategy "pareto"',
      value: s.objectives,
    });
  }
  return problems;
}
