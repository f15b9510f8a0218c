/**
 * A small CNN with its forward and backward pass written out over Float32Arrays: 3×3 "valid"
 * convolutions (stride 1, bias, ReLU) each followed by a 2×2/2 max pool, a flatten in NHWC
 * order (as Keras' Flatten on channels_last), dense layers (ReLU between) and softmax
 * cross-entropy. Single-threaded, fixed summation order: the same seed gives the same weights
 * bit for bit on a given Node version. Why not TF.js' own training: see docs/adr/0091.
 * Weight layouts are TF.js' (kernels HWIO, dense [in, out]) so a layers model can take them.
 */
import { mulberry32 } from './random.js';

/** The architecture: input side and channels, conv filters per block, dense widths. */
export interface CnnShape {
  readonly side: number;
  readonly channels: number;
  readonly filters: readonly number[];
  /** widths of the dense layers, the last being the number of classes */
  readonly dense: readonly number[];
}

/** The weights in TF.js order: per conv [kernel HWIO, bias], then per dense [kernel, bias]. */
export type CnnWeights = Float32Array[];

/** The 3×3 kernel side the CNNs use. */
export const KERNEL = 3;

interface ConvPlan {
  readonly cin: number;
  readonly cout: number;
  /** input side, conv output side, pool output side */
  readonly inSide: number;
  readonly convSide: number;
  readonly poolSide: number;
}

function plan(s: CnnShape): { convs: ConvPlan[]; flat: number; dense: [number, number][] } {
  let side = s.side;
  let cin = s.channels;
  const convs = s.filters.map((cout) => {
    const convSide = side - KERNEL + 1;
    const p: ConvPlan = { cin, cout, inSide: side, convSide, poolSide: Math.floor(convSide / 2) };
    side = p.poolSide;
    cin = cout;
    return p;
  });
  const flat = side * side * cin;
  const widths = [flat, ...s.dense];
  return { convs, flat, dense: s.dense.map((w, i) => [widths[i] as number, w]) };
}

/** Shapes of the weights in CnnWeights order. */
export function weightShapes(s: CnnShape): number[][] {
  const p = plan(s);
  return [
    ...p.convs.flatMap((c) => [[KERNEL, KERNEL, c.cin, c.cout], [c.cout]]),
    ...p.dense.flatMap(([i, o]) => [[i, o], [o]]),
  ];
}

/**
 * Glorot-uniform kernels (limit √(6/(fan_in+fan_out)), Keras' fans: receptive field × channels)
 * drawn from mulberry32(seed) in weight order, and zero biases.
 */
export function initWeights(s: CnnShape, seed: number): CnnWeights {
  const next = mulberry32(seed);
  return weightShapes(s).map((shape) => {
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (shape.length === 1) return out;
    const receptive = shape.length === 4 ? (shape[0] as number) * (shape[1] as number) : 1;
    const fanIn = receptive * (shape.at(-2) as number);
    const fanOut = receptive * (shape.at(-1) as number);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < out.length; i++) out[i] = (2 * next() - 1) * limit;
    return out;
  });
}

/** Per-sample buffers, reused across samples. */
interface Trace {
  readonly input: Float32Array[];
  readonly conv: Float32Array[];
  readonly argmax: Int32Array[];
  readonly dense: Float32Array[];
}

/** A network that can run and differentiate one sample at a time. */
export class Cnn {
  private readonly p: ReturnType<typeof plan>;
  private readonly t: Trace;

  constructor(
    readonly shape: CnnShape,
    readonly weights: CnnWeights,
  ) {
    this.p = plan(shape);
    const sq = (n: number) => n * n;
    this.t = {
      input: this.p.convs.map((c) => new Float32Array(sq(c.inSide) * c.cin)),
      conv: this.p.convs.map((c) => new Float32Array(sq(c.convSide) * c.cout)),
      argmax: this.p.convs.map((c) => new Int32Array(sq(c.poolSide) * c.cout)),
      dense: [this.p.flat, ...shape.dense].map((n) => new Float32Array(n)),
    };
  }

