/**
 * The digits pipeline fixture and its trainer: the committed graphs still reach the recorded
 * classifier agreement; the MLP arithmetic matches TF.js autodiff; and (opt-in, minutes) the
 * full recipe re-trains to the documented quality.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureModels, sha256 } from '../models/build.js';
import { mulberry32 } from '../models/random.js';
import {
  DIGITS_FILES,
  DIGITS_FIXTURE_AGREEMENT,
  DIGITS_FIXTURE_DIR,
  DIGITS_FIXTURE_SHA256,
} from './digits-fixture.js';
import { decoderGraph, denoiserGraph, encoderGraph } from './digits-graphs.js';
import { recipeAgreement } from './digits-quality.js';
import { DIGITS_RECIPE, trainDigits } from './digits-train.js';
import { backwardAll, dense, forwardAll } from './mlp.js';

/** Agreement may move this much on another CPU or onnxruntime build (a few of 200 samples). */
const TOLERANCE = 0.03;

beforeAll(async () => {
  await ensureModels();
}, 120_000);

describe('the digits pipeline', () => {
  it('the committed fixture generates digits mnist-cnn reads as their prompt at the recorded rate', async () => {
    const q = await recipeAgreement(DIGITS_FIXTURE_DIR);
    console.log(
      `digits fixture: ${q.agree}/${q.total} generations read as their prompt (recorded ${DIGITS_FIXTURE_AGREEMENT})`,
    );
    expect(q.agree / q.total).toBeGreaterThan(0.5);
    expect(Math.abs(q.agree / q.total - DIGITS_FIXTURE_AGREEMENT)).toBeLessThanOrEqual(TOLERANCE);
  }, 60_000);

  it("the MLP's gradients equal TF.js autodiff", () => {
    const next = mulberry32(3);
    const layers = [dense(5, 7, 'relu', next), dense(7, 4, 'sigmoid', next)];
    const m = 3;
    const x = Float32Array.from({ length: m * 5 }, () => next() * 2 - 1);
    const target = Float32Array.from({ length: m * 4 }, () => next());
    const acts = forwardAll(layers, x, m);
    const y = acts.at(-1)!;
    const dy = Float32Array.from(y, (v, i) => (2 * (v - target[i]!)) / y.length);
    backwardAll(layers, acts, dy, m);
    const [w0, b0, w1, b1] = [layers[0]!.w, layers[0]!.b, layers[1]!.w, layers[1]!.b].map((v) =>
      tf.tensor(v),
    );
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
      const h = tf.relu(tf.matMul(tf.tensor2d(x, [m, 5]), a.reshape([5, 7])).add(b));
      const out = tf.sigmoid(tf.matMul(h, c.reshape([7, 4])).add(d));
      return tf.losses.meanSquaredError(tf.tensor2d(target, [m, 4]), out);
    })([w0!, b0!, w1!, b1!]);
    const ours = [layers[0]!.gw, layers[0]!.gb, layers[1]!.gw, layers[1]!.gb];
    grads.forEach((g, i) => {
      const theirs = g.dataSync();
      const diff = Math.max(...ours[i]!.map((v, k) => Math.abs(v - theirs[k]!)));
      expect(diff).toBeLessThan(1e-6);
    });
  });

  it.runIf(process.env.PODIUM_RETRAIN_DIGITS === '1')(
    're-trains the full recipe to the documented quality (opt-in: PODIUM_RETRAIN_DIGITS=1, ~5–20 min)',
    { timeout: 3_600_000 },
    async () => {
      const weights = trainDigits(DIGITS_RECIPE);
      const dir = await mkdtemp(join(tmpdir(), 'podium-digits-retrain-'));
      try {
        const graphs = {
          encoder: encoderGraph(weights, { weights: 'float32' }),
          denoiser: denoiserGraph(weights, { weights: 'float32' }),
          decoder: decoderGraph(weights, { weights: 'float32' }),
        };
        const same: string[] = [];
        for (const [role, bytes] of Object.entries(graphs) as [keyof typeof graphs, Uint8Array][]) {
          await writeFile(join(dir, DIGITS_FILES[role]), bytes);
          if (sha256(bytes) === DIGITS_FIXTURE_SHA256[role]) same.push(role);
        }
        const q = await recipeAgreement(dir);
        console.log(
          `retrained: ${q.agree}/${q.total}; bytes identical to the fixture for ${same.join(', ') || 'no role'}`,
        );
        expect(Math.abs(q.agree / q.total - DIGITS_FIXTURE_AGREEMENT)).toBeLessThanOrEqual(
          TOLERANCE,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
