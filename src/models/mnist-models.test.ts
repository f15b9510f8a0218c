import { beforeAll, describe, expect, it } from 'vitest';
import { fromBinary } from '@bufbuild/protobuf';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelProtoSchema } from 'onnx-buf';
import { countCost } from '../bench/cost.js';
import { signatures } from '../bench/onnx-read.js';
import { wilsonInterval } from '../score/wilson.js';
import { MNIST_SPLIT, mnistSample, splitIndices, toUnitFloats } from '../data/mnist.js';
import { ensureModels, modelPath } from './build.js';
import { openSession } from './infer.js';
import {
  FIXTURES_DIR,
  MNIST_FIXTURES,
  MNIST_FIXTURE_SHA256,
  readFixture,
} from './mnist-fixtures.js';
import { argmax, classify, onnxAccuracy } from './mnist-infer.js';
import type { ModelsManifest } from './schema.js';
import * as ort from 'onnxruntime-node';

const evaluation = splitIndices(MNIST_SPLIT.evaluation);
let manifest: ModelsManifest;
const accuracy = new Map<string, number>();

async function accuracyOf(name: Parameters<typeof modelPath>[0]): Promise<number> {
  const known = accuracy.get(name);
  if (known !== undefined) return known;
  const result = (await onnxAccuracy(modelPath(name), evaluation)).accuracy;
  accuracy.set(name, result);
  return result;
}

async function parsed(name: Parameters<typeof modelPath>[0]) {
  return fromBinary(ModelProtoSchema, await readFile(modelPath(name)));
}

beforeAll(async () => {
  manifest = await ensureModels();
});

describe('the pinned MNIST fixtures', () => {
  it('have the sha256s pinned in code and listed in fixtures/models/README.md', async () => {
    const readme = await readFile(join(FIXTURES_DIR, 'README.md'), 'utf8');
    for (const name of MNIST_FIXTURES) {
      await readFixture(name); // throws on a different sha256
      expect([name, readme.includes(MNIST_FIXTURE_SHA256[name])]).toEqual([name, true]);
    }
  });
});

describe('static cost of the MNIST CNNs (hand-computed)', () => {
  it('baseline: 5,258 parameters and 405,864 FLOPs', async () => {
    const r = countCost(await parsed('mnist-cnn'));
    // conv1 [1,8,26,26]: 2·(1·9)·8·676 + 8·676 = 97,344 + 5,408; Relu 5,408;
    // pool1 [1,8,13,13] = 1,352 outputs × 4; conv2 [1,16,11,11]: 2·(8·9)·16·121 + 16·121 =
    // 278,784 + 1,936; Relu 1,936; pool2 [1,16,5,5] = 400 × 4; Gemm 2·400·10 + 10; Softmax 3·10
    expect(r.byOp).toEqual({
      Transpose: { count: 2, flops: 0 },
      Conv: { count: 2, flops: 102_752 + 280_720 },
      Relu: { count: 2, flops: 5408 + 1936 },
      MaxPool: { count: 2, flops: 5408 + 1600 },
      Flatten: { count: 1, flops: 0 },
      Gemm: { count: 1, flops: 8010 },
      Softmax: { count: 1, flops: 30 },
    });
    expect(r.flops).toBe(405_864);
    // (8·1·9 + 8) + (16·8·9 + 16) + (400·10 + 10) = 80 + 1,168 + 4,010
    expect(r.parameters).toBe(5258);
    expect(r.complete).toBe(true);
  });

  it('small: 2,346 parameters and 133,256 FLOPs; wide: 12,810 and 1,369,256', async () => {
    const small = countCost(await parsed('mnist-cnn-small'));
    // conv 1→4 at 26²: 2·9·4·676 + 2,704 = 51,376; Relu 2,704; pool 676·4 = 2,704;
    // conv 4→8 at 11²: 2·36·8·121 + 968 = 70,664; Relu 968; pool 200·4 = 800;
    // Gemm 2·200·10 + 10 = 4,010; Softmax 30
    expect([small.parameters, small.flops]).toEqual([40 + 296 + 2010, 133_256]);
    const wide = countCost(await parsed('mnist-cnn-wide'));
    // conv 1→16: 2·9·16·676 + 10,816 = 205,504; Relu 10,816; pool 2,704·4 = 10,816;
    // conv 16→32: 2·144·32·121 + 3,872 = 1,119,008; Relu 3,872; pool 800·4 = 3,200;
    // Gemm 2·800·10 + 10 = 16,010; Softmax 30
    expect([wide.parameters, wide.flops]).toEqual([160 + 4640 + 8010, 1_369_256]);
  });
});

describe('MNIST catalogue variants on the full evaluation part', () => {
  it('lists every MNIST model in the manifest, the copy with the baseline sha256', () => {
    const byName = new Map(manifest.models.map((m) => [m.name, m]));
    expect(byName.get('mnist-cnn')?.sha256).toBe(MNIST_FIXTURE_SHA256['mnist-cnn']);
    expect(byName.get('mnist-cnn-copy')?.sha256).toBe(MNIST_FIXTURE_SHA256['mnist-cnn']);
    expect(byName.get('mnist-cnn-damaged')?.role).toBe('damaged');
  });

  it('small is less accurate than the baseline (above 96 %), wide as accurate (intervals overlap)', async () => {
    const [small, base, wide] = [
      await accuracyOf('mnist-cnn-small'),
      await accuracyOf('mnist-cnn'),
      await accuracyOf('mnist-cnn-wide'),
    ];
    console.log(`evaluation accuracy: small ${small}, baseline ${base}, wide ${wide}`);
    expect(base).toBeGreaterThan(0.96);
    expect(small).toBeLessThan(base);
    // the wide CNN was meant to be more accurate; trained on 8,000 images it is not (README)
    const n = evaluation.length;
    const { upper: baseHigh } = wilsonInterval(Math.round(base * n), n, 0.95);
    const { lower: wideLow } = wilsonInterval(Math.round(wide * n), n, 0.95);
    expect(wideLow).toBeLessThan(baseHigh);
    expect(wide).toBeGreaterThanOrEqual(base - 0.005);
  });

  it('the damaged baseline falls far below it (under 60 %)', async () => {
    const damaged = await accuracyOf('mnist-cnn-damaged');
    console.log(`damaged accuracy: ${damaged}`);
    expect(damaged).toBeLessThan(0.6);
  });

  it('the io-mismatch variant takes image [1,784]: refused with [1,28,28,1], same answers flat', async () => {
    const model = await parsed('mnist-cnn-io-mismatch');
    expect(signatures(model.graph!).inputs).toEqual([
      { name: 'image', elementType: 'float32', shape: [1, 784] },
    ]);
    const session = await openSession(modelPath('mnist-cnn-io-mismatch'));
    const baseline = await openSession(modelPath('mnist-cnn'));
    const sample = mnistSample(evaluation[0]!);
    await expect(classify(session, sample.pixels)).rejects.toThrow(/image/);
    for (const index of evaluation.slice(0, 20)) {
      const s = mnistSample(index);
      const flat = new ort.Tensor('float32', toUnitFloats(s.pixels), [1, 784]);
      const out = (await session.run({ image: flat })).probabilities?.data as Float32Array;
      expect(argmax(out)).toBe(argmax(await classify(baseline, s.pixels)));
    }
    await session.release();
    await baseline.release();
  });
});
