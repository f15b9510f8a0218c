/**
 * The publish-weights action's inputs (actions/publish-weights/action.yml), read and validated in
 * one place into one typed object; every message names the input and the bad value. The hotkey
 * secret is never an input (PODIUM_HOTKEY_SEED, read by the chain layer).
 */
import { readdir } from 'node:fs/promises';
import {
  booleanInput,
  contestIdInput,
  enumInput,
  integerInput,
  InputError,
  textInput,
  type ReadInput,
} from '../inputs.js';

/** Input names of actions/publish-weights/action.yml. */
export const Inputs = {
  Mode: 'mode',
  Contest: 'contest',
  Round: 'round',
  Out: 'out',
  Contests: 'contests',
  Results: 'results',
  DryRun: 'dry-run',
  Subnets: 'subnets',
  Netuid: 'netuid',
} as const;

/**
 * The modes: publish one round, re-publish the latest signed round's weights, or follow up the
 * latest round's commit (check its reveal on chain, reveal a hash commit) into its own record,
 * or publish a whole subnet file's netuid at once (every contest's latest committed round).
 */
export const PUBLISH_MODES = ['round', 'republish', 'follow-up', 'subnet'] as const;

/** Everything the publish-weights action needs, validated. */
export interface PublishSettings {
  readonly mode: (typeof PUBLISH_MODES)[number];
  readonly contest: string;
  /** The round to publish (mode "round"); '' in the other modes. */
  readonly round: string;
  /** Where the record artifact goes (mode "round"); '' in the other modes. */
  readonly out: string;
  readonly contests: string;
  readonly results: string;
  readonly dryRun: boolean;
  /** The folder of subnet files (`subnets/<netuid>.json`). */
  readonly subnets: string;
  /** The netuid to publish (mode "subnet"); null in the other modes. */
  readonly netuid: number | null;
}

/**
 * Reads the inputs through `read`. Outside mode "round" an empty contest means the only folder
 * under `contests`. Returns the settings; throws InputError naming the input.
 */
export async function readPublishSettings(read: ReadInput): Promise<PublishSettings> {
  const mode = enumInput(read, Inputs.Mode, PUBLISH_MODES, 'round');
  const contests = textInput(read, Inputs.Contests, 'contests');
  const round = mode === 'round';
  const subnet = mode === 'subnet';
  const contest = subnet
    ? ''
    : read(Inputs.Contest) === '' && !round
      ? await onlyContest(contests)
      : contestIdInput(read, Inputs.Contest);
  return {
    mode,
    contest,
    round: round ? textInput(read, Inputs.Round) : '',
    out: round || subnet ? textInput(read, Inputs.Out) : '',
    contests,
    results: textInput(read, Inputs.Results, 'results'),
    dryRun: booleanInput(read, Inputs.DryRun, false),
    subnets: textInput(read, Inputs.Subnets, 'subnets'),
    netuid: subnet ? integerInput(read, Inputs.Netuid, { min: 0, max: 65535 }) : null,
  };
}

async function onlyContest(dir: string): Promise<string> {
  const ids = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory());
  if (ids.length === 1 && ids[0]) return ids[0].name;
  throw new InputError(
    Inputs.Contest,
    `is empty and ${dir} holds ${ids.length} contests: name one ` +
      '(workflow input or the PODIUM_WEIGHTS_CONTEST variable)',
  );
}
