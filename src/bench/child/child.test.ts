import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.js';
import { scaleModel } from '../testing/models.js';
import { Child } from './child.js';
import { openListener, verifyIsolation } from './probe.js';
import type { SessionSettings } from './protocol.js';

const SESSION: SessionSettings = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableCpuMemArena: true,
  enableMemPattern: true,
};
const GiB = 2 ** 30;

describe('the isolated child', () => {
  it('cannot connect to a listener the parent holds, while a non-isolated child can', async () => {
    const listener = await openListener();
    const isolated = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB });
    const open = await Child.start({ isolation: 'none', memoryLimitBytes: GiB });
    try {
      const inside = await isolated.probe(listener.targets);
      expect(inside.length).toBeGreaterThan(0);
      expect(inside.every((r) => !r.connected && r.error !== null)).toBe(true);
      expect(listener.connections()).toBe(0);
      // The control: the same deliberate probe from the host network reaches the listener.
      const outside = await open.probe(listener.targets);
      expect(outside.some((r) => r.connected)).toBe(true);
      expect(listener.connections()).toBeGreaterThan(0);
    } finally {
      await Promise.all([isolated.close(), open.close(), listener.close()]);
    }
  });

  it('refuses to run when the probe connects (a wrapper that does not isolate)', async () => {
    const start = Child.start({
      isolation: 'netns',
      isolate: ['env', '--'],
      memoryLimitBytes: GiB,
    });
    await expect(start).rejects.toMatchObject({ code: 'isolation-failed' });
    await expect(start).rejects.toThrow(/refusing to run models/);
  });

  it('refuses to run when the network namespace cannot be created', async () => {
    const start = Child.start({
      isolation: 'netns',
      isolate: ['/bin/false'],
      memoryLimitBytes: GiB,
    });
    await expect(start).rejects.toBeInstanceOf(BenchError);
    await expect(start).rejects.toMatchObject({ code: 'isolation-unavailable' });
    await expect(start).rejects.toThrow(/--allow-network only for local development/);
  });

  it('passes only allow-listed variables and its own temp folder to the child', async () => {
    const env = {
      PATH: process.env.PATH,
      GITHUB_TOKEN: 'ghs_secret',
      HTTPS_PROXY: 'http://proxy:3128',
      NODE_OPTIONS: '--require /tmp/evil.js',
      AWS_SECRET_ACCESS_KEY: 'x',
      LANG: 'C.UTF-8',
    };
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB, env });
    try {
      expect(child.ready.env).toEqual(['HOME', 'LANG', 'PATH', 'TMPDIR']);
      expect(child.ready.cwd).toMatch(new RegExp(`^${tmpdir()}/podium-child-`));
    } finally {
      await child.close();
    }
  });

  it('times the session, runs inputs and returns outputs; verifyIsolation passes inside', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'podium-child-')), 'm.onnx');
    await writeFile(file, scaleModel(2));
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB });
    try {
      await expect(verifyIsolation(child)).resolves.toBeInstanceOf(Array);
      const loaded = await child.load(file, 'cpu', SESSION, 10_000);
      expect(loaded.inputs).toEqual(['LR']);
      await child.setFeeds([
        [{ name: 'LR', type: 'float32', dims: [1, 1, 1, 3], data: Float32Array.of(1, 2, 3) }],
      ]);
      const r = await child.run([0, 0], { keep: true, limitMs: null, hardMs: 10_000 });
      expect(r.samples.map((s) => s.input)).toEqual([0, 0]);
      expect(r.samples.every((s) => s.ms > 0)).toBe(true);
      expect(r.outputs?.[1]?.[0]?.data).toEqual(Float32Array.of(2, 4, 6));
      expect(child.peakRssBytes()).toBeGreaterThan(10 * 2 ** 20);
    } finally {
      await child.close();
    }
  });

  it('stops a model after three consecutive runs over the per-sample limit, not after two', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'podium-child-')), 'm.onnx');
    await writeFile(file, scaleModel(2));
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB });
    try {
      await child.load(file, 'cpu', SESSION, 10_000);
      await child.setFeeds([
        [{ name: 'LR', type: 'float32', dims: [1, 1, 1, 3], data: Float32Array.of(1, 2, 3) }],
      ]);
      const tiny = { keep: false, limitMs: 1e-9, hardMs: 10_000 };
      await child.run([0], { ...tiny, limitMs: null });
      await expect(child.run([0, 0], tiny)).resolves.toMatchObject({ samples: [{}, {}] });
      await expect(child.run([0], tiny)).rejects.toMatchObject({
        code: 'sample-timeout',
        message: expect.stringMatching(
          /^3 consecutive runs over the .* per-sample limit \(input 0: .*; killed$/,
        ),
      });
      expect(child.failed()?.code).toBe('sample-timeout');
    } finally {
      await child.close();
    }
  });

  it('kills a child over its memory limit and says so', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'podium-child-')), 'm.onnx');
    await writeFile(file, scaleModel(2));
    // 20 MiB is less than node itself needs: the first reply (the probe's) already sees it.
    const attempt = (async () => {
      const child = await Child.start({ isolation: 'netns', memoryLimitBytes: 20 * 2 ** 20 });
      try {
        await child.load(file, 'cpu', SESSION, 10_000);
      } finally {
        await child.close();
      }
    })();
    await expect(attempt).rejects.toMatchObject({
      code: 'memory-limit',
      message: expect.stringContaining('exceeded the limit of 20971520; killed'),
    });
  });

  it('reports a model onnxruntime cannot load as load-failed, not as a crash of the round', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'podium-child-')), 'm.onnx');
    await writeFile(file, new Uint8Array([8, 1, 18, 0]));
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: GiB });
    await expect(child.load(file, 'cpu', SESSION, 10_000)).rejects.toMatchObject({
      code: 'load-failed',
    });
    await child.close();
  });
});
