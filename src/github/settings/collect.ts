/**
 * The collect action's inputs (actions/collect/action.yml), read and validated in one place into
 * one typed object; every message names the input and the bad value.
 */
import {
  booleanInput,
  contestIdInput,
  dateInput,
  positiveIntegerInput,
  textInput,
  type ReadInput,
} from '../inputs.js';

/** Input names of actions/collect/action.yml. */
export const Inputs = {
  Contest: 'contest',
  Round: 'round',
  Shards: 'shards',
  Out: 'out',
  Contests: 'contests',
  Results: 'results',
  MaxCatchUp: 'max-catch-up',
  Now: 'now',
  AllowFileUrls: 'allow-file-urls',
} as const;

/** Everything the collect action needs, validated. */
export interface CollectSettings {
  readonly contest: string;
  /** A round id to plan instead of the due one; '' for the due one. */
  readonly round: string;
  readonly shards: number;
  readonly out: string;
  readonly contests: string;
  readonly results: string;
  readonly maxCatchUp: number;
  readonly now: Date;
  readonly allowFileUrls: boolean;
}

/** Reads the inputs through `read`; returns the settings or throws InputError naming the input. */
export function readCollectSettings(read: ReadInput, now: () => Date): CollectSettings {
  return {
    contest: contestIdInput(read, Inputs.Contest),
    round: textInput(read, Inputs.Round, ''),
    shards: positiveIntegerInput(read, Inputs.Shards, 1),
    out: textInput(read, Inputs.Out),
    contests: textInput(read, Inputs.Contests, 'contests'),
    results: textInput(read, Inputs.Results, 'results'),
    maxCatchUp: positiveIntegerInput(read, Inputs.MaxCatchUp, 3),
    now: dateInput(read, Inputs.Now, now),
    allowFileUrls: booleanInput(read, Inputs.AllowFileUrls, false),
  };
}
