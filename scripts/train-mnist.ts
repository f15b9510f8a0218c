/**
 * Trains the MNIST catalogue CNNs (src/models/mnist-train.ts recipes) on the training part of
 * the fixed split, converts each to ONNX with podium's converter, checks the ONNX model
 * against TF.js on the whole evaluation part, and writes the pinned fixtures
 * fixtures/models/<name>.onnx. Prints accuracy, time and sha256 for fixtures/models/README.md.
 *
 *   npx tsx scripts/train-mnist.ts [name ...]     (default: all three)
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MNIST_SPLIT, splitIndices } from '../src/data/mnist.js';
import { onnxAccuracy } from '../src/models/mnist-infer.js';
import { mnistOnnx, saveLayersModel } from '../src/models/mnist-export.js';
import {
  CNN_RECIPES,
  cnnAccuracy,
  layersModel,
  tfjsProbabilities,
  trainCnn,
  type CnnName,
} from '../src/models/mnist-train.js';

const OUT = join(import.meta.dirname, '..', 'fixtures', 'models');
const names = (
  process.argv.length > 2 ? process.argv.slice(2) : Object.keys(CNN_RECIPES)
) as CnnName[];

for (const name of names) {
  const recipe = CNN_RECIPES[name];
  if (!recipe) throw new Error(`no recipe ${name}; known: ${Object.keys(CNN_RECIPES).join(', ')}`);
  const start = performance.now();
  const weights = trainCnn(recipe, splitIndices(MNIST_SPLIT.train), (epoch, loss) =>
    console.log(`${name}: epoch ${epoch + 1}/${recipe.epochs} loss ${loss.toFixed(4)}`),
  );
  const seconds = (performance.now() - start) / 1000;
  const evaluation = splitIndices(MNIST_SPLIT.evaluation);
  const dir = await mkdtemp(join(tmpdir(), 'podium-mnist-'));
  try {
    const model = layersModel(recipe, weights);
    const bytes = await mnistOnnx(name, recipe, await saveLayersModel(model, dir));
    const reference = await tfjsProbabilities(model, evaluation);
    const onnx = await onnxAccuracy(bytes, evaluation, reference);
    await writeFile(join(OUT, `${name}.onnx`), bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    console.log(
      `${name}: trained in ${seconds.toFixed(1)} s; evaluation accuracy ${cnnAccuracy(recipe, weights, evaluation)} (ours), ` +
        `${onnx.accuracy} (ONNX), max |ONNX − TF.js| ${onnx.maxAbsDiff}; ${bytes.length} bytes sha256 ${sha}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
