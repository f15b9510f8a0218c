/**
 * labelled-classification (NASChain's contest, done right): whole images from a pinned labelled
 * dataset in, class scores out, judged against the labels — never against the baseline's
 * outputs. Each round draws `samplesPerRound` distinct items of the dataset's evaluation part
 * from the round seed; the labels stay in the parent process and never enter the sandbox. A
 * sample scores 1 when the arg-max class is its label, so accuracy is a proportion with a Wilson
 * interval (measures.ts), and the contest's threshold is a floor relative to the baseline's
 * accuracy on the same inputs. Parameters and FLOPs are counted from the graph at inspection.
 */
import type { Contest } from '../contest/load.js';
import { checkSplit } from '../data/mnist.js';
import type { Problem } from '../json/errors.js';
import { feedableInputs } from './checks.js';
import { DATASETS } from './datasets.js';
import type { JudgeArgs, Sample, SampleValues, Task } from './types.js';

export const labelledClassification: Task = {
  id: 'labelled-classification',
  title: 'Classification accuracy against labels',
  summary:
    "Each sample is a whole image drawn from the round seed out of the evaluation part of a pinned labelled dataset; a submission's class scores " +
    'are judged against the label (accuracy, with a Wilson interval), and the accuracy floor is a fraction of the baseline accuracy on the same inputs. ' +
    'Parameters and FLOPs are counted from the graph, so pareto contests trade accuracy against size and compute.',
  measures: ['accuracy'],
  judgesBaseline: true,
  check: (c) => [...datasetRules(c), ...ioRules(c), ...feedableInputs(c)],
  async drawInputs(loaded, seed) {
    const { datasetSamples } = await import('./dataset-samples.js');
    return datasetSamples(loaded, seed);
  },
  judge(args: JudgeArgs): SampleValues[] {
    const name = args.contest.baseline.io.outputs[0]!.name;
    return args.outputs.map((outputs, i) => {
      const out = outputs.find((t) => t.name === name);
      if (!out) throw new Error(`output ${name} is missing`);
      const classes = out.dims.at(-1) ?? 0;
      if (out.dims.length !== 2 || out.dims[0] !== 1 || out.data.length !== classes) {
        throw new Error(`output ${name} has shape [${out.dims}], expected [1, classes]`);
      }
      const label = labelOf(args.samples[i]);
      return { accuracy: argmax(out.data) === label ? 1 : 0 };
    });
  },
};

function labelOf(s: Sample | undefined): number {
  if (s?.label === null || s?.label === undefined)
    throw new Error(`input ${s?.index} has no label`);
  return s.label;
}

function argmax(v: ArrayLike<number | bigint>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Number(v[i]) > Number(v[best])) best = i;
  return best;
}

/** The dataset source's rules: a dataset, a split that fits it, enough evaluation items. */
export function datasetRules(c: Contest): Problem[] {
  const source = c.inputs.source;
  if (source.type !== 'dataset') {
    return [
      {
        pointer: '/inputs/source/type',
        rule: 'task-inputs',
        message: `must be "dataset" for task ${c.task}: accuracy needs labels`,
        value: source.type,
      },
    ];
  }
  const problems: Problem[] = [];
  try {
    checkSplit(source.split, DATASETS[source.name].size, '/inputs/source/split');
  } catch (err) {
    const message = (err as Error).message;
    const pointer = message.split(' ')[0]!;
    problems.push({ pointer, rule: 'split', message: message.slice(pointer.length + 1) });
  }
  const { from, to } = source.split.evaluation;
  if (c.inputs.samplesPerRound > to - from) {
    problems.push({
      pointer: '/inputs/samplesPerRound',
      rule: 'split',
      message: `must not exceed the evaluation part's ${to - from} items (samples are distinct)`,
      value: c.inputs.samplesPerRound,
    });
  }
  return problems;
}

function ioRules(c: Contest): Problem[] {
  const problems: Problem[] = [];
  const source = c.inputs.source;
  const inputs = c.baseline.io.inputs;
  if (source.type === 'dataset') {
    const { side, channels } = DATASETS[source.name];
    const want = c.inputs.layout === 'NHWC' ? [1, side, side, channels] : [1, channels, side, side];
    if (inputs.length !== 1 || inputs[0]!.shape.join() !== want.join()) {
      problems.push({
        pointer: '/baseline/io/inputs',
        rule: 'task-io',
        message: `must be one input of shape [${want.join(', ')}] (${source.name} images in ${c.inputs.layout})`,
        value: inputs.map((s) => s.shape),
      });
    }
  }
  const outputs = c.baseline.io.outputs;
  const classes = source.type === 'dataset' ? DATASETS[source.name].classes : null;
  if (
    outputs.length !== 1 ||
    outputs[0]!.shape.length !== 2 ||
    (classes !== null && outputs[0]!.shape[1] !== classes)
  ) {
    problems.push({
      pointer: '/baseline/io/outputs',
      rule: 'task-io',
      message: `must be one output of shape [1, ${classes ?? 'classes'}]: one score per class`,
      value: outputs.map((s) => s.shape),
    });
  }
  if (c.inputs.crop) {
    problems.push({
      pointer: '/inputs/crop',
      rule: 'task-inputs',
      message: `must be absent for task ${c.task}: samples are whole images`,
      value: c.inputs.crop,
    });
  }
  return problems;
}
