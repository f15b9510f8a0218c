/**
 * A dense network's forward and backward pass over Float32Arrays, with Adam: what the digits
 * pipeline is trained with. TF.js's pure-JS CPU backend took 88 s per autoencoder epoch on the
 * shared 2-core machine (ADR 0180, as ADR 0091 found for the CNNs), so the arithmetic of these
 * small MLPs is written out here, row-major, batch by batch.
 */
import type { DenseWeights } from './digits-graphs.js';

type Act = DenseWeights['act'];

/** A trainable layer: weights plus Adam's moments. */
export interface Dense {
  readonly inputs: number;
  readonly units: number;
  readonly act: Act;
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly gw: Float32Array;
  readonly gb: Float32Array;
  readonly mw: Float32Array;
  readonly vw: Float32Array;
  readonly mb: Float32Array;
  readonly vb: Float32Array;
}

/** A Glorot-uniform layer drawing from `next`. */
export function dense(inputs: number, units: number, act: Act, next: () => number): Dense {
  const limit = Math.sqrt(6 / (inputs + units));
  const w = Float32Array.from({ length: inputs * units }, () => (next() * 2 - 1) * limit);
  const z = () => new Float32Array(inputs * units);
  const zb = () => new Float32Array(units);
  return {
    inputs,
    units,
    act,
    w,
    b: zb(),
    gw: z(),
    gb: zb(),
    mw: z(),
    vw: z(),
    mb: zb(),
    vb: zb(),
  };
}

/** The layer's weights as the graph builder takes them. */
export function frozen(l: Dense): DenseWeights {
  return { inputs: l.inputs, units: l.units, w: l.w, b: l.b, act: l.act };
}

/** y = act(x·w + b) for `m` rows; returns y. */
export function forward(l: Dense, x: Float32Array, m: number): Float32Array {
  const { inputs: n, units: u, w, b } = l;
  const y = new Float32Array(m * u);
  for (let r = 0; r < m; r++) {
    const yo = r * u;
    y.set(b, yo);
    for (let k = 0; k < n; k++) {
      const xv = x[r * n + k]!;
      if (xv === 0) continue;
      const wo = k * u;
      for (let c = 0; c < u; c++) y[yo + c]! += xv * w[wo + c]!;
    }
  }
  if (l.act === 'relu') for (let i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]!);
  else if (l.act === 'sigmoid')
    for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-y[i]!));
  return y;
}

/**
 * Given the layer's input `x`, output `y` and dL/dy, accumulates dL/dw, dL/db and returns
 * dL/dx (overwrites `dy` with dL/d(pre-activation)).
 */
export function backward(
  l: Dense,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  m: number,
): Float32Array {
  const { inputs: n, units: u, w, gw, gb } = l;
  if (l.act === 'relu') for (let i = 0; i < dy.length; i++) dy[i] = y[i]! > 0 ? dy[i]! : 0;
  else if (l.act === 'sigmoid')
    for (let i = 0; i < dy.length; i++) dy[i] = dy[i]! * y[i]! * (1 - y[i]!);
  const dx = new Float32Array(m * n);
  for (let r = 0; r < m; r++) {
    const d = r * u;
    for (let c = 0; c < u; c++) gb[c]! += dy[d + c]!;
    for (let k = 0; k < n; k++) {
      const xv = x[r * n + k]!;
      const wo = k * u;
      let s = 0;
      for (let c = 0; c < u; c++) {
        const g = dy[d + c]!;
        gw[wo + c]! += xv * g;
        s += w[wo + c]! * g;
      }
      dx[r * n + k] = s;
    }
  }
  return dx;
}

/** One Adam step (β 0.9 / 0.999, ε 1e-7) at step `t` (from 1); clears the gradients. */
export function adam(l: Dense, lr: number, t: number): void {
  const b1 = 0.9;
  const b2 = 0.999;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  const step = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array) => {
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      p[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-7);
      g[i] = 0;
    }
  };
  step(l.w, l.gw, l.mw, l.vw);
  step(l.b, l.gb, l.mb, l.vb);
}

/** Runs a stack forward; returns every layer's input and the final output. */
export function forwardAll(layers: readonly Dense[], x: Float32Array, m: number): Float32Array[] {
  const acts = [x];
  for (const l of layers) acts.push(forward(l, acts.at(-1)!, m));
  return acts;
}

/** Backpropagates dL/d(output) through a stack run by forwardAll; returns dL/d(input). */
export function backwardAll(
  layers: readonly Dense[],
  acts: readonly Float32Array[],
  dy: Float32Array,
  m: number,
): Float32Array {
  let g = dy;
  for (let i = layers.length - 1; i >= 0; i--)
    g = backward(layers[i]!, acts[i]!, acts[i + 1]!, g, m);
  return g;
}
