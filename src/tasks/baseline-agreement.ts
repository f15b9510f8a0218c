/**
 * image-classification: image crops in, class scores out, judged by agreement with the
 * baseline's outputs on the same crop (top-1 class, cosine of the scores). No labels: the
 * baseline is the reference (see labelled-classification for accuracy against labels).
 */
import { compareSample } from './compare.js';
import { feedableInputs, imageCropInputs, noDataset } from './checks.js';
import type { JudgeArgs, SampleValues, Task } from './types.js';

export const baselineAgreement: Task = {
  id: 'image-classification',
  title: 'Classification in agreement with the baseline',
  summary:
    "Each sample is a crop drawn from the round seed out of the contest's images; a submission's class scores are " +
    "compared with the baseline's for the same crop: the share of rows with the same arg-max class (top-1 agreement), cosine and max |error|.",
  measures: ['cosine', 'maxAbsError', 'top1'],
  judgesBaseline: false,
  check: (c) => [...noDataset(c), ...imageCropInputs(c), ...feedableInputs(c)],
  drawInputs: async (loaded, seed) => (await import('./image-crops.js')).cropSamples(loaded, seed),
  judge(args: JudgeArgs): SampleValues[] {
    return args.baseline.map((b, i) => {
      const v = compareSample(b, args.outputs[i] ?? [], { kind: 'tensor', top1: true });
      return { cosine: v.cosine, maxAbsError: v.maxAbsError, top1Agreement: v.top1Agreement };
    });
  },
};
