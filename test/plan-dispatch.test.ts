/**
 * round.yml's `plan` job, its two scripts run as written: `podium results plan` over every
 * contest, then one `gh workflow run` per contest with a due round, none for a contest whose
 * run is already queued or running, and a warning per round older than the catch-up window.
 * `gh` is GitHub's CLI, not podium code: a small stand-in on PATH records the calls and answers
 * `gh run list --jq` with real jq over a fixture.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptIndex, signRound } from '../src/results/index.js';
import { devKeyPair, writeRoundFixture } from '../src/results/testing.js';
import { addRoundFiles } from '../src/results/write.js';
import { addDays } from '../src/schedule/zone.js';
import { latestDueRound } from '../src/schedule/rounds.js';
import { REPO_ROOT } from '../src/version.js';
import {
  evaluateEnv,
  prepareWorkspace,
  runScript,
  workflowStep,
} from '../src/github/local-runner.js';

const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const SCHEDULE = { cadence: 'daily', cutoff: '12:00', timeZone: 'America/Los_Angeles' } as const;
let root: string;
let workspace: string;

const GH = `#!/bin/sh
echo "$*" >> "$GH_LOG"
if [ "$1 $2" = "run list" ]; then
  while [ $# -gt 0 ]; do
    if [ "$1" = "--jq" ]; then jq -r "$2" "$GH_RUNS"; exit 0; fi
    shift
  done
fi
`;

/** A copy of the demo contest as `id`, with `indexed` round ids signed into its index. */
async function contest(id: string, indexed: string[], demo = false): Promise<void> {
  const dir = join(workspace, 'contests', id);
  await cp(join(REPO_ROOT, 'contests', 'sr-x2-demo'), dir, { recursive: true });
  const file = join(dir, 'contest.json');
  const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...data, id, schedule: SCHEDULE, demo }));
  const results = join(workspace, 'results', id);
  for (const round of indexed) {
    const from = await writeRoundFixture(join(root, 'staging', id, round), id, round, [HOTKEY]);
    await addRoundFiles(results, round, from);
    await acceptIndex(results, (await signRound(results, round, await devKeyPair('Alice'))).index);
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-plan-'));
  workspace = await prepareWorkspace(join(root, 'workspace'));
  const latest = latestDueRound(SCHEDULE, new Date())!.id;
  await contest('behind', [addDays(latest, -6)]); // 6 due rounds missing: 3 run, 3 skipped
  await contest('busy', [addDays(latest, -1)]); // 1 missing, but its run is in progress
  await contest('current', [latest]); // nothing to do
  await contest('shipped-demo', [addDays(latest, -1)], true); // due, but a demo contest
  await mkdir(join(root, 'bin'));
  await writeFile(join(root, 'bin', 'gh'), GH);
  await chmod(join(root, 'bin', 'gh'), 0o755);
  const runs = [
    { displayTitle: 'round busy ', status: 'in_progress' },
    { displayTitle: 'round behind ', status: 'completed' },
  ];
  await writeFile(join(root, 'runs.json'), JSON.stringify(runs));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the plan job's two steps with the repository variables `vars`; returns the gh calls. */
async function planJob(vars: Record<string, string>, log: string) {
  const temp = join(root, 'tmp');
  const env = {
    PATH: `${join(root, 'bin')}:${process.env.PATH}`,
    GH_LOG: join(root, log),
    GH_RUNS: join(root, 'runs.json'),
  };
  const plan = await workflowStep('round.yml', 'plan', 'Plan every contest');
  const planned = await runScript(plan.run, {
    workspace,
    temp,
    env: { ...env, ...evaluateEnv(plan.env, vars) },
  });
  expect(planned.code, planned.stderr).toBe(0);
  const dispatch = await workflowStep(
    'round.yml',
    'plan',
    'Dispatch one run per contest with a due round',
  );
  const values = { 'github.token': 'ghs_test', 'github.ref_name': 'main' };
  const run = await runScript(dispatch.run, {
    workspace,
    temp,
    env: { ...env, ...evaluateEnv(dispatch.env, values) },
  });
  expect(run.code, run.stderr).toBe(0);
  const calls = (await readFile(env.GH_LOG, 'utf8')).trim().split('\n');
  return { run, dispatched: calls.filter((c) => c.startsWith('workflow run')) };
}

describe("round.yml's plan job", () => {
  it('dispatches one run per contest with a due round, skips busy ones, warns about skipped rounds', async () => {
    const { run, dispatched } = await planJob({ 'vars.PODIUM_RUN_DEMO_CONTESTS': '' }, 'gh.log');
    expect(dispatched).toEqual(['workflow run round.yml --ref main -f contest=behind']);
    expect(run.annotations.filter((a) => a.level === 'warning')).toHaveLength(3);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: 'busy: a run is already queued or running; it plans again when it starts',
      }),
    );
    expect(run.annotations.find((a) => a.level === 'warning')?.message).toMatch(
      /^behind: round \d{4}-\d{2}-\d{2} was due but is older than the catch-up window/,
    );
  });

  it('runs a due demo contest in a fork only when the validator sets PODIUM_RUN_DEMO_CONTESTS=true', async () => {
    const { dispatched } = await planJob(
      { 'vars.PODIUM_RUN_DEMO_CONTESTS': 'true' },
      'gh-demo.log',
    );
    expect(dispatched).toEqual([
      'workflow run round.yml --ref main -f contest=behind',
      'workflow run round.yml --ref main -f contest=shipped-demo',
    ]);
  });
});
