/**
 * Two validators' results for the same round, compared: did they freeze the same inputs, do
 * they order the same submissions the same way, whose verdict differs and why, how far apart
 * their weight vectors are, and whether any of it is beyond what the contest's noise settings
 * (confidence, noise floor, fidelity threshold) predict. Pure; docs/validator.md explains it.
 */
import type { RoundDocument } from '../documents/round.js';
import type { ScoreDocument } from '../documents/score.js';
import type { Frozen } from '../json/file.js';
import { sig } from '../score/format.js';

/** One side of a comparison: a round as one validator recorded it. */
export interface RoundSide {
  readonly label: string;
  readonly round: Frozen<RoundDocument>;
  readonly score: Frozen<ScoreDocument>;
}

/** A fidelity flip is within noise when the passing side's worst is this close (relative). */
export const FIDELITY_NEAR = 0.01;

/** Why two verdicts differ. */
export type VerdictCause =
  'fidelity-near-threshold' | 'interval-across-noise-floor' | 'timeout-on-one-runner' | 'other';

/** A submission whose verdict differs between the sides. */
export interface VerdictDifference {
  readonly hotkey: string;
  readonly uid: number;
  readonly a: string;
  readonly b: string;
  readonly cause: VerdictCause;
  readonly withinNoise: boolean;
  readonly detail: string;
  /** The setting that would close the gap. */
  readonly setting: string;
}

/** A pair the sides do not order the same way. */
export interface PairDifference {
  readonly hotkeys: readonly [string, string];
  readonly kind: 'tie-vs-order' | 'reversed';
  readonly detail: string;
  readonly setting: string;
}

/** The comparison of one round. */
export interface RoundComparison {
  readonly round: string;
  /** Frozen inputs that differ, each with why; empty when both froze the same round. */
  readonly frozen: readonly string[];
  readonly runners: { readonly a: readonly string[]; readonly b: readonly string[] };
  /** Pairs of submissions valid on both sides that at least one side orders (not tied). */
  readonly pairs: { readonly total: number; readonly same: number; readonly share: number | null };
  readonly pairDifferences: readonly PairDifference[];
  readonly verdicts: readonly VerdictDifference[];
  /** Σ |normalised_a(h) − normalised_b(h)| over hotkeys, the fallback uid included (0 … 2). */
  readonly l1: number;
  /** 1 − L1 / 2: the share of A's weight that B's vector, as consensus, would keep (Yuma clips to consensus). */
  readonly vtrust: number;
  /** What is beyond the noise settings' prediction; empty when the disagreement is within it. */
  readonly beyondNoise: readonly string[];
  /** The closest calls (speed-at-parity): how near agreement came to breaking; null for pareto. */
  readonly closest: { readonly earn: string; readonly pair: string | null } | null;
}

type Submission = Frozen<ScoreDocument>['submissions'][number];

/** Compares one round of two sides; pure. */
export function compareRound(a: RoundSide, b: RoundSide): RoundComparison {
  const frozen = frozenDifferences(a.round, b.round);
  const byA = new Map(a.score.submissions.map((s) => [s.hotkey, s]));
  const byB = new Map(b.score.submissions.map((s) => [s.hotkey, s]));
  const common = [...byA.keys()].filter((h) => byB.has(h)).sort();
  const verdicts = common
    .map((h) => verdictDifference(byA.get(h)!, byB.get(h)!, a.score, b.score))
    .filter((v): v is VerdictDifference => v !== null);
  const ranked = common.filter((h) => byA.get(h)!.rank !== null && byB.get(h)!.rank !== null);
  const { total, same, differences } = comparePairs(ranked, byA, byB, a.score);
  const l1 = l1Distance(weightsOf(a.score), weightsOf(b.score));
  const beyondNoise = [
    ...frozen.map((f) => `frozen inputs differ: ${f}`),
    ...differences
      .filter((d) => d.kind === 'reversed')
      .map((d) => `pair ${d.hotkeys.join(' / ')} reversed beyond noise: ${d.detail}`),
    ...verdicts
      .filter((v) => !v.withinNoise)
      .map((v) => `uid ${v.uid} verdict ${v.a} vs ${v.b} (${v.cause}): ${v.detail}`),
  ];
  return {
    round: a.round.id,
    frozen,
    runners: { a: a.score.runners.map((r) => r.name), b: b.score.runners.map((r) => r.name) },
    pairs: { total, same, share: total === 0 ? null : sig(same / total) },
    pairDifferences: differences,
    verdicts,
    l1: sig(l1),
    vtrust: sig(1 - l1 / 2),
    beyondNoise,
    closest: closestCalls(ranked, byA, byB, a.score.method.noiseFloor),
  };
}

/**
 * The valid submission whose score lower bound is nearest the earn line 1 + noiseFloor on
 * either side, and the ordered pair whose intervals are nearest to touching.
 */
