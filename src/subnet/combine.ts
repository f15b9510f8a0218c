/**
 * One weight vector for a whole netuid from its contests' latest scores: the pure, documented
 * combination of docs/scoring.md § 11. Each contest's part is its share times its score's
 * normalised weights; a share nobody earned (no round, a stale round, no earner, the part a
 * hotkey loses under `overlap: largest`) goes to the fallback uid. Every number is rounded to 6
 * significant digits as in score.json, then quantised to u16 like score.json's own vector.
 */
import { byCodeUnit, sig } from '../score/format.js';
import { quantise } from '../score/weights.js';
import type { OVERLAP_RULES } from './schema.js';

/** A contest's latest committed score, as the combination reads it. */
export interface LatestScore {
  readonly round: string;
  /** round.json cutoff.blockTimestampMs. */
  readonly cutoffMs: number;
  /** score.json weights.normalised (all 0 when nobody earned). */
  readonly normalised: Readonly<Record<string, number>>;
}

/** One contest of the subnet file with its latest score (null: no round yet). */
export interface CombineContest {
  readonly id: string;
  readonly share: number;
  readonly maxRoundAgeHours: number;
  readonly latest: LatestScore | null;
}

/** What the combination reads. */
export interface CombineInput {
  readonly contests: readonly CombineContest[];
  readonly overlap: (typeof OVERLAP_RULES)[number];
  /** The time the vector is for (the chain head's timestamp at publish). */
  readonly nowMs: number;
}

/** Why a contest's share went where it went. */
export type PartStatus = 'scored' | 'no-earner' | 'no-round' | 'stale';

/** One contest's part of the vector. */
export interface ContestPart {
  readonly id: string;
  readonly share: number;
  readonly round: string | null;
  readonly status: PartStatus;
  /** Why the share (or some of it) went to the fallback uid; null when it all went to earners. */
  readonly message: string | null;
  /** share · normalised(h) / Σ normalised, by hotkey (6 significant digits), after overlap. */
  readonly parts: Record<string, number>;
  /** What this contest gives the fallback uid. */
  readonly toFallback: number;
}

/** The combined vector, before hotkeys are mapped to uids. */
export interface Combined {
  readonly contests: readonly ContestPart[];
  /** Σ of each hotkey's parts (6 significant digits). */
  readonly byHotkey: Record<string, number>;
  /** Σ of every share sent to the fallback uid. */
  readonly fallback: number;
}

const HOUR_MS = 3_600_000;

/** Combines the contests' latest scores into one vector; pure, never throws. */
export function combineContests(input: CombineInput): Combined {
  const raw = input.contests.map((c) => ownPart(c, input.nowMs));
  const contests = input.overlap === 'largest' ? keepLargest(raw) : raw;
  const totals = new Map<string, number>();
  for (const c of contests) {
    for (const [h, v] of Object.entries(c.parts)) totals.set(h, (totals.get(h) ?? 0) + v);
  }
  const byHotkey: Record<string, number> = {};
  for (const h of [...totals.keys()].sort(byCodeUnit)) byHotkey[h] = sig(totals.get(h)!);
  const fallback = sig(contests.reduce((s, c) => s + c.toFallback, 0));
  return { contests, byHotkey, fallback };
}

/**
 * The u16 vector by hotkey: the fallback share is added to `fallbackHotkey` (the hotkey at the
 * fallback uid now; null when that uid is not registered, and then the share is dropped), then
 * floor(v / max · 65535 + 0.5). Zeros are left out. Pure.
 */
export function quantiseCombined(
  combined: Combined,
  fallbackHotkey: string | null,
): Record<string, number> {
  const values = new Map(Object.entries(combined.byHotkey));
  if (fallbackHotkey !== null && combined.fallback > 0) {
    values.set(fallbackHotkey, sig((values.get(fallbackHotkey) ?? 0) + combined.fallback));
  }
  const max = Math.max(0, ...values.values());
  const out: Record<string, number> = {};
  if (max === 0) return out;
  for (const h of [...values.keys()].sort(byCodeUnit)) {
    const u = quantise(values.get(h)!, max);
    if (u > 0) out[h] = u;
  }
  return out;
}

function ownPart(c: CombineContest, nowMs: number): ContestPart {
  const base = { id: c.id, share: sig(c.share), parts: {}, toFallback: sig(c.share) };
  if (c.latest === null) {
    return { ...base, round: null, status: 'no-round', message: `${c.id}: no round yet` };
  }
  const { round, cutoffMs, normalised } = c.latest;
  const ageHours = (nowMs - cutoffMs) / HOUR_MS;
  if (ageHours > c.maxRoundAgeHours) {
    const message =
      `${c.id}: last round ${round} closed ${sig(ageHours)} h ago, more than the ` +
      `${c.maxRoundAgeHours} h allowed`;
    return { ...base, round, status: 'stale', message };
  }
  const earned = Object.entries(normalised).filter(([, v]) => v > 0);
  const total = earned.reduce((s, [, v]) => s + v, 0);
  if (total === 0) {
    return { ...base, round, status: 'no-earner', message: `${c.id}: nobody earned in ${round}` };
  }
  const parts: Record<string, number> = {};
  for (const [h, v] of earned.sort(([a], [b]) => byCodeUnit(a, b)))
    parts[h] = sig((c.share * v) / total);
  return { ...base, round, status: 'scored', message: null, parts, toFallback: 0 };
}

/** overlap "largest": a hotkey keeps its largest part (the earlier contest on a tie). */
function keepLargest(contests: readonly ContestPart[]): ContestPart[] {
  const best = new Map<string, { value: number; index: number }>();
  contests.forEach((c, index) => {
    for (const [h, value] of Object.entries(c.parts)) {
      const seen = best.get(h);
      if (!seen || value > seen.value) best.set(h, { value, index });
    }
  });
  return contests.map((c, index) => {
    const lost = Object.entries(c.parts).filter(([h]) => best.get(h)!.index !== index);
    if (lost.length === 0) return c;
    const parts = Object.fromEntries(
      Object.entries(c.parts).filter(([h]) => best.get(h)!.index === index),
    );
    const gone = lost.reduce((s, [, v]) => s + v, 0);
    const who = lost.map(([h]) => h).join(', ');
    const message = `${c.id}: ${who} placed higher in another contest (overlap: largest); their part here goes to the fallback uid`;
    return { ...c, parts, toFallback: sig(c.toFallback + gone), message };
  });
}
