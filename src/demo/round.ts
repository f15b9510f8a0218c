/**
 * One demo round, staged exactly as round.yml runs it: every stage is the real composite action
 * or the workflow's own `run:` script, executed by the local runner (src/github/local-runner.ts)
 * with the inputs and environment GitHub would give it, against the local Subtensor chain and a
 * git repository with a bare remote standing in for GitHub.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commitSubmission } from '../chain/commitments.js';
import { DEV_PATHS, devNewBlock, devTimeTravel } from '../chain/dev.js';
import type { ChainFixture } from '../chain/testing.js';
import { loadContest } from '../contest/load.js';
import { CONFIG_FILE } from '../documents/config.js';
import { schemaId } from '../schemas/builders.js';
import { parseJson } from '../json/file.js';
import { createEntry } from '../entries/create.js';
import {
  evaluateEnv,
  runAction,
  runScript,
  succeeded,
  workflowActionStep,
  type StepRun,
} from '../github/local-runner.js';
import { git } from '../results/git.js';
import { REPO_ROOT } from '../version.js';
import { modelPath } from '../models/build.js';
import type { ModelName } from '../models/variants.js';
import { demoMiners, type DemoContest } from './scenario.js';

/** The demo's clock: genesis two hours ago, the cutoff 90 minutes ago, so the round is due now. */
export interface DemoClock {
  readonly genesisMs: number;
  readonly cutoffMs: number;
  readonly round: string;
}

/** Returns the demo clock for `now`. */
export function demoClock(now = Date.now()): DemoClock {
  const genesisMs = Math.floor((now - 2 * 3_600_000) / 60_000) * 60_000;
  const cutoffMs = genesisMs + 30 * 60_000;
  return { genesisMs, cutoffMs, round: new Date(cutoffMs).toISOString().slice(0, 10) };
}

/** Where the demo works: the workspace checkout, the runner temp folder, and the chain. */
export interface DemoContext {
  readonly workspace: string;
  readonly temp: string;
  readonly fx: ChainFixture;
  readonly clock: DemoClock;
}

function env(ctx: DemoContext, extra: Record<string, string> = {}) {
  return {
    workspace: ctx.workspace,
    temp: ctx.temp,
    env: { PODIUM_CHAIN_ENDPOINT_LOCAL: ctx.fx.chain.endpoint, RUNNER_NAME: 'demo-cpu', ...extra },
  };
}

/**
 * Copies a demo contest into the workspace, pointed at the local subnet: the baseline URL made
 * absolute (the workspace is elsewhere), the chain netuid of the local subnet, and a daily
 * cutoff at the demo clock's cutoff (UTC) so that this round is due now.
 */
export async function writeContest(ctx: DemoContext, demo: DemoContest): Promise<string> {
  const source = join(REPO_ROOT, 'contests', demo.id);
  const dir = join(ctx.workspace, 'contests', demo.id);
  await cp(source, dir, { recursive: true, filter: (p) => !p.includes('/entries') });
  const file = join(source, 'contest.json');
  const contest = parseJson(file, await readFile(file, 'utf8')) as {
    baseline: { model: { url: string } };
    pipeline?: { fidelity: { classifier: { model: { url: string } } } };
    chain: { netuid: number };
    schedule: Record<string, string>;
  };
  contest.baseline.model.url = pathToFileURL(modelPath(demo.baseline)).href;
  // A pipeline contest's classifier is a catalogue model too (the mnist baseline).
  if (contest.pipeline) {
    contest.pipeline.fidelity.classifier.model.url = pathToFileURL(modelPath('mnist-cnn')).href;
  }
  contest.chain.netuid = ctx.fx.subnet.netuid;
  contest.schedule = {
    cadence: 'daily',
    cutoff: new Date(ctx.clock.cutoffMs).toISOString().slice(11, 16),
    timeZone: 'UTC',
  };
  await writeFile(join(dir, 'contest.json'), `${JSON.stringify(contest, null, 2)}\n`);
  return dir;
}

