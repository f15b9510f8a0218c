/**
 * Training the digits pipeline (ADR 0180). Two seeded stages over the mnist training part:
 * an autoencoder (its decoder becomes the pipeline's decoder; its latents are normalised per
 * dimension and the normalisation folded into the decoder's first layer), then a
 * class-conditional noise predictor over those latents — a label embedding (the pipeline's
 * encoder) and an MLP denoiser — on the cosine schedule of ddim.ts. Batches, timesteps, noise
 * and initial weights all come from mulberry32(seed): one recipe, one set of weights.
 */
import { MNIST_PIXELS, MNIST_SPLIT, mnistSample, splitIndices } from '../data/mnist.js';
import { mulberry32 } from '../models/random.js';
import { alphaBar, timeEmbedding, TIME_FEATURES, TRAIN_STEPS } from './ddim.js';
import { DIGITS, type DigitsWeights } from './digits-graphs.js';
import { adam, backwardAll, dense, forwardAll, frozen, type Dense } from './mlp.js';

/** Everything that decides the trained weights. */
export interface DigitsRecipe {
  readonly autoencoder: { readonly hidden: number; readonly epochs: number; readonly lr: number };
  readonly denoiser: {
    readonly hidden: number;
    readonly epochs: number;
    readonly lr: number;
    /** share of rows trained without their prompt, for classifier-free guidance */
    readonly dropPrompt: number;
  };
  readonly batchSize: number;
  /** training images: the first `images` of the mnist training part */
  readonly images: number;
  readonly seed: number;
}

/** The recipe of the committed fixture (fixtures/models/digits-pipeline/). */
export const DIGITS_RECIPE: DigitsRecipe = {
  autoencoder: { hidden: 128, epochs: 8, lr: 0.002 },
  denoiser: { hidden: 128, epochs: 100, lr: 0.002, dropPrompt: 0.15 },
  batchSize: 64,
  images: 8000,
  seed: 7,
};

