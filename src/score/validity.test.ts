import { describe, expect, it } from 'vitest';
import { scoreRound } from './score.js';
import { DEV_HOTKEYS as H, testBench, testContest, testRound, timings } from './testing.js';

const BASE = timings(10, 24, 0.04);

function reasonsOf(psnr: readonly number[], valid?: boolean) {
  const doc = scoreRound({
    contest: testContest(),
    round: testRound([{ hotkey: H.alice, uid: 1, block: 1 }]),
    bench: [
      testBench({ ms: BASE }),
      testBench({ hotkey: H.alice, uid: 1, ms: BASE.map((v) => v * 0.8), psnr, valid }),
    ],
    history: [],
  });
  return doc.submissions[0]!.reasons;
}

describe('fidelity re-check in scoring', () => {
  it('re-checks a bench file that claims valid and names the worst sample, not the first', () => {
    const psnr = [29, 40, 12, 40, 25, 40];
    expect(reasonsOf(psnr, true)).toEqual([
      {
        code: 'fidelity-below-threshold',
        message: 'runner runner-a: psnr on input 2 is 12, below 30',
      },
    ]);
  });

  it('reports a bench file that is already invalid once, with its own reasons', () => {
    const reasons = reasonsOf([12, 12, 12, 12, 12, 12], false);
    expect(reasons.map((r) => r.code)).toEqual(['bench-invalid']);
  });

  it('accepts a submission whose every sample meets the threshold', () => {
    expect(reasonsOf([30, 31, 45, 30, 60, 33])).toEqual([]);
  });
});
