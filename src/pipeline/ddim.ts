/**
 * The diffusion arithmetic shared by the trainer and the driver: a cosine noise schedule over
 * TRAIN_STEPS steps, the timestep embedding fed to the denoiser, the steps a DDIM sampler
 * visits, and the deterministic DDIM update (eta = 0). Pure, no imports: the isolated child's
 * bundle includes it.
 */

/** Timesteps of the training schedule (t = 1 … TRAIN_STEPS). */
export const TRAIN_STEPS = 1000;

/** Width of the sinusoidal timestep embedding the denoiser's `time` input takes. */
export const TIME_FEATURES = 16;

/** ᾱ(t) of the cosine schedule (Nichol & Dhariwal 2021, s = 0.008), clipped to [1e-5, 1]. */
export function alphaBar(t: number): number {
  if (t <= 0) return 1;
  const s = 0.008;
  const f = (u: number) => Math.cos(((u / TRAIN_STEPS + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  return Math.min(1, Math.max(1e-5, f(t) / f(0)));
}

/** Sinusoidal embedding of timestep `t`: sin then cos of t at TIME_FEATURES / 2 frequencies. */
export function timeEmbedding(t: number, out = new Float32Array(TIME_FEATURES)): Float32Array {
  const half = TIME_FEATURES / 2;
  for (let i = 0; i < half; i++) {
    const freq = Math.exp((-Math.log(1000) * i) / half);
    out[i] = Math.sin(t * freq);
    out[i + half] = Math.cos(t * freq);
  }
  return out;
}

/** The `steps` timesteps a DDIM sampler visits, from TRAIN_STEPS down, evenly spaced. */
export function ddimTimesteps(steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > TRAIN_STEPS) {
    throw new RangeError(`steps must be an integer in [1, ${TRAIN_STEPS}] (got ${steps})`);
  }
  return Array.from({ length: steps }, (_, i) =>
    Math.round(TRAIN_STEPS - (i * TRAIN_STEPS) / steps),
  );
}

/**
 * One deterministic DDIM step from timestep `t` to `prev` (0 = clean) given the predicted noise:
 * x₀ = (x − √(1−ᾱₜ)·ε) / √ᾱₜ, then x' = √ᾱₚ·x₀ + √(1−ᾱₚ)·ε. Writes into `x` and returns it.
 */
export function ddimStep(
  x: Float32Array,
  eps: ArrayLike<number>,
  t: number,
  prev: number,
): Float32Array {
  const at = alphaBar(t);
  const ap = alphaBar(prev);
  const sa = Math.sqrt(at);
  const sb = Math.sqrt(1 - at);
  for (let i = 0; i < x.length; i++) {
    const e = eps[i] as number;
    const x0 = (x[i]! - sb * e) / sa;
    x[i] = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * e;
  }
  return x;
}
