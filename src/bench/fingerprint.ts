/**
 * Fingerprints of a model's weights, computed from the canonical form of every stored tensor
 * (onnx-read.ts canonicalTensor: initializers, Constant attributes in tensor, list or sparse
 * form, sparse initializers, external data), so moving weights between storage forms changes
 * neither. Two kinds (docs/adr/0113-copy-fingerprints.md):
 *
 * - `weightsSha256`, exact: sha256 of the sorted per-tensor sha256(dataType:dims:raw bytes).
 * - per-tensor sketches, rounding-insensitive: the L2 norm and SKETCH_PROJECTIONS random ±1
 *   projections of the values divided by the norm. Nudging one weight by one ULP moves them by
 *   ~1e-7; two independently trained tensors agree on all of them only by a ~1e-26 chance.
 */
import { createHash } from 'node:crypto';
import { TensorProto_DataType as D } from 'onnx-buf';
import { fromHalfBits } from '../models/half.js';

/** Projections per tensor. */
export const SKETCH_PROJECTIONS = 8;
/** Tensors with fewer elements are not sketched (shapes, scalars, biases of tiny layers). */
export const SKETCH_MIN_ELEMENTS = 64;
/**
 * Tensors with fewer distinct values are structure, not learned weights (identity kernels,
 * masks, one-hot tables): independent models share them, so they are not sketched.
 */
export const SKETCH_MIN_DISTINCT = 64;
/** Significant digits kept in a sketch (far finer than any tolerance applied to it). */
const DIGITS = 7;

/** A tensor as fingerprints see it. */
export interface CanonicalTensor {
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly bytes: Uint8Array;
}

/** The rounding-insensitive summary of one tensor. */
export interface TensorSketch {
  readonly elements: number;
  readonly norm: number;
  readonly projections: number[];
}

/** Returns the exact weights hash (null when the model stores no tensor). */
export function weightsHash(tensors: readonly CanonicalTensor[]): string | null {
  if (tensors.length === 0) return null;
  const digests = tensors.map((t) =>
    createHash('sha256')
      .update(`${t.dataType}:${t.dims.join('x')}:`)
      .update(t.bytes)
      .digest('hex'),
  );
  return createHash('sha256').update(digests.sort().join('\n')).digest('hex');
}

/**
 * Returns the sketches of every numeric tensor with at least SKETCH_MIN_ELEMENTS elements and
 * SKETCH_MIN_DISTINCT distinct values, sorted by (elements, norm, projections).
 */
export function tensorSketches(tensors: readonly CanonicalTensor[]): TensorSketch[] {
  const out: TensorSketch[] = [];
  for (const t of tensors) {
    const values = numericValues(t);
    if (values === null || values.length < SKETCH_MIN_ELEMENTS) continue;
    const sketch = sketchOf(values);
    if (sketch) out.push(sketch);
  }
  return out.sort(
    (a, b) =>
      a.elements - b.elements ||
      a.norm - b.norm ||
      a.projections.reduce((d, p, k) => d || p - (b.projections[k] ?? 0), 0),
  );
}

function sketchOf(values: Float64Array): TensorSketch | null {
  let squares = 0;
  const distinct = new Set<number>();
  const sums = new Float64Array(SKETCH_PROJECTIONS);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) return null;
    if (distinct.size < SKETCH_MIN_DISTINCT) distinct.add(v);
    squares += v * v;
    const bits = mix(i);
    for (let k = 0; k < SKETCH_PROJECTIONS; k++) sums[k]! += (bits >>> k) & 1 ? v : -v;
  }
  const norm = Math.sqrt(squares);
  if (distinct.size < SKETCH_MIN_DISTINCT || !(norm > 0)) return null;
  return {
    elements: values.length,
    norm: round(norm),
    projections: Array.from(sums, (s) => round(s / norm)),
  };
}

/** murmur3's 32-bit finalizer of i + 1: the sign pattern of element i (bit k → projection k). */
function mix(i: number): number {
  let h = (i + 1) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function round(x: number): number {
  return Number(x.toPrecision(DIGITS));
}

type Decode = (buf: ArrayBuffer, bytes: number) => Float64Array;

const bfloat16 = (h: number): number => {
  const u = new Uint32Array([h << 16]);
  return new Float32Array(u.buffer)[0] as number;
};

/** Decoders of every numeric element type into numbers. */
const DECODE: Partial<Record<number, Decode>> = {
  [D.FLOAT]: (b, n) => Float64Array.from(new Float32Array(b, 0, n >> 2)),
  [D.DOUBLE]: (b, n) => new Float64Array(b, 0, n >> 3),
  [D.FLOAT16]: (b, n) => Float64Array.from(new Uint16Array(b, 0, n >> 1), fromHalfBits),
  [D.BFLOAT16]: (b, n) => Float64Array.from(new Uint16Array(b, 0, n >> 1), bfloat16),
  [D.INT8]: (b, n) => Float64Array.from(new Int8Array(b, 0, n)),
  [D.UINT8]: (b, n) => Float64Array.from(new Uint8Array(b, 0, n)),
  [D.INT16]: (b, n) => Float64Array.from(new Int16Array(b, 0, n >> 1)),
  [D.UINT16]: (b, n) => Float64Array.from(new Uint16Array(b, 0, n >> 1)),
  [D.INT32]: (b, n) => Float64Array.from(new Int32Array(b, 0, n >> 2)),
  [D.UINT32]: (b, n) => Float64Array.from(new Uint32Array(b, 0, n >> 2)),
  [D.INT64]: (b, n) => Float64Array.from(new BigInt64Array(b, 0, n >> 3), Number),
  [D.UINT64]: (b, n) => Float64Array.from(new BigUint64Array(b, 0, n >> 3), Number),
};

/** The tensor's values as numbers, or null for types that are not numbers (bool, string…). */
function numericValues(t: CanonicalTensor): Float64Array | null {
  const decode = DECODE[t.dataType];
  if (!decode) return null;
  const copy = new Uint8Array(t.bytes); // an own, aligned buffer (Buffer#slice is a view)
  return decode(copy.buffer, copy.byteLength);
}
