import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MNIST_SPLIT, splitIndices } from '../data/mnist.js';
import { mnistOnnx, saveLayersModel } from './mnist-export.js';
import { MNIST_FIXTURE_ACCURACY, MNIST_FIXTURE_SHA256 } from './mnist-fixtures.js';
import { onnxAccuracy } from './mnist-infer.js';
import { CNN_RECIPES, layersModel, tfjsProbabilities, trainCnn } from './mnist-train.js';

/** Accuracy may move this much from the documented figure (other Node/V8 versions, CPUs). */
const TOLERANCE = 0.01;

describe('re-training the smallest MNIST recipe', () => {
  it(
    'reaches the documented evaluation accuracy within 1 point, and its ONNX model matches TF.js',
    { timeout: 300_000 },
    async () => {
      // the full mnist-cnn-small recipe: all 8,000 training images, its 10 epochs
      const recipe = CNN_RECIPES['mnist-cnn-small'];
      const start = performance.now();
      const weights = trainCnn(recipe, splitIndices(MNIST_SPLIT.train));
      const trained = (performance.now() - start) / 1000;
      const model = layersModel(recipe, weights);
      const dir = await mkdtemp(join(tmpdir(), 'podium-retrain-'));
      try {
        const bytes = await mnistOnnx('mnist-cnn-small', recipe, await saveLayersModel(model, dir));
        const evaluation = splitIndices(MNIST_SPLIT.evaluation);
        const reference = await tfjsProbabilities(model, evaluation);
        const r = await onnxAccuracy(bytes, evaluation, reference);
        const sha = createHash('sha256').update(bytes).digest('hex');
        console.log(
          `retrained mnist-cnn-small in ${trained.toFixed(1)} s: accuracy ${r.accuracy} (documented ${MNIST_FIXTURE_ACCURACY['mnist-cnn-small']}), ` +
            `max |ONNX − TF.js| ${r.maxAbsDiff}, bytes ${sha === MNIST_FIXTURE_SHA256['mnist-cnn-small'] ? 'identical to' : 'different from'} the fixture`,
        );
        expect(
          Math.abs(r.accuracy - MNIST_FIXTURE_ACCURACY['mnist-cnn-small']),
        ).toBeLessThanOrEqual(TOLERANCE);
        expect(r.maxAbsDiff).toBeLessThan(1e-5);
      } finally {
        await rm(dir, { recursive: true, force: true });
        model.dispose();
      }
    },
  );
});
