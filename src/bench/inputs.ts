/**
 * The evaluation inputs of a round, derived from the contest and the round's public seed: which
 * source images, where each crop sits, and in which order. Same contest + seed → byte-identical
 * tensors on any machine (sharp decodes to raw RGB; the arithmetic is exact), different seed →
 * different inputs, so nobody can tune a model on them before the cutoff.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { BENCH_INPUT_TYPES, type LoadedContest } from '../contest/load.js';
import { BenchError } from './errors.js';
import { SeedStream } from './prng.js';

/** Element types podium can build inputs for (contest load refuses the others). */
export type FeedType = (typeof BENCH_INPUT_TYPES)[number];

/** One named input tensor, ready to be handed to onnxruntime. */
export interface Feed {
  readonly name: string;
  readonly type: FeedType;
  readonly dims: readonly number[];
  readonly data: Float32Array | Uint8Array;
}

/** One evaluation sample: where it came from, and the tensors fed to every model. */
export interface Sample {
  readonly index: number;
  /** Source file name inside the contest's input folder (null for generated tensors). */
  readonly source: string | null;
  readonly left: number;
  readonly top: number;
  readonly feeds: readonly Feed[];
}

/** A round's inputs and one digest over all of their bytes (validators can compare it). */
export interface RoundInputs {
  readonly samples: readonly Sample[];
  readonly sha256: string;
}

const IMAGE_FILE = /\.(png|jpe?g|webp|tiff?)$/i;

/**
 * Builds the round's evaluation samples from `seed` (32-byte hex). Returns them with their
 * digest; throws BenchError('inputs') when the contest's inputs cannot produce them (missing
 * folder, image smaller than the crop, unsupported element type).
 */
export async function roundInputs(loaded: LoadedContest, seed: string): Promise<RoundInputs> {
  const c = loaded.contest;
  const samples =
    c.task === 'tensor' ? tensorSamples(loaded, seed) : await imageSamples(loaded, seed);
  const hash = createHash('sha256');
  for (const s of samples) {
    for (const f of s.feeds) {
      hash.update(`${f.name}:${f.type}:${f.dims.join('x')}:`);
      hash.update(new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    }
  }
  return { samples, sha256: hash.digest('hex') };
}

async function imageSamples(loaded: LoadedContest, seed: string): Promise<Sample[]> {
  const c = loaded.contest;
  if (c.inputs.source.type !== 'directory') {
    throw new BenchError('inputs', `${loaded.file}: inputs.source "archive" is not supported yet`);
  }
  const dir = resolve(loaded.dir, c.inputs.source.path);
  const files = (await readdir(dir)).filter((f) => IMAGE_FILE.test(f)).sort();
  if (files.length === 0) throw new BenchError('inputs', `${dir}: no image files`);
  const signature = c.baseline.io.inputs[0];
  if (!signature || c.baseline.io.inputs.length !== 1) {
    throw new BenchError('inputs', `${loaded.file}: image tasks need exactly one model input`);
  }
  const type = feedType(signature.elementType, loaded.file);
  const channels = channelCount(signature.shape, c.inputs.layout, loaded.file);
  const { width, height } = c.inputs.crop;
  const pick = new SeedStream(seed, 'podium/inputs/images');
  const place = new SeedStream(seed, 'podium/inputs/crops');
  const samples: Sample[] = [];
  let cycle: string[] = [];
  for (let index = 0; index < c.inputs.samplesPerRound; index++) {
    if (cycle.length === 0) cycle = pick.shuffle(files);
    const source = cycle.shift() as string;
    const image = await decode(join(dir, source), channels);
    if (image.width < width || image.height < height) {
      throw new BenchError(
        'inputs',
        `${join(dir, source)} is ${image.width}x${image.height}, smaller than the ${width}x${height} crop`,
      );
    }
    const left = place.below(image.width - width + 1);
    const top = place.below(image.height - height + 1);
    const pixels = crop(image, left, top, width, height, channels);
    const data = toTensor(
      pixels,
      width,
      height,
      channels,
      c.inputs.layout,
      type,
      c.inputs.valueScale,
    );
    const dims =
      c.inputs.layout === 'NHWC' ? [1, height, width, channels] : [1, channels, height, width];
    samples.push({ index, source, left, top, feeds: [{ name: signature.name, type, dims, data }] });
  }
  return samples;
}

interface Decoded {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}

async function decode(file: string, channels: number): Promise<Decoded> {
  let pipeline = sharp(file, { failOn: 'error' }).removeAlpha();
  pipeline = channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) {
    throw new BenchError('inputs', `${file}: decoded ${info.channels} channels, need ${channels}`);
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

function toTensor(
  hwc: Buffer,
  w: number,
  h: number,
  ch: number,
  layout: 'NHWC' | 'NCHW',
  type: FeedType,
  scale: number,
): Float32Array | Uint8Array {
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

function tensorSamples(loaded: LoadedContest, seed: string): Sample[] {
  const c = loaded.contest;
  const stream = new SeedStream(seed, 'podium/inputs/tensors');
  const samples: Sample[] = [];
  for (let index = 0; index < c.inputs.samplesPerRound; index++) {
    const feeds = c.baseline.io.inputs.map((sig): Feed => {
      const type = feedType(sig.elementType, loaded.file);
      const dims = sig.shape.map((d) => {
        if (typeof d === 'number') return d;
        throw new BenchError('inputs', `${loaded.file}: tensor input ${sig.name} needs fixed dims`);
      });
      const size = dims.reduce((a, b) => a * b, 1);
      const data = type === 'uint8' ? new Uint8Array(size) : new Float32Array(size);
      for (let i = 0; i < size; i++) {
        data[i] = type === 'uint8' ? stream.below(256) : stream.float() * c.inputs.valueScale;
      }
      return { name: sig.name, type, dims, data };
    });
    samples.push({ index, source: null, left: 0, top: 0, feeds });
  }
  return samples;
}

function feedType(elementType: string, file: string): FeedType {
  const known: readonly string[] = BENCH_INPUT_TYPES;
  if (known.includes(elementType)) return elementType as FeedType;
  throw new BenchError('inputs', `${file}: input element type ${elementType} is not supported`);
}

function channelCount(shape: readonly (number | string)[], layout: string, file: string): number {
  const dim = layout === 'NHWC' ? shape[3] : shape[1];
  if (shape.length !== 4 || (dim !== 1 && dim !== 3)) {
    throw new BenchError(
      'inputs',
      `${file}: image input must be rank 4 with 1 or 3 channels in ${layout} (got [${shape.join(', ')}])`,
    );
  }
  return dim;
}
