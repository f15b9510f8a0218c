/**
 * `podium`: one entry, one subcommand per concern, `--help` on each.
 * Exit codes: 0 ok, 1 failure (bad data, failed checks), 2 usage. The one error boundary: a
 * user error is one line; a stack trace only with `--debug` (or PODIUM_DEBUG=1) or for a bug.
 * Each subcommand lives in `src/cli/<name>.ts` and exports `register(program)`.
 */
import { Command, CommanderError } from 'commander';
import { UsageError, userErrorLines } from './errors.js';
import * as bench from './bench.js';
import * as chain from './chain.js';
import * as commit from './commit.js';
import * as compare from './compare.js';
import * as doctor from './doctor.js';
import * as entry from './entry.js';
import * as leaderboard from './leaderboard.js';
import { PODIUM_VERSION } from '../version.js';
import * as models from './models.js';
import * as results from './results.js';
import * as score from './score.js';
import * as site from './site.js';
import * as validate from './validate.js';
import * as verify from './verify.js';
import { isMain } from './is-main.js';

const COMMANDS: { register(program: Command): void }[] = [
  bench,
  chain,
  commit,
  compare,
  doctor,
  entry,
  leaderboard,
  models,
  results,
  score,
  site,
  validate,
  verify,
];

/** Builds the commander program with every subcommand registered. */
export function program(): Command {
  const root = new Command('podium')
    .description('Model-optimization contests for a Bittensor subnet')
    .version(PODIUM_VERSION)
    .option('--debug', 'print stack traces with errors (also PODIUM_DEBUG=1)')
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(root);
  root.commands.forEach((c) => c.exitOverride());
  return root;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug') || process.env.PODIUM_DEBUG === '1';
  try {
    await program().parseAsync(
      argv.filter((a) => a !== '--debug'),
      { from: 'user' },
    );
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return report(err, debug);
  }
}

function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.help') return 0;
    return 2;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (err instanceof UsageError) {
    console.error(debug ? stack : `podium: ${err.message}`);
    return 2;
  }
  const lines = userErrorLines(err);
  if (lines !== null) {
    for (const line of lines) console.error(line);
    if (debug) console.error(stack);
    return 1;
  }
  console.error(`podium: internal error (a bug in podium; please report it with this output):`);
  console.error(stack);
  return 1;
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
