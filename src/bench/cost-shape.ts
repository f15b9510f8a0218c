/**
 * The pieces of static cost counting that know nothing of operators: what is known about a
 * tensor, reading node attributes and small stored values, and the shape arithmetic shared by
 * several operators (broadcasting, convolution/pooling windows).
 */
import {
  AttributeProto_AttributeType as A,
  TensorProto_DataType as D,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import { canonicalBytes } from './onnx-read.js';

/** What counting knows about a tensor: its dims, and its values when small and constant. */
export interface TensorFact {
  readonly dims: readonly number[];
  /** the values (1-D or scalar int/float constants of ≤ 64 elements, and Shape outputs) */
  readonly values?: readonly number[];
}

/** Largest constant whose values are kept (shape, axes, scales and sizes tensors are tiny). */
const MAX_VALUES = 64;

/** Number of elements of a tensor with `dims` (1 for a scalar). */
export function elements(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** The fact of a stored tensor: its dims, plus its values when it is a small number tensor. */
export function tensorFact(t: TensorProto): TensorFact {
  const dims = t.dims.map(Number);
  const values = elements(dims) <= MAX_VALUES ? decode(t) : undefined;
  return values ? { dims, values } : { dims };
}

function decode(t: TensorProto): number[] | undefined {
  // a copy with its own buffer: rawData may be a view into a larger (Node Buffer) pool
  const bytes = Uint8Array.from(canonicalBytes(t));
  const view = new DataView(bytes.buffer);
  const read: Partial<Record<number, [number, (o: number) => number]>> = {
    [D.INT64]: [8, (o) => Number(view.getBigInt64(o, true))],
    [D.INT32]: [4, (o) => view.getInt32(o, true)],
    [D.FLOAT]: [4, (o) => view.getFloat32(o, true)],
    [D.DOUBLE]: [8, (o) => view.getFloat64(o, true)],
  };
  const r = read[t.dataType];
  if (!r) return undefined;
  const [width, at] = r;
  return Array.from({ length: bytes.length / width }, (_, i) => at(i * width));
}

/** Typed access to a node's attributes, with ONNX defaults supplied by the caller. */
export class Attributes {
  private readonly byName: Map<string, AttributeProto>;

  constructor(node: NodeProto) {
    this.byName = new Map(node.attribute.map((a) => [a.name, a]));
  }

  /** An INT attribute, or `fallback` when absent. */
  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a && a.type === A.INT ? Number(a.i) : fallback;
  }

  /** An INTS attribute, or undefined when absent. */
  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a && a.type === A.INTS ? a.ints.map(Number) : undefined;
  }

  /** A STRING attribute (UTF-8), or `fallback` when absent. */
  str(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a && a.type === A.STRING ? new TextDecoder().decode(a.s) : fallback;
  }

  /** The raw attribute, when present. */
  raw(name: string): AttributeProto | undefined {
    return this.byName.get(name);
  }
}

/** Numpy-style broadcast of `shapes`; returns null when two dims differ and neither is 1. */
export function broadcast(shapes: readonly (readonly number[])[]): number[] | null {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) return null;
      d = v;
    }
    out.push(d);
  }
  return out;
}

/** The window of a convolution or pooling node over its spatial dims. */
export interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** begin pads then end pads, as ONNX's `pads` */
  readonly pads: readonly number[];
  readonly autoPad: string;
  readonly ceilMode: boolean;
}

/** Reads a node's window attributes for `spatial` dims (kernel given, e.g. from the weight). */
export function windowOf(attrs: Attributes, kernel: readonly number[]): Window {
  const n = kernel.length;
  const ones = new Array<number>(n).fill(1);
  return {
    kernel,
    strides: attrs.ints('strides') ?? ones,
    dilations: attrs.ints('dilations') ?? ones,
    pads: attrs.ints('pads') ?? new Array<number>(2 * n).fill(0),
    autoPad: attrs.str('auto_pad', 'NOTSET'),
    ceilMode: attrs.int('ceil_mode', 0) === 1,
  };
}

/**
 * Output spatial dims of a window sliding over `spatial`, per ONNX's Conv/pooling rules
 * (auto_pad SAME_UPPER/SAME_LOWER: ⌈in / stride⌉; VALID: no pads; NOTSET: explicit pads;
 * ceil_mode rounds up). Returns null when a dim is not positive or the attributes do not fit.
 */
export function windowOutput(spatial: readonly number[], w: Window): number[] | null {
  const n = spatial.length;
  if ([w.kernel, w.strides, w.dilations].some((a) => a.length !== n) || w.pads.length !== 2 * n) {
    return null;
  }
  const out = spatial.map((size, i) => {
    const stride = w.strides[i] as number;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
    const span = (w.dilations[i] as number) * ((w.kernel[i] as number) - 1) + 1;
    const pads = w.autoPad === 'VALID' ? 0 : (w.pads[i] as number) + (w.pads[i + n] as number);
    const round = w.ceilMode ? Math.ceil : Math.floor;
    return round((size + pads - span) / stride) + 1;
  });
  return out.every((d) => Number.isInteger(d) && d > 0) ? out : null;
}

/** `axis` made non-negative for a tensor of `rank`; null when out of range. */
export function axisOf(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < Math.max(rank, 1) ? a : null;
}
