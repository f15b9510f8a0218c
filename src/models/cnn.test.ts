import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Cnn, initWeights, weightShapes, type CnnShape } from './cnn.js';
import { mulberry32 } from './random.js';

// A 12×12×2 input keeps TF.js' slow CPU gradients quick; two blocks (12 → 10 → 5 → 3 → 1,
// the odd side 3 drops a row and column in the pool) and a hidden dense layer cover every path.
const SHAPE: CnnShape = { side: 12, channels: 2, filters: [3, 4], dense: [5, 3] };
const BATCH = 4;

function images(): Float32Array[] {
  const next = mulberry32(7);
  return Array.from({ length: BATCH }, () =>
    Float32Array.from({ length: 12 * 12 * 2 }, () => (next() < 0.3 ? 0 : next())),
  );
}

/** The same network in TF.js ops: conv2d valid + relu + maxPool 2, flatten, dense, softmax CE. */
function tfLoss(ws: tf.Tensor[], x: tf.Tensor4D, labels: number[]): tf.Scalar {
  let h: tf.Tensor4D = x;
  for (let i = 0; i < SHAPE.filters.length; i++) {
    const y = tf.conv2d(h, ws[2 * i] as tf.Tensor4D, 1, 'valid').add(ws[2 * i + 1] as tf.Tensor);
    h = tf.maxPool(y.relu() as tf.Tensor4D, 2, 2, 'valid');
  }
  let z: tf.Tensor = h.reshape([BATCH, -1]);
  for (let i = 0; i < SHAPE.dense.length; i++) {
    const base = 2 * SHAPE.filters.length + 2 * i;
    z = tf.matMul(z as tf.Tensor2D, ws[base] as tf.Tensor2D).add(ws[base + 1] as tf.Tensor);
    if (i < SHAPE.dense.length - 1) z = z.relu();
  }
  const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  return tf.losses.softmaxCrossEntropy(onehot, z) as tf.Scalar;
}

describe('the hand-written CNN', () => {
  it('computes the same loss gradients as TF.js autodiff (within 1e-5 of the largest)', async () => {
    await tf.setBackend('cpu');
    const weights = initWeights(SHAPE, 11);
    // non-zero biases so that the bias paths matter
    weights.forEach((w, j) => {
      if (weightShapes(SHAPE)[j]!.length === 1) w.forEach((_, i) => (w[i] = 0.05 * ((i % 3) - 1)));
    });
    const xs = images();
    const labels = [0, 2, 1, 2];
    const net = new Cnn(SHAPE, weights);
    const grads = weights.map((w) => new Float32Array(w.length));
    let loss = 0;
    xs.forEach((x, k) => (loss += net.accumulate(x, labels[k]!, grads, 1 / BATCH)));

    const shapes = weightShapes(SHAPE);
    const ws = weights.map((w, i) => tf.tensor(w, shapes[i]));
    const x = tf.tensor4d(Float32Array.from(xs.flatMap((a) => [...a])), [BATCH, 12, 12, 2]);
    const refLoss = tfLoss(ws, x, labels).dataSync()[0]!;
    expect(Math.abs(loss / BATCH - refLoss)).toBeLessThan(1e-5);
    const g = tf.grads((...a: tf.Tensor[]) => tfLoss(a, x, labels))(ws);
    let largest = 0;
    let worst = 0;
    g.forEach((t, j) => {
      const r = t.dataSync();
      r.forEach((v, i) => {
        largest = Math.max(largest, Math.abs(v));
        worst = Math.max(worst, Math.abs(v - grads[j]![i]!));
      });
    });
    console.log(`gradient check: largest |g| ${largest}, worst difference ${worst}`);
    expect(largest).toBeGreaterThan(1e-3);
    expect(worst).toBeLessThan(1e-5 * Math.max(1, largest));
  });
});
