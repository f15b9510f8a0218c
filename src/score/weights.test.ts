import { describe, expect, it } from 'vitest';
import type { PastScore } from './inputs.js';
import { scoreRound } from './score.js';
import { DEV_HOTKEYS as H, testBench, testContest, testRound, timings } from './testing.js';
import { computeWeights, positionalShares, quantise } from './weights.js';

/** A real score document relabelled as an earlier round with the given shares and ema state. */
function past(
  round: string,
  shares: Record<string, number>,
  ema: Record<string, number> | null = null,
): PastScore {
  const doc = structuredClone(
    scoreRound({
      contest: testContest(),
      round: testRound([]),
      bench: [],
      history: [],
    }),
  );
  doc.round = round;
  doc.weights.shares = shares;
  doc.weights.ema = ema;
  return doc;
}

const policy = (over: Partial<ReturnType<typeof testContest>['scoring']['weights']> = {}) => ({
  ...testContest().scoring.weights,
  ...over,
});

describe('round shares', () => {
  it('gives the p-th earner positionDecay^p, normalised', () => {
    expect(positionalShares(['a', 'b', 'c'], 0.2)).toEqual(
      new Map([
        ['a', 0.806452],
        ['b', 0.16129],
        ['c', 0.0322581],
      ]),
    );
    expect(positionalShares(['a', 'b'], 0)).toEqual(
      new Map([
        ['a', 1],
        ['b', 0],
      ]),
    );
    expect(positionalShares(['a', 'b'], 1)).toEqual(
      new Map([
        ['a', 0.5],
        ['b', 0.5],
      ]),
    );
    expect(positionalShares([], 0.2)).toEqual(new Map());
  });
});

describe('weights across rounds', () => {
  it('winner-takes-most sums the window of shares weighted decay^age and ignores older rounds', () => {
    const w = computeWeights(policy({ decay: 0.5, historyRounds: 3 }), {
      round: '2025-03-04',
      shares: new Map([[H.alice, 1]]),
      past: [
        past('2025-03-03', { [H.bob]: 1 }),
        past('2025-03-02', { [H.charlie]: 1 }),
        past('2025-03-01', { [H.dave]: 1 }),
      ],
      present: [H.alice, H.bob],
      zeroed: new Set(),
    });
    expect(w.rounds).toEqual(['2025-03-04', '2025-03-03', '2025-03-02']);
    expect(w.normalised).toEqual({ [H.alice]: 0.571429, [H.bob]: 0.285714, [H.charlie]: 0.142857 });
    expect(w.u16).toEqual({ [H.alice]: 65535, [H.bob]: 32767, [H.charlie]: 16384 });
    expect(w.fallback).toBeNull();
  });

  it('gives 0 to a hotkey invalid or rejected now, whatever its history', () => {
    const w = computeWeights(policy(), {
      round: '2025-03-02',
      shares: new Map([[H.alice, 1]]),
      past: [past('2025-03-01', { [H.bob]: 0.8, [H.charlie]: 0.2 })],
      present: [H.alice, H.bob],
      zeroed: new Set([H.bob, H.charlie]),
    });
    expect(w.u16).toEqual({ [H.alice]: 65535, [H.bob]: 0, [H.charlie]: 0 });
    expect(w.normalised[H.alice]).toBe(1);
  });

  it('keeps paying a past winner when nobody earns this round, and falls back only when all is 0', () => {
    const base = {
      round: '2025-03-02',
      shares: new Map<string, number>(),
      present: [H.alice],
      zeroed: new Set<string>(),
    };
    const carried = computeWeights(policy(), {
      ...base,
      past: [past('2025-03-01', { [H.bob]: 1 })],
    });
    expect(carried.u16).toEqual({ [H.alice]: 0, [H.bob]: 65535 });
    expect(carried.fallback).toBeNull();
    const none = computeWeights(policy({ fallbackUid: 9 }), { ...base, past: [] });
    expect(none.fallback).toEqual({
      uid: 9,
      u16: 65535,
      reason: 'no submission earned weight in the rounds considered',
    });
    expect(none.u16).toEqual({ [H.alice]: 0 });
  });

  it('ema carries its state from the previous score.json', () => {
    const w = computeWeights(policy({ scheme: 'ema', decay: 0.25 }), {
      round: '2025-03-02',
      shares: new Map([[H.alice, 1]]),
      past: [
        past('2025-03-01', { [H.bob]: 1 }, { [H.bob]: 0.6, [H.charlie]: 0.4, [H.dave]: 1e-6 }),
      ],
      present: [H.alice],
      zeroed: new Set(),
    });
    expect(w.ema).toEqual({ [H.alice]: 0.25, [H.bob]: 0.45, [H.charlie]: 0.3 });
    expect(w.rounds).toEqual(['2025-03-02', '2025-03-01']);
    expect(w.normalised).toEqual({ [H.alice]: 0.25, [H.bob]: 0.45, [H.charlie]: 0.3 });
    expect(w.u16[H.bob]).toBe(65535);
  });

  it('quantises round-half-up with the largest at exactly 65535', () => {
    expect(quantise(0.3, 0.3)).toBe(65535);
    expect(quantise(0.1, 0.2)).toBe(32768);
    expect(quantise(0, 0.2)).toBe(0);
    expect(quantise(1e-9, 1)).toBe(0);
  });
});

describe('weights in a scored round', () => {
  it('lists every submission of the round in the u16 vector, invalid ones at 0', () => {
    const base = timings(10, 16);
    const doc = scoreRound({
      contest: testContest(),
      round: testRound(
        [
          { hotkey: H.alice, uid: 1, block: 1 },
          { hotkey: H.bob, uid: 2, block: 2 },
        ],
        {
          rejected: [
            {
              hotkey: H.eve,
              uid: 5,
              reason: 'bad-signature',
              message: 'the entry signature is not by the hotkey',
            },
          ],
        },
      ),
      bench: [
        testBench({ ms: base }),
        testBench({ hotkey: H.alice, uid: 1, ms: base.map((v) => v * 0.7) }),
        testBench({ hotkey: H.bob, uid: 2, ms: base.map((v) => v * 0.5), valid: false }),
      ],
      history: [past('2025-02-28', { [H.eve]: 1, [H.bob]: 0.5 })],
    });
    expect(doc.weights.u16).toEqual({ [H.alice]: 65535, [H.bob]: 0, [H.eve]: 0 });
  });
});
