/**
 * The source models run by TF.js itself (pure-JS CPU backend, no network): the reference the
 * converted ONNX models are checked against. Test-only: `@tensorflow/tfjs` is a devDependency.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RgbImage } from './image.js';

interface ModelJson {
  modelTopology: tf.io.ModelArtifacts['modelTopology'];
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** An IOHandler that loads a layers model and its shards from local files. */
export function fileHandler(modelJson: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(modelJson, 'utf8')) as ModelJson;
      const shards: Buffer[] = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) shards.push(await readFile(join(dirname(modelJson), p)));
      }
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(
          all.byteOffset,
          all.byteOffset + all.byteLength,
        ) as ArrayBuffer,
      };
    },
  };
}

/** Runs the TF.js layers model at `modelJson` on `image` with the CPU backend; returns its output. */
export async function tfjsUpscale(modelJson: string, image: RgbImage): Promise<RgbImage> {
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(fileHandler(modelJson));
  try {
    const out = tf.tidy(
      () => model.predict(tf.tensor4d(image.data, [1, image.height, image.width, 3])) as tf.Tensor,
    );
    const [, height, width] = out.shape as number[];
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return { height: height as number, width: width as number, data };
  } finally {
    model.dispose();
  }
}