  /** Class probabilities (softmax) for one image (NHWC order, length side²·channels). */
  forward(image: Float32Array): Float32Array {
    this.t.input[0]?.set(image);
    this.p.convs.forEach((c, i) => {
      const out =
        i + 1 < this.p.convs.length ? (this.t.input[i + 1] as Float32Array) : this.t.dense[0];
      this.convForward(i, c);
      this.poolForward(i, c, out as Float32Array);
    });
    this.p.dense.forEach(([nin, nout], i) => {
      const [w, b] = this.denseWeights(i);
      const x = this.t.dense[i] as Float32Array;
      const z = this.t.dense[i + 1] as Float32Array;
      for (let o = 0; o < nout; o++) z[o] = b[o] as number;
      for (let k = 0; k < nin; k++) {
        const xv = x[k] as number;
        if (xv === 0) continue;
        for (let o = 0; o < nout; o++) z[o] = (z[o] as number) + xv * (w[k * nout + o] as number);
      }
      if (i < this.p.dense.length - 1)
        for (let o = 0; o < nout; o++) z[o] = Math.max(0, z[o] as number);
    });
    return softmax(this.t.dense.at(-1) as Float32Array);
  }

  /**
   * Runs one sample forward and adds d(loss)/d(weights) × `scale` into `grads` (CnnWeights
   * layout), for the cross-entropy loss of `label`. Returns the sample's loss.
   */
  accumulate(image: Float32Array, label: number, grads: CnnWeights, scale: number): number {
    const probs = this.forward(image);
    const loss = -Math.log(Math.max(probs[label] as number, 1e-30));
    let g: Float32Array = Float32Array.from(probs, (v, i) => (v - (i === label ? 1 : 0)) * scale);
    const convWeights = 2 * this.p.convs.length;
    for (let i = this.p.dense.length - 1; i >= 0; i--) {
      g = this.denseBackward(
        i,
        g,
        grads[convWeights + 2 * i] as Float32Array,
        grads[convWeights + 2 * i + 1] as Float32Array,
      );
    }
    for (let i = this.p.convs.length - 1; i >= 0; i--) {
      g = this.convBackward(i, g, grads[2 * i] as Float32Array, grads[2 * i + 1] as Float32Array);
    }
    return loss;
  }

  private denseWeights(i: number): [Float32Array, Float32Array] {
    const base = 2 * this.p.convs.length + 2 * i;
    return [this.weights[base] as Float32Array, this.weights[base + 1] as Float32Array];
  }

  private convForward(i: number, c: ConvPlan): void {
    const x = this.t.input[i] as Float32Array;
    const y = this.t.conv[i] as Float32Array;
    const k = this.weights[2 * i] as Float32Array;
    const b = this.weights[2 * i + 1] as Float32Array;
    const { cin, cout, inSide, convSide } = c;
    for (let oy = 0; oy < convSide; oy++)
      for (let ox = 0; ox < convSide; ox++) {
        const yo = (oy * convSide + ox) * cout;
        for (let o = 0; o < cout; o++) y[yo + o] = b[o] as number;
        for (let dy = 0; dy < KERNEL; dy++)
          for (let dx = 0; dx < KERNEL; dx++) {
            const xo = ((oy + dy) * inSide + ox + dx) * cin;
            const ko = (dy * KERNEL + dx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[xo + ci] as number;
              if (xv === 0) continue;
              const kc = ko + ci * cout;
              for (let o = 0; o < cout; o++)
                y[yo + o] = (y[yo + o] as number) + xv * (k[kc + o] as number);
            }
          }
        for (let o = 0; o < cout; o++) y[yo + o] = Math.max(0, y[yo + o] as number);
      }
  }

  private poolForward(i: number, c: ConvPlan, out: Float32Array): void {
    const y = this.t.conv[i] as Float32Array;
    const arg = this.t.argmax[i] as Int32Array;
    const { cout, convSide, poolSide } = c;
    for (let py = 0; py < poolSide; py++)
      for (let px = 0; px < poolSide; px++)
        for (let o = 0; o < cout; o++) {
          let best = -Infinity;
          let at = 0;
          for (let dy = 0; dy < 2; dy++)
            for (let dx = 0; dx < 2; dx++) {
              const idx = ((2 * py + dy) * convSide + 2 * px + dx) * cout + o;
              if ((y[idx] as number) > best) {
                best = y[idx] as number;
                at = idx;
              }
            }
          const q = (py * poolSide + px) * cout + o;
          out[q] = best;
          arg[q] = at;
        }
  }

