import { describe, expect, it } from 'vitest';
import {
  RunnerBootstrap,
  pairSamples,
  percentileInterval,
  prepareBaseline,
  sum,
} from './bootstrap.js';

const SEED = `0x${'01'.repeat(32)}`;

describe('pairing samples with the baseline', () => {
  it('pairs by (block, input) and the j-th repeat with the j-th, dropping unpaired samples', () => {
    const base = prepareBaseline({
      block: [0, 0, 1, 1, 1],
      input: [1, 0, 0, 1, 1],
      ms: [11, 10, 20, 21, 22],
    });
    expect(Array.from(base.ms)).toEqual([10, 11, 20, 21, 22]);
    const pairs = pairSamples(base, {
      block: [1, 1, 0, 2, 1],
      input: [1, 0, 0, 0, 1],
      ms: [5.1, 5.0, 1.0, 9.9, 5.2],
    });
    expect(pairs.complete).toBe(false);
    expect(Array.from(pairs.baseline)).toEqual([10, 20, 21, 22]);
    expect(Array.from(pairs.submission)).toEqual([1.0, 5.0, 5.1, 5.2]);
  });

  it('marks a full pairing complete and shares the baseline array', () => {
    const samples = { block: [0, 0, 1, 1], input: [0, 1, 0, 1], ms: [1, 2, 3, 4] };
    const base = prepareBaseline(samples);
    const pairs = pairSamples(base, { ...samples, ms: [2, 4, 6, 8] });
    expect(pairs.complete).toBe(true);
    expect(pairs.baseline).toBe(base.ms);
  });
});

describe('bootstrap of the latency ratio', () => {
  it('gives every replicate as a ratio of resampled sums and brackets the point estimate', () => {
    const samples = {
      block: Array.from({ length: 40 }, (_, k) => Math.floor(k / 4)),
      input: Array.from({ length: 40 }, (_, k) => k % 4),
      ms: Array.from({ length: 40 }, (_, k) => 10 + Math.sin(k)),
    };
    const base = prepareBaseline(samples);
    const pairs = pairSamples(base, {
      ...samples,
      ms: samples.ms.map((v, k) => v * 0.8 + 0.2 * Math.cos(k)),
    });
    const boot = new RunnerBootstrap(SEED, 'r', 500);
    const reps = boot.ratios(pairs);
    const idx = boot.indicesFor(40);
    let b = 0;
    let s = 0;
    for (let j = 0; j < 40; j++) {
      b += pairs.baseline[idx[40 * 7 + j]!]!;
      s += pairs.submission[idx[40 * 7 + j]!]!;
    }
    expect(reps[7]).toBe(b / s);
    const point = sum(pairs.baseline) / sum(pairs.submission);
    const { lower, upper } = percentileInterval(reps, 0.95);
    expect(lower).toBeLessThan(point);
    expect(upper).toBeGreaterThan(point);
    expect(boot.ratios(pairs)).toEqual(reps);
  });

  it('takes the (t+1)-th smallest and largest replicate, t = round(R(1−c)/2)', () => {
    const reps = Float64Array.from({ length: 2000 }, (_, k) => (k * 7919) % 2000);
    expect(percentileInterval(reps, 0.95)).toEqual({ lower: 50, upper: 1949 });
    expect(percentileInterval(Float64Array.from([3, 1, 2]), 0.9)).toEqual({ lower: 1, upper: 3 });
  });

  it('gives bit-identical replicates when many submissions are summed together in batches', () => {
    const samples = (length: number) => ({
      block: Array.from({ length }, (_, k) => Math.floor(k / 5)),
      input: Array.from({ length }, (_, k) => k % 5),
      ms: Array.from({ length }, (_, k) => 10 + Math.sin(k * 1.7) + k * 1e-9),
    });
    const base = prepareBaseline(samples(60));
    // 19 complete pairings (two full batches of 8 and a partial one) and 3 with fewer pairs.
    const all = Array.from({ length: 22 }, (_, i) => {
      const sub = samples(i < 19 ? 60 : 45);
      return pairSamples(base, {
        ...sub,
        ms: sub.ms.map((v, k) => v * (0.7 + i / 50) + Math.cos(k * i) / 3),
      });
    });
    const alone = new RunnerBootstrap(SEED, 'r', 300);
    const expected = all.map((p) => alone.ratios(p));
    const batched = new RunnerBootstrap(SEED, 'r', 300);
    batched.prepare(all);
    const got = all.map((p) => batched.ratios(p));
    for (let i = 0; i < all.length; i++) {
      expect(Buffer.from(got[i]!.buffer).equals(Buffer.from(expected[i]!.buffer))).toBe(true);
    }
    // A second call, after the prepared sums were used, recomputes the same replicates.
    expect(batched.ratios(all[3]!)).toEqual(expected[3]);
  });
});
