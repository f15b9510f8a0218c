/**
 * Offline verification of `results/<contest>/` on disk: the checks of src/results/checks.ts
 * over the file system, and the score re-run with the contest read from a contests folder.
 * Nothing here touches the network; an auditor needs only the folder.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifySource, type ScoreCheck, type VerifyOptions, type VerifyReport } from './checks.js';
import { nodeSource } from './node-source.js';
import { scoreRerunWith } from './score-rerun.js';

export { formatReport } from './checks.js';
export type { RoundReport, ScoreCheck, ScoreOutcome, VerifyOptions, VerifyReport } from './checks.js';

/**
 * The scoring re-run with the contest read from `<contestsRoot>/<contest>/contest.json`.
 * "not available" when that file is missing or is not the one the round froze (its sha256
 * differs from round.json's): check out the contest as of the round to re-run it.
 */
export function scoreRerun(contestsRoot: string): ScoreCheck {
  const check = scoreRerunWith(async (round) => {
    const file = join(contestsRoot, round.contest.id, 'contest.json');
    return { file, text: await readFile(file, 'utf8').catch(() => null) };
  });
  return async (source, round, index) => {
    const outcome = await check(source, round, index);
    if (outcome.status !== 'not available') return outcome;
    const id = index.contest;
    const hint =
      `to run it, write the contest as of the round's commit into a folder and pass it: ` +
      `mkdir -p /tmp/c/${id} && git show "$(git log -1 --format=%H -- ${source.shown(`${round}/round.json`)})":` +
      `contests/${id}/contest.json > /tmp/c/${id}/contest.json, then --contests /tmp/c`;
    return { ...outcome, detail: `${outcome.detail ?? 'the contest file is not available'}; ${hint}` };
  };
}

/**
 * Verifies `resultsDir` (`results/<contest>`). Returns the full report; never throws for bad
 * data (every problem is in the report), only for I/O errors other than missing files.
 */
export async function verifyResults(
  resultsDir: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  return verifySource(nodeSource(resultsDir), options);
}
