import { describe, expect, it } from 'vitest';
import { ContestSchema } from '../contest/schema.js';
import type { Contest } from '../contest/load.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';
import { checkDocument } from '../json/file.js';
import { roundRows } from '../leaderboard/rows.js';
import { validateDocument } from '../schemas/validate.js';
import type { BenchDocument } from '../documents/bench.js';
import { pairedDifference } from './at-budget.js';
import { scoreRound } from './score.js';
import { meanInterval, tQuantile } from './student-t.js';
import { DEV_HOTKEYS as H, testBench, testContest, testRound, timings } from './testing.js';

describe("Student's t", () => {
  it('gives the tabulated quantiles and the textbook interval', () => {
    // Tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2) to the 7 digits they print.
    const cases: [number, number, number][] = [
      [0.975, 1, 12.7062047],
      [0.975, 3, 3.1824463],
      [0.975, 30, 2.0422725],
      [0.995, 5, 4.032143],
      [0.9, 10, 1.3721836],
    ];
    for (const [p, df, t] of cases) expect(tQuantile(p, df)).toBeCloseTo(t, 6);
    expect(tQuantile(0.025, 3)).toBeCloseTo(-3.1824463, 6);
    // mean 2, s = 1, n = 4: half-width t(0.975, 3) × 1 / 2.
    const m = meanInterval([1, 2, 3, 2], 0.95);
    expect(m.mean).toBe(2);
    expect(m.upper - m.mean).toBeCloseTo((3.1824463 * Math.sqrt(2 / 3)) / 2, 6);
    expect(meanInterval([5], 0.95)).toEqual({ mean: 5, lower: 5, upper: 5 });
  });

  it('pairs quality by input and ignores inputs only one side holds', () => {
    const a = new Map([
      [0, 30],
      [1, 31],
      [2, 29],
      [7, 99],
    ]);
    const b = new Map([
      [0, 29],
      [1, 30],
      [2, 28],
    ]);
    expect(pairedDifference(a, b, 0.95)).toEqual({ point: 1, lower: 1, upper: 1, inputs: 3 });
  });
});

const BASE = timings(10, 24, 0.04);
const scaled = (factor: number, phase = 0) =>
  BASE.map((v, k) => v * factor * (1 + 0.01 * Math.sin(2.3 * k + phase)));
const BASE_PSNR = [25, 26, 24, 27];
const plus = (v: readonly number[], d: readonly number[]) => v.map((x, k) => x + d[k]!);
const ALICE = plus(BASE_PSNR, [1, 1.1, 0.9, 1.05]);

/** A quality-at-budget contest on ground-truth PSNR: budget 4×, margin `margin` dB. */
function truthContest(margin: number): Contest {
  const c = structuredClone(testContest()) as unknown as Record<string, Record<string, unknown>>;
  c.task = 'ground-truth-super-resolution' as never;
  c.inputs!.groundTruth = { scale: 2, trainingPath: 'train' };
  c.scoring = {
    ...c.scoring,
    strategy: 'quality-at-budget',
    budget: { latency: 4 },
    earlierAdvantage: { margin },
    similarity: { measure: 'psnrTruth', threshold: 0.9 },
  };
  return checkDocument('truth contest.json', c, ContestSchema);
}

/** A bench file whose fidelity is ground-truth PSNR per input (the baseline judged too). */
function truthBench(psnr: readonly number[], ms: readonly number[], hotkey?: string, uid?: number) {
  const doc = testBench({ hotkey, uid, ms, inputs: 4 });
  const mean = psnr.reduce((a, b) => a + b, 0) / psnr.length;
  const fidelity: BenchDocument['fidelity'] = {
    measure: 'psnrTruth',
    rule: 'fraction-of-baseline',
    threshold: 0.9,
    perSample: psnr.map((v, input) => ({ input, psnrTruth: v, ssimTruth: 0.8 })),
    worst: { input: psnr.indexOf(Math.min(...psnr)), value: Math.min(...psnr) },
    mean,
    baselineMean: 25.5,
    passed: true,
  };
  return { ...doc, fidelity, valid: true, reasons: [] };
}

const SUBS = [
  { hotkey: H.dave, uid: 4, block: 50 },
  { hotkey: H.alice, uid: 1, block: 100 },
  { hotkey: H.bob, uid: 2, block: 200 },
  { hotkey: H.charlie, uid: 3, block: 300 },
  { hotkey: H.eve, uid: 5, block: 400 },
];

