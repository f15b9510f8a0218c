import { describe, expect, it } from 'vitest';
import { validateDocument } from '../schemas/validate.js';
import { ScoreInputError } from './errors.js';
import { ScoreSchema, type ScoreDocument } from '../documents/score.js';
import { scoreRound } from './score.js';
import {
  BASELINE_SHA,
  DEV_HOTKEYS as H,
  testBench,
  testContest,
  testRound,
  timings,
  type TestBench,
} from './testing.js';

const BASE = timings(10, 24, 0.04);

function score(
  contest: ReturnType<typeof testContest>,
  subs: Parameters<typeof testRound>[0],
  bench: TestBench[],
): ScoreDocument {
  const doc = scoreRound({
    contest,
    round: testRound(subs),
    bench: bench.map(testBench),
    history: [],
  });
  expect(validateDocument(ScoreSchema, structuredClone(doc))).toEqual([]);
  return doc;
}

const entry = (doc: ScoreDocument, hotkey: string) =>
  doc.submissions.find((s) => s.hotkey === hotkey)!;

/** Timings that follow the baseline's, scaled by `factor`, with a small own wobble. */
const scaled = (factor: number, wobble = 0.01, phase = 0) =>
  BASE.map((v, k) => v * factor * (1 + wobble * Math.sin(2.3 * k + phase)));

