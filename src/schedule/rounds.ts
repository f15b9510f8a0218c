/**
 * Round selection: which rounds a contest's schedule has made due by "now", and which of them
 * are still missing from the results index. Pure functions of (schedule, now, indexed ids), so
 * every trigger of the scheduled workflow reaches the same decision from the same inputs.
 *
 * A round's id is the local date of its cutoff in the contest's time zone (`2026-03-08`); its
 * cutoff instant is that date's `cutoff` wall-clock time there, DST-correct (see zone.ts).
 */
import type { ContestDocument } from '../contest/schema.js';
import { addDays, wallClock, zonedInstant } from './zone.js';

/** The `schedule` block of a contest. */
export type Schedule = ContestDocument['schedule'];

/** A round the schedule has made due. */
export interface DueRound {
  /** Round id: the cutoff's local date (`YYYY-MM-DD`). */
  readonly id: string;
  /** Cutoff instant, ISO 8601 UTC (`2026-03-08T19:00:00.000Z`). */
  readonly cutoff: string;
}

/** Which due rounds to run now, oldest first, and which were given up on. */
export interface MissingRounds {
  /** Due rounds newer than the last indexed round, oldest first, at most `maxCatchUp`. */
  readonly missing: readonly DueRound[];
  /** Due rounds newer than the last indexed round but older than the catch-up window. */
  readonly skipped: readonly DueRound[];
}

/** Thrown for a schedule these functions cannot interpret; the message names the field. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Default number of missing rounds a trigger may run (oldest first); older ones are skipped. */
export const DEFAULT_MAX_CATCH_UP = 3;
/** How far back (in days) missing-round detection looks at most. */
const MAX_LOOKBACK_DAYS = 400;

/** The cutoff instant (ISO UTC) of the round dated `date`. Throws ScheduleError on a bad cutoff. */
export function cutoffInstant(schedule: Schedule, date: string): string {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(schedule.cutoff);
  if (!match) throw new ScheduleError(`schedule.cutoff must be HH:MM (got "${schedule.cutoff}")`);
  const ms = zonedInstant(date, Number(match[1]), Number(match[2]), schedule.timeZone);
  return new Date(ms).toISOString();
}

/** True when the schedule holds a round on local date `date` (cadence, weekday, opens/closes). */
export function isRoundDate(schedule: Schedule, date: string): boolean {
  if (schedule.opens !== undefined && date < schedule.opens) return false;
  if (schedule.closes !== undefined && date > schedule.closes) return false;
  if (schedule.cadence === 'daily') return true;
  if (schedule.weekday === undefined) {
    throw new ScheduleError('schedule.weekday is required when cadence is "weekly"');
  }
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] === schedule.weekday;
}

/**
 * The most recent round whose cutoff is at or before `now`, or null when none is due yet
 * (before `opens`). Throws ScheduleError for an uninterpretable schedule.
 */
export function latestDueRound(schedule: Schedule, now: Date): DueRound | null {
  return dueRoundsBackwards(schedule, now, 1)[0] ?? null;
}

/**
 * Due rounds newer than `lastIndexed` (the last round id in the index, or null for an empty
 * index). The newest `maxCatchUp` of them are `missing`, oldest first: a runner that was offline
 * or a job that failed is made up on the next trigger, in order. Older ones are `skipped` so the
 * caller can say so loudly. With an empty index only the latest due round is missing: a new
 * validator starts at the current round instead of replaying history.
 */
export function missingRounds(
  schedule: Schedule,
  now: Date,
  lastIndexed: string | null,
  maxCatchUp: number = DEFAULT_MAX_CATCH_UP,
): MissingRounds {
  if (!Number.isInteger(maxCatchUp) || maxCatchUp < 1) {
    throw new ScheduleError(`max catch-up must be a positive integer (got ${maxCatchUp})`);
  }
  const newerThanIndex = (round: DueRound) => lastIndexed === null || round.id > lastIndexed;
  const limit = lastIndexed === null ? 1 : Number.POSITIVE_INFINITY;
  const due = dueRoundsBackwards(schedule, now, limit, newerThanIndex);
  return {
    missing: due.slice(0, maxCatchUp).reverse(),
    skipped: due.slice(maxCatchUp).reverse(),
  };
}

/** Due rounds, newest first, while `keep` holds, at most `limit`, looking back a bounded time. */
function dueRoundsBackwards(
  schedule: Schedule,
  now: Date,
  limit: number,
  keep: (round: DueRound) => boolean = () => true,
): DueRound[] {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new ScheduleError('now is not a valid date');
  const rounds: DueRound[] = [];
  // A cutoff at or before now has a local date of at most tomorrow's: a fall-back transition at
  // midnight can move the wall date back by one, so start one day ahead and let `> now` filter.
  let date = addDays(wallClock(nowMs, schedule.timeZone).date, 1);
  for (
    let i = 0;
    i < MAX_LOOKBACK_DAYS && rounds.length < limit;
    i += 1, date = addDays(date, -1)
  ) {
    if (schedule.opens !== undefined && date < schedule.opens) break;
    if (!isRoundDate(schedule, date)) continue;
    const cutoff = cutoffInstant(schedule, date);
    if (Date.parse(cutoff) > nowMs) continue;
    const round = { id: date, cutoff };
    if (!keep(round)) break;
    rounds.push(round);
  }
  return rounds;
}
