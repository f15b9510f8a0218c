/**
 * ground-truth-super-resolution (Pixel's contest, scored against fresh ground truth): each
 * sample is a crop drawn from the round seed out of the contest's pinned evaluation images;
 * the model is fed the crop downscaled by `inputs.groundTruth.scale` (bicubic, antialiased:
 * src/data/downscale.ts) and its output is judged against the crop itself, never against the
 * baseline's output — PSNR and SSIM against the truth, higher is better, with Student's t
 * intervals. The truth stays in the parent process. The contest also names the folder of
 * images miners may train on; an evaluation image with the same pixels as one of them is
 * refused before anything runs (docs/adr/0170-ground-truth-task.md).
 */
import type { Contest } from '../contest/load.js';
import type { Problem } from '../json/errors.js';
import { feedableInputs, imageCropInputs, noDataset } from './checks.js';
import { imageOf, psnr, ssim } from './compare.js';
import type { JudgeArgs, SampleValues, Task } from './types.js';

export const groundTruthSuperResolution: Task = {
  id: 'ground-truth-super-resolution',
  title: 'Super-resolution against ground truth',
  summary:
    "Each sample is a crop drawn from the round seed out of the contest's pinned evaluation images, fed to the model downscaled by the contest's factor (bicubic, antialiased); " +
    "the output is judged against the original crop, not the baseline (PSNR and SSIM against the truth, with Student's t intervals), so a submission can be better than the baseline. " +
    "The truth never enters the sandbox, and no evaluation image may have the pixels of one in the contest's training folder.",
  measures: ['psnrTruth', 'ssimTruth'],
  judgesBaseline: true,
  check: (c) => [...noDataset(c), ...imageCropInputs(c), ...feedableInputs(c), ...truthRules(c)],
  drawInputs: async (loaded, seed) => (await import('./truth-crops.js')).truthSamples(loaded, seed),
  judge(args: JudgeArgs): SampleValues[] {
    const { layout, valueScale } = args.contest.inputs;
    const name = args.contest.baseline.io.outputs[0]!.name;
    return args.outputs.map((outputs, i) => {
      const truth = args.samples[i]?.truth;
      if (!truth) throw new Error(`input ${i} has no ground truth`);
      const out = outputs.find((t) => t.name === name);
      if (!out) throw new Error(`output ${name} is missing`);
      const image = imageOf(out, layout, valueScale);
      if (
        image.width !== truth.width ||
        image.height !== truth.height ||
        image.channels !== truth.channels
      ) {
        throw new Error(
          `output ${name} is a ${image.width}x${image.height}x${image.channels} image, the ground truth ${truth.width}x${truth.height}x${truth.channels}`,
        );
      }
      return { psnrTruth: round(psnr(truth, image)), ssimTruth: round(ssim(truth, image)) };
    });
  },
};

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function truthRules(c: Contest): Problem[] {
  const gt = c.inputs.groundTruth;
  if (!gt) {
    return [
      {
        pointer: '/inputs/groundTruth',
        rule: 'task-inputs',
        message: `is required for task ${c.task}: the downscaling factor and the folder miners may train on`,
      },
    ];
  }
  const problems: Problem[] = [];
  for (const side of ['width', 'height'] as const) {
    const v = c.inputs.crop?.[side];
    if (v !== undefined && v % gt.scale !== 0) {
      problems.push({
        pointer: `/inputs/crop/${side}`,
        rule: 'scale-divides',
        message: `must be a multiple of inputs.groundTruth.scale (${gt.scale}): the crop is the ground truth, the model sees it downscaled`,
        value: v,
      });
    }
  }
  const source = c.inputs.source;
  if (source.type === 'directory' && normal(source.path) === normal(gt.trainingPath)) {
    problems.push({
      pointer: '/inputs/groundTruth/trainingPath',
      rule: 'disjoint-split',
      message: 'must be another folder than inputs.source.path: miners may train on it',
      value: gt.trainingPath,
    });
  }
  if (c.baseline.io.outputs.length !== 1) {
    problems.push({
      pointer: '/baseline/io/outputs',
      rule: 'task-io',
      message: `must hold exactly one image output for task ${c.task}`,
      value: c.baseline.io.outputs.map((s) => s.name),
    });
  }
  return problems;
}

function normal(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '');
}
