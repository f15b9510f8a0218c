/**
 * Sequential measurement to a declared precision: the stopping rule (pure), and two real runs
 * of the demo baseline through isolated children — one that stops on the precision, one whose
 * runner is refused by the A/A check because the cap could never reach the target.
 */
import { describe, expect, it } from 'vitest';
import { benchmarkModels } from './run.js';
import { BenchError } from './errors.js';
import { decide, judgeAa, lookPairs, type PrecisionTarget } from './precision.js';
import { lookConfidence, relativeHalfWidth, speedRatio } from '../score/ratio.js';
import { BenchSchema } from '../documents/bench.js';
import { validateDocument } from '../schemas/validate.js';
import { tempContest } from './testing/contest.js';
import { demoSubjects } from './testing/round.js';
import { cpuSplit, currentAffinity } from './tuning.js';
import { availableParallelism } from 'node:os';

const TARGET: PrecisionTarget = { halfWidth: 0.01, maxSeconds: 60, looks: 4, aaSeconds: 5 };
const SEED = '0x' + '7a'.repeat(32);

describe('pinning the measured children', () => {
  it('gives the children the last core and podium the others, and nothing on one core', () => {
    expect(cpuSplit(1)).toBeNull();
    expect(cpuSplit(2)).toEqual({ measured: '1', podium: '0' });
    expect(cpuSplit(8)).toEqual({ measured: '7', podium: '0-6' });
  });
});

describe('the stopping rule', () => {
  it('takes a per-look confidence that keeps the stated one over every declared look', () => {
    expect(lookConfidence(0.95, 1)).toBe(0.95);
    expect(lookConfidence(0.95, 5)).toBeCloseTo(0.99, 12);
    expect(() => lookConfidence(0.95, 0)).toThrow(RangeError);
  });

  it('looks only at the declared pair counts, and stops at the first look meeting the target', () => {
    expect([0, 1, 2, 3].map((k) => lookPairs(50, k))).toEqual([50, 100, 200, 400]);
    let looks = 0;
    const wide = () => (looks++, [{ halfWidth: 0.02, pairs: 50 }]);
    const state = { pairs: 49, taken: 0, seconds: 1, capSeconds: 60 };
    expect(decide(TARGET, 50, state, wide)).toEqual({ stop: null, looked: null });
    expect(looks).toBe(0);
    expect(decide(TARGET, 50, { ...state, pairs: 50 }, wide).stop).toBeNull();
    expect(looks).toBe(1);
    // Between looks nothing is computed, whatever the data.
    expect(decide(TARGET, 50, { ...state, pairs: 99, taken: 1 }, wide).looked).toBeNull();
    const tight = () => [
      { halfWidth: 0.009, pairs: 100 },
      { halfWidth: 0.01, pairs: 100 },
    ];
    expect(decide(TARGET, 50, { ...state, pairs: 100, taken: 1 }, tight).stop).toBe('reached');
    const oneWide = () => [
      { halfWidth: 0.009, pairs: 100 },
      { halfWidth: 0.0101, pairs: 100 },
    ];
    expect(decide(TARGET, 50, { ...state, pairs: 100, taken: 1 }, oneWide).stop).toBeNull();
  });

  it('stops at the cap with one last look, and after the last declared look', () => {
    const wide = () => [{ halfWidth: 0.05, pairs: 70 }];
    const capped = { pairs: 70, taken: 1, seconds: 60, capSeconds: 60 };
    expect(decide(TARGET, 50, capped, wide)).toEqual({ stop: 'cap', looked: wide() });
    expect(decide(TARGET, 50, { ...capped, taken: 4 }, wide)).toEqual({
      stop: 'cap',
      looked: null,
    });
    const last = { pairs: 400, taken: 3, seconds: 10, capSeconds: 60 };
    expect(decide(TARGET, 50, last, wide).stop).toBe('looks');
  });

  it('projects the A/A width to the cap as 1/√pairs and refuses a runner that cannot reach it', () => {
    // ±4 % over 100 pairs in 5 s; the 60 s cap buys 1,200 pairs: ±4 %·√(100/1200) ≈ ±1.15 %.
    const noisy = judgeAa(TARGET, { halfWidth: 0.04, pairs: 100 }, 5);
    expect(noisy.projectedHalfWidth).toBeCloseTo(0.04 * Math.sqrt(100 / 1200), 12);
    expect(noisy.tooNoisy).toMatch(
      /runner too noisy: .*±4\.00 % over 100 pairs in 5\.0 s; the cap of 60 s per submission would reach about ±1\.15 %, the contest needs ±1\.00 %/,
    );
    expect(judgeAa(TARGET, { halfWidth: 0.03, pairs: 100 }, 5).tooNoisy).toBeNull();
  });
});

