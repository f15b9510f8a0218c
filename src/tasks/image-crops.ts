/**
 * Round inputs as image crops: source images from the contest's input folder, each crop at a
 * position drawn from the round seed, the images taken in seeded shuffled cycles. sharp decodes
 * to raw RGB (or grey) and the arithmetic is exact, so the same contest and seed give the same
 * tensors on any machine. Shared by every task that feeds image crops.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { LoadedContest } from '../contest/load.js';
import { InputsError } from './errors.js';
import { SeedStream } from './seed-stream.js';
import type { FeedType, Sample } from './types.js';

const IMAGE_FILE = /\.(png|jpe?g|webp|tiff?)$/i;

/**
 * Draws `inputs.samplesPerRound` crops of `inputs.crop` from the contest's image folder.
 * Throws InputsError for a missing folder, an image smaller than the crop, or an
 * input signature that is not one rank-4 image tensor.
 */
export async function cropSamples(loaded: LoadedContest, seed: string): Promise<Sample[]> {
  const c = loaded.contest;
  if (c.inputs.source.type !== 'directory' || !c.inputs.crop) {
    throw new InputsError(`${loaded.file}: image crops need a directory source and a crop`);
  }
  const dir = resolve(loaded.dir, c.inputs.source.path);
  const files = await imageFiles(dir);
  const signature = c.baseline.io.inputs[0];
  if (!signature || c.baseline.io.inputs.length !== 1) {
    throw new InputsError(`${loaded.file}: image tasks need exactly one model input`);
  }
  const type = feedType(signature.elementType, loaded.file);
  const channels = channelCount(signature.shape, c.inputs.layout, loaded.file);
  const { width, height } = c.inputs.crop;
  const crops = await drawCrops(dir, files, seed, c.inputs.samplesPerRound, {
    width,
    height,
    channels,
  });
  return crops.map(({ source, left, top, pixels }, index) => {
    const data = toTensor(
      pixels,
      { width, height, channels },
      c.inputs.layout,
      type,
      c.inputs.valueScale,
    );
    const dims =
      c.inputs.layout === 'NHWC' ? [1, height, width, channels] : [1, channels, height, width];
    return {
      index,
      source,
      left,
      top,
      label: null,
      feeds: [{ name: signature.name, type, dims, data }],
    };
  });
}

/** The image files of `dir`, sorted; throws InputsError when there are none. */
export async function imageFiles(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => IMAGE_FILE.test(f)).sort();
  if (files.length === 0) throw new InputsError(`${dir}: no image files`);
  return files;
}

/** One crop's interleaved 8-bit pixels and where it came from. */
export interface PixelCrop {
  readonly source: string;
  readonly left: number;
  readonly top: number;
  readonly pixels: Buffer;
}

/**
 * Draws `count` crops of `g` from `files` in `dir`: the images in seeded shuffled cycles
 * (`podium/inputs/images`), each crop's position from `podium/inputs/crops`. Throws InputsError
 * for an image smaller than the crop.
 */
export async function drawCrops(
  dir: string,
  files: readonly string[],
  seed: string,
  count: number,
  g: Geometry,
): Promise<PixelCrop[]> {
  const { width, height, channels } = g;
  const pick = new SeedStream(seed, 'podium/inputs/images');
  const place = new SeedStream(seed, 'podium/inputs/crops');
  const crops: PixelCrop[] = [];
  let cycle: string[] = [];
  for (let index = 0; index < count; index++) {
    if (cycle.length === 0) cycle = pick.shuffle(files);
    const source = cycle.shift() as string;
    const image = await decodeImage(join(dir, source), channels);
    if (image.width < width || image.height < height) {
      throw new InputsError(
        `${join(dir, source)} is ${image.width}x${image.height}, smaller than the ${width}x${height} crop`,
      );
    }
    const left = place.below(image.width - width + 1);
    const top = place.below(image.height - height + 1);
    crops.push({ source, left, top, pixels: crop(image, left, top, width, height, channels) });
  }
  return crops;
}

/** A decoded image: interleaved 8-bit pixels. */
export interface Decoded {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

/** Decodes `file` to raw 8-bit pixels with `channels` (1: grey, 3: sRGB), alpha removed. */
export async function decodeImage(file: string, channels: number): Promise<Decoded> {
  let pipeline = sharp(file, { failOn: 'error' }).removeAlpha();
  pipeline = channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) {
    throw new InputsError(`${file}: decoded ${info.channels} channels, need ${channels}`);
  }
  return { width: info.width, height: info.height, data };
}

function crop(img: Decoded, left: number, top: number, w: number, h: number, ch: number): Buffer {
  const out = Buffer.alloc(w * h * ch);
  for (let y = 0; y < h; y++) {
    const from = ((top + y) * img.width + left) * ch;
    img.data.copy(out, y * w * ch, from, from + w * ch);
  }
  return out;
}

/** Image geometry of an interleaved (HWC) pixel buffer. */
export interface Geometry {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/**
 * Converts interleaved 8-bit pixels to a model tensor in `layout`: uint8 as is, float32 as
 * value / 255 × `scale`. Returns the tensor data.
 */
export function toTensor(
  hwc: Uint8Array,
  g: Geometry,
  layout: 'NHWC' | 'NCHW',
  type: FeedType,
  scale: number,
): Float32Array | Uint8Array {
  const { width: w, height: h, channels: ch } = g;
  const out = type === 'uint8' ? new Uint8Array(hwc.length) : new Float32Array(hwc.length);
  const factor = scale / 255;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < ch; c++) {
        const from = (y * w + x) * ch + c;
        const to = layout === 'NHWC' ? from : (c * h + y) * w + x;
        const v = hwc[from] as number;
        out[to] = type === 'uint8' ? v : v * factor;
      }
    }
  }
  return out;
}

/** The feed type for a contest element type; throws InputsError for others. */
export function feedType(elementType: string, file: string): FeedType {
  if (elementType === 'float32' || elementType === 'uint8') return elementType;
  throw new InputsError(`${file}: input element type ${elementType} is not supported`);
}

/**
 * The channel count (1 or 3) of a rank-4 image input in `layout`; throws InputsError
 * for any other shape.
 */
export function channelCount(
  shape: readonly (number | string)[],
  layout: string,
  file: string,
): number {
  const dim = layout === 'NHWC' ? shape[3] : shape[1];
  if (shape.length !== 4 || (dim !== 1 && dim !== 3)) {
    throw new InputsError(
      `${file}: image input must be rank 4 with 1 or 3 channels in ${layout} (got [${shape.join(', ')}])`,
    );
  }
  return dim;
}
