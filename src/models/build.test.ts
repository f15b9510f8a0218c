import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModels, ensureModels, manifestPath, modelPath, staleReasons } from './build.js';
import { readRgbImage, type RgbImage } from './image.js';
import { openSession, upscale } from './infer.js';
import { maxAbsDiff, psnr } from './metrics.js';
import type { ModelsManifest } from './schema.js';
import { fixtureImageFile } from './sources.js';
import { MODEL_NAMES, type ModelName } from './variants.js';

/** The baseline's bytes are pinned: contests reference this sha256. Changing it is deliberate. */
const BASELINE_SHA256 = '614bd5dfb7cbfa953d267799bc80dbad8225092364b93dc732ac93ab7658e9c9';

let dirA: string;
let dirB: string;
let manifestA: ModelsManifest;
let image: RgbImage;
const outputs = new Map<ModelName, Float32Array>();

async function output(name: ModelName): Promise<Float32Array> {
  const cached = outputs.get(name);
  if (cached) return cached;
  const result = (await upscale(await openSession(modelPath(name, dirA)), image)).data;
  outputs.set(name, result);
  return result;
}

beforeAll(async () => {
  dirA = await mkdtemp(join(tmpdir(), 'podium-models-a-'));
  dirB = await mkdtemp(join(tmpdir(), 'podium-models-b-'));
  manifestA = await buildModels(dirA);
  image = await readRgbImage(fixtureImageFile());
});

afterAll(async () => {
  await rm(dirA, { recursive: true, force: true });
  await rm(dirB, { recursive: true, force: true });
});

describe('building the models', () => {
  it('gives byte-identical files and manifests in two separate builds', async () => {
    const manifestB = await buildModels(dirB);
    expect(manifestB).toEqual(manifestA);
    expect((await readdir(dirA)).sort()).toEqual((await readdir(dirB)).sort());
    for (const name of await readdir(dirA)) {
      const [a, b] = [await readFile(join(dirA, name)), await readFile(join(dirB, name))];
      expect([name, a.equals(b)]).toEqual([name, true]);
    }
    expect(manifestA.models.map((m) => m.name)).toEqual([...MODEL_NAMES]);
  });

  it('keeps the baseline at its pinned sha256, and the copy identical to it', () => {
    const byName = new Map(manifestA.models.map((m) => [m.name, m]));
    expect(byName.get('esrgan-medium-x2')?.sha256).toBe(BASELINE_SHA256);
    expect(byName.get('esrgan-medium-x2-copy')?.sha256).toBe(BASELINE_SHA256);
    const shas = manifestA.models.filter((m) => m.role !== 'copy').map((m) => m.sha256);
    expect(new Set(shas).size).toBe(shas.length);
  });

  it('ensureModels leaves a current cache alone and rebuilds a tampered one', async () => {
    const baseline = modelPath('esrgan-medium-x2', dirA);
    const before = await readFile(manifestPath(dirA), 'utf8');
    expect(await staleReasons(dirA)).toEqual([]);
    await ensureModels(dirA);
    expect(await readFile(manifestPath(dirA), 'utf8')).toBe(before);

    const bytes = await readFile(baseline);
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 1, last);
    await writeFile(baseline, bytes);
    expect(await staleReasons(dirA)).toEqual([
      'esrgan-medium-x2.onnx: sha256 differs from the manifest',
    ]);
    const rebuilt = await ensureModels(dirA);
    expect(rebuilt).toEqual(manifestA);
    expect(await staleReasons(dirA)).toEqual([]);
  });
});

describe('variant properties later stages rely on', () => {
  it('fp16 weights stay close to the baseline (PSNR ≥ 50 dB)', async () => {
    const db = psnr(await output('esrgan-medium-x2-fp16'), await output('esrgan-medium-x2'), 255);
    console.log(`fp16 vs baseline: PSNR ${db.toFixed(2)} dB`);
    expect(db).toBeGreaterThanOrEqual(50);
  });

  it('30 % zeroed weights are far from the baseline (PSNR < 25 dB)', async () => {
    const db = psnr(await output('esrgan-medium-x2-zeroed'), await output('esrgan-medium-x2'), 255);
    console.log(`zeroed vs baseline: PSNR ${db.toFixed(2)} dB`);
    expect(db).toBeLessThan(25);
  });

  it('slim differs from the baseline but is a plausible upscale (20 dB < PSNR < 50 dB)', async () => {
    const db = psnr(await output('esrgan-slim-x2'), await output('esrgan-medium-x2'), 255);
    console.log(`slim vs baseline: PSNR ${db.toFixed(2)} dB`);
    expect(db).toBeGreaterThan(20);
    expect(db).toBeLessThan(50);
  });

  it('the slow variants give outputs identical to the baseline', async () => {
    const baseline = await output('esrgan-medium-x2');
    for (const name of [
      'esrgan-medium-x2-slightly-slow',
      'esrgan-medium-x2-slow',
      'esrgan-medium-x2-very-slow',
    ] as const) {
      const diff = maxAbsDiff(await output(name), baseline);
      console.log(`${name} vs baseline: max abs diff ${diff}`);
      expect([name, diff]).toEqual([name, 0]);
    }
  });

  it('the very slow variant takes at least 2.5× the baseline time (median of 3, interleaved)', async () => {
    const sessions = {
      base: await openSession(modelPath('esrgan-medium-x2', dirA)),
      slow: await openSession(modelPath('esrgan-medium-x2-very-slow', dirA)),
    };
    const times = { base: [] as number[], slow: [] as number[] };
    for (let round = 0; round < 4; round++) {
      for (const key of ['base', 'slow'] as const) {
        const start = performance.now();
        await upscale(sessions[key], image);
        if (round > 0) times[key].push(performance.now() - start);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] as number;
    const ratio = median(times.slow) / median(times.base);
    console.log(`very-slow / baseline: ${ratio.toFixed(2)}×`);
    expect(ratio).toBeGreaterThanOrEqual(2.5);
  });

  it('onnxruntime refuses the custom-domain operator', async () => {
    await expect(openSession(modelPath('custom-op', dirA))).rejects.toThrow(/com\.example\.fast/);
  });

  it('onnxruntime refuses the truncated file as unparseable', async () => {
    await expect(openSession(modelPath('corrupt-truncated', dirA))).rejects.toThrow(
      /[Pp]rotobuf parsing failed/,
    );
  });
});
