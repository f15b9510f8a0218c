import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { convertLayers, plainOptions } from './convert.js';
import { ModelSourceError } from './errors.js';
import { readRgbImage, type RgbImage } from './image.js';
import { openSession, upscale } from './infer.js';
import { readLayersModel, type LayersModel } from './layers.js';
import { maxAbsDiff, psnr } from './metrics.js';
import { serialize } from './onnx.js';
import { fixtureImageFile, sourceModelFile, type SourcePackage } from './sources.js';
import { tfjsUpscale } from './tfjs-reference.js';

async function onnxUpscale(src: LayersModel, image: RgbImage): Promise<RgbImage> {
  const bytes = serialize(convertLayers(src, plainOptions('test', 'test', {})));
  return upscale(await openSession(bytes), image);
}

async function compareWithTfjs(pkg: SourcePackage) {
  const file = sourceModelFile(pkg);
  const image = await readRgbImage(fixtureImageFile());
  const ours = await onnxUpscale(await readLayersModel(file), image);
  const reference = await tfjsUpscale(file, image);
  expect([ours.height, ours.width]).toEqual([256, 256]);
  expect([reference.height, reference.width]).toEqual([256, 256]);
  const maxAbs = maxAbsDiff(ours.data, reference.data);
  const db = psnr(ours.data, reference.data, 255);
  console.log(
    `${pkg} ONNX vs TF.js on the fixture: max abs error ${maxAbs} (0..255), ${maxAbs / 255} (0..1), PSNR ${db.toFixed(1)} dB`,
  );
  return maxAbs;
}

describe('converted ESRGAN models match TF.js', () => {
  it(
    'esrgan-medium ×2 (the baseline) matches TF.js within 1e-3 on the 0..1 scale',
    { timeout: 180_000 },
    async () => {
      expect(await compareWithTfjs('@upscalerjs/esrgan-medium')).toBeLessThanOrEqual(0.255);
    },
  );

  it(
    'esrgan-slim ×2 matches TF.js within 1e-3 on the 0..1 scale',
    { timeout: 120_000 },
    async () => {
      expect(await compareWithTfjs('@upscalerjs/esrgan-slim')).toBeLessThanOrEqual(0.255);
    },
  );
});

describe('layer conversion', () => {
  const image: RgbImage = {
    height: 5,
    width: 7,
    data: Float32Array.from({ length: 5 * 7 * 3 }, (_, i) => ((i * 37) % 101) - 50.5),
  };

  function tinyModel(layers: LayersModel['layers']): LayersModel {
    const last = layers[layers.length - 1];
    return {
      file: 'tiny/model.json',
      layers,
      input: 'LR',
      output: last?.name ?? 'LR',
      weights: [],
    };
  }

  it('Resize (nearest, asymmetric, floor) reproduces UpSampling2D exactly on an odd-sized image', async () => {
    const ours = await onnxUpscale(
      tinyModel([
        { kind: 'input', name: 'LR', channels: 3 },
        { kind: 'upsample', name: 'SR', input: 'LR', size: 2 },
      ]),
      image,
    );
    await tf.setBackend('cpu');
    const layer = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest' });
    const reference = layer.apply(tf.tensor4d(image.data, [1, 5, 7, 3])) as tf.Tensor;
    expect(reference.shape).toEqual([1, 10, 14, 3]);
    expect(maxAbsDiff(ours.data, reference.dataSync())).toBe(0);
  });

  it('refuses a layer whose input is not defined before it, naming the input', () => {
    const model = tinyModel([
      { kind: 'input', name: 'LR', channels: 3 },
      { kind: 'relu', name: 'SR', input: 'missing' },
    ]);
    expect(() => convertLayers(model, plainOptions('t', 't', {}))).toThrow(ModelSourceError);
    expect(() => convertLayers(model, plainOptions('t', 't', {}))).toThrow(
      /layer missing is used before it is defined/,
    );
  });

  async function editedSlim(edit: (json: Record<string, unknown>) => void): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'podium-layers-'));
    const source = sourceModelFile('@upscalerjs/esrgan-slim');
    const json = JSON.parse(await readFile(source, 'utf8')) as Record<string, unknown>;
    edit(json);
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    await symlink(join(dirname(source), 'group1-shard1of1.bin'), join(dir, 'group1-shard1of1.bin'));
    return dir;
  }

  it('refuses a source layer class it does not support, naming the layer and class', async () => {
    const dir = await editedSlim((json) => {
      const layers = (
        json as {
          modelTopology: { model_config: { config: { layers: { class_name: string }[] } } };
        }
      ).modelTopology.model_config.config.layers;
      (layers[2] as { class_name: string }).class_name = 'SeparableConv2D';
    });
    try {
      await expect(readLayersModel(join(dir, 'model.json'))).rejects.toThrow(
        /model\.json: layer F_0 \(SeparableConv2D\): unsupported layer class/,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('refuses weight shards that hold more bytes than the manifest describes', async () => {
    const dir = await editedSlim((json) => {
      const manifest = (json as { weightsManifest: { weights: unknown[] }[] }).weightsManifest;
      manifest[0]?.weights.pop();
    });
    try {
      await expect(readLayersModel(join(dir, 'model.json'))).rejects.toThrow(
        /shards hold 888300 bytes, manifest/,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
