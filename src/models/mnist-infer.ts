/**
 * Running MNIST classifiers (input `image` [1,28,28,1] float32 0..1 → `probabilities` [1,10])
 * with onnxruntime-node on CPU, one image per run as a contest round feeds them.
 */
import type * as ort from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import { MNIST_CLASSES, MNIST_SIDE, mnistSample, toUnitFloats } from '../data/mnist.js';
import { openSession } from './infer.js';

/** Names of the MNIST models' input and output. */
export const MNIST_INPUT = 'image';
export const MNIST_OUTPUT = 'probabilities';

/** Runs one image (784 bytes 0..255) and returns the 10 outputs; throws when the IO differs. */
export async function classify(
  session: ort.InferenceSession,
  pixels: Uint8Array,
): Promise<Float32Array> {
  const input = new Tensor('float32', toUnitFloats(pixels), [1, MNIST_SIDE, MNIST_SIDE, 1]);
  const out = (await session.run({ [MNIST_INPUT]: input }))[MNIST_OUTPUT];
  if (!out || out.data.length !== MNIST_CLASSES)
    throw new Error(`model has no [1,10] output ${MNIST_OUTPUT}`);
  return out.data as Float32Array;
}

/** Index of the largest value (the first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/** Accuracy on a set of samples, and the largest difference from reference outputs if given. */
export interface AccuracyResult {
  readonly correct: number;
  readonly total: number;
  readonly accuracy: number;
  /** max |output − reference| over all outputs (0 when no reference was given) */
  readonly maxAbsDiff: number;
}

/**
 * Top-1 accuracy of the model (file path or bytes) on the samples at `indices`; `reference`
 * ([n·10] row-major, e.g. TF.js' outputs) is compared output by output.
 */
export async function onnxAccuracy(
  model: string | Uint8Array,
  indices: readonly number[],
  reference?: Float32Array,
): Promise<AccuracyResult> {
  const session = await openSession(model);
  let correct = 0;
  let maxAbsDiff = 0;
  try {
    for (const [k, index] of indices.entries()) {
      const s = mnistSample(index);
      const p = await classify(session, s.pixels);
      if (argmax(p) === s.label) correct += 1;
      if (reference) {
        for (let c = 0; c < MNIST_CLASSES; c++) {
          maxAbsDiff = Math.max(
            maxAbsDiff,
            Math.abs((p[c] as number) - (reference[k * MNIST_CLASSES + c] as number)),
          );
        }
      }
    }
  } finally {
    await session.release();
  }
  return { correct, total: indices.length, accuracy: correct / indices.length, maxAbsDiff };
}
