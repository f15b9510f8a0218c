/**
 * `podium results …`: the round workflow's steps that touch `results/`, usable by hand too.
 *
 *   podium results plan [contest…]           which round is due and missing, from which stage
 *   podium results add    --contest --round --from DIR [--push]   (by hand; the commit and
 *   podium results record --contest --round --from DIR [--push]    record jobs run actions/commit)
 */
import type { Command } from 'commander';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contest } from '../contest/load.js';
import { loadContestArg } from './contest-arg.js';
import {
  applyRecord,
  applyRound,
  commitRound,
  recordRound,
  type RoundWrite,
  type PushSettings,
} from '../round/commit.js';
import { ACTIONS_BOT } from '../results/git.js';
import { planRound, type RoundPlan } from '../round/plan.js';
import { UsageError } from './errors.js';

interface PlanFlags {
  contests: string;
  results: string;
  now?: string;
  round?: string;
  maxCatchUp: string;
  json?: boolean;
}

interface WriteFlags {
  contest: string;
  round: string;
  from: string;
  repo: string;
  push?: boolean;
  remote: string;
  branch: string;
  attempts: string;
}

/** Registers `results` and its subcommands on the program. */
export function register(program: Command): void {
  const results = program.command('results').description("write and plan a contest's results");
  results
    .command('plan')
    .description('the next round each contest should run (oldest due round missing from the index)')
    .argument('[contests...]', 'contest ids (default: every folder under --contests)')
    .option('--contests <dir>', 'contests folder', 'contests')
    .option('--results <dir>', 'results folder', 'results')
    .option('--now <iso>', 'plan as of this instant (default: now)')
    .option('--round <id>', 'plan this round instead (one contest only)')
    .option('--max-catch-up <n>', 'missing rounds one trigger may make up', '3')
    .option('--json', 'print the plans as a JSON array')
    .action(async (ids: string[], flags: PlanFlags) => {
      const plans = await planContests(ids, flags);
      if (flags.json) console.log(JSON.stringify(plans, null, 2));
      else
        for (const p of plans)
          console.log(`${p.contest}: ${p.stage} ${p.round?.id ?? '-'}: ${p.reason}`);
    });
  writeCommand(results, 'add', 'validate and add round.json, bench files and score.json', {
    apply: applyRound,
    push: commitRound,
  });
  writeCommand(
    results,
    'record',
    'add weights.json and accept the index signed by publish (FROM holds index.json, <round>/)',
    { apply: applyRecord, push: recordRound },
  );
}

async function planContests(
  ids: string[],
  flags: PlanFlags,
): Promise<(RoundPlan & { contest: string })[]> {
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (!Number.isFinite(now.getTime())) throw new UsageError(`--now is not a date: "${flags.now}"`);
  const maxCatchUp = Number(flags.maxCatchUp);
  if (!Number.isInteger(maxCatchUp) || maxCatchUp < 1) {
    throw new UsageError(`--max-catch-up must be a positive integer (got "${flags.maxCatchUp}")`);
  }
  const contests = ids.length > 0 ? ids : await contestIds(flags.contests);
  if (flags.round !== undefined && contests.length !== 1) {
    throw new UsageError('--round needs exactly one contest');
  }
  const out: (RoundPlan & { contest: string })[] = [];
  for (const id of contests) {
    const { contest } = await loadContestArg(id, flags.contests, 'contest');
    const skip = demoSkip(contest, process.env);
    if (skip !== null) {
      out.push({ contest: id, ...skip });
      continue;
    }
    const plan = await planRound(join(flags.results, id), contest.schedule, now, {
      round: flags.round,
      maxCatchUp,
    });
    out.push({ contest: id, ...plan });
  }
  return out;
}

/** The repository variable that lets the round workflow run contests marked `"demo": true`. */
export const RUN_DEMO_CONTESTS = 'PODIUM_RUN_DEMO_CONTESTS';

/**
 * The plan for a demo contest the workflow must not run (no opt-in in `env`), or null when the
 * contest is not a demo or the validator opted in. Pure.
 */
export function demoSkip(contest: Contest, env: NodeJS.ProcessEnv): RoundPlan | null {
  if (!contest.demo || env[RUN_DEMO_CONTESTS] === 'true') return null;
  return {
    round: null,
    stage: 'none',
    queued: [],
    skipped: [],
    reason:
      `demo contest: not run by the round workflow unless the repository variable ` +
      `${RUN_DEMO_CONTESTS} is "true" (npm run demo runs it on this machine)`,
  };
}

/**
 * The contest ids under `dir`: folders holding a contest.json, as loadContests reads them (a
 * folder of reference contests such as contests/examples/ holds none of its own).
 */
async function contestIds(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const ids: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    if (await stat(join(dir, e.name, 'contest.json')).catch(() => null)) ids.push(e.name);
  }
  return ids.sort();
}

interface Writer {
  apply(write: RoundWrite): Promise<string[]>;
  push: typeof commitRound;
}

function writeCommand(parent: Command, name: string, description: string, writer: Writer): void {
  parent
    .command(name)
    .description(description)
    .requiredOption('--contest <id>', 'contest id')
    .requiredOption('--round <id>', 'round id')
    .requiredOption('--from <dir>', 'folder holding the files to add')
    .option('--repo <dir>', 'checkout of the results repository', '.')
    .option('--push', 'commit and push with fetch-rebase-retry (else only write the files)')
    .option('--remote <name>', 'git remote', 'origin')
    .option('--branch <name>', 'branch to push to', 'main')
    .option('--attempts <n>', 'push attempts before giving up', '5')
    .action(async (flags: WriteFlags) => {
      const write = {
        repo: flags.repo,
        contest: flags.contest,
        round: flags.round,
        from: flags.from,
      };
      const attempts = Number(flags.attempts);
      if (!Number.isInteger(attempts) || attempts < 1) {
        throw new UsageError(`--attempts must be a positive integer (got "${flags.attempts}")`);
      }
      const push: PushSettings = {
        remote: flags.remote,
        branch: flags.branch,
        attempts,
        author: process.env.GITHUB_ACTIONS === 'true' ? ACTIONS_BOT : undefined,
        log: (line) => console.log(line),
      };
      if (!flags.push) {
        const paths = await writer.apply(write);
        console.log(`${name} ${flags.contest} ${flags.round}: written ${paths.join(' ')}`);
        return;
      }
      const result = await writer.push(write, push);
      console.log(`${name} ${flags.contest} ${flags.round}: ${result.status} ${result.commit}`);
    });
}