function scoreTruth(margin: number): ScoreDocument {
  const bench = [
    truthBench(BASE_PSNR, BASE),
    // dave: earliest and best, but six times the baseline's latency.
    truthBench(plus(BASE_PSNR, [2, 2, 2, 2]), scaled(6, 1), H.dave, 4),
    truthBench(ALICE, scaled(2, 2), H.alice, 1),
    // bob: alice's quality plus a consistent 0.05 dB — beyond noise, inside the margin.
    truthBench(plus(ALICE, [0.05, 0.06, 0.05, 0.06]), scaled(2, 3), H.bob, 2),
    // charlie: half a dB over alice, well past the margin.
    truthBench(plus(ALICE, [0.5, 0.52, 0.48, 0.5]), scaled(2.5, 4), H.charlie, 3),
    // eve: within budget but not past the margin over the baseline.
    truthBench(plus(BASE_PSNR, [0.05, 0.08, 0.02, 0.06]), scaled(1, 5), H.eve, 5),
  ];
  const doc = scoreRound({
    contest: truthContest(margin),
    round: testRound(SUBS),
    bench,
    history: [],
  });
  expect(validateDocument(ScoreSchema, structuredClone(doc))).toEqual([]);
  return doc;
}

describe('scoreRound, quality-at-budget', () => {
  const doc = scoreTruth(0.1);
  const entry = (h: string) => doc.submissions.find((s) => s.hotkey === h)!;
  const flags = (h: string, code: string) => entry(h).flags.filter((f) => f.code === code);

  it('places only submissions within the latency budget, by paired quality', () => {
    expect(doc.method).toMatchObject({
      strategy: 'quality-at-budget',
      budget: { latency: 4, margin: 0.1 },
    });
    expect(entry(H.dave)).toMatchObject({ valid: true, rank: null, earns: false, share: 0 });
    expect(flags(H.dave, 'latency-budget')[0]!.message).toMatch(
      /^6\.\d\d× the baseline's latency: over the budget of 4× \(4\.12× with the noise floor\)$/,
    );
    expect(entry(H.charlie)).toMatchObject({ rank: 1, position: 0, earns: true });
    expect(entry(H.alice)).toMatchObject({ rank: 2, position: 1, earns: true });
    expect(entry(H.eve)).toMatchObject({ valid: true, earns: false });
    expect(flags(H.eve, 'quality-gain')[0]!.message).toMatch(
      /^psnrTruth \+0\.052 dB \[.*\] over the baseline on 4 inputs; earning needs a lower bound above 0\.100 dB$/,
    );
    expect(entry(H.charlie).fidelity).toMatchObject({ measure: 'psnrTruth' });
    expect(entry(H.charlie).score!.point).toBeCloseTo(25.5 + 1.0125 + 0.5, 4);
  });

  it('keeps an earlier submission ahead of a later one that does not clear the margin, and says so', () => {
    expect(entry(H.bob)).toMatchObject({ rank: 2, position: 2, earns: true });
    expect(doc.ties).toContainEqual({ rank: 2, hotkeys: [H.alice, H.bob] });
    const [flag, ...more] = flags(H.bob, 'earlier-advantage');
    expect(more).toEqual([]);
    expect(flag!.hotkeys).toEqual([H.alice]);
    expect(flag!.message).toMatch(
      /^not ranked above uid 1 \(committed earlier, block 100\): psnrTruth \+0\.055 dB \[0\.0[34]\d dB, 0\.06\d dB\] over it, needs a lower bound above the 0\.100 dB margin$/,
    );
    // charlie cleared the margin over alice and bob: no flag; dave is over budget: never paired.
    expect(flags(H.charlie, 'earlier-advantage')).toEqual([]);
    const rows = roundRows({ id: doc.round, round: testRound(SUBS), score: doc, bench: [] });
    const bob = rows.rows.find((r) => r.uid === '2')!;
    expect(bob.status).toContain(
      'earlier-block advantage: not ranked above uid 1 (committed earlier',
    );
    expect(rows.rows.find((r) => r.uid === '4')!.status).toMatch(
      /^valid, over the latency budget: 6\.\d\d× the baseline's latency/,
    );
  });

  it('without a margin the same later submission ranks above the earlier one', () => {
    const none = scoreTruth(0);
    const at = (h: string) => none.submissions.find((s) => s.hotkey === h)!;
    expect([at(H.charlie).rank, at(H.bob).rank, at(H.alice).rank]).toEqual([1, 2, 3]);
    expect(at(H.bob).flags.filter((f) => f.code === 'earlier-advantage')).toEqual([]);
  });
});
