import { describe, expect, it } from 'vitest';
import { availableParallelism, getPriority } from 'node:os';
import { pairedRatio, pinBothLoops } from '../bench/paired.js';
import { MEASURED_NICENESS, cpuSplit, currentAffinity } from '../src/bench/tuning.js';
import { SeedStream } from '../src/tasks/seed-stream.js';

const SEED = '0x' + '5e'.repeat(32);

/**
 * Two loops measured in rounds on a machine whose speed drifts by up to ±30 % between rounds
 * (the same factor for both loops inside a round), each run with ±2 % of its own noise; `a`
 * is `truth` × `b`.
 */
function drifting(truth: number, rounds: number, block: number) {
  const rng = new SeedStream(SEED, 'test/paired');
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const drift = 0.7 + 0.6 * rng.float();
    for (let i = 0; i < block; i++) b.push(5 * drift * (0.98 + 0.04 * rng.float()));
    for (let i = 0; i < block; i++) a.push(5 * truth * drift * (0.98 + 0.04 * rng.float()));
  }
  return { a, b };
}

describe('pairedRatio (bench:harness and bench:pipeline overhead estimates)', () => {
  it('recovers a 0.4 % difference under ±30 % drift between rounds, with an interval narrower than it', () => {
    const { a, b } = drifting(1.004, 120, 20);
    const r = pairedRatio(a, b, 20, SEED, 'x');
    expect(r.rounds).toBe(120);
    expect(r.low).toBeLessThan(1.004);
    expect(r.high).toBeGreaterThan(1.004);
    expect((r.high - r.low) / 2).toBeLessThan(0.002);
    expect(r.low).toBeGreaterThan(1);
  });

  it('keeps the drift out: the same runs paired with the wrong rounds give an interval over 5× wider', () => {
    const { a, b } = drifting(1.004, 120, 20);
    // Shift b by one round, so the drift no longer lines up inside a round.
    const shifted = [...b.slice(20), ...b.slice(0, 20)];
    const paired = pairedRatio(a, b, 20, SEED, 'x');
    const unpaired = pairedRatio(a, shifted, 20, SEED, 'x');
    expect(unpaired.high - unpaired.low).toBeGreaterThan(5 * (paired.high - paired.low));
  });

  it('refuses sides that are not the same whole number of rounds, naming the counts', () => {
    expect(() => pairedRatio([1, 2, 3], [1, 2, 3], 2, SEED, 'x')).toThrow(/got 3 and 3 runs/);
    expect(() => pairedRatio([1, 2], [1, 2], 2, SEED, 'x')).toThrow(/≥ 2/);
    expect(() => pairedRatio([1, 2, 3, 4], [1, 2], 2, SEED, 'x')).toThrow(/got 4 and 2 runs/);
  });

  it('pins this process to the measured core with the prefix its children get, and moves it back', () => {
    const split = cpuSplit(availableParallelism());
    const before = { affinity: currentAffinity(), niceness: getPriority() };
    const pin = pinBothLoops();
    try {
      if (split === null || before.affinity === null) {
        expect(pin.tuning).toEqual([]);
        expect(pin.where).toBe('not pinned');
      } else {
        expect(currentAffinity()).toBe(split.measured);
        expect(pin.tuning.slice(0, 3)).toEqual(['taskset', '-c', split.measured]);
        // Where raising priority is permitted (root here), this process runs at the children's
        // niceness and the children's prefix says so; otherwise neither.
        const niced = pin.tuning.includes('nice');
        expect(getPriority()).toBe(niced ? MEASURED_NICENESS : before.niceness);
        expect(pin.where).toContain(`both loops on CPU ${split.measured}`);
      }
    } finally {
      pin.release();
    }
    expect(currentAffinity()).toBe(before.affinity);
    expect(getPriority()).toBe(before.niceness);
  });
});
