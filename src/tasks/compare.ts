/**
 * How closely a submission's outputs follow the baseline's on the same inputs. Images (super-
 * resolution outputs) are compared the way a viewer would see them — quantised to 8 bits as an
 * encoded image would be — by PSNR over all channels and SSIM on luma; tensors by cosine
 * similarity, max absolute error and top-1 agreement. Pure functions.
 */
import type { WireTensor } from '../bench/child/protocol.js';

/** Per-sample fidelity, as recorded in the bench file. */
export interface FidelityValues {
  readonly psnr: number | null;
  readonly ssim: number | null;
  readonly cosine: number | null;
  readonly maxAbsError: number;
  readonly top1Agreement: number | null;
}

/** How outputs are read: as images in a layout and value scale, or as plain tensors. */
export type OutputKind =
  | { readonly kind: 'image'; readonly layout: 'NHWC' | 'NCHW'; readonly valueScale: number }
  | { readonly kind: 'tensor'; readonly top1: boolean };

/** PSNR reported for identical images (dB). */
export const PSNR_CAP = 100;

/**
 * Compares one sample's outputs (matched by name). Returns the per-sample values; the worst
 * across several outputs is kept (lowest similarity, highest error). Throws when an output is
 * missing or its shape differs from the baseline's.
 */
export function compareSample(
  base: readonly WireTensor[],
  sub: readonly WireTensor[],
  how: OutputKind,
): FidelityValues {
  const per = base.map((b) => {
    const s = sub.find((t) => t.name === b.name);
    if (!s) throw new Error(`output ${b.name} is missing`);
    if (s.dims.join('x') !== b.dims.join('x')) {
      throw new Error(`output ${b.name} has shape [${s.dims}] instead of [${b.dims}]`);
    }
    return compareTensor(b, s, how);
  });
  const min = (k: 'psnr' | 'ssim' | 'cosine' | 'top1Agreement') => {
    const values = per.map((p) => p[k]).filter((v): v is number => v !== null);
    return values.length === 0 ? null : Math.min(...values);
  };
  return {
    psnr: min('psnr'),
    ssim: min('ssim'),
    cosine: min('cosine'),
    maxAbsError: Math.max(...per.map((p) => p.maxAbsError)),
    top1Agreement: min('top1Agreement'),
  };
}

function compareTensor(b: WireTensor, s: WireTensor, how: OutputKind): FidelityValues {
  const x = toFloats(b);
  const y = toFloats(s);
  let dot = 0;
  let nx = 0;
  let ny = 0;
  let maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const c = y[i] as number;
    dot += a * c;
    nx += a * a;
    ny += c * c;
    maxAbs = Math.max(maxAbs, Math.abs(a - c));
  }
  const cosine = nx === 0 && ny === 0 ? 1 : nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
  const common = { cosine: round(cosine), maxAbsError: round(maxAbs) };
  if (how.kind === 'image') {
    const img = (t: Float64Array) => toImage(t, b.dims, how.layout, how.valueScale);
    const bi = img(x);
    const si = img(y);
    return { ...common, psnr: round(psnr(bi, si)), ssim: round(ssim(bi, si)), top1Agreement: null };
  }
  const top1 = how.top1 ? round(top1Agreement(x, y, b.dims.at(-1) ?? 1)) : null;
  return { ...common, psnr: null, ssim: null, top1Agreement: top1 };
}

/** An 8-bit image: height × width × channels, interleaved. */
export interface Image8 {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

function toImage(
  t: Float64Array,
  dims: readonly number[],
  layout: 'NHWC' | 'NCHW',
  scale: number,
): Image8 {
  if (dims.length !== 4 || dims[0] !== 1) throw new Error(`image output must be [1,…] rank 4`);
  const [, d1, d2, d3] = dims as [number, number, number, number];
  const [h, w, c] = layout === 'NHWC' ? [d1, d2, d3] : [d2, d3, d1];
  const data = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        const from = layout === 'NHWC' ? (y * w + x) * c + k : (k * h + y) * w + x;
        const v = ((t[from] as number) / scale) * 255;
        data[(y * w + x) * c + k] = Math.min(255, Math.max(0, Math.round(v)));
      }
    }
  }
  return { width: w, height: h, channels: c, data };
}