describe('scoreRound, speed-at-parity', () => {
  it('scores a single submission that beats the baseline beyond noise and gives it all weight', () => {
    const doc = score(
      testContest(),
      [{ hotkey: H.alice, uid: 7, block: 5 }],
      [{ ms: BASE }, { hotkey: H.alice, uid: 7, ms: scaled(0.8) }],
    );
    const alice = entry(doc, H.alice);
    expect(alice).toMatchObject({
      valid: true,
      earns: true,
      rank: 1,
      tieGroup: 1,
      position: 0,
      share: 1,
    });
    expect(alice.score!.lower).toBeGreaterThan(1.2);
    expect(alice.metrics.latency!.point).toBeCloseTo(1.25, 2);
    expect(alice.runners[0]).toMatchObject({ name: 'runner-a', pairs: 24, valid: true });
    expect(doc.weights.u16).toEqual({ [H.alice]: 65535 });
    expect(doc.weights.fallback).toBeNull();
    expect(doc.ties).toEqual([]);
  });

  it('ties overlapping intervals at one rank and places the earlier commitment first', () => {
    const doc = score(
      testContest(),
      [
        { hotkey: H.alice, uid: 1, block: 20 },
        { hotkey: H.bob, uid: 2, block: 10 },
        { hotkey: H.charlie, uid: 3, block: 5 },
      ],
      [
        { ms: BASE },
        { hotkey: H.alice, uid: 1, ms: scaled(0.79, 0.06, 1) },
        { hotkey: H.bob, uid: 2, ms: scaled(0.8, 0.06, 2) },
        { hotkey: H.charlie, uid: 3, ms: scaled(0.95, 0.005) },
      ],
    );
    const [a, b, c] = [entry(doc, H.alice), entry(doc, H.bob), entry(doc, H.charlie)];
    expect(a.score!.lower).toBeLessThanOrEqual(b.score!.upper);
    expect(b.score!.lower).toBeLessThanOrEqual(a.score!.upper);
    expect([a.rank, b.rank, c.rank]).toEqual([1, 1, 3]);
    expect([b.position, a.position, c.position]).toEqual([0, 1, 2]);
    expect(doc.ties).toEqual([{ rank: 1, hotkeys: [H.bob, H.alice] }]);
    expect(doc.submissions.map((s) => s.hotkey)).toEqual([H.bob, H.alice, H.charlie]);
    expect(b.share).toBeGreaterThan(a.share);
    expect(doc.weights.u16[H.bob]).toBe(65535);
  });

  it('gives nothing to a submission whose interval includes the baseline', () => {
    const doc = score(
      testContest(),
      [{ hotkey: H.alice, uid: 1, block: 1 }],
      [{ ms: BASE }, { hotkey: H.alice, uid: 1, ms: scaled(0.995, 0.05) }],
    );
    const alice = entry(doc, H.alice);
    expect(alice.valid).toBe(true);
    expect(alice.score!.lower).toBeLessThanOrEqual(1);
    expect(alice.earns).toBe(false);
    expect(alice.rank).toBe(1);
    expect(doc.weights.u16).toEqual({ [H.alice]: 0 });
    expect(doc.weights.fallback).toEqual({
      uid: 0,
      u16: 65535,
      reason: 'no submission earned weight in the rounds considered',
    });
  });

  it('falls back to the contest uid when every submission is invalid', () => {
    const contest = testContest(undefined, { weights: { fallbackUid: 42 } });
    const doc = score(
      contest,
      [
        { hotkey: H.alice, uid: 1, block: 1 },
        { hotkey: H.bob, uid: 2, block: 2 },
        { hotkey: H.charlie, uid: 3, block: 3 },
      ],
      [
        { ms: BASE },
        // the bench file says valid: scoring re-checks fidelity against the contest threshold
        { hotkey: H.alice, uid: 1, ms: scaled(0.5), psnr: [40, 29.9, 40, 40], valid: true },
        { hotkey: H.bob, uid: 2, ms: scaled(0.5), valid: false },
      ],
    );
    expect(doc.submissions.map((s) => [s.valid, s.rank, s.earns])).toEqual([
      [false, null, false],
      [false, null, false],
      [false, null, false],
    ]);
    expect(entry(doc, H.alice).reasons).toEqual([
      {
        code: 'fidelity-below-threshold',
        message: 'runner runner-a: psnr on input 1 is 29.9, below 30',
      },
    ]);
    expect(entry(doc, H.bob).reasons.map((r) => r.code)).toEqual(['bench-invalid']);
    expect(entry(doc, H.charlie).reasons.map((r) => r.code)).toEqual(['not-measured']);
    expect(Object.values(doc.weights.u16)).toEqual([0, 0, 0]);
    expect(doc.weights.fallback).toMatchObject({ uid: 42, u16: 65535 });
  });

  it('leaves a metric out for everyone when it is null for one submission', () => {
    const contest = testContest([
      { name: 'latency', weight: 1 },
      { name: 'energy', weight: 1 },
      { name: 'memory', weight: 2 },
    ]);
    const doc = score(
      contest,
      [
        { hotkey: H.alice, uid: 1, block: 1 },
        { hotkey: H.bob, uid: 2, block: 2 },
      ],
      [
        { ms: BASE, joulesPerSample: 2, peakRssBytes: 100 },
        { hotkey: H.alice, uid: 1, ms: scaled(0.8), joulesPerSample: 1, peakRssBytes: 50 },
        { hotkey: H.bob, uid: 2, ms: scaled(0.8), joulesPerSample: null, peakRssBytes: 100 },
      ],
    );
    expect(doc.method.excluded).toEqual([
      { name: 'energy', reason: `not measured for ${H.bob} on runner runner-a` },
    ]);
    expect(doc.method.metrics).toEqual([
      { name: 'latency', weight: 1, exponent: 0.333333 },
      { name: 'memory', weight: 2, exponent: 0.666667 },
    ]);
    const alice = entry(doc, H.alice);
    expect(Object.keys(alice.metrics)).toEqual(['latency', 'memory']);
    expect(alice.metrics.memory).toEqual({ point: 2, lower: 2, upper: 2 });
    const expected = alice.metrics.latency!.point ** 0.333333 * 2 ** 0.666667;
    expect(alice.score!.point).toBe(Number(expected.toPrecision(6)));
    expect(alice.rank).toBe(1);
    expect(entry(doc, H.bob).rank).toBe(2);
  });

  it('rejects later copies by artifact and by weights, citing the earliest commitment', () => {
    const doc = score(
      testContest(),
      [
        { hotkey: H.alice, uid: 1, block: 10 },
        { hotkey: H.bob, uid: 2, block: 12, artifact: H.alice },
        { hotkey: H.charlie, uid: 3, block: 11 },
        { hotkey: H.dave, uid: 4, block: 9, artifact: 'the-baseline' },
      ],
      [
        { ms: BASE },
        { hotkey: H.alice, uid: 1, ms: scaled(0.8), weights: 'w-alice' },
        { hotkey: H.bob, uid: 2, ms: scaled(0.7), artifact: H.alice, weights: 'w-alice' },
        { hotkey: H.charlie, uid: 3, ms: scaled(0.75), weights: 'w-alice' },
        { hotkey: H.dave, uid: 4, ms: scaled(0.9), artifact: 'the-baseline', weights: 'baseline' },
      ],
    );
    expect(entry(doc, H.bob).copyOf).toEqual({
      hotkey: H.alice,
      uid: 1,
      commitmentBlock: 10,
      via: 'artifact',
    });
    expect(entry(doc, H.charlie).copyOf).toEqual({
      hotkey: H.alice,
      uid: 1,
      commitmentBlock: 10,
      via: 'weights',
    });
    expect(entry(doc, H.charlie).reasons[0]!.message).toBe(
      `the same weights sha256 as ${H.alice} (uid 1), committed earlier at block 10`,
    );
    expect(entry(doc, H.alice)).toMatchObject({ valid: true, earns: true, copyOf: null });
    expect(entry(doc, H.dave).valid).toBe(true);
    expect(doc.weights.u16).toMatchObject({ [H.alice]: 65535, [H.bob]: 0, [H.charlie]: 0 });
  });

  it("rejects the baseline's own artifact but not a submission that keeps the baseline's weights", () => {
    const round = testRound([
      { hotkey: H.alice, uid: 1, block: 1 },
      { hotkey: H.bob, uid: 2, block: 2 },
    ]);
    const bench = [
      testBench({ ms: BASE, weights: 'base-weights' }),
      testBench({ hotkey: H.alice, uid: 1, ms: scaled(0.8), weights: 'base-weights' }),
      testBench({ hotkey: H.bob, uid: 2, ms: scaled(0.9), weights: 'base-weights' }),
    ];
    const mutable = structuredClone(round);
    mutable.submissions[1]!.model.sha256 = BASELINE_SHA;
    bench[2]!.subject.model.sha256 = BASELINE_SHA;
    const doc = scoreRound({ contest: testContest(), round: mutable, bench, history: [] });
    expect(entry(doc, H.alice)).toMatchObject({ valid: true, copyOf: null });
    expect(entry(doc, H.bob).reasons).toEqual([
      { code: 'baseline-copy', message: "the artifact is the contest's baseline" },
    ]);
  });

  it('flags submissions whose outputs are identical on every sample, without rejecting them', () => {
    const doc = score(
      testContest(),
      [
        { hotkey: H.alice, uid: 1, block: 1 },
        { hotkey: H.bob, uid: 2, block: 2 },
        { hotkey: H.charlie, uid: 3, block: 3 },
      ],
      [
        { ms: BASE },
        { hotkey: H.alice, uid: 1, ms: scaled(0.8), outputs: 'same' },
        { hotkey: H.bob, uid: 2, ms: scaled(0.8), outputs: 'same' },
        {
          hotkey: H.charlie,
          uid: 3,
          ms: scaled(0.8),
          outputs: ['same-out-0', 'same-out-1', 'x', 'same-out-3'],
        },
      ],
    );
    expect(doc.review).toEqual([
      {
        code: 'identical-outputs',
        hotkeys: [H.alice, H.bob],
        runners: ['runner-a'],
        message: 'outputs identical on every sample on runner-a',
      },
    ]);
    expect(entry(doc, H.bob).flags).toEqual([
      {
        code: 'identical-outputs',
        message: `outputs identical on every sample to ${H.alice} on runner-a`,
        hotkeys: [H.alice],
      },
    ]);
    expect(entry(doc, H.bob).valid).toBe(true);
    expect(entry(doc, H.charlie).flags).toEqual([]);
  });

  it('combines two runners by the geometric mean of ratios against each runner’s own baseline', () => {
    const slowBase = BASE.map((v) => v * 2);
    const doc = score(
      testContest([
        { name: 'latency', weight: 1 },
        { name: 'loadTime', weight: 1 },
      ]),
      [
        { hotkey: H.alice, uid: 1, block: 1 },
        { hotkey: H.bob, uid: 2, block: 2 },
      ],
      [
        { ms: BASE, runner: 'runner-a', loadMs: 100 },
        { ms: slowBase, runner: 'runner-b', loadMs: 300 },
        { hotkey: H.alice, uid: 1, runner: 'runner-a', ms: scaled(0.8), loadMs: 50 },
        { hotkey: H.alice, uid: 1, runner: 'runner-b', ms: scaled(2 * 0.5), loadMs: 300 },
        { hotkey: H.bob, uid: 2, runner: 'runner-b', ms: scaled(2 * 0.9), loadMs: 200 },
      ],
    );
    const alice = entry(doc, H.alice);
    const [ra, rb] = alice.runners;
    expect([ra!.name, rb!.name]).toEqual(['runner-a', 'runner-b']);
    expect(ra!.metrics.loadTime).toEqual({
      baseline: 100,
      submission: 50,
      ratio: { point: 2, lower: 2, upper: 2 },
    });
    expect(rb!.metrics.loadTime!.ratio.point).toBe(1);
    const geo = Math.sqrt(ra!.metrics.latency!.ratio.point * rb!.metrics.latency!.ratio.point);
    expect(alice.metrics.latency!.point).toBe(Number(geo.toPrecision(6)));
    expect(alice.metrics.latency!.point).toBeCloseTo(Math.sqrt(1.25 * 2), 2);
    expect(alice.metrics.loadTime!.point).toBe(Number(Math.SQRT2.toPrecision(6)));
    expect(alice.metrics.latency!.lower).toBeLessThan(alice.metrics.latency!.point);
    expect(entry(doc, H.bob).runners.map((r) => r.name)).toEqual(['runner-b']);
    expect(doc.runners.map((r) => [r.name, r.submissions, r.valid])).toEqual([
      ['runner-a', 1, true],
      ['runner-b', 2, true],
    ]);
  });

  it('invalidates submissions measured on a runner without a baseline', () => {
    const doc = score(
      testContest(),
      [{ hotkey: H.alice, uid: 1, block: 1 }],
      [{ hotkey: H.alice, uid: 1, ms: scaled(0.8), runner: 'lonely' }],
    );
    expect(entry(doc, H.alice).reasons).toEqual([
      { code: 'no-baseline', message: 'no baseline was measured on runner lonely' },
    ]);
    expect(doc.runners).toEqual([
      { name: 'lonely', model: null, valid: false, samples: 0, latencyMs: null, submissions: 1 },
    ]);
  });

  it('pairs samples by (block, input) whatever order the bench file lists them in', () => {
    const subs = [{ hotkey: H.alice, uid: 1, block: 1 }];
    const ordered = testBench({ hotkey: H.alice, uid: 1, ms: scaled(0.8, 0.05) });
    const shuffled = structuredClone(ordered);
    const order = ordered.samples.ms.map((_, k) => k).reverse();
    shuffled.samples = {
      input: order.map((k) => ordered.samples.input[k]!),
      block: order.map((k) => ordered.samples.block[k]!),
      ms: order.map((k) => ordered.samples.ms[k]!),
    };
    const run = (b: typeof ordered) =>
      scoreRound({
        contest: testContest(),
        round: testRound(subs),
        bench: [testBench({ ms: BASE }), b],
        history: [],
      });
    expect(run(shuffled)).toEqual(run(ordered));
  });
});

