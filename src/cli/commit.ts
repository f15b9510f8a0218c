/**
 * `podium commit --contest <id> --sha256 <hex>`: a miner commits the sha256 of their model for
 * a contest on chain (`podium/1 <contest> <sha256>`), signed by their hotkey from
 * `PODIUM_HOTKEY_SEED` or `--keyfile` (never argv, never printed), and sees the block it landed
 * in — or why it was refused and when to try again.
 */
import type { Command } from 'commander';
import { formatCommitment } from '../chain/commitment.js';
import { commitSubmission } from '../chain/commitments.js';
import { ChainError } from '../chain/errors.js';
import { isLocalEndpoint, loadKeypair } from '../chain/keys.js';
import { chainTarget, withChain } from './chain.js';
import { loadContestArg } from './contest-arg.js';
import { CliError, UsageError } from './errors.js';

/** Registers `commit` on the program. */
export function register(program: Command): void {
  program
    .command('commit')
    .description(
      'commit your model sha256 for a contest on chain (hotkey secret from PODIUM_HOTKEY_SEED or --keyfile)',
    )
    .requiredOption(
      '--contest <dir|id>',
      'contest folder or id under contests/ (its contest.json names the subnet)',
    )
    .requiredOption(
      '--sha256 <hex>',
      "sha256 of the model file, 64 lower-case hex (sha256sum's output)",
    )
    .option(
      '--keyfile <file>',
      'file holding the hotkey mnemonic or seed (default: PODIUM_HOTKEY_SEED)',
    )
    .option('--contests <dir>', 'contests folder', 'contests')
    .option('--netuid <n>', 'subnet (default: the contest chain.netuid)')
    .option(
      '--endpoint <name|url>',
      'endpoint name or ws URL (default: the contest chain.endpoint)',
    )
    .action(async (opts: CommitOptions) => {
      for (const line of await runCommit(opts)) console.log(line);
    });
}

/** Options of `podium commit`. */
export interface CommitOptions {
  readonly contest: string;
  readonly sha256: string;
  readonly keyfile?: string;
  readonly contests: string;
  readonly netuid?: string;
  readonly endpoint?: string;
}

/** Runs `podium commit`; returns the lines to print. Throws CliError with the chain's reason. */
export async function runCommit(opts: CommitOptions): Promise<string[]> {
  const sha256 = opts.sha256.trim();
  const { contest } = await loadContestArg(opts.contest, opts.contests);
  try {
    formatCommitment(contest.id, sha256); // refuse a bad hash or id before touching the chain
  } catch (err) {
    throw err instanceof ChainError ? new UsageError(err.message) : err;
  }
  const target = await chainTarget(opts);
  const keypair = await loadKeypair({
    keyfile: opts.keyfile,
    allowDev: isLocalEndpoint(target.endpoint),
    warn: (line) => console.error(line),
  }).catch((err: unknown) => {
    throw err instanceof ChainError ? new CliError(err.message) : err;
  });
  const result = await withChain(target.endpoint, (api) =>
    commitSubmission(api, keypair, target.netuid, contest.id, sha256),
  );
  return [
    `committed "${result.text}" for hotkey ${keypair.address} on subnet ${target.netuid}`,
    `block #${result.block} (${result.blockHash}), extrinsic ${result.extrinsicHash}`,
    'next: add your entry file with `npx podium entry create` and open a pull request',
  ];
}
