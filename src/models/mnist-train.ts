/**
 * Training the MNIST CNNs of the catalogue (src/models/cnn.ts does the arithmetic) and handing
 * the trained weights to TF.js as a plain layers model (Conv2D, MaxPooling2D, Flatten, Dense),
 * which the ONNX converter reads and the tests compare the ONNX models against.
 * Script/test-only: `@tensorflow/tfjs` is a devDependency.
 */
import * as tf from '@tensorflow/tfjs';
import { MNIST_CLASSES, MNIST_PIXELS, MNIST_SIDE, mnistSample } from '../data/mnist.js';
import {
  Adam,
  Cnn,
  KERNEL,
  initWeights,
  weightShapes,
  type CnnShape,
  type CnnWeights,
} from './cnn.js';
import { mulberry32 } from './random.js';

/** How one catalogue CNN is trained: architecture, schedule and seed. */
export interface CnnRecipe {
  /** filters of each 3×3 conv block (ReLU, then 2×2 max pool) */
  readonly filters: readonly number[];
  /** units of a hidden ReLU dense layer before the 10-way softmax, or null for none */
  readonly hidden: number | null;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** the learning rate of epoch e (from 0) is learningRate · decay^e */
  readonly decay: number;
  /** seeds the Glorot-uniform initial weights (mulberry32(seed)) and the shuffle (seed + 1) */
  readonly seed: number;
}

/** The three trained catalogue models. */
export const CNN_RECIPES = {
  'mnist-cnn': {
    filters: [8, 16],
    hidden: null,
    epochs: 10,
    batchSize: 32,
    learningRate: 0.003,
    decay: 1,
    seed: 1,
  },
  'mnist-cnn-small': {
    filters: [4, 8],
    hidden: null,
    epochs: 10,
    batchSize: 32,
    learningRate: 0.003,
    decay: 1,
    seed: 2,
  },
  'mnist-cnn-wide': {
    filters: [16, 32],
    hidden: null,
    epochs: 8,
    batchSize: 32,
    learningRate: 0.003,
    decay: 0.75,
    seed: 3,
  },
} as const satisfies Record<string, CnnRecipe>;
export type CnnName = keyof typeof CNN_RECIPES;

/** The recipe's network shape on 28×28×1 images. */
export function cnnShape(r: CnnRecipe): CnnShape {
  const dense = r.hidden === null ? [MNIST_CLASSES] : [r.hidden, MNIST_CLASSES];
  return { side: MNIST_SIDE, channels: 1, filters: r.filters, dense };
}

/** Image `index` as float32 0..1 (NHWC, one channel). */
export function unitImage(index: number): Float32Array {
  return Float32Array.from(mnistSample(index).pixels, (p) => p / 255);
}

function shuffled(n: number, next: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/**
 * Trains `recipe` on the samples at `indices` (global MNIST indices): mini-batches of the mean
 * cross-entropy, Adam (rate learningRate · decay^epoch), a Fisher-Yates shuffle per epoch from
 * mulberry32(seed + 1). Returns the
 * weights (TF.js layout). `onEpoch` receives each epoch's mean loss.
 */
export function trainCnn(
  recipe: CnnRecipe,
  indices: readonly number[],
  onEpoch: (epoch: number, loss: number) => void = () => {},
): CnnWeights {
  const shape = cnnShape(recipe);
  const weights = initWeights(shape, recipe.seed);
  const net = new Cnn(shape, weights);
  const adam = new Adam(weights, recipe.learningRate);
  const images = indices.map(unitImage);
  const labels = indices.map((i) => mnistSample(i).label);
  const next = mulberry32(recipe.seed + 1);
  for (let epoch = 0; epoch < recipe.epochs; epoch++) {
    adam.rate = recipe.learningRate * recipe.decay ** epoch;
    const order = shuffled(indices.length, next);
    let total = 0;
    for (let start = 0; start < order.length; start += recipe.batchSize) {
      const batch = order.slice(start, start + recipe.batchSize);
      const grads = weights.map((w) => new Float32Array(w.length));
      for (const k of batch) {
        total += net.accumulate(
          images[k] as Float32Array,
          labels[k] as number,
          grads,
          1 / batch.length,
        );
      }
      adam.apply(grads);
    }
    onEpoch(epoch, total / order.length);
  }
  return weights;
}

/** Top-1 accuracy of trained weights (our forward pass) on the samples at `indices`. */
export function cnnAccuracy(
  recipe: CnnRecipe,
  weights: CnnWeights,
  indices: readonly number[],
): number {
  const net = new Cnn(cnnShape(recipe), weights);
  let correct = 0;
  for (const i of indices) {
    const p = net.forward(unitImage(i));
    if (p.indexOf(Math.max(...p)) === mnistSample(i).label) correct += 1;
  }
  return correct / indices.length;
}

/**
 * The recipe's architecture as a TF.js functional layers model holding `weights`: input
 * `image` [null,28,28,1], layers conv1.., pool1.., flatten, dense1 (if hidden), and the output
 * layer `probabilities` (Dense + softmax) [null,10].
 */
export function layersModel(recipe: CnnRecipe, weights: CnnWeights): tf.LayersModel {
  const shapes = weightShapes(cnnShape(recipe));
  const t = weights.map((w, i) => tf.tensor(w, shapes[i]));
  const input = tf.input({ shape: [MNIST_SIDE, MNIST_SIDE, 1], name: 'image' });
  let h: tf.SymbolicTensor = input;
  const pending: [tf.layers.Layer, tf.Tensor[]][] = [];
  recipe.filters.forEach((filters, i) => {
    const conv = tf.layers.conv2d({
      name: `conv${i + 1}`,
      filters,
      kernelSize: KERNEL,
      activation: 'relu',
    });
    h = conv.apply(h) as tf.SymbolicTensor;
    pending.push([conv, [t[2 * i] as tf.Tensor, t[2 * i + 1] as tf.Tensor]]);
    h = tf.layers.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
  const dense = cnnShape(recipe).dense;
  dense.forEach((units, i) => {
    const last = i === dense.length - 1;
    const layer = tf.layers.dense({
      name: last ? 'probabilities' : `dense${i + 1}`,
      units,
      activation: last ? 'softmax' : 'relu',
    });
    h = layer.apply(h) as tf.SymbolicTensor;
    const base = 2 * recipe.filters.length + 2 * i;
    pending.push([layer, [t[base] as tf.Tensor, t[base + 1] as tf.Tensor]]);
  });
  const model = tf.model({ inputs: input, outputs: h, name: 'mnist_cnn' });
  for (const [layer, values] of pending) layer.setWeights(values);
  tf.dispose(t);
  return model;
}

/** Class probabilities TF.js computes for the images at `indices` ([n·10], row-major). */
export async function tfjsProbabilities(
  model: tf.LayersModel,
  indices: readonly number[],
): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const pixels = new Float32Array(indices.length * MNIST_PIXELS);
  indices.forEach((index, i) => pixels.set(unitImage(index), i * MNIST_PIXELS));
  const x = tf.tensor4d(pixels, [indices.length, MNIST_SIDE, MNIST_SIDE, 1]);
  const y = model.predict(x) as tf.Tensor;
  const out = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return out;
}