describe('scoreRound, pareto', () => {
  const contest = testContest([{ name: 'latency', weight: 1 }], {
    strategy: 'pareto',
    objectives: [
      { metric: 'latency', direction: 'min' },
      { metric: 'parameters', direction: 'min' },
    ],
    tieBreaker: 'parameters',
  });

  it('ranks the frontier first, orders it by the tie-breaker, and pays only those that dominate the baseline', () => {
    const doc = score(
      contest,
      [
        { hotkey: H.alice, uid: 1, block: 1 },
        { hotkey: H.bob, uid: 2, block: 2 },
        { hotkey: H.charlie, uid: 3, block: 3 },
        { hotkey: H.dave, uid: 4, block: 4 },
      ],
      [
        { ms: BASE, parameters: 1000 },
        { hotkey: H.alice, uid: 1, ms: scaled(0.6), parameters: 1000 },
        { hotkey: H.bob, uid: 2, ms: scaled(0.9), parameters: 400 },
        { hotkey: H.charlie, uid: 3, ms: scaled(0.9), parameters: 900 },
        { hotkey: H.dave, uid: 4, ms: scaled(1.2), parameters: 1200 },
      ],
    );
    const ranks = Object.fromEntries(
      doc.submissions.map((s) => [s.hotkey, [s.rank, s.position, s.earns]]),
    );
    expect(ranks).toEqual({
      [H.bob]: [1, 0, true],
      [H.alice]: [1, 1, true],
      [H.charlie]: [2, 2, true],
      [H.dave]: [4, 3, false],
    });
    expect(doc.method.objectives).toEqual([
      { name: 'latency', direction: 'min' },
      { name: 'parameters', direction: 'min' },
    ]);
    expect(entry(doc, H.bob).objectives).toEqual([
      { name: 'latency', direction: 'min', value: entry(doc, H.bob).metrics.latency },
      { name: 'parameters', direction: 'min', value: { point: 400, lower: 400, upper: 400 } },
    ]);
    expect(entry(doc, H.bob).score).toBeNull();
    expect(doc.ties).toEqual([{ rank: 1, hotkeys: [H.bob, H.alice] }]);
  });

  it('drops the parameters objective when a submission has no count', () => {
    const doc = score(
      contest,
      [{ hotkey: H.alice, uid: 1, block: 1 }],
      [
        { ms: BASE, parameters: 1000 },
        { hotkey: H.alice, uid: 1, ms: scaled(0.7), parameters: null },
      ],
    );
    expect(doc.method.excluded).toEqual([
      { name: 'parameters', reason: `not counted for ${H.alice}` },
    ]);
    expect(doc.method.objectives).toEqual([{ name: 'latency', direction: 'min' }]);
    expect(entry(doc, H.alice)).toMatchObject({ rank: 1, earns: true });
  });
});