  private denseBackward(
    i: number,
    gz: Float32Array,
    gw: Float32Array,
    gb: Float32Array,
  ): Float32Array {
    const [nin, nout] = this.p.dense[i] as [number, number];
    const [w] = this.denseWeights(i);
    const x = this.t.dense[i] as Float32Array;
    const gx = new Float32Array(nin);
    for (let o = 0; o < nout; o++) gb[o] = (gb[o] as number) + (gz[o] as number);
    for (let k = 0; k < nin; k++) {
      const xv = x[k] as number;
      let s = 0;
      for (let o = 0; o < nout; o++) {
        gw[k * nout + o] = (gw[k * nout + o] as number) + xv * (gz[o] as number);
        s += (w[k * nout + o] as number) * (gz[o] as number);
      }
      // the input of dense i > 0 went through a ReLU; of dense 0, through the last max pool (≥ 0)
      gx[k] = i > 0 && xv <= 0 ? 0 : s;
    }
    return gx;
  }

  private convBackward(
    i: number,
    gPool: Float32Array,
    gk: Float32Array,
    gb: Float32Array,
  ): Float32Array {
    const c = this.p.convs[i] as ConvPlan;
    const { cin, cout, inSide, convSide } = c;
    const y = this.t.conv[i] as Float32Array;
    const arg = this.t.argmax[i] as Int32Array;
    const gy = new Float32Array(y.length);
    for (let q = 0; q < arg.length; q++) {
      const at = arg[q] as number;
      if ((y[at] as number) > 0) gy[at] = (gy[at] as number) + (gPool[q] as number);
    }
    const x = this.t.input[i] as Float32Array;
    const k = this.weights[2 * i] as Float32Array;
    const gx = new Float32Array(i > 0 ? x.length : 0);
    for (let oy = 0; oy < convSide; oy++)
      for (let ox = 0; ox < convSide; ox++) {
        const yo = (oy * convSide + ox) * cout;
        let any = false;
        for (let o = 0; o < cout; o++) {
          const g = gy[yo + o] as number;
          if (g !== 0) {
            gb[o] = (gb[o] as number) + g;
            any = true;
          }
        }
        if (!any) continue;
        for (let dy = 0; dy < KERNEL; dy++)
          for (let dx = 0; dx < KERNEL; dx++) {
            const xo = ((oy + dy) * inSide + ox + dx) * cin;
            const ko = (dy * KERNEL + dx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[xo + ci] as number;
              const kc = ko + ci * cout;
              let s = 0;
              for (let o = 0; o < cout; o++) {
                const g = gy[yo + o] as number;
                gk[kc + o] = (gk[kc + o] as number) + xv * g;
                s += (k[kc + o] as number) * g;
              }
              if (i > 0) gx[xo + ci] = (gx[xo + ci] as number) + s;
            }
          }
      }
    // the input of conv i > 0 is a max pool of ReLU outputs: its gradient passes where it was > 0
    return gx;
  }
}

function softmax(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  const out = Float32Array.from(z, (v) => Math.exp(v - max));
  let sum = 0;
  for (const v of out) sum += v;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** Adam (β1 0.9, β2 0.999, ε 1e-7 as TF.js) over CnnWeights, updating the weights in place. */
export class Adam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private step = 0;

  constructor(
    private readonly weights: CnnWeights,
    /** the learning rate; may be changed between steps (a schedule) */
    public rate: number,
  ) {
    this.m = weights.map((w) => new Float32Array(w.length));
    this.v = weights.map((w) => new Float32Array(w.length));
  }

  /** Applies one update from `grads` (same layout as the weights). */
  apply(grads: CnnWeights): void {
    this.step += 1;
    const c1 = 1 - 0.9 ** this.step;
    const c2 = 1 - 0.999 ** this.step;
    const lr = (this.rate * Math.sqrt(c2)) / c1;
    this.weights.forEach((w, j) => {
      const g = grads[j] as Float32Array;
      const m = this.m[j] as Float32Array;
      const v = this.v[j] as Float32Array;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i] as number;
        m[i] = 0.9 * (m[i] as number) + 0.1 * gi;
        v[i] = 0.999 * (v[i] as number) + 0.001 * gi * gi;
        w[i] = (w[i] as number) - (lr * (m[i] as number)) / (Math.sqrt(v[i] as number) + 1e-7);
      }
    });
  }
}
