/**
 * `podium compare <results A> <results B>`: two validators' results for the same contest
 * (e.g. two forks), round by round (src/compare/). Exit 1 when, in any round both hold, the
 * disagreement is beyond what the contest's noise settings predict; 0 otherwise.
 */
import type { Command } from 'commander';
import { compareRound, type RoundComparison } from '../compare/compare.js';
import { readResultsSide, requireSameContest } from '../compare/load.js';
import { roundLines } from '../compare/report.js';
import { CliError } from './errors.js';

/** Registers `compare` on the program. */
export function register(program: Command): void {
  program
    .command('compare')
    .description("compare two validators' results for one contest, round by round")
    .argument('<a>', 'results/<contest> (or one round folder) of validator A')
    .argument('<b>', 'the same for validator B')
    .option('--json', 'print the comparison as JSON instead of lines')
    .action(async (pathA: string, pathB: string, flags: { json?: boolean }) => {
      const a = await readResultsSide(pathA, 'A');
      const b = await readResultsSide(pathB, 'B');
      requireSameContest(a, b);
      const common = [...a.rounds.keys()].filter((r) => b.rounds.has(r)).sort();
      const single = a.rounds.size === 1 && b.rounds.size === 1;
      const pairs: [string, string][] = single
        ? [[[...a.rounds.keys()][0]!, [...b.rounds.keys()][0]!]]
        : common.map((r) => [r, r]);
      if (pairs.length === 0) {
        throw new CliError(
          `${pathA} and ${pathB} hold no round in common (A: ${[...a.rounds.keys()].join(', ')}; B: ${[...b.rounds.keys()].join(', ')})`,
        );
      }
      const compared: RoundComparison[] = pairs.map(([ra, rb]) =>
        compareRound(a.rounds.get(ra)!, b.rounds.get(rb)!),
      );
      const onlyA = [...a.rounds.keys()].filter((r) => !b.rounds.has(r));
      const onlyB = [...b.rounds.keys()].filter((r) => !a.rounds.has(r));
      const beyond = compared.some((c) => c.beyondNoise.length > 0);
      if (flags.json) {
        console.log(
          JSON.stringify({ contest: a.contest, rounds: compared, onlyA, onlyB, beyond }, null, 2),
        );
      } else {
        console.log(`compare ${a.contest}: A ${pathA}, B ${pathB}`);
        if (!single && (onlyA.length > 0 || onlyB.length > 0))
          console.log(
            `rounds only in A: ${onlyA.join(', ') || 'none'}; only in B: ${onlyB.join(', ') || 'none'}`,
          );
        for (const c of compared) console.log(roundLines(c).join('\n'));
        console.log(
          beyond
            ? 'disagreement beyond what the noise settings predict: exit 1'
            : 'agreement within what the noise settings predict',
        );
      }
      if (beyond) process.exitCode = 1;
    });
}
