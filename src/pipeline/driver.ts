/**
 * The digits pipeline's driver: encode the prompt (and the empty prompt) → run the denoiser
 * for the chosen number of steps with classifier-free guidance and the DDIM update → decode. It knows the roles and tensor names the contest
 * declares for the `latent-ddim` driver, and nothing of onnxruntime: the caller hands it a
 * `RoleRunner` (one session per role in the isolated child, or in this process for the bare
 * benchmark loop). Pure but for the runner and the clock; the child's bundle includes it.
 */
import { ddimStep, ddimTimesteps, timeEmbedding, TIME_FEATURES } from './ddim.js';

/**
 * Classifier-free guidance scale: each step runs the denoiser with the prompt and without it
 * (an all-zero prompt) and moves GUIDANCE times as far along their difference.
 */
export const GUIDANCE = 3;

/** The roles of a `latent-ddim` pipeline, in the order the driver first runs them. */
export const DRIVER_ROLES = ['encoder', 'denoiser', 'decoder'] as const;
export type DriverRole = (typeof DRIVER_ROLES)[number];

/** A float32 tensor handed to or returned by a role. */
export interface RoleTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** Runs one role's graph on named float32 inputs; returns its outputs by name. */
export type RoleRunner = (
  role: DriverRole,
  feeds: Readonly<Record<string, RoleTensor>>,
) => Promise<Readonly<Record<string, RoleTensor>>>;

/** The knobs a submission's manifest sets (within the contest's ranges). */
export interface DriverKnobs {
  readonly steps: number;
}

/** Milliseconds spent in each role for one generated image. */
export type RoleTimes = Record<DriverRole, number>;

/** One generated image and where its time went. */
export interface Generated {
  readonly image: RoleTensor;
  readonly roles: RoleTimes;
}

function output(
  role: DriverRole,
  outs: Readonly<Record<string, RoleTensor>>,
  name: string,
): RoleTensor {
  const t = outs[name];
  if (!t) throw new Error(`role ${role} returned no output "${name}"`);
  return t;
}

/**
 * Generates one image for the one-hot `prompt` [1, classes] from the initial `noise`
 * [1, latent]. Returns the image as [1, side, side, 1] and each role's time (from `clock`, ms).
 */
export async function generate(
  run: RoleRunner,
  prompt: RoleTensor,
  noise: RoleTensor,
  knobs: DriverKnobs,
  side: number,
  clock: () => number = () => performance.now(),
): Promise<Generated> {
  const roles: RoleTimes = { encoder: 0, denoiser: 0, decoder: 0 };
  const timed = async (role: DriverRole, feeds: Record<string, RoleTensor>) => {
    const t0 = clock();
    const outs = await run(role, feeds);
    roles[role] += clock() - t0;
    return outs;
  };
  const cond = output('encoder', await timed('encoder', { prompt }), 'cond');
  const none = { dims: prompt.dims, data: new Float32Array(prompt.data.length) };
  const uncond = output('encoder', await timed('encoder', { prompt: none }), 'cond');
  const x = new Float32Array(noise.data);
  const steps = ddimTimesteps(knobs.steps);
  for (let i = 0; i < steps.length; i++) {
    const t = steps[i]!;
    const time = { dims: [1, TIME_FEATURES], data: timeEmbedding(t) };
    const latent = { dims: noise.dims, data: x };
    const c = output('denoiser', await timed('denoiser', { latent, cond, time }), 'eps');
    const u = output('denoiser', await timed('denoiser', { latent, cond: uncond, time }), 'eps');
    if (c.data.length !== x.length || u.data.length !== x.length) {
      throw new Error(
        `role denoiser returned eps of ${c.data.length} values, expected ${x.length}`,
      );
    }
    const eps = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) eps[k] = u.data[k]! + GUIDANCE * (c.data[k]! - u.data[k]!);
    ddimStep(x, eps, t, steps[i + 1] ?? 0);
  }
  const pixels = output(
    'decoder',
    await timed('decoder', { latent: { dims: noise.dims, data: x } }),
    'pixels',
  );
  if (pixels.data.length !== side * side) {
    throw new Error(`role decoder returned ${pixels.data.length} pixels, expected ${side * side}`);
  }
  return { image: { dims: [1, side, side, 1], data: pixels.data }, roles };
}

/** How many times `driver` runs each role for one image with `knobs` (for FLOPs per image). */
export function roleCalls(
  driver: string,
  knobs: Readonly<Record<string, number | string>>,
): (role: string) => number {
  const steps = typeof knobs.steps === 'number' ? knobs.steps : 1;
  if (driver !== 'latent-ddim') return () => 1;
  const calls: Record<string, number> = { encoder: 2, denoiser: 2 * steps, decoder: 1 };
  return (role) => calls[role] ?? 1;
}
