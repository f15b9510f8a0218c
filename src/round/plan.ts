/**
 * Which round a trigger of the round workflow should run, and from which stage: the oldest due
 * round missing from the index (bounded catch-up), or the round named by a manual dispatch.
 * A round whose files are committed but not yet signed into the index (publish failed or is
 * pending) resumes at `publish`, so its measurements are never redone and never duplicated.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schedule } from '../schedule/rounds.js';
import { cutoffInstant, missingRounds, type DueRound } from '../schedule/rounds.js';
import { ResultsError } from '../results/errors.js';
import { INDEX_FILE, lastRound, readIndex } from '../results/index.js';

/** The decision for one contest. */
export interface RoundPlan {
  /** The round to run, or null when nothing is due. */
  readonly round: DueRound | null;
  /** collect: run everything; publish: files are committed, sign and set weights; none. */
  readonly stage: 'collect' | 'publish' | 'none';
  /** Other due rounds still missing after this one, oldest first (run by the next triggers). */
  readonly queued: readonly DueRound[];
  /** Due rounds older than the catch-up window: they will not be run. */
  readonly skipped: readonly DueRound[];
  /** One sentence saying why. */
  readonly reason: string;
}

const ROUND_ID = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$/;

/**
 * Plans the next round of the contest whose results live in `resultsDir`. With `round` set
 * (a manual dispatch) that round is planned: its cutoff is its date's cutoff. Throws
 * ResultsError for a malformed round id, or a named round older than the last indexed one.
 */
export async function planRound(
  resultsDir: string,
  schedule: Schedule,
  now: Date,
  options: { round?: string; maxCatchUp?: number } = {},
): Promise<RoundPlan> {
  const index = await readIndex(resultsDir);
  const last = lastRound(index);
  if (options.round !== undefined && options.round !== '') {
    return planNamed(resultsDir, schedule, options.round, last, now);
  }
  const { missing, skipped } = missingRounds(schedule, now, last, options.maxCatchUp);
  const [round, ...queued] = missing;
  if (round === undefined) {
    return { round: null, stage: 'none', queued, skipped, reason: nothingDue(last) };
  }
  const stage = (await committed(resultsDir, round.id)) ? 'publish' : 'collect';
  const reason =
    stage === 'publish'
      ? `round ${round.id} is committed but not in the index: resuming at publish`
      : `round ${round.id} is due (cutoff ${round.cutoff}) and not in the index`;
  return { round, stage, queued, skipped, reason };
}

async function planNamed(
  resultsDir: string,
  schedule: Schedule,
  id: string,
  last: string | null,
  now: Date,
): Promise<RoundPlan> {
  if (!ROUND_ID.test(id)) {
    throw new ResultsError(resultsDir, `round "${id}" is not a round id (YYYY-MM-DD[-suffix])`);
  }
  const round = { id, cutoff: cutoffInstant(schedule, id.slice(0, 10)) };
  const none = { queued: [], skipped: [] };
  if (last !== null && id <= last) {
    if (id === last) return { ...none, round, stage: 'none', reason: `round ${id} is indexed` };
    throw new ResultsError(
      join(resultsDir, INDEX_FILE),
      `round ${id} is not newer than the last indexed round ${last}; the index is append-only ` +
        '(use a later date or a suffix after the last round)',
    );
  }
  if (Date.parse(round.cutoff) > now.getTime()) {
    throw new ResultsError(resultsDir, `round ${id} is not due yet: its cutoff is ${round.cutoff}`);
  }
  const stage = (await committed(resultsDir, id)) ? 'publish' : 'collect';
  return { ...none, round, stage, reason: `round ${id} requested by dispatch (${stage})` };
}

function nothingDue(last: string | null): string {
  return last === null
    ? 'no round is due yet'
    : `every due round is indexed (last: ${last}); nothing to do`;
}

/** True when the round's files (through score.json) are already committed. */
async function committed(resultsDir: string, round: string): Promise<boolean> {
  return access(join(resultsDir, round, 'score.json')).then(
    () => true,
    () => false,
  );
}
