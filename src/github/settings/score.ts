/**
 * The score action's inputs (actions/score/action.yml), read and validated in one place into one
 * typed object; every message names the input and the bad value.
 */
import type { ScoreDirOptions } from '../../score/files.js';
import { booleanInput, textInput, type ReadInput } from '../inputs.js';

/** Input names of actions/score/action.yml. */
export const Inputs = {
  Round: 'round',
  Contest: 'contest',
  Contests: 'contests',
  History: 'history',
  Check: 'check',
} as const;

/** Everything the score action needs, validated. */
export interface ScoreSettings {
  readonly round: string;
  readonly options: ScoreDirOptions;
  /** Recompute and compare with the committed score.json instead of writing it. */
  readonly check: boolean;
}

/** Reads the inputs through `read`; returns the settings or throws InputError naming the input. */
export function readScoreSettings(read: ReadInput): ScoreSettings {
  const contest = textInput(read, Inputs.Contest, '');
  const history = textInput(read, Inputs.History, '');
  return {
    round: textInput(read, Inputs.Round),
    options: {
      contestDir: contest === '' ? undefined : contest,
      contestsRoot: textInput(read, Inputs.Contests, 'contests'),
      historyDir: history === '' ? undefined : history,
    },
    check: booleanInput(read, Inputs.Check, false),
  };
}
