/**
 * Contest rules shared by several tasks, each returning the problems it finds (empty when the
 * contest is runnable). Pure: they read the contest document only.
 */
import type { Contest } from '../contest/load.js';
import type { Problem } from '../json/errors.js';

const FEEDABLE = ['float32', 'uint8'];

/** The baseline's inputs must have element types podium can build. */
export function feedableInputs(c: Contest): Problem[] {
  return c.baseline.io.inputs.flatMap((sig, i) =>
    FEEDABLE.includes(sig.elementType)
      ? []
      : [
          {
            pointer: `/baseline/io/inputs/${i}/elementType`,
            rule: 'feedable',
            message: `must be one the benchmark can build inputs of (${FEEDABLE.join(', ')})`,
            value: sig.elementType,
          },
        ],
  );
}

/** Image-crop tasks: a directory source, a crop size, and one rank-4 image input. */
export function imageCropInputs(c: Contest): Problem[] {
  const problems: Problem[] = [];
  if (c.inputs.source.type !== 'directory') {
    problems.push({
      pointer: '/inputs/source/type',
      rule: 'task-inputs',
      message: `must be "directory" for task ${c.task} (image crops are cut from a folder of images)`,
      value: c.inputs.source.type,
    });
  }
  if (!c.inputs.crop) {
    problems.push({
      pointer: '/inputs/crop',
      rule: 'task-inputs',
      message: `is required for task ${c.task}: the size of each crop`,
    });
  }
  const inputs = c.baseline.io.inputs;
  if (inputs.length !== 1) {
    problems.push({
      pointer: '/baseline/io/inputs',
      rule: 'task-io',
      message: `must hold exactly one image input for task ${c.task}`,
      value: inputs.map((s) => s.name),
    });
    return problems;
  }
  const shape = inputs[0]!.shape;
  const channels = c.inputs.layout === 'NHWC' ? shape[3] : shape[1];
  if (shape.length !== 4 || (channels !== 1 && channels !== 3)) {
    problems.push({
      pointer: '/baseline/io/inputs/0/shape',
      rule: 'task-io',
      message: `must be rank 4 with 1 or 3 channels in layout ${c.inputs.layout}`,
      value: shape,
    });
  }
  return problems;
}

/** Random-tensor inputs: every dimension fixed (there is nothing to size a free one from). */
export function fixedInputDims(c: Contest): Problem[] {
  return c.baseline.io.inputs.flatMap((sig, i) =>
    sig.shape.every((d) => typeof d === 'number')
      ? []
      : [
          {
            pointer: `/baseline/io/inputs/${i}/shape`,
            rule: 'task-io',
            message: `must have fixed dimensions for task ${c.task} (random tensors are generated)`,
            value: sig.shape,
          },
        ],
  );
}

/** No `inputs.dataset` unless the task reads one. */
export function noDataset(c: Contest): Problem[] {
  return c.inputs.source.type === 'dataset'
    ? [
        {
          pointer: '/inputs/source/type',
          rule: 'task-inputs',
          message: `task ${c.task} does not read a labelled dataset`,
          value: 'dataset',
        },
      ]
    : [];
}
