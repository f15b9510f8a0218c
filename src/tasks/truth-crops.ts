/**
 * Round inputs for ground-truth tasks: crops drawn from the round seed out of the contest's
 * evaluation images (the same streams as every image-crop task), each downscaled by the
 * contest's factor into the model's feed, the crop itself kept as the sample's truth. Before
 * any crop is drawn the evaluation images are checked against the training folder: the same
 * decoded pixels in both is refused, naming both files.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { LoadedContest } from '../contest/load.js';
import { downscaleBicubic } from '../data/downscale.js';
import { InputsError } from './errors.js';
import {
  channelCount,
  decodeImage,
  drawCrops,
  feedType,
  imageFiles,
  toTensor,
} from './image-crops.js';
import type { Sample } from './types.js';

/** Draws the round's samples; throws InputsError for an overlap or an unreadable image. */
export async function truthSamples(loaded: LoadedContest, seed: string): Promise<Sample[]> {
  const c = loaded.contest;
  const gt = c.inputs.groundTruth;
  if (c.inputs.source.type !== 'directory' || !c.inputs.crop || !gt) {
    throw new InputsError(
      `${loaded.file}: ground-truth crops need a directory source, a crop and inputs.groundTruth`,
    );
  }
  const signature = c.baseline.io.inputs[0];
  if (!signature || c.baseline.io.inputs.length !== 1) {
    throw new InputsError(`${loaded.file}: image tasks need exactly one model input`);
  }
  const type = feedType(signature.elementType, loaded.file);
  const channels = channelCount(signature.shape, c.inputs.layout, loaded.file);
  const dir = resolve(loaded.dir, c.inputs.source.path);
  const files = await imageFiles(dir);
  await checkDisjoint(loaded, channels);
  const { width, height } = c.inputs.crop;
  const [w, h] = [width / gt.scale, height / gt.scale];
  const crops = await drawCrops(dir, files, seed, c.inputs.samplesPerRound, {
    width,
    height,
    channels,
  });
  return crops.map(({ source, left, top, pixels }, index) => {
    const small = downscaleBicubic(pixels, width, height, channels, gt.scale);
    const g = { width: w, height: h, channels };
    const data = toTensor(small, g, c.inputs.layout, type, c.inputs.valueScale);
    const dims = c.inputs.layout === 'NHWC' ? [1, h, w, channels] : [1, channels, h, w];
    return {
      index,
      source,
      left,
      top,
      label: null,
      truth: { width, height, channels, data: new Uint8Array(pixels) },
      feeds: [{ name: signature.name, type, dims, data }],
    };
  });
}

/**
 * Refuses an evaluation image whose decoded pixels (and size) equal a training image's: a
 * miner could have trained on it. Throws InputsError naming the contest file, the field and
 * both files.
 */
export async function checkDisjoint(loaded: LoadedContest, channels: number): Promise<void> {
  const c = loaded.contest;
  if (c.inputs.source.type !== 'directory' || !c.inputs.groundTruth) return;
  const training = c.inputs.groundTruth.trainingPath;
  const trainDir = resolve(loaded.dir, training);
  const seen = new Map<string, string>();
  for (const f of await imageFiles(trainDir)) {
    seen.set(await pixelDigest(join(trainDir, f), channels), join(training, f));
  }
  const evalPath = c.inputs.source.path;
  for (const f of await imageFiles(resolve(loaded.dir, evalPath))) {
    const same = seen.get(await pixelDigest(join(loaded.dir, evalPath, f), channels));
    if (same !== undefined) {
      throw new InputsError(
        `${loaded.file}: /inputs/groundTruth/trainingPath ("${training}"): evaluation image ${join(evalPath, f)} has the same pixels as training image ${same}; the evaluation part must be disjoint from what miners may train on`,
      );
    }
  }
}

async function pixelDigest(file: string, channels: number): Promise<string> {
  const img = await decodeImage(file, channels);
  return createHash('sha256')
    .update(`${img.width}x${img.height}x${channels}:`)
    .update(img.data)
    .digest('hex');
}
