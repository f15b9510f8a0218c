/**
 * `podium score --round <dir>`: scores a round folder and writes `<dir>/score.json`;
 * `--check` recomputes it and exits 1 naming the first JSON pointer where the committed file
 * differs. The contest comes from `--contest <dir>` or `contests/<round's contest id>`.
 */
import type { Command } from 'commander';
import { ScoreInputError } from '../score/errors.js';
import { checkMessage, checkScore, writeScore, type ScoreDirOptions } from '../score/files.js';
import type { ScoreDocument } from '../documents/score.js';
import { CliError } from './errors.js';

interface ScoreOptions {
  round: string;
  contest?: string;
  contests: string;
  history?: string;
  check?: boolean;
}

/** Registers `score` on the program. */
export function register(program: Command): void {
  program
    .command('score')
    .description('score a round folder into score.json, or --check the committed one')
    .requiredOption('--round <dir>', 'round folder holding round.json and bench/')
    .option('--contest <dir>', 'contest folder (default: <contests>/<contest id of the round>)')
    .option('--contests <dir>', 'folder of contest folders', 'contests')
    .option(
      '--history <dir>',
      "folder of the contest's earlier round folders (default: the round's parent)",
    )
    .option('--check', 'recompute and fail if the committed score.json differs')
    .action(async (opts: ScoreOptions) => {
      const dirOptions: ScoreDirOptions = {
        contestDir: opts.contest,
        contestsRoot: opts.contests,
        historyDir: opts.history,
      };
      await runScore(opts.round, dirOptions, opts.check === true, (line) => console.log(line));
    });
}

/**
 * Writes or checks a round's score.json, reporting through `log`. Throws CliError when the
 * check fails or the inputs are missing or inconsistent.
 */
export async function runScore(
  roundDir: string,
  options: ScoreDirOptions,
  check: boolean,
  log: (line: string) => void,
): Promise<void> {
  try {
    if (check) {
      const result = await checkScore(roundDir, options);
      if (!result.ok) throw new CliError(checkMessage(result));
      log(`ok    ${result.file} matches the recomputed score`);
      return;
    }
    const { file, document } = await writeScore(roundDir, options);
    log(`wrote ${file}: ${summary(document)}`);
  } catch (err) {
    if (err instanceof ScoreInputError) throw new CliError(err.message);
    if (isMissingFile(err))
      throw new CliError(`${err.path}: no such file (is ${roundDir} a round folder?)`);
    throw err;
  }
}

/** One line: how many submissions, valid, earning, and who leads. */
export function summary(doc: ScoreDocument): string {
  const valid = doc.submissions.filter((s) => s.valid).length;
  const earning = doc.submissions.filter((s) => s.earns);
  const leader = earning[0];
  const lead = leader ? `; first ${leader.hotkey} (uid ${leader.uid})` : '';
  const fallback = doc.weights.fallback ? `; fallback uid ${doc.weights.fallback.uid}` : '';
  return `${doc.submissions.length} submission(s), ${valid} valid, ${earning.length} earning${lead}${fallback}`;
}

function isMissingFile(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as NodeJS.ErrnoException).code === 'ENOENT' &&
    typeof (err as NodeJS.ErrnoException).path === 'string'
  );
}
