/** `podium leaderboard <results/contest>`: regenerates README.md and the charts of a contest's results. */
import type { Command } from 'commander';
import { isResultsDir, readRounds, writeLeaderboard } from '../leaderboard/write.js';
import { roundRows, textTable } from '../leaderboard/rows.js';
import { CliError } from './errors.js';

/** Registers `leaderboard` on the program. */
export function register(program: Command): void {
  program
    .command('leaderboard')
    .description('write results/<contest>/README.md with the leaderboard table and SVG charts')
    .argument('<results>', 'a contest results folder (holding index.json)')
    .option('--print', 'also print the latest round as a table')
    .action(async (dir: string, options: { print?: boolean }) => {
      if (!(await isResultsDir(dir)))
        throw new CliError(`${dir}: no index.json here (expected results/<contest>)`);
      for (const file of await writeLeaderboard(dir)) console.log(`wrote ${file}`);
      if (options.print) {
        const latest = (await readRounds(dir)).at(-1);
        if (latest) console.log(`\nround ${latest.id}\n${textTable(roundRows(latest))}`);
      }
    });
}