function closestCalls(
  hotkeys: readonly string[],
  byA: ReadonlyMap<string, Submission>,
  byB: ReadonlyMap<string, Submission>,
  noiseFloor: number,
): RoundComparison['closest'] {
  const both = hotkeys.filter((h) => byA.get(h)!.score && byB.get(h)!.score);
  if (both.length === 0) return null;
  const line = 1 + noiseFloor;
  const gap = (h: string) =>
    Math.min(Math.abs(byA.get(h)!.score!.lower - line), Math.abs(byB.get(h)!.score!.lower - line));
  const e = [...both].sort((x, y) => gap(x) - gap(y))[0]!;
  const earn =
    `uid ${byA.get(e)!.uid}: lower bounds ${byA.get(e)!.score!.lower} (A) and ` +
    `${byB.get(e)!.score!.lower} (B) against the earn line ${sig(line)}`;
  let pair: string | null = null;
  let best = Infinity;
  for (const x of both) {
    for (const y of both) {
      const [ax, ay, bx, by] = [byA.get(x)!, byA.get(y)!, byB.get(x)!, byB.get(y)!];
      if (!(ax.rank! < ay.rank! && bx.rank! < by.rank!)) continue;
      const m = Math.min(ax.score!.lower - ay.score!.upper, bx.score!.lower - by.score!.upper);
      if (m < best) {
        best = m;
        pair =
          `uid ${ax.uid} over uid ${ay.uid}: intervals ${sig(m)} apart at the closer side ` +
          `(A [${ax.score!.lower}, ${ax.score!.upper}] vs [${ay.score!.lower}, ${ay.score!.upper}]; ` +
          `B [${bx.score!.lower}, ${bx.score!.upper}] vs [${by.score!.lower}, ${by.score!.upper}])`;
      }
    }
  }
  return { earn, pair };
}

function frozenDifferences(a: Frozen<RoundDocument>, b: Frozen<RoundDocument>): string[] {
  const out: string[] = [];
  if (a.cutoff.block !== b.cutoff.block || a.cutoff.blockHash !== b.cutoff.blockHash) {
    out.push(
      `cutoff block #${a.cutoff.block} ${a.cutoff.blockHash} vs #${b.cutoff.block} ${b.cutoff.blockHash} ` +
        '(the two validators read different chains, or one collected on a fork)',
    );
  }
  if (a.seed !== b.seed)
    out.push(`seed ${a.seed} vs ${b.seed} (it comes from the cutoff block hash)`);
  if (a.contest.sha256 !== b.contest.sha256) {
    out.push(
      `contest file sha256 ${a.contest.sha256} vs ${b.contest.sha256} (the contest.json of the two ` +
        'checkouts differs: one fork changed it)',
    );
  }
  const key = (s: RoundDocument['submissions'][number]) => `${s.hotkey}:${s.model.sha256}`;
  const setA = new Set(a.submissions.map(key));
  const setB = new Set(b.submissions.map(key));
  const onlyA = [...setA].filter((k) => !setB.has(k));
  const onlyB = [...setB].filter((k) => !setA.has(k));
  if (onlyA.length > 0 || onlyB.length > 0) {
    out.push(
      `submission set: only in A ${onlyA.join(', ') || 'none'}; only in B ${onlyB.join(', ') || 'none'} ` +
        '(entries or commitments read at different points, or a different rejection at collect)',
    );
  }
  return out;
}

function verdictOf(s: Submission): string {
  if (!s.valid) return `invalid (${s.reasons.map((r) => r.code).join(', ')})`;
  return s.earns ? 'earns' : 'valid, no weight';
}

function verdictDifference(
  a: Submission,
  b: Submission,
  sa: Frozen<ScoreDocument>,
  sb: Frozen<ScoreDocument>,
): VerdictDifference | null {
  const va = verdictOf(a);
  const vb = verdictOf(b);
  if (va === vb) return null;
  const base = { hotkey: a.hotkey, uid: a.uid, a: va, b: vb };
  const messages = [...a.reasons, ...b.reasons].map((r) => `${r.code}: ${r.message}`);
  const timeout = messages.find((m) => /timeout|timed out|too-slow|deadline/i.test(m));
  if (timeout) {
    return {
      ...base,
      cause: 'timeout-on-one-runner',
      withinNoise: false,
      detail: timeout,
      setting: "the contest's limits (a runner that times out is too slow for them, not noisy)",
    };
  }
  if (a.valid !== b.valid) return fidelityFlip(base, a.valid ? a : b, a.valid ? b : a, sa);
  return floorFlip(base, a, b, sa, sb);
}

