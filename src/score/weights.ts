/**
 * From ranks to the weight vector. Within a round the earner placed p-th (from 0) gets
 * positionDecay^p, normalised over the round's earners: the round's shares. Across rounds,
 * winner-takes-most sums the shares of the last historyRounds rounds weighted decay^age; ema
 * carries a state in score.json, state = decay·share + (1 − decay)·previous state. Hotkeys
 * invalid or rejected in this round get 0 whatever their history. The result is normalised,
 * then quantised to u16 with the largest weight at 65535 by round-half-up; when every weight is
 * 0 the contest's fallback uid gets 65535.
 */
import type { Contest } from '../contest/load.js';
import { byCodeUnit, sig } from './format.js';
import type { PastScore } from './inputs.js';
import type { ScoreWeights } from '../documents/score.js';

/** Smallest ema state kept; smaller ones are dropped so the state does not grow forever. */
export const EMA_FLOOR = 1e-6;

/** Returns the round's shares: positionDecay^p normalised over earners in position order. */
export function positionalShares(earners: readonly string[], decay: number): Map<string, number> {
  let total = 0;
  for (let p = 0; p < earners.length; p++) total += decay ** p;
  return new Map(earners.map((h, p) => [h, sig(decay ** p / total)]));
}

/** What the weight computation needs to know about the current round. */
export interface WeightsInput {
  readonly round: string;
  readonly shares: ReadonlyMap<string, number>;
  /** Earlier rounds of the contest, most recent first. */
  readonly past: readonly PastScore[];
  /** Hotkeys of this round's submissions (listed in the vector even at 0). */
  readonly present: readonly string[];
  /** Hotkeys that must get 0: invalid or rejected this round. */
  readonly zeroed: ReadonlySet<string>;
}

/** Returns the weights section of score.json. */
export function computeWeights(
  policy: Contest['scoring']['weights'],
  input: WeightsInput,
): ScoreWeights {
  const { combined, rounds, ema } = combine(policy, input);
  for (const h of input.zeroed) if (combined.has(h)) combined.set(h, 0);
  const keys = [...new Set([...input.present, ...combined.keys()])].sort(byCodeUnit);
  let total = 0;
  for (const h of keys) total += combined.get(h) ?? 0;
  const normalised: Record<string, number> = {};
  for (const h of keys) normalised[h] = total > 0 ? sig((combined.get(h) ?? 0) / total) : 0;
  const max = Math.max(0, ...Object.values(normalised));
  const u16: Record<string, number> = {};
  for (const h of keys) u16[h] = max > 0 ? quantise(normalised[h]!, max) : 0;
  return {
    scheme: policy.scheme,
    rounds,
    shares: Object.fromEntries([...input.shares].sort(([a], [b]) => byCodeUnit(a, b))),
    ema,
    normalised,
    u16,
    fallback:
      max > 0
        ? null
        : {
            uid: policy.fallbackUid,
            u16: 65535,
            reason: 'no submission earned weight in the rounds considered',
          },
  };
}

/** Returns floor(w / max · 65535 + 0.5), capped at 65535: round-half-up, the largest at 65535. */
export function quantise(w: number, max: number): number {
  return Math.min(65535, Math.floor((w / max) * 65535 + 0.5));
}

function combine(
  policy: Contest['scoring']['weights'],
  input: WeightsInput,
): { combined: Map<string, number>; rounds: string[]; ema: Record<string, number> | null } {
  if (policy.scheme === 'ema') {
    const previous = input.past[0];
    const prior = previous ? (previous.weights.ema ?? previous.weights.normalised) : {};
    const keys = [...new Set([...Object.keys(prior), ...input.shares.keys()])].sort(byCodeUnit);
    const state: Record<string, number> = {};
    for (const h of keys) {
      const v = sig(
        policy.decay * (input.shares.get(h) ?? 0) + (1 - policy.decay) * (prior[h] ?? 0),
      );
      if (v >= EMA_FLOOR) state[h] = v;
    }
    const rounds = previous ? [input.round, previous.round] : [input.round];
    return { combined: new Map(Object.entries(state)), rounds, ema: state };
  }
  const window = input.past.slice(0, policy.historyRounds - 1);
  const perRound = [Object.fromEntries(input.shares), ...window.map((p) => p.weights.shares)];
  const combined = new Map<string, number>();
  perRound.forEach((shares, age) => {
    for (const h of Object.keys(shares).sort(byCodeUnit)) {
      combined.set(h, (combined.get(h) ?? 0) + policy.decay ** age * shares[h]!);
    }
  });
  return { combined, rounds: [input.round, ...window.map((p) => p.round)], ema: null };
}
