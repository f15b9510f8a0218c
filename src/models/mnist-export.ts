/**
 * From trained CNN weights to the pinned ONNX fixture: a TF.js layers-model folder (model.json
 * in the keras-converter layout + one weight shard), read back and converted by the project's
 * converter. Script/test-only (uses `@tensorflow/tfjs`, a devDependency).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MNIST_SPLIT, mnistVersion } from '../data/mnist.js';
import { convertLayers, plainOptions } from './convert.js';
import { readLayersModel } from './layers.js';
import { MNIST_IO } from './mnist-io.js';
import type { CnnName, CnnRecipe } from './mnist-train.js';
import { serialize } from './onnx.js';

/**
 * Writes `model` as `dir/model.json` + `dir/weights.bin` (TF.js layers-model format) and
 * returns the model.json path. Throws on a file-system error.
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'model.json');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: { model_config: artifacts.modelTopology },
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFile(
        join(dir, 'weights.bin'),
        new Uint8Array(artifacts.weightData as ArrayBuffer),
      );
      await writeFile(file, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return file;
}

/**
 * Converts the layers model at `modelJson` (trained by `recipe`) into the ONNX bytes of
 * catalogue model `name`. Throws ModelSourceError when the converter refuses a layer.
 */
export async function mnistOnnx(
  name: CnnName,
  recipe: CnnRecipe,
  modelJson: string,
): Promise<Uint8Array> {
  const src = await readLayersModel(modelJson);
  const { train } = MNIST_SPLIT;
  const training = `scripts/train-mnist.ts: seed ${recipe.seed}, ${recipe.epochs} epochs, batch ${recipe.batchSize}, Adam ${recipe.learningRate}`;
  const options = plainOptions(
    name,
    `MNIST CNN (conv ${recipe.filters.join('-')}${recipe.hidden ? `, dense ${recipe.hidden}` : ''}) trained by podium. ${MNIST_IO}.`,
    {
      podium_model: name,
      source_data: `mnist@${mnistVersion()} indices [${train.from}, ${train.to})`,
      source_license: 'MIT',
      training,
    },
  );
  return serialize(convertLayers(src, options));
}
