/**
 * Running the super-resolution models with onnxruntime-node (CPU). Used by the tests and the
 * models benchmark; the contest benchmark has its own measured, isolated runner.
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from './image.js';

/** Session settings that change timings: always explicit. */
export interface SessionSettings {
  readonly intraOpNumThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
}

/** One thread, every graph optimization: the setting the models' figures are measured with. */
export const SINGLE_THREAD: SessionSettings = {
  intraOpNumThreads: 1,
  graphOptimizationLevel: 'all',
};

/** Opens a CPU session on a model file or its bytes; throws onnxruntime's error when it cannot load. */
export async function openSession(
  model: string | Uint8Array,
  settings: SessionSettings = SINGLE_THREAD,
): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: settings.intraOpNumThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: settings.graphOptimizationLevel,
  };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

/** Runs `LR` → `SR` on one image; returns the ×2 image (NHWC float32, not clipped). */
export async function upscale(session: ort.InferenceSession, image: RgbImage): Promise<RgbImage> {
  const input = new ort.Tensor('float32', image.data, [1, image.height, image.width, 3]);
  const result = await session.run({ LR: input });
  const sr = result.SR;
  if (!sr) throw new Error('model has no output SR');
  const [, height, width] = sr.dims as number[];
  return { height: height as number, width: width as number, data: sr.data as Float32Array };
}