function fidelityFlip(
  base: Pick<VerdictDifference, 'hotkey' | 'uid' | 'a' | 'b'>,
  passing: Submission,
  failing: Submission,
  score: Frozen<ScoreDocument>,
): VerdictDifference {
  const { measure, threshold } = score.method.similarity;
  const codes = failing.reasons.map((r) => r.code);
  const fidelityCode =
    codes.some((c) => c.startsWith('fidelity')) ||
    failing.reasons.some((r) => /fidelity/.test(r.message));
  const worst = passing.fidelity?.worst;
  if (fidelityCode && worst !== undefined) {
    const gap = Math.abs(worst - threshold);
    const near = gap <= FIDELITY_NEAR * Math.abs(threshold);
    return {
      ...base,
      cause: 'fidelity-near-threshold',
      withinNoise: near,
      detail:
        `the passing side's worst ${measure} is ${worst} against the threshold ${threshold} ` +
        `(${near ? 'within' : 'more than'} ${FIDELITY_NEAR * 100} %)`,
      setting: near
        ? `scoring.similarity.threshold: move it away from where submissions sit (${worst})`
        : "none: outputs differ between the runners beyond noise (check the runners' onnxruntime versions)",
    };
  }
  return {
    ...base,
    cause: 'other',
    withinNoise: false,
    detail: `reasons on the invalid side: ${failing.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')}`,
    setting: 'none: the validators disagree on validity for a reason noise cannot explain',
  };
}

function floorFlip(
  base: Pick<VerdictDifference, 'hotkey' | 'uid' | 'a' | 'b'>,
  a: Submission,
  b: Submission,
  sa: Frozen<ScoreDocument>,
  sb: Frozen<ScoreDocument>,
): VerdictDifference {
  const floor = 1 + sa.method.noiseFloor;
  if (sa.method.noiseFloor !== sb.method.noiseFloor) {
    return {
      ...base,
      cause: 'other',
      withinNoise: false,
      detail: `noise floors differ: ${sa.method.noiseFloor} vs ${sb.method.noiseFloor}`,
      setting: 'scoring.noiseFloor: the two contest files differ',
    };
  }
  const intervals = a.score && b.score ? [[a.score, b.score] as const] : objectivePairs(a, b);
  const overlap = intervals.every(([x, y]) => x.lower <= y.upper && y.lower <= x.upper);
  const shown = intervals
    .map(([x, y]) => `[${x.lower}, ${x.upper}] vs [${y.lower}, ${y.upper}]`)
    .join('; ');
  return {
    ...base,
    cause: 'interval-across-noise-floor',
    withinNoise: overlap,
    detail: `intervals ${shown} ${overlap ? 'overlap' : 'do not overlap'}; earning needs a lower bound above ${sig(floor)}`,
    setting: overlap
      ? 'measurement.minSamples (k times the samples narrow both intervals by about √k), measurement.precision, or scoring.noiseFloor'
      : 'none: the two measurements disagree beyond their intervals (a runner is noisier than its interval says: warm-up, pinning)',
  };
}

type Interval = { readonly point: number; readonly lower: number; readonly upper: number };

function objectivePairs(a: Submission, b: Submission): (readonly [Interval, Interval])[] {
  const bo = new Map((b.objectives ?? []).map((o) => [o.name, o.value]));
  return (a.objectives ?? [])
    .filter((o) => bo.has(o.name))
    .map((o) => [o.value, bo.get(o.name)!] as const);
}

function comparePairs(
  hotkeys: readonly string[],
  byA: ReadonlyMap<string, Submission>,
  byB: ReadonlyMap<string, Submission>,
  score: Frozen<ScoreDocument>,
): { total: number; same: number; differences: PairDifference[] } {
  let total = 0;
  let same = 0;
  const differences: PairDifference[] = [];
  for (let i = 0; i < hotkeys.length; i++) {
    for (let j = i + 1; j < hotkeys.length; j++) {
      const [x, y] = [hotkeys[i]!, hotkeys[j]!];
      const oa = Math.sign(byA.get(y)!.rank! - byA.get(x)!.rank!);
      const ob = Math.sign(byB.get(y)!.rank! - byB.get(x)!.rank!);
      if (oa === 0 && ob === 0) continue;
      total++;
      if (oa === ob) {
        same++;
        continue;
      }
      const kind = oa === 0 || ob === 0 ? 'tie-vs-order' : 'reversed';
      const ranks = `A ranks ${byA.get(x)!.rank} and ${byA.get(y)!.rank}, B ranks ${byB.get(x)!.rank} and ${byB.get(y)!.rank}`;
      differences.push({
        hotkeys: [x, y],
        kind,
        detail: ranks,
        setting:
          kind === 'tie-vs-order'
            ? `measurement.minSamples or measurement.precision (their intervals nearly touch; confidence ${score.method.confidence} leaves such pairs to chance)`
            : 'none: each side is sure of the opposite order (a runner is biased, not noisy)',
      });
    }
  }
  return { total, same, differences };
}

/** normalised weights by hotkey; a round nobody earned puts all of it on `uid <fallback>`. */
function weightsOf(score: Frozen<ScoreDocument>): Readonly<Record<string, number>> {
  const { normalised, fallback } = score.weights;
  return fallback === null ? normalised : { ...normalised, [`uid ${fallback.uid}`]: 1 };
}

function l1Distance(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let sum = 0;
  for (const k of keys) sum += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return sum;
}
