/**
 * Scoring a contest that declares a precision: latency intervals at the per-look confidence
 * the bench stopped on, and a submission whose bench stopped short flagged (its interval used
 * as is) with the leaderboard saying so.
 */
import { describe, expect, it } from 'vitest';
import { scoreRound } from './score.js';
import { speedRatio, lookConfidence } from './ratio.js';
import { syntheticHotkey, testBench, testContest, testRound, timings } from './testing.js';
import { roundRows } from '../leaderboard/rows.js';
import { validateDocument } from '../schemas/validate.js';
import { ScoreSchema } from '../documents/score.js';
import type { BenchDocument } from '../documents/bench.js';

const A = syntheticHotkey(1);
const B = syntheticHotkey(2);

function record(reached: boolean, halfWidth: number): NonNullable<BenchDocument['precision']> {
  return {
    target: 0.01,
    confidence: lookConfidence(0.95, 5),
    looks: 5,
    looksTaken: reached ? 2 : 5,
    halfWidth,
    pairs: 40,
    seconds: 12,
    reached,
    stopped: reached ? 'reached' : 'cap',
    aa: null,
  };
}

describe('scoring with a declared precision', () => {
  const plain = testContest();
  const contest = {
    ...plain,
    measurement: {
      ...plain.measurement,
      precision: { halfWidth: 0.01, maxSeconds: 60, looks: 5 },
    },
  };
  const round = testRound([
    { hotkey: A, uid: 1, block: 10 },
    { hotkey: B, uid: 2, block: 11 },
  ]);
  const base = testBench({ ms: timings(10, 40, 0.08) });
  const a = {
    ...testBench({ hotkey: A, uid: 1, ms: timings(8, 40, 0.08, 1) }),
    precision: record(true, 0.009),
  };
  const b = {
    ...testBench({ hotkey: B, uid: 2, ms: timings(8.2, 40, 0.3, 2) }),
    precision: record(false, 0.031),
  };
  const bench = [base, a, b];

  it('takes latency intervals at the per-look confidence, wider than at the contest confidence', () => {
    const doc = scoreRound({ contest, round, bench, history: [] });
    expect(validateDocument(ScoreSchema, doc)).toEqual([]);
    const opts = {
      seed: round.seed,
      runner: 'runner-a',
      resamples: contest.scoring.bootstrapResamples,
    };
    const at = (confidence: number) =>
      speedRatio(base.samples, b.samples, { ...opts, confidence })!;
    const scored = doc.submissions.find((s) => s.hotkey === B)!.metrics.latency!;
    const wide = at(lookConfidence(0.95, 5));
    expect(scored.lower).toBeCloseTo(wide.low, 5);
    expect(scored.upper).toBeCloseTo(wide.high, 5);
    const narrow = at(0.95);
    expect(scored.upper - scored.lower).toBeGreaterThan(narrow.high - narrow.low);
  });

  it('flags the submission whose precision was not reached, and the leaderboard says so', () => {
    const doc = scoreRound({ contest, round, bench, history: [] });
    const flagsOf = (h: string) => doc.submissions.find((s) => s.hotkey === h)!.flags;
    expect(flagsOf(A)).toEqual([]);
    expect(flagsOf(B)).toEqual([
      {
        code: 'precision-not-reached',
        message:
          "runner runner-a: the speed ratio's interval reached ±3.1 % over 40 pairs, the contest asks ±1 % (stopped: cap); its interval is used as is",
        hotkeys: [],
      },
    ]);
    const rows = roundRows({ id: round.id, round, score: doc, bench });
    const statusOf = (uid: string) => rows.rows.find((r) => r.uid === uid)!.status;
    expect(statusOf('2')).toMatch(/; precision not reached \(interval used as is\)$/);
    expect(statusOf('1')).not.toMatch(/precision/);
  });
});
