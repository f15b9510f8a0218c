/**
 * A pipeline round's inputs from the round seed: for each sample a prompt (a digit, balanced:
 * the k-th sample's digit is the k-th of a seeded shuffle of 0…9 repeated) and the initial
 * noise of the latent (standard normal, Box–Muller over the `podium/inputs/pipeline-noise`
 * stream). Neither can be known before the seed is.
 */
import { SeedStream } from '../tasks/seed-stream.js';

/** One sample's prompt and initial noise. */
export interface PipelineInput {
  readonly prompt: number;
  /** the prompt as a one-hot [1, classes] vector, what the encoder takes */
  readonly onehot: Float32Array;
  readonly noise: Float32Array;
}

/** Draws `count` inputs for `classes` prompts and a `latent`-wide noise from `seed`. */
export function drawPipelineInputs(
  seed: string,
  count: number,
  classes: number,
  latent: number,
): PipelineInput[] {
  const prompts = new SeedStream(seed, 'podium/inputs/pipeline-prompts');
  const noise = new SeedStream(seed, 'podium/inputs/pipeline-noise');
  const order: number[] = [];
  while (order.length < count) {
    order.push(...prompts.shuffle(Array.from({ length: classes }, (_, i) => i)));
  }
  return order.slice(0, count).map((prompt) => {
    const onehot = new Float32Array(classes);
    onehot[prompt] = 1;
    const z = new Float32Array(latent);
    for (let i = 0; i < latent; i++) {
      const u = Math.max(noise.float(), 2 ** -32);
      z[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * noise.float());
    }
    return { prompt, onehot, noise: z };
  });
}
