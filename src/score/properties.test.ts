/**
 * Properties of scoreRound over random rounds: one or two runners, valid and invalid
 * submissions, copies, equal commitment blocks, earlier rounds, both strategies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BenchDocument } from '../documents/bench.js';
import { canonicalJson } from '../json/canonical.js';
import type { ScoreInputs } from './inputs.js';
import type { ScoreDocument } from '../documents/score.js';
import { scoreRound } from './score.js';
import {
  syntheticHotkey,
  testBench,
  testContest,
  testRound,
  type TestSubmission,
} from './testing.js';

const SAMPLES = 16;

interface Sub {
  factor: number;
  wobble: number[];
  block: number;
  valid: boolean;
  copyOf: number | null;
  runners: number;
}

const subArb: fc.Arbitrary<Sub> = fc.record({
  factor: fc.double({ min: 0.5, max: 1.3, noNaN: true }),
  wobble: fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), {
    minLength: SAMPLES,
    maxLength: SAMPLES,
  }),
  block: fc.integer({ min: 1, max: 6 }),
  valid: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  copyOf: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 5 }),
  runners: fc.integer({ min: 1, max: 3 }),
});

const caseArb = fc.record({
  subs: fc.array(subArb, { minLength: 1, maxLength: 6 }),
  strategy: fc.constantFrom('speed-at-parity' as const, 'pareto' as const),
  scheme: fc.constantFrom('winner-takes-most' as const, 'ema' as const),
  history: fc.array(
    fc.tuple(fc.integer({ min: 0, max: 7 }), fc.double({ min: 0, max: 1, noNaN: true })),
    {
      maxLength: 4,
    },
  ),
  seed: fc.integer({ min: 0, max: 255 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const BASE = Array.from({ length: SAMPLES }, (_, k) => 10 * (1 + 0.04 * Math.sin(1.3 * k)));

function contestFor(c: Case) {
  return testContest(
    [
      { name: 'latency', weight: 1 },
      { name: 'memory', weight: 0.3 },
    ],
    {
      strategy: c.strategy,
      objectives:
        c.strategy === 'pareto'
          ? [
              { metric: 'latency', direction: 'min' },
              { metric: 'memory', direction: 'min' },
            ]
          : undefined,
      bootstrapResamples: 200,
      weights: { scheme: c.scheme, historyRounds: 3 },
    },
  );
}

/** Builds the inputs; `faster` multiplies submission i's timings by per-sample factors < 1. */
function build(c: Case, faster?: { index: number; factors: number[] }): ScoreInputs {
  const seed = `0x${c.seed.toString(16).padStart(2, '0').repeat(32)}`;
  const subs: TestSubmission[] = c.subs.map((s, i) => ({
    hotkey: syntheticHotkey(i),
    uid: i + 1,
    block: s.block,
    artifact: s.copyOf !== null && s.copyOf < i ? syntheticHotkey(s.copyOf) : undefined,
  }));
  const bench: BenchDocument[] = [];
  for (const runner of ['r1', 'r2', 'r3'])
    bench.push(testBench({ runner, ms: BASE, peakRssBytes: 1000 }));
  c.subs.forEach((s, i) => {
    for (let r = 0; r < s.runners; r++) {
      const ms = BASE.map((b, k) => {
        const v = b * s.factor * (1 + s.wobble[k]!);
        return faster?.index === i ? v * faster.factors[k]! : v;
      });
      bench.push(
        testBench({
          runner: `r${r + 1}`,
          hotkey: subs[i]!.hotkey,
          uid: i + 1,
          artifact: subs[i]!.artifact,
          ms,
          peakRssBytes: 900 + 50 * (i % 3),
          valid: s.valid,
        }),
      );
    }
  });
  const round = testRound(subs, { seed });
  const history = pastScores(c, contestFor(c));
  return { contest: contestFor(c), round, bench, history };
}

function pastScores(c: Case, contest: ReturnType<typeof contestFor>): ScoreDocument[] {
  if (c.history.length === 0) return [];
  const empty = scoreRound({
    contest,
    round: testRound([], { id: '2025-02-01' }),
    bench: [],
    history: [],
  });
  return c.history.map(([who, share], k) => {
    const doc = structuredClone(empty);
    doc.round = `2025-02-0${k + 1}`;
    doc.weights.shares = { [syntheticHotkey(who)]: Number(share.toPrecision(6)) };
    doc.weights.ema =
      c.scheme === 'ema' ? { [syntheticHotkey(who)]: Number(share.toPrecision(6)) } : null;
    return doc;
  });
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const RUNS = { numRuns: 60 };

describe('scoreRound properties', () => {
  it('does not depend on the order of bench files, submissions or history', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 1000 }), (c, perm) => {
        const inputs = build(c);
        const round = { ...inputs.round, submissions: shuffled(inputs.round.submissions, perm) };
        const reordered: ScoreInputs = {
          ...inputs,
          round,
          bench: shuffled(inputs.bench, perm + 1),
          history: shuffled(inputs.history, perm + 2),
        };
        expect(canonicalJson(scoreRound(reordered))).toBe(canonicalJson(scoreRound(inputs)));
      }),
      RUNS,
    );
  });

  it('never lowers the rank, position or weight of a submission made strictly faster', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.nat(),
        fc.array(fc.double({ min: 0.5, max: 0.99, noNaN: true }), {
          minLength: SAMPLES,
          maxLength: SAMPLES,
        }),
        (c, pick, factors) => {
          const index = pick % c.subs.length;
          const hotkey = syntheticHotkey(index);
          const before = scoreRound(build(c));
          const after = scoreRound(build(c, { index, factors }));
          const b = before.submissions.find((s) => s.hotkey === hotkey)!;
          const a = after.submissions.find((s) => s.hotkey === hotkey)!;
          if (b.rank !== null) {
            expect(a.rank).not.toBeNull();
            expect(a.rank!).toBeLessThanOrEqual(b.rank);
            expect(a.position!).toBeLessThanOrEqual(b.position!);
          }
          expect(a.share).toBeGreaterThanOrEqual(b.share);
          expect(after.weights.u16[hotkey]!).toBeGreaterThanOrEqual(before.weights.u16[hotkey]!);
        },
      ),
      RUNS,
    );
  });

  it('keeps weights in 0..65535, 0 for every invalid submission, the largest at 65535', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const doc = scoreRound(build(c));
        const values = Object.values(doc.weights.u16);
        for (const v of values) expect(Number.isInteger(v) && v >= 0 && v <= 65535).toBe(true);
        for (const s of doc.submissions) if (!s.valid) expect(doc.weights.u16[s.hotkey]).toBe(0);
        if (values.some((v) => v > 0)) expect(Math.max(...values)).toBe(65535);
        else expect(doc.weights.fallback).not.toBeNull();
      }),
      RUNS,
    );
  });

  it('gives identical bytes for identical inputs', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const inputs = build(c);
        expect(canonicalJson(scoreRound(structuredClone(inputs)))).toBe(
          canonicalJson(scoreRound(inputs)),
        );
      }),
      { numRuns: 20 },
    );
  });
});
