/**
 * The throughput contest's models do what their recipes say, on real MNIST images through
 * onnxruntime: the dead branches change no output at batch 1 or 8, and the garbage model is
 * exact at batch 1 and answers "3" for every image of a larger batch. Their speeds are shown by
 * `npm run bench:throughput`, not asserted here.
 */
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { MNIST_SPLIT, mnistSample, splitIndices, toUnitFloats } from '../data/mnist.js';
import { ensureModels, modelPath } from './build.js';
import { MNIST_LOAD_MODEL_NAMES, type MnistLoadModelName } from './mnist-load-variants.js';

const sessions = new Map<MnistLoadModelName, ort.InferenceSession>();
const items = splitIndices(MNIST_SPLIT.evaluation).slice(0, 8);

beforeAll(async () => {
  await ensureModels();
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1 };
  for (const name of MNIST_LOAD_MODEL_NAMES) {
    sessions.set(name, await ort.InferenceSession.create(modelPath(name), options));
  }
});

/** Probabilities of `name` for the first `batch` items, run as one batch: [batch][10]. */
async function run(name: MnistLoadModelName, batch: number): Promise<Float32Array[]> {
  const data = new Float32Array(batch * 784);
  items
    .slice(0, batch)
    .forEach((item, i) => data.set(toUnitFloats(mnistSample(item).pixels), i * 784));
  const image = new ort.Tensor('float32', data, [batch, 28, 28, 1]);
  const out = (await sessions.get(name)!.run({ image })).probabilities!.data as Float32Array;
  return Array.from({ length: batch }, (_, i) => out.slice(i * 10, (i + 1) * 10));
}

function argmax(v: Float32Array): number {
  return v.indexOf(Math.max(...v));
}

describe('the throughput contest models', () => {
  it('the dead branches of the baseline and the batch-sensitive model change no output', async () => {
    for (const batch of [1, 8]) {
      const fast = await run('mnist-load-fast', batch);
      for (const name of ['mnist-load-baseline', 'mnist-load-solo'] as const) {
        const other = await run(name, batch);
        other.forEach((row, i) =>
          expect([name, batch, [...row]]).toEqual([name, batch, [...fast[i]!]]),
        );
      }
    }
  });

  it('the garbage model is exact at batch 1 and predicts 3 for every image of a batch of 8', async () => {
    const fast = await run('mnist-load-fast', 1);
    expect([...(await run('mnist-load-garbage', 1))[0]!]).toEqual([...fast[0]!]);
    const labels = items.map((i) => mnistSample(i).label);
    expect(labels.filter((l) => l !== 3).length).toBeGreaterThan(4);
    expect((await run('mnist-load-garbage', 8)).map(argmax)).toEqual(Array(8).fill(3));
    expect((await run('mnist-load-fast', 8)).map(argmax)).not.toEqual(Array(8).fill(3));
  });
});