function shuffled(n: number, next: () => number): Uint32Array {
  const order = new Uint32Array(n).map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** A standard normal draw (Box–Muller) from `next`. */
export function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

function gather(rows: Uint32Array, src: Float32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(src.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/** Mean squared error of `y` against `target`; writes dL/dy into `dy`. */
function mse(y: Float32Array, target: Float32Array, dy: Float32Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - target[i]!;
    s += d * d;
    dy[i] = (2 * d) / y.length;
  }
  return s / y.length;
}

/** Trains every role; `log` gets one line per epoch. Returns the weights of the three graphs. */
export function trainDigits(
  recipe: DigitsRecipe,
  log: (line: string) => void = () => undefined,
): DigitsWeights {
  const indices = splitIndices(MNIST_SPLIT.train).slice(0, recipe.images);
  const n = indices.length;
  const pixels = new Float32Array(n * MNIST_PIXELS);
  const labels = new Int32Array(n);
  indices.forEach((idx, i) => {
    const s = mnistSample(idx);
    for (let p = 0; p < MNIST_PIXELS; p++) pixels[i * MNIST_PIXELS + p] = s.pixels[p]! / 255;
    labels[i] = s.label;
  });
  const next = mulberry32(recipe.seed);
  const ae = recipe.autoencoder;
  const enc = [
    dense(MNIST_PIXELS, ae.hidden, 'relu', next),
    dense(ae.hidden, DIGITS.latent, 'linear', next),
  ];
  const dec = [
    dense(DIGITS.latent, ae.hidden, 'relu', next),
    dense(ae.hidden, MNIST_PIXELS, 'sigmoid', next),
  ];
  const bs = recipe.batchSize;
  let step = 0;
  const update = (layers: readonly Dense[], lr: number) => {
    for (const l of layers) adam(l, lr, step);
  };
  for (let e = 0; e < ae.epochs; e++) {
    const order = shuffled(n, next);
    let total = 0;
    for (let b = 0; b * bs < n; b++) {
      const rows = order.subarray(b * bs, Math.min(n, (b + 1) * bs));
      const m = rows.length;
      const x = gather(rows, pixels, MNIST_PIXELS);
      const ea = forwardAll(enc, x, m);
      const da = forwardAll(dec, ea.at(-1)!, m);
      const dy = new Float32Array(m * MNIST_PIXELS);
      total += mse(da.at(-1)!, x, dy) * m;
      const dz = backwardAll(dec, da, dy, m);
      backwardAll(enc, ea, dz, m);
      step++;
      update([...enc, ...dec], ae.lr);
    }
    log(`autoencoder epoch ${e + 1}/${ae.epochs}: mse ${(total / n).toFixed(5)}`);
  }
  const z = forwardAll(enc, pixels, n).at(-1)!;
  const L = DIGITS.latent;
  const mean = new Float64Array(L);
  const sq = new Float64Array(L);
  for (let i = 0; i < n; i++) for (let k = 0; k < L; k++) mean[k]! += z[i * L + k]! / n;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < L; k++) sq[k]! += (z[i * L + k]! - mean[k]!) ** 2 / n;
  const std = Array.from(sq, (v) => Math.sqrt(v) + 1e-6);
  const latents = Float32Array.from(z, (v, i) => (v - mean[i % L]!) / std[i % L]!);
  const d0 = frozen(dec[0]!);
  const w = new Float32Array(d0.w.length);
  const b0 = new Float32Array(d0.b);
  for (let r = 0; r < d0.inputs; r++) {
    for (let c = 0; c < d0.units; c++) {
      const v = d0.w[r * d0.units + c]!;
      w[r * d0.units + c] = v * std[r]!;
      b0[c]! += mean[r]! * v;
    }
  }
  const decoder = [{ ...d0, w, b: b0 }, frozen(dec[1]!)];

  const dn = recipe.denoiser;
  const embed = dense(DIGITS.classes, DIGITS.cond, 'linear', next);
  const F = L + DIGITS.cond + TIME_FEATURES;
  const den = [
    dense(F, dn.hidden, 'relu', next),
    dense(dn.hidden, dn.hidden, 'relu', next),
    dense(dn.hidden, L, 'linear', next),
  ];
  step = 0;
  for (let e = 0; e < dn.epochs; e++) {
    const order = shuffled(n, next);
    let total = 0;
    for (let b = 0; b * bs < n; b++) {
      const rows = order.subarray(b * bs, Math.min(n, (b + 1) * bs));
      const m = rows.length;
      const onehot = new Float32Array(m * DIGITS.classes);
      // Classifier-free guidance: the prompt is dropped (all zeros) for a share of rows.
      rows.forEach((r, i) => {
        if (next() >= dn.dropPrompt) onehot[i * DIGITS.classes + labels[r]!] = 1;
      });
      const ca = forwardAll([embed], onehot, m);
      const cond = ca[1]!;
      const features = new Float32Array(m * F);
      const eps = new Float32Array(m * L);
      const time = new Float32Array(TIME_FEATURES);
      rows.forEach((r, i) => {
        const t = 1 + Math.floor(next() * TRAIN_STEPS);
        const ab = alphaBar(t);
        const o = i * F;
        for (let k = 0; k < L; k++) {
          const noise = gaussian(next);
          eps[i * L + k] = noise;
          features[o + k] = Math.sqrt(ab) * latents[r * L + k]! + Math.sqrt(1 - ab) * noise;
        }
        features.set(cond.subarray(i * DIGITS.cond, (i + 1) * DIGITS.cond), o + L);
        features.set(timeEmbedding(t, time), o + L + DIGITS.cond);
      });
      const acts = forwardAll(den, features, m);
      const dy = new Float32Array(m * L);
      total += mse(acts.at(-1)!, eps, dy) * m;
      const df = backwardAll(den, acts, dy, m);
      const dc = new Float32Array(m * DIGITS.cond);
      for (let i = 0; i < m; i++)
        dc.set(df.subarray(i * F + L, i * F + L + DIGITS.cond), i * DIGITS.cond);
      backwardAll([embed], ca, dc, m);
      step++;
      update([embed, ...den], dn.lr);
    }
    log(`denoiser epoch ${e + 1}/${dn.epochs}: mse ${(total / n).toFixed(5)}`);
  }
  return { encoder: [frozen(embed)], denoiser: den.map(frozen), decoder };
}
