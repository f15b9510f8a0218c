/**
 * image-super-resolution: image crops in, an upscaled image out, judged against the baseline's
 * image for the same crop the way a viewer sees it (8-bit PSNR over all channels, SSIM on luma).
 */
import { compareSample, type OutputKind } from './compare.js';
import { feedableInputs, imageCropInputs, noDataset } from './checks.js';
import type { JudgeArgs, SampleValues, Task } from './types.js';

export const superResolution: Task = {
  id: 'image-super-resolution',
  title: 'Super-resolution against the baseline',
  summary:
    "Each sample is a crop drawn from the round seed out of the contest's images; a submission must upscale it " +
    "like the baseline does: its output is compared with the baseline's as an 8-bit image (PSNR, SSIM), and as a raw tensor (cosine, max |error|).",
  measures: ['psnr', 'ssim', 'cosine', 'maxAbsError'],
  judgesBaseline: false,
  check: (c) => [...noDataset(c), ...imageCropInputs(c), ...feedableInputs(c)],
  drawInputs: async (loaded, seed) => (await import('./image-crops.js')).cropSamples(loaded, seed),
  judge(args: JudgeArgs): SampleValues[] {
    const { layout, valueScale } = args.contest.inputs;
    const how: OutputKind = { kind: 'image', layout, valueScale };
    return args.baseline.map((b, i) => {
      const v = compareSample(b, args.outputs[i] ?? [], how);
      return { psnr: v.psnr, ssim: v.ssim, cosine: v.cosine, maxAbsError: v.maxAbsError };
    });
  },
};