describe('scoreRound input checks', () => {
  const subs = [{ hotkey: H.alice, uid: 1, block: 1 }];

  it('refuses a bench file of another round', () => {
    expect(() =>
      scoreRound({
        contest: testContest(),
        round: testRound(subs),
        bench: [testBench({ ms: BASE, round: '2025-02-01' })],
        history: [],
      }),
    ).toThrow(
      new ScoreInputError(
        'bench/runner-a/baseline.json: belongs to score-test/2025-02-01, not score-test/2025-03-01',
      ),
    );
  });

  it('refuses a bench file for a hotkey the round does not know', () => {
    expect(() =>
      scoreRound({
        contest: testContest(),
        round: testRound(subs),
        bench: [testBench({ ms: BASE }), testBench({ hotkey: H.bob, uid: 2, ms: BASE })],
        history: [],
      }),
    ).toThrow(`bench/runner-a/${H.bob}.json: hotkey ${H.bob} is not a submission of round.json`);
  });

  it('refuses two baselines on one runner', () => {
    expect(() =>
      scoreRound({
        contest: testContest(),
        round: testRound(subs),
        bench: [testBench({ ms: BASE }), testBench({ ms: BASE })],
        history: [],
      }),
    ).toThrow('bench/runner-a/baseline.json: a second baseline on this runner');
  });
});
