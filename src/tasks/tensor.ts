/**
 * tensor: seeded random tensors in, any tensors out, judged against the baseline's raw outputs
 * (cosine similarity, max |error|). For graphs whose inputs are not images.
 */
import { compareSample } from './compare.js';
import { feedableInputs, fixedInputDims, noDataset } from './checks.js';
import type { JudgeArgs, SampleValues, Task } from './types.js';

export const tensor: Task = {
  id: 'tensor',
  title: 'Any graph against the baseline',
  summary:
    "Each sample fills every model input with random values drawn from the round seed; a submission's raw outputs " +
    "are compared with the baseline's (cosine similarity, max |error|).",
  measures: ['cosine', 'maxAbsError'],
  judgesBaseline: false,
  check: (c) => [...noDataset(c), ...fixedInputDims(c), ...feedableInputs(c)],
  drawInputs: async (loaded, seed) =>
    (await import('./random-tensors.js')).randomSamples(loaded, seed),
  judge(args: JudgeArgs): SampleValues[] {
    return args.baseline.map((b, i) => {
      const v = compareSample(b, args.outputs[i] ?? [], { kind: 'tensor', top1: false });
      return { cosine: v.cosine, maxAbsError: v.maxAbsError };
    });
  },
};
