import { describe, expect, it } from 'vitest';
import { scoreRound } from './score.js';
import { DEV_HOTKEYS as H, testBench, testContest, testRound, timings } from './testing.js';

const BASE = timings(10, 24, 0.04);

/** Alice runs at `factor` of the baseline's time on every sample (a tight interval). */
function alice(factor: number, noiseFloor: number) {
  const contest = testContest(undefined, { noiseFloor });
  const doc = scoreRound({
    contest,
    round: testRound([{ hotkey: H.alice, uid: 1, block: 1 }]),
    bench: [
      testBench({ ms: BASE }),
      testBench({ hotkey: H.alice, uid: 1, ms: BASE.map((v) => v * factor) }),
    ],
    history: [],
  });
  return { sub: doc.submissions[0]!, doc };
}

describe('noise floor', () => {
  it('gives nothing to a speed-up whose interval clears 1 but not 1 + noiseFloor', () => {
    const { sub, doc } = alice(1 / 1.015, 0.03);
    expect(sub.score!.lower).toBeGreaterThan(1);
    expect(sub.score!.lower).toBeLessThan(1.03);
    expect(sub.earns).toBe(false);
    expect(doc.method.noiseFloor).toBe(0.03);
    expect(doc.weights.u16[H.alice] ?? 0).toBe(0);
  });

  it('lets the same speed-up earn when the contest declares no floor', () => {
    expect(alice(1 / 1.015, 0).sub.earns).toBe(true);
  });

  it('lets a speed-up beyond the floor earn', () => {
    expect(alice(1 / 1.1, 0.03).sub.earns).toBe(true);
  });
});
