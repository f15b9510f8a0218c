/**
 * Places the valid, scoreable submissions: rank (1 + how many are better beyond noise), tie
 * group (dense index of the rank), and position in the full order — rank, then the contest's
 * tie-breaker, then the earlier commitment (block, uid, hotkey).
 */
import type { Contest } from '../contest/load.js';
import type { Assessed } from './assess.js';
import { ranksByDominance, ranksByInterval, tieGroups } from './rank.js';
import { measureSpec } from '../tasks/measures.js';
import { clears } from './at-budget.js';
import { isMetric, isStatic } from './objective-kind.js';
import { objectiveMeasure, paretoDominates, type Evaluated } from './strategy.js';

/** Where each placed submission stands. */
export interface Placement {
  /** Hotkeys in position order. */
  readonly order: string[];
  readonly byHotkey: ReadonlyMap<string, { rank: number; tieGroup: number; position: number }>;
  /** Ranks held by two or more submissions, members in position order. */
  readonly ties: { rank: number; hotkeys: string[] }[];
}

/** Returns the placement; `assessed` must be in priority order. */
export function placeSubmissions(
  contest: Contest,
  assessed: readonly Assessed[],
  evaluated: ReadonlyMap<string, Evaluated>,
): Placement {
  const placed = assessed.filter((a) => {
    const ev = evaluated.get(a.sub.hotkey);
    return ev !== undefined && (ev.score !== null || (ev.objectives?.length ?? 0) > 0);
  });
  const evs = placed.map((a) => evaluated.get(a.sub.hotkey)!);
  const ranks =
    contest.scoring.strategy === 'pareto'
      ? ranksByDominance(evs, paretoDominates)
      : contest.scoring.strategy === 'quality-at-budget'
        ? ranksByDominance(
            evs.map((e, i) => ({ at: e.atBudget!, i })),
            (a, b) => clears(a.at, b.at, a.i > b.i, contest),
          )
        : ranksByInterval(evs.map((e) => e.score!));
  const keys = evs.map((e) => tieKey(e, contest.scoring.tieBreaker, contest));
  const indices = placed.map((_, i) => i);
  indices.sort((i, j) => ranks[i]! - ranks[j]! || compare(keys[i]!, keys[j]!) || i - j);
  const groups = tieGroups(ranks);
  const byHotkey = new Map<string, { rank: number; tieGroup: number; position: number }>();
  const order = indices.map((i, position) => {
    const hotkey = placed[i]!.sub.hotkey;
    byHotkey.set(hotkey, { rank: ranks[i]!, tieGroup: groups[i]!, position });
    return hotkey;
  });
  return { order, byHotkey, ties: tiesOf(order, byHotkey) };
}

/** Smaller is better; 0 for everyone when the tie-breaker is the commitment. */
function tieKey(
  ev: Evaluated,
  tieBreaker: Contest['scoring']['tieBreaker'],
  contest: Contest,
): number {
  if (tieBreaker === 'commitment-block') return 0;
  if (isStatic(tieBreaker)) return ev[tieBreaker] ?? Number.POSITIVE_INFINITY;
  if (isMetric(tieBreaker)) {
    const ratio = ev.metrics[tieBreaker];
    return ratio ? -ratio.point : 0;
  }
  const name = objectiveMeasure(tieBreaker, contest);
  const value = name === ev.fidelity.measure ? ev.fidelity.mean : ev.quality.get(name)?.point;
  if (value === undefined) return 0;
  return measureSpec(name).direction === 'max' ? -value : value;
}

function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tiesOf(
  order: readonly string[],
  byHotkey: ReadonlyMap<string, { rank: number }>,
): { rank: number; hotkeys: string[] }[] {
  const groups = new Map<number, string[]>();
  for (const h of order) {
    const rank = byHotkey.get(h)!.rank;
    const members = groups.get(rank);
    if (members) members.push(h);
    else groups.set(rank, [h]);
  }
  return [...groups]
    .filter(([, hotkeys]) => hotkeys.length > 1)
    .map(([rank, hotkeys]) => ({ rank, hotkeys }));
}
