/**
 * The pipeline driver in the isolated child: one session per checked role, each input one
 * generated image with the time of every role, the same image as the driver gives in this
 * process, and a graph onnxruntime cannot load named by its role.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Child } from '../bench/child/child.js';
import type { SessionSettings, WireTensor } from '../bench/child/protocol.js';
import type { PipelineLoad } from '../bench/inspect.js';
import { loadContest, type LoadedContest } from '../contest/load.js';
import { ensureModels, modelPath } from '../models/build.js';
import { generationPipeline } from '../tasks/pipeline.js';
import { REPO_ROOT } from '../version.js';
import { DIGITS_FILES } from './digits-fixture.js';
import { generate } from './driver.js';
import { inspectPipeline } from './inspect.js';
import { loadLocalPipeline } from './local.js';

const GiB = 2 ** 30;
const SESSION: SessionSettings = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableCpuMemArena: true,
  enableMemPattern: true,
};
let dir: string;
let loaded: LoadedContest;
let load: PipelineLoad;
beforeAll(async () => {
  await ensureModels();
  dir = await mkdtemp(join(tmpdir(), 'podium-pipeline-child-'));
  loaded = await loadContest(join(REPO_ROOT, 'contests', 'digits-pipeline-demo'));
  await copyFile(modelPath('digits-pipeline'), join(dir, 'base.tar'));
  load = (await inspectPipeline(join(dir, 'base.tar'), loaded.contest)).pipeline!;
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the pipeline driver in the isolated child', () => {
  it('generates the image the in-process driver does, with each role timed', async () => {
    const samples = (await generationPipeline.drawInputs(loaded, `0x${'12'.repeat(32)}`)).slice(
      0,
      3,
    );
    const feeds = samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB });
    try {
      await child.setFeeds(feeds);
      const l = await child.load('', 'cpu', SESSION, 60_000, load);
      expect(l.outputs).toEqual(['image']);
      const r = await child.run([0, 1, 2], { keep: true, limitMs: null, hardMs: 60_000 });
      for (const s of r.samples) {
        expect(Object.keys(s.roles ?? {}).sort()).toEqual(['decoder', 'denoiser', 'encoder']);
        const inRoles = Object.values(s.roles!).reduce((a, b) => a + b, 0);
        expect(inRoles).toBeGreaterThan(0);
        expect(inRoles).toBeLessThanOrEqual(s.ms);
      }
      const local = await loadLocalPipeline(join(dir, 'base.tar.graphs'), DIGITS_FILES);
      for (const [i, s] of samples.entries()) {
        const g = await generate(
          local.run,
          { dims: s.feeds[0]!.dims, data: s.feeds[0]!.data as Float32Array },
          { dims: s.feeds[1]!.dims, data: s.feeds[1]!.data as Float32Array },
          { steps: 20 },
          28,
        );
        const out = r.outputs![i]!.find((t) => t.name === 'image')!;
        expect(out.dims).toEqual([1, 28, 28, 1]);
        expect([...out.data]).toEqual([...g.image.data]);
      }
      await local.close();
    } finally {
      await child.close();
    }
  }, 60_000);

  it('names the role whose graph onnxruntime cannot load', async () => {
    const bad = join(dir, 'bad-decoder.onnx');
    await writeFile(bad, new Uint8Array([8, 1, 18, 3, 1, 2, 3]));
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB });
    try {
      const broken = { ...load, files: { ...load.files, decoder: bad } };
      await expect(child.load('', 'cpu', SESSION, 60_000, broken)).rejects.toMatchObject({
        code: 'load-failed',
        message: expect.stringMatching(/^role decoder: /),
      });
    } finally {
      await child.close();
    }
  }, 60_000);
});
