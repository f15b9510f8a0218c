import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { modelPath } from '../models/build.js';
import { tempContest } from '../bench/testing/contest.js';
import { main } from './main.js';

afterEach(() => vi.restoreAllMocks());

async function bench(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const code = await main(['bench', ...args]);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('podium bench', () => {
  it('prints the table for a valid model, writes the bench files, and exits 0', async () => {
    const loaded = await tempContest();
    const out = await mkdtemp(join(tmpdir(), 'podium-cli-bench-'));
    const seed = '0x' + '3c'.repeat(32);
    const r = await bench([
      '--contest',
      loaded.dir,
      '--model',
      modelPath('esrgan-medium-x2-fp16'),
      '--seed',
      seed,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`inputs from seed ${seed}`);
    expect(r.out).toMatch(
      /model\s+load ms\s+1st run ms\s+p50 ms\s+p90 ms\s+speed vs baseline\s+fidelity\s+result/,
    );
    expect(r.out).toMatch(
      /esrgan-medium-x2-fp16\.onnx .*\d\.\d{3}× \[\d\.\d{3}, \d\.\d{3}\] 95% .*worst psnr .* pass/,
    );
    expect(r.out).toContain('isolation netns');
    expect(r.err).toContain('probe could not connect');
    expect((await readdir(out)).sort()).toEqual(['baseline.json', 'submission.json']);
  });

  it('prints the reasons and exits 1 for a model that would be invalid', async () => {
    const loaded = await tempContest();
    const r = await bench([
      '--contest',
      loaded.dir,
      '--model',
      modelPath('esrgan-medium-x2-zeroed'),
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL fidelity/);
    expect(r.out).toMatch(
      new RegExp(
        `esrgan-medium-x2-zeroed\\.onnx: fidelity: input \\d \\(.*\\): psnr .* below the threshold ${loaded.contest.scoring.similarity.threshold} dB`,
      ),
    );
    expect(r.err).toContain('would be invalid in sr-x2-demo');
  });

  it('exits 2 on a malformed seed and 1 on a missing model file', async () => {
    const loaded = await tempContest();
    expect(
      (await bench(['--contest', loaded.dir, '--model', 'x.onnx', '--seed', '0x12'])).code,
    ).toBe(2);
    const missing = await bench([
      '--contest',
      loaded.dir,
      '--model',
      '/nonexistent/m.onnx',
      '--quiet',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('/nonexistent/m.onnx: no such file');
  });
});
