import { describe, expect, it } from 'vitest';
import { listGpus } from '../bench/gpu.js';
import { tempContest } from '../bench/testing/contest.js';
import { cudaProviderInstalled, runChecks } from './doctor.js';

describe('podium doctor', () => {
  it('proves network isolation on this machine with a real sandboxed child', async () => {
    const checks = await runChecks();
    const isolation = checks.find((c) => c.name === 'network isolation');
    expect(isolation).toMatchObject({ status: 'ok' });
    expect(isolation!.detail).toContain('failed to reach every host address');
  });

  it('accepts the CPU demo contest on a CPU machine', async () => {
    const { dir } = await tempContest();
    const device = (await runChecks(dir)).find((c) => c.name.endsWith('device'));
    expect(device).toMatchObject({ status: 'ok' });
  });

  it('fails a CUDA contest clearly where there is no such GPU or no CUDA provider', async () => {
    const hasGpu = ((await listGpus()) ?? []).length > 0;
    const { dir } = await tempContest((c) => {
      c.runner = { label: 'gpu', device: 'NVIDIA GeForce RTX 4090', executionProvider: 'cuda' };
    });
    const failed = (await runChecks(dir)).filter((c) => c.status === 'fail');
    // On this CPU-only machine both the device and the provider checks must fail, with reasons.
    if (!hasGpu) expect(failed.map((c) => c.name)).toContain('contest sr-x2-demo device');
    if (!cudaProviderInstalled()) {
      expect(failed).toContainEqual(
        expect.objectContaining({
          detail: 'the contest runs on CUDA but the CUDA provider is not installed',
        }),
      );
    }
    expect(failed.length).toBeGreaterThan(0);
  });
});
