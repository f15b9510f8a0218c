/**
 * classification-throughput (Vision-style): a seeded stream of queries served under load with
 * the contest's concurrency, batched where the IO allows it; the score is sustained samples per
 * second at a latency bound (src/bench/load.ts, docs/adr/0175). Outputs are judged against the
 * baseline's for the same input twice: at batch 1 on every sample (the accuracy pass), and under
 * load on a seeded subset of the first window, so a model that answers fast with garbage under
 * load fails. Inputs are whole images of a labelled dataset's evaluation part (labels unused) or,
 * without a dataset, seeded random tensors.
 */
import type { Contest } from '../contest/load.js';
import type { Problem } from '../json/errors.js';
import { compareSample } from './compare.js';
import { feedableInputs, fixedInputDims } from './checks.js';
import { datasetRules } from './labelled-classification.js';
import type { JudgeArgs, SampleValues, Task } from './types.js';

export const classificationThroughput: Task = {
  id: 'classification-throughput',
  title: 'Throughput under load at a latency bound',
  summary:
    'A seeded stream of queries is served as a closed loop with the contest’s concurrency (batched where every input and output has a free first dimension), ' +
    'interleaved with the baseline in windows; the score is sustained samples per second relative to the baseline’s, with a paired interval over windows, ' +
    "for models whose latency percentile stays within the bound. Outputs are compared with the baseline's at batch 1 on every sample and under load on a seeded subset (cosine, max |error|, top-1 agreement).",
  measures: ['cosine', 'maxAbsError', 'top1'],
  judgesBaseline: false,
  underLoad: true,
  check: (c) => [...loadRules(c), ...sourceRules(c), ...feedableInputs(c)],
  async drawInputs(loaded, seed) {
    if (loaded.contest.inputs.source.type === 'dataset') {
      return (await import('./dataset-samples.js')).datasetSamples(loaded, seed);
    }
    return (await import('./random-tensors.js')).randomSamples(loaded, seed);
  },
  judge(args: JudgeArgs): SampleValues[] {
    return args.baseline.map((b, i) => {
      const v = compareSample(b, args.outputs[i] ?? [], { kind: 'tensor', top1: true });
      return { cosine: v.cosine, maxAbsError: v.maxAbsError, top1Agreement: v.top1Agreement };
    });
  },
};

/** The load block: present, servable, and not combined with one-at-a-time precision targets. */
function loadRules(c: Contest): Problem[] {
  const load = c.measurement.load;
  if (load === undefined) {
    return [
      {
        pointer: '/measurement/load',
        rule: 'task-load',
        message: `is required for task ${c.task}: the concurrency, latency bound and duration of the load`,
      },
    ];
  }
  const problems: Problem[] = [];
  if (load.concurrency % load.streams !== 0) {
    problems.push({
      pointer: '/measurement/load/concurrency',
      rule: 'streams',
      message: `must be a multiple of streams (${load.streams}): each stream serves the same number of queries in flight`,
      value: load.concurrency,
    });
  }
  if (load.verifyQueries > load.windowQueries) {
    problems.push({
      pointer: '/measurement/load/verifyQueries',
      rule: 'window',
      message: `must not exceed windowQueries (${load.windowQueries}): the verified queries are drawn from the first window`,
      value: load.verifyQueries,
    });
  }
  if (c.measurement.precision !== null) {
    problems.push({
      pointer: '/measurement/precision',
      rule: 'task-load',
      message: `must be null for task ${c.task}: under load, minQueries, minSeconds and earlyStopping decide when to stop`,
      value: c.measurement.precision,
    });
  }
  if (load.batching === 'dynamic') {
    const io = [
      ...c.baseline.io.inputs.map((s, i) => ({ s, at: `/baseline/io/inputs/${i}/shape/0` })),
      ...c.baseline.io.outputs.map((s, i) => ({ s, at: `/baseline/io/outputs/${i}/shape/0` })),
    ];
    for (const { s, at } of io) {
      if (typeof s.shape[0] === 'string') continue;
      problems.push({
        pointer: at,
        rule: 'batching',
        message: `must be a free dimension (a name such as "N") for batching "dynamic": queries are batched along it; use batching "none" for a fixed batch`,
        value: s.shape[0],
      });
    }
  }
  return problems;
}

/** A dataset source follows labelled-classification's split rules; otherwise dims are fixed. */
function sourceRules(c: Contest): Problem[] {
  return c.inputs.source.type === 'dataset' ? datasetRules(c) : fixedInputDims(c);
}
