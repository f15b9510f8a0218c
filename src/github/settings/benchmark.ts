/**
 * The benchmark action's inputs (actions/benchmark/action.yml), read and validated in one place
 * into one typed object; every message names the input and the bad value.
 */
import type { Shard } from '../../bench/round.js';
import { runnerSlug } from '../../documents/bench.js';
import { booleanInput, InputError, integerInput, textInput, type ReadInput } from '../inputs.js';

/** Input names of actions/benchmark/action.yml. */
export const Inputs = {
  Contest: 'contest',
  Round: 'round',
  Shard: 'shard',
  Shards: 'shards',
  Out: 'out',
  RunnerName: 'runner-name',
  AllowNetwork: 'allow-network',
} as const;

/** Everything the benchmark action needs, validated. */
export interface BenchmarkSettings {
  readonly contest: string;
  readonly round: string;
  readonly shard: Shard;
  readonly out: string;
  /** The folder name and recorded runner: the slugged runner name, plus -shard-N when sharded. */
  readonly runner: string;
  readonly allowNetwork: boolean;
}

/** Reads the inputs through `read`; returns the settings or throws InputError naming the input. */
export function readBenchmarkSettings(read: ReadInput, env: NodeJS.ProcessEnv): BenchmarkSettings {
  const count = integerInput(read, Inputs.Shards, { min: 1, fallback: 1 });
  const index = integerInput(read, Inputs.Shard, { min: 0, fallback: 0 });
  if (index >= count) {
    throw new InputError(Inputs.Shard, `must be below shards (${count}) (got "${index}")`);
  }
  const base = runnerSlug(textInput(read, Inputs.RunnerName, env.RUNNER_NAME ?? 'local'));
  return {
    contest: textInput(read, Inputs.Contest),
    round: textInput(read, Inputs.Round),
    shard: { index, count },
    out: textInput(read, Inputs.Out),
    // One folder per job: a shard's submissions pair with the baseline measured in that job.
    runner: count > 1 ? `${base}-shard-${index}` : base,
    allowNetwork: booleanInput(read, Inputs.AllowNetwork, false),
  };
}
