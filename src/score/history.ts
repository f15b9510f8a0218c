/** Which earlier rounds' score.json a round's scoring reads (the contest's weight policy). */
import type { Contest } from '../contest/load.js';
import { byCodeUnit } from './format.js';

/** How many earlier scored rounds the contest's weight policy needs. */
export function historyDepth(contest: Contest): number {
  const policy = contest.scoring.weights;
  return policy.scheme === 'ema' ? 1 : policy.historyRounds - 1;
}

/** The round ids of `ids` before `round`, most recent first. */
export function earlierRounds(ids: readonly string[], round: string): string[] {
  return ids
    .filter((id) => id < round)
    .sort(byCodeUnit)
    .reverse();
}