/** PSNR (dB, peak 255) between two 8-bit images, capped at PSNR_CAP for identical ones. */
export function psnr(a: Image8, b: Image8): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++)
    sum += ((a.data[i] as number) - (b.data[i] as number)) ** 2;
  const mse = sum / a.data.length;
  if (mse === 0) return PSNR_CAP;
  return Math.min(PSNR_CAP, 10 * Math.log10((255 * 255) / mse));
}

/**
 * Mean SSIM (Wang et al. 2004) on luma (BT.601) with an 11×11 Gaussian window (σ 1.5),
 * K1 0.01, K2 0.03, over the window positions that fit inside the image (the window shrinks
 * to the image for images smaller than 11 pixels).
 */
export function ssim(a: Image8, b: Image8): number {
  const ya = luma(a);
  const yb = luma(b);
  const size = Math.max(
    1,
    Math.min(11, a.width, a.height) - (Math.min(11, a.width, a.height) % 2 === 0 ? 1 : 0),
  );
  const g = gaussian(size, 1.5);
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let count = 0;
  for (let y0 = 0; y0 + size <= a.height; y0++) {
    for (let x0 = 0; x0 + size <= a.width; x0++) {
      let ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0; // prettier-ignore
      for (let dy = 0; dy < size; dy++) {
        for (let dx = 0; dx < size; dx++) {
          const wgt = (g[dy] as number) * (g[dx] as number);
          const i = (y0 + dy) * a.width + x0 + dx;
          const p = ya[i] as number;
          const q = yb[i] as number;
          ma += wgt * p;
          mb += wgt * q;
          saa += wgt * p * p;
          sbb += wgt * q * q;
          sab += wgt * p * q;
        }
      }
      const va = saa - ma * ma;
      const vb = sbb - mb * mb;
      const cov = sab - ma * mb;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count += 1;
    }
  }
  return total / count;
}

function luma(img: Image8): Float64Array {
  const out = new Float64Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) {
    if (img.channels === 1) out[i] = img.data[i] as number;
    else {
      const o = i * img.channels;
      out[i] =
        0.299 * (img.data[o] as number) +
        0.587 * (img.data[o + 1] as number) +
        0.114 * (img.data[o + 2] as number);
    }
  }
  return out;
}

function gaussian(size: number, sigma: number): number[] {
  const mid = (size - 1) / 2;
  const w = Array.from({ length: size }, (_, i) =>
    Math.exp(-((i - mid) ** 2) / (2 * sigma * sigma)),
  );
  const sum = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / sum);
}

function top1Agreement(x: Float64Array, y: Float64Array, classes: number): number {
  const rows = Math.floor(x.length / classes);
  let agree = 0;
  for (let r = 0; r < rows; r++) {
    if (argmax(x, r * classes, classes) === argmax(y, r * classes, classes)) agree += 1;
  }
  return rows === 0 ? 1 : agree / rows;
}

function argmax(v: Float64Array, from: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if ((v[from + i] as number) > (v[from + best] as number)) best = i;
  return best;
}

/** Index of the first NaN or ±Infinity in the tensor, or -1. */
export function firstNonFinite(t: WireTensor): number {
  if (t.type !== 'float32' && t.type !== 'float64' && t.type !== 'float16') return -1;
  const values = t.type === 'float16' ? toFloats(t) : t.data;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) return i;
  }
  return -1;
}

function toFloats(t: WireTensor): Float64Array {
  const data = t.data;
  const out = new Float64Array(data.length);
  const half = t.type === 'float16';
  for (let i = 0; i < data.length; i++)
    out[i] = half ? halfToFloat(data[i] as number) : Number(data[i]);
  return out;
}

/** Decodes an IEEE 754 half-precision bit pattern. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * An image output as the 8-bit image a viewer would see (values / scale × 255, rounded and
 * clipped), in `layout`. Throws when the tensor is not [1, …] rank 4.
 */
export function imageOf(t: WireTensor, layout: 'NHWC' | 'NCHW', scale: number): Image8 {
  return toImage(toFloats(t), t.dims, layout, scale);
}