/**
 * Declares the validator's hotkey in the workspace's podium.json, as a fork does (docs/validator.md):
 * `podium verify` and `podium site` bind every index entry's signer to it (ADR 0150).
 */
export async function declareValidator(ctx: DemoContext): Promise<void> {
  const config = {
    $schema: schemaId('config'),
    version: 1,
    validator: { hotkey: ctx.fx.subnet.validator.hotkey },
  };
  await writeFile(join(ctx.workspace, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Copies the demo's subnet file (`subnets/2.json`: every demo contest on one netuid, equal
 * shares) into the workspace, named and pointed at the local subnet's netuid. Returns its path.
 */
export async function writeSubnet(ctx: DemoContext): Promise<string> {
  const source = join(REPO_ROOT, 'subnets', '2.json');
  const subnet = parseJson(source, await readFile(source, 'utf8')) as { netuid: number };
  subnet.netuid = ctx.fx.subnet.netuid;
  const file = join(ctx.workspace, 'subnets', `${subnet.netuid}.json`);
  await mkdir(join(ctx.workspace, 'subnets'), { recursive: true });
  await writeFile(file, `${JSON.stringify(subnet, null, 2)}\n`);
  return file;
}

/**
 * Each miner of every contest signs an entry for its model (as `podium entry create` does) and
 * commits a sha256 on chain (as `podium commit` does), in order, so later commitments have
 * later blocks. Entries are committed to the repository before the cutoff. Returns one line per
 * miner.
 */
export async function enterMiners(
  ctx: DemoContext,
  contestDirs: ReadonlyMap<string, string>,
  sha256Of: (model: ModelName) => string,
): Promise<string[]> {
  const lines: string[] = [];
  for (const { contest, miner, key: i } of demoMiners()) {
    const loaded = await loadContest(contestDirs.get(contest.id)!);
    const key = ctx.fx.minerKeys[i];
    if (!key) throw new Error(`the local subnet has no miner ${i}`);
    const file = modelPath(miner.model);
    await createEntry({
      contest: loaded,
      modelFile: file,
      url: pathToFileURL(file).href,
      signer: key,
      now: new Date(ctx.clock.genesisMs + 60_000),
    });
    const committed = sha256Of(miner.commits ?? miner.model);
    const result = await commitSubmission(
      ctx.fx.api,
      key,
      ctx.fx.subnet.netuid,
      contest.id,
      committed,
    );
    const who = `${contest.id} uid ${i + 1} ${miner.label}`.padEnd(32);
    lines.push(`${who} block ${result.block}  ${miner.expect}`);
  }
  const date = `${Math.floor((ctx.clock.genesisMs + 120_000) / 1000)} +0000`;
  await git(ctx.workspace, ['add', 'contests', 'subnets', CONFIG_FILE]);
  await runScript(
    'git commit --quiet -m "demo contest and miner entries" && git push --quiet origin HEAD:main',
    {
      workspace: ctx.workspace,
      temp: ctx.temp,
      env: {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_AUTHOR_NAME: 'demo',
        GIT_AUTHOR_EMAIL: 'demo@example.org',
      },
    },
  ).then((r) => succeeded('committing the entries', r));
  return lines;
}

/** Moves the chain past the cutoff: one block before it, then blocks stamped after it. */
export async function passCutoff(ctx: DemoContext): Promise<void> {
  await devNewBlock(ctx.fx.api, 1);
  await devTimeTravel(ctx.fx.api, ctx.clock.cutoffMs + 60_000);
  await devNewBlock(ctx.fx.api, 4);
}

/**
 * actions/collect: freezes round.json at the cutoff block into `$RUNNER_TEMP/round`, where the
 * commit job reads it (a contest's round runs after the previous one was recorded). Returns the
 * round folder.
 */
export async function collect(
  ctx: DemoContext,
  id: string,
): Promise<{ dir: string; run: StepRun }> {
  const dir = join(ctx.temp, 'round');
  await rm(dir, { recursive: true, force: true });
  await rm(join(ctx.temp, 'bench'), { recursive: true, force: true });
  const run = succeeded(
    'actions/collect',
    await runAction('collect', { contest: id, out: dir, 'allow-file-urls': 'true' }, env(ctx)),
  );
  return { dir, run };
}

/** actions/benchmark on this machine's CPU runner, isolated; bench files into the round folder. */
export async function benchmark(ctx: DemoContext, id: string, roundDir: string): Promise<StepRun> {
  const out = join(ctx.temp, 'bench');
  const run = succeeded(
    'actions/benchmark',
    await runAction(
      'benchmark',
      { contest: `contests/${id}`, round: join(roundDir, 'round.json'), out },
      env(ctx),
    ),
  );
  await cp(join(out, 'bench'), join(roundDir, 'bench'), { recursive: true });
  return run;
}

/** actions/score, in the workspace's results folder beside earlier rounds, as the score job does. */
export async function score(ctx: DemoContext, id: string, roundDir: string): Promise<StepRun> {
  const scoreDir = join(ctx.workspace, 'results', id, ctx.clock.round);
  await mkdir(scoreDir, { recursive: true });
  await cp(roundDir, scoreDir, { recursive: true });
  const run = succeeded('actions/score', await runAction('score', { round: scoreDir }, env(ctx)));
  await cp(join(scoreDir, 'score.json'), join(roundDir, 'score.json'));
  // The commit job starts from a clean checkout: the round reaches results/ only through it.
  await rm(scoreDir, { recursive: true, force: true });
  const left = await readdir(join(ctx.workspace, 'results', id)).catch(() => []);
  if (left.length === 0)
    await rm(join(ctx.workspace, 'results', id), { recursive: true, force: true });
  return run;
}

function workflowValues(ctx: DemoContext, id: string) {
  return {
    'inputs.contest': id,
    'needs.collect.outputs.round': ctx.clock.round,
    'github.ref_name': 'main',
    'runner.temp': ctx.temp,
  };
}

/** round.yml's commit job step (actions/commit): the round's files reach results/<id>/. */
export async function commitRound(ctx: DemoContext, id: string, roundDir: string): Promise<void> {
  if (roundDir !== join(ctx.temp, 'round'))
    throw new Error('the commit job reads $RUNNER_TEMP/round');
  const commitStep = await workflowActionStep('round.yml', 'commit', 'push');
  succeeded(
    'round.yml commit',
    await runAction(
      commitStep.action,
      evaluateEnv(commitStep.with, workflowValues(ctx, id)),
      env(ctx),
    ),
  );
}

/**
 * publish-weights once for the whole netuid (mode subnet: one combined vector from every
 * contest's committed round), then round.yml's record job step for each contest it signed.
 */
export async function publishSubnetRecord(
  ctx: DemoContext,
  ids: readonly string[],
): Promise<StepRun> {
  await devNewBlock(ctx.fx.api, 3);
  const record = join(ctx.temp, 'record');
  await rm(record, { recursive: true, force: true });
  const publish = succeeded(
    'actions/publish-weights',
    await runAction(
      'publish-weights',
      { mode: 'subnet', netuid: String(ctx.fx.subnet.netuid), out: record },
      env(ctx, { PODIUM_HOTKEY_SEED: DEV_PATHS.validator }),
    ),
  );
  const recordStep = await workflowActionStep('round.yml', 'record', 'record');
  for (const id of ids) {
    const inputs = {
      ...evaluateEnv(recordStep.with, workflowValues(ctx, id)),
      from: join(record, id),
    };
    succeeded('round.yml record', await runAction(recordStep.action, inputs, env(ctx)));
  }
  return publish;
}
