/**
 * The commit action's inputs (actions/commit/action.yml), read and validated in one place into
 * one typed object; every message names the input and the bad value.
 */
import {
  contestIdInput,
  enumInput,
  InputError,
  positiveIntegerInput,
  textInput,
  type ReadInput,
} from '../inputs.js';

/** Input names of actions/commit/action.yml. */
export const Inputs = {
  Mode: 'mode',
  Contest: 'contest',
  Round: 'round',
  From: 'from',
  Branch: 'branch',
  Remote: 'remote',
  Attempts: 'attempts',
} as const;

/** What to commit: a round's files (the commit job), or its weights and signed index (record). */
export const COMMIT_MODES = ['round', 'record'] as const;

const ROUND_ID = /^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$/;

/** Everything the commit action needs, validated. */
export interface CommitSettings {
  readonly mode: (typeof COMMIT_MODES)[number];
  readonly contest: string;
  readonly round: string;
  /** The folder holding the files (the downloaded artifact). */
  readonly from: string;
  readonly branch: string;
  readonly remote: string;
  readonly attempts: number;
}

/** Reads the inputs through `read`; returns the settings or throws InputError naming the input. */
export function readCommitSettings(read: ReadInput): CommitSettings {
  const round = textInput(read, Inputs.Round);
  if (!ROUND_ID.test(round)) {
    throw new InputError(Inputs.Round, `must be a round id like "2026-03-12" (got "${round}")`);
  }
  return {
    mode: enumInput(read, Inputs.Mode, COMMIT_MODES, 'round'),
    contest: contestIdInput(read, Inputs.Contest),
    round,
    from: textInput(read, Inputs.From),
    branch: textInput(read, Inputs.Branch),
    remote: textInput(read, Inputs.Remote, 'origin'),
    attempts: positiveIntegerInput(read, Inputs.Attempts, 5),
  };
}
