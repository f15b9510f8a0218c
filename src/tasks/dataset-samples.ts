/**
 * Round inputs drawn from a labelled dataset: `samplesPerRound` distinct items of the
 * evaluation part, chosen and ordered by the round seed, each a whole image fed as
 * value / 255 × valueScale in the contest's layout, with its label kept beside the feeds.
 */
import type { LoadedContest } from '../contest/load.js';
import { mnistSample, splitIndices } from '../data/mnist.js';
import { InputsError } from './errors.js';
import { SeedStream } from './seed-stream.js';
import { DATASETS } from './datasets.js';
import { feedType, toTensor } from './image-crops.js';
import type { Sample } from './types.js';

/** Draws the round's samples; throws InputsError when the contest has no dataset. */
export function datasetSamples(loaded: LoadedContest, seed: string): Sample[] {
  const c = loaded.contest;
  const source = c.inputs.source;
  if (source.type !== 'dataset') {
    throw new InputsError(`${loaded.file}: task ${c.task} needs a dataset source`);
  }
  const { side, channels } = DATASETS[source.name];
  const signature = c.baseline.io.inputs[0]!;
  const type = feedType(signature.elementType, loaded.file);
  const picked = new SeedStream(seed, 'podium/inputs/dataset')
    .shuffle(splitIndices(source.split.evaluation))
    .slice(0, c.inputs.samplesPerRound);
  const dims = c.inputs.layout === 'NHWC' ? [1, side, side, channels] : [1, channels, side, side];
  return picked.map((item, index) => {
    const { pixels, label } = mnistSample(item);
    const geometry = { width: side, height: side, channels };
    const data = toTensor(pixels, geometry, c.inputs.layout, type, c.inputs.valueScale);
    return {
      index,
      source: `${source.name} #${item}`,
      left: 0,
      top: 0,
      label,
      feeds: [{ name: signature.name, type, dims, data }],
    };
  });
}