const subjects = demoSubjects;

describe('measuring to a declared precision on real models', () => {
  it('measures until the interval is as tight as declared, recording the looks, and agrees with scoring', async () => {
    const loaded = await tempContest((c) => {
      c.measurement = {
        warmupRuns: 1,
        minSamples: 8,
        minSeconds: 0,
        blockSize: 1,
        precision: { halfWidth: 0.2, maxSeconds: 30, looks: 6, aaSeconds: 0.5 },
      };
    });
    const round = { id: '2025-06-02', seed: SEED, contestSha256: 'c'.repeat(64) };
    const affinity = currentAffinity();
    const docs = await benchmarkModels(
      loaded,
      round,
      await subjects(loaded.contest.baseline.model, ['esrgan-medium-x2-copy']),
      { runnerName: 'precision-runner' },
    );
    const [base, copy] = docs as [(typeof docs)[0], (typeof docs)[0]];
    // What was applied to reduce noise is recorded, and podium's own affinity is put back.
    const split = cpuSplit(availableParallelism());
    const tuning = base.environment.tuning!;
    expect(tuning.measuredCpus).toBe(split?.measured ?? null);
    expect(tuning.nice === 0 || tuning.nice === -5).toBe(true);
    expect(tuning.notes.length > 0).toBe(tuning.nice === 0 || tuning.podiumCpus === null);
    expect(currentAffinity()).toBe(affinity);
    for (const d of docs) expect(validateDocument(BenchSchema, d)).toEqual([]);
    const p = copy.precision!;
    expect(p.stopped).toBe('reached');
    expect(p.reached).toBe(true);
    expect(p.halfWidth).toBeLessThanOrEqual(0.2);
    expect(p.looksTaken).toBeGreaterThanOrEqual(1);
    expect([8, 16, 32, 64, 128, 256]).toContain(p.pairs);
    expect(base.precision!.aa!.pairs).toBeGreaterThanOrEqual(2);
    // The A/A samples are not the baseline's record: its blocks start at 0 with the submission's.
    expect(base.samples.ms.length).toBe(copy.samples.ms.length);
    // Scoring's estimator on the bench file's own samples gives the recorded width.
    const r = speedRatio(base.samples, copy.samples, {
      seed: SEED,
      runner: 'precision-runner',
      resamples: loaded.contest.scoring.bootstrapResamples,
      confidence: lookConfidence(loaded.contest.scoring.confidence, 6),
    })!;
    expect(relativeHalfWidth(r)).toBe(p.halfWidth);
  }, 120_000);

  it('refuses a runner too noisy for the precision within the cap, with the figures', async () => {
    const loaded = await tempContest((c) => {
      c.measurement = {
        warmupRuns: 1,
        minSamples: 4,
        minSeconds: 0,
        blockSize: 1,
        precision: { halfWidth: 0.0001, maxSeconds: 0.5, aaSeconds: 0.5 },
      };
    });
    const round = { id: '2025-06-03', seed: SEED, contestSha256: 'c'.repeat(64) };
    const run = benchmarkModels(
      loaded,
      round,
      await subjects(loaded.contest.baseline.model, ['esrgan-medium-x2-copy']),
    );
    await expect(run).rejects.toBeInstanceOf(BenchError);
    await expect(run).rejects.toMatchObject({
      code: 'too-noisy',
      message: expect.stringMatching(
        /^runner too noisy: the A\/A check \(baseline against itself\) reached ±[\d.]+ % over \d+ pairs in [\d.]+ s; the cap of 0\.5 s per submission would reach about ±[\d.]+ %, the contest needs ±0\.01 %$/,
      ),
    });
  }, 120_000);
});
