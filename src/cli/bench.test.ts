/**
 * `podium bench` as a miner runs it: the real binary on a copy of the demo contest. It prints the
 * verdict scoring would give (never just "pass"), exits 0 whenever podium could run, and on a
 * machine without the contest's device runs only with --other-device, labelling every figure.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { modelPath } from '../models/build.js';
import { tempContest } from '../bench/testing/contest.js';

const run = promisify(execFile);
const PODIUM = resolve('bin/podium.js');

async function bench(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return run(process.execPath, [PODIUM, 'bench', ...args], { maxBuffer: 1 << 24 }).then(
    (ok) => ({ code: 0, out: ok.stdout, err: ok.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: e.stdout,
      err: e.stderr,
    }),
  );
}

describe('podium bench', () => {
  it('prints the table and the verdict scoring gives a copy of the baseline, consistent with its row, writes the bench files, exit 0', async () => {
    const loaded = await tempContest();
    const out = await mkdtemp(join(tmpdir(), 'podium-cli-bench-'));
    const seed = '0x' + '3c'.repeat(32);
    const model = modelPath('esrgan-medium-x2-fp16');
    const r = await bench([
      '--contest',
      loaded.dir,
      '--model',
      model,
      '--seed',
      seed,
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`inputs from seed ${seed}`);
    expect(r.out).toMatch(
      /model\s+load ms\s+1st run ms\s+p50 ms\s+p90 ms\s+speed vs baseline\s+fidelity\s+result/,
    );
    // Four samples on a shared machine: a same-speed copy's interval may land either side of
    // the noise floor, so the test checks the row and the verdict agree, not which side won.
    const row = r.out.match(
      /esrgan-medium-x2-fp16\.onnx .*\s(\d+\.\d{3})× \[(\d+\.\d{3}), (\d+\.\d{3})\] 95% .*worst psnr .* (valid, no gain beyond noise|earns)$/m,
    );
    expect(row, r.out).not.toBeNull();
    const [, point, lower, upper, result] = row!;
    const interval = `score ${point} \\[${lower}, ${upper}\\]`;
    expect(r.out).toMatch(
      new RegExp(
        result === 'earns'
          ? `^verdict: earns: ${interval} beyond 1 \\+ noise floor 0\\.03$`
          : `^verdict: valid but not faster than the baseline beyond the noise floor: ${interval}; earning needs the lower bound above 1\\.030 \\(1 \\+ noise floor 0\\.03\\)$`,
        'm',
      ),
    );
    expect(Number(lower) > 1.03).toBe(result === 'earns');
    expect(r.out).not.toMatch(/\bpass\b/);
    expect(r.out).toContain('isolation netns');
    expect(r.err).toContain('probe could not connect');
    expect((await readdir(out)).sort()).toEqual(['baseline.json', 'submission.json']);
  });

  it('prints "invalid: <reason>" for a model that fails fidelity, and still exits 0 (podium ran)', async () => {
    const loaded = await tempContest();
    const model = modelPath('esrgan-medium-x2-zeroed');
    const r = await bench(['--contest', loaded.dir, '--model', model, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/esrgan-medium-x2-zeroed\.onnx .* invalid$/m);
    const threshold = loaded.contest.scoring.similarity.threshold;
    expect(r.out).toMatch(
      new RegExp(
        `esrgan-medium-x2-zeroed\\.onnx: fidelity: input \\d \\(.*\\): psnr .* below the threshold ${threshold} dB`,
      ),
    );
    expect(r.out).toMatch(/^verdict: invalid: bench-invalid: runner local: fidelity: input \d/m);
  });

  it('without the contest device it says to add --other-device; with it, every figure says not comparable and no file is written', async () => {
    const loaded = await tempContest((c) => {
      c.runner = { label: 'rtx4090', device: 'NVIDIA GeForce RTX 4090', executionProvider: 'cuda' };
    });
    const model = modelPath('esrgan-slim-x2');
    const args = ['--contest', loaded.dir, '--model', model, '--quiet'];
    const [refused, other, withOut] = await Promise.all([
      bench(args),
      bench([...args, '--other-device']),
      bench([...args, '--other-device', '--out', tmpdir()]),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err.trim()).toMatch(
      /^podium bench: contest sr-x2-demo requires "NVIDIA GeForce RTX 4090" \(CUDA\) .*; to measure on this machine anyway, add --other-device \(figures are then labelled "not comparable: other device"\)$/,
    );
    expect(other.code, other.err).toBe(0);
    expect(other.out).toMatch(
      /^not comparable: other device: measured on ".+" with the cpu EP; the contest measures on "NVIDIA GeForce RTX 4090" with cuda/m,
    );
    const rows = other.out.split('\n').filter((l) => /^(baseline|\/)/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // load, first run, p50, p90 and (for the model) the ratio: each labelled
      const labels = row.match(/\(not comparable: other device\)/g) ?? [];
      expect(labels.length, row).toBe(row.startsWith('baseline') ? 4 : 5);
    }
    expect(other.out).toMatch(
      /^verdict \(not comparable: other device\): (earns|valid but not faster|invalid)/m,
    );
    expect(withOut.code).toBe(2);
    expect(withOut.err.trim()).toBe(
      'podium: --out cannot be used with --other-device: figures from another device are not ' +
        'comparable, so podium writes no bench file a validator could take for its own',
    );
  }, 240_000);

  it('exits 2 on a malformed seed and 1 on a missing model file', async () => {
    const loaded = await tempContest();
    const [seed, missing] = await Promise.all([
      bench(['--contest', loaded.dir, '--model', 'x.onnx', '--seed', '0x12']),
      bench(['--contest', loaded.dir, '--model', '/nonexistent/m.onnx', '--quiet']),
    ]);
    expect(seed.code).toBe(2);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('/nonexistent/m.onnx: no such file');
  });
});
