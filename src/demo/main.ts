/**
 * `npm run demo`: one full round of every demo contest on this machine, offline, through the
 * same action code the workflows run. Boots the embedded local chain, creates a subnet with a
 * validator and every contest's miners, builds the demo models, has every miner sign an entry
 * and commit on chain, then, contest by contest, runs collect → benchmark (isolated, CPU) →
 * score → commit; then publishes one combined weight vector for the netuid (the subnet file
 * `subnets/2.json`), records each contest's signed round, verifies each, and prints each
 * leaderboard and the vector read back from the chain. Every run starts from a fresh `.cache/demo/` (git remote +
 * workspace) and a fresh chain.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readWeightsAt } from '../chain/subnet-params.js';
import { checkTimelockedCommit } from '../chain/timelock-check.js';
import { startChainFixture, type ChainFixture } from '../chain/testing.js';
import { isMain } from '../cli/is-main.js';
import { WeightsSchema, type WeightsDocument } from '../documents/weights.js';
import { prepareWorkspace, runScript } from '../github/local-runner.js';
import { readDocument } from '../json/file.js';
import { roundRows, textTable } from '../leaderboard/rows.js';
import { readRounds } from '../leaderboard/write.js';
import { ensureModels } from '../models/build.js';
import type { ModelName } from '../models/variants.js';
import { makeGitFixture } from '../results/testing.js';
import { REPO_ROOT } from '../version.js';
import { step } from './progress.js';
import {
  benchmark,
  collect,
  commitRound,
  declareValidator,
  demoClock,
  enterMiners,
  passCutoff,
  publishSubnetRecord,
  score,
  writeContest,
  writeSubnet,
  type DemoContext,
} from './round.js';
import { DEMO_CONTESTS, demoMiners, type DemoContest } from './scenario.js';
import { buildDemoSite } from './site.js';

/** What one contest's round produced. */
export interface ContestResult {
  readonly id: string;
  readonly resultsDir: string;
  readonly leaderboard: string;
}

/** What the demo produced, for the caller (and the end-to-end test). */
export interface DemoResult {
  readonly workspace: string;
  readonly contests: readonly ContestResult[];
  /** The subnet's one vector, read back from the chain after the single publish. */
  readonly weights: readonly { uid: number; value: number }[];
  /** The weights.json that publish wrote (the same file in every contest's round). */
  readonly weightsFile: string;
}

/** Steps before the contests' rounds, four per contest, one publish, a verify each, a read-back. */
const SETUP_STEPS = 4;
const PER_CONTEST = 4;
const STEPS = SETUP_STEPS + (PER_CONTEST + 1) * DEMO_CONTESTS.length + 2;

/** Demo settings. */
export interface DemoOptions {
  /**
   * Turn commit-reveal on for the demo subnet (`npm run demo -- --commit-reveal`): publish-weights
   * sends a drand-timelocked CRv3 commit, and the last step checks it on chain. The local chain
   * has no drand pulses, so the commit stays pending there (the end-to-end test
   * src/chain/timelock-reveal.test.ts injects a real pulse and sees the runtime reveal it).
   */
  readonly commitReveal?: boolean;
}

/** Runs the demo rounds in `root` (default `.cache/demo`); returns where their results are. */
export async function runDemo(
  root = join(REPO_ROOT, '.cache', 'demo'),
  options: DemoOptions = {},
): Promise<DemoResult> {
  const started = Date.now();
  const clock = demoClock();
  const manifest = await step(1, STEPS, 'build the demo models (cached)', ensureModels);
  const shaOf = new Map(manifest.models.map((m) => [m.name as ModelName, m.sha256]));
  const sha256Of = (name: ModelName) => {
    const sha = shaOf.get(name);
    if (!sha) throw new Error(`the models manifest has no ${name}`);
    return sha;
  };
  const miners = demoMiners().length;
  let fx: ChainFixture | undefined;
  try {
    fx = await step(2, STEPS, `boot the local Subtensor chain, subnet with ${miners} miners`, () =>
      startChainFixture({
        chain: { genesisTimestampMs: clock.genesisMs },
        subnet: {
          miners,
          weightsSetRateLimit: 3,
          ...(options.commitReveal ? { commitReveal: true } : {}),
        },
      }),
    );
    console.log(
      `        chain ${fx.chain.endpoint}, netuid ${fx.subnet.netuid}, validator ${fx.subnet.validator.hotkey}`,
    );
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const repo = await makeGitFixture(root);
    const ctx: DemoContext = {
      workspace: await prepareWorkspace(await repo.clone('workspace')),
      temp: join(root, 'runner-temp'),
      fx,
      clock,
    };
    const dirs = await step(3, STEPS, 'workspace: the demo contests in a clone', async () => {
      const out = new Map<string, string>();
      for (const c of DEMO_CONTESTS) out.set(c.id, await writeContest(ctx, c));
      await declareValidator(ctx); // podium.json: what verify binds the signatures to
      await writeSubnet(ctx);
      return out;
    });
    const lines = await step(4, STEPS, 'miners sign entries and commit on chain', () =>
      enterMiners(ctx, dirs, sha256Of),
    );
    for (const line of lines) console.log(`        ${line}`);
    await passCutoff(ctx);
    for (const [k, c] of DEMO_CONTESTS.entries()) {
      await contestRound(ctx, c, SETUP_STEPS + PER_CONTEST * k);
    }
    let at = SETUP_STEPS + PER_CONTEST * DEMO_CONTESTS.length;
    const ids = DEMO_CONTESTS.map((c) => c.id);
    const published = await step(
      ++at,
      STEPS,
      `publish one weight vector for netuid ${fx.subnet.netuid} (subnets/${fx.subnet.netuid}.json), record each round`,
      () => publishSubnetRecord(ctx, ids),
    );
    console.log(
      published.stdout
        .trimEnd()
        .split('\n')
        .filter((l) => /share|signed|skipped|fallback/.test(l))
        .map((l) => `        ${l}`)
        .join('\n'),
    );
    console.log(
      `        weights ${published.outputs.status} at block ${published.outputs.block}, extrinsic ${published.outputs['extrinsic-hash']}`,
    );
    const contests: ContestResult[] = [];
    for (const id of ids) contests.push(await verifyRound(ctx, id, ++at));
    const weightsFile = join(ctx.workspace, 'results', ids[0]!, ctx.clock.round, 'weights.json');
    const weights = await step(++at, STEPS, 'read the subnet weights back from the chain', () =>
      readBack(ctx, weightsFile),
    );
    console.log(
      `Weights on chain for netuid ${fx.subnet.netuid} (validator uid 0, max-normalised to 65535):`,
    );
    console.log(weights.map((w) => `  uid ${w.uid}: ${w.value}`).join('\n') || '  (none)');
    // the results site (src/demo/site.ts), bound to the validator as the record job binds it
    await buildDemoSite(ctx.workspace, join(root, 'site'), fx.subnet.validator.hotkey);
    console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { workspace: ctx.workspace, contests, weights, weightsFile };
  } finally {
    await fx?.close();
  }
}

/** One contest's round up to its commit, steps `at + 1` … `at + 4`. */
async function contestRound(ctx: DemoContext, c: DemoContest, at: number): Promise<void> {
  const { id } = c;
  const { dir: roundDir, run: collected } = await step(
    at + 1,
    STEPS,
    `${id}: collect at the cutoff block (actions/collect)`,
    () => collect(ctx, id),
  );
  console.log(
    `        round ${collected.outputs.round}: cutoff block ${collected.outputs['cutoff-block']}, ` +
      `${collected.outputs.submissions} submissions, ${collected.outputs.rejected} rejected at collect`,
  );
  const bench = await step(
    at + 2,
    STEPS,
    `${id}: benchmark, isolated without network, CPU (actions/benchmark)`,
    () => benchmark(ctx, id, roundDir),
  );
  console.log(
    `        ${bench.outputs.valid} valid, ${bench.outputs.invalid} invalid on runner ${bench.outputs.runner}`,
  );
  const scored = await step(at + 3, STEPS, `${id}: score (actions/score)`, () =>
    score(ctx, id, roundDir),
  );
  console.log(
    `        winner: ${scored.outputs.winner || 'none'}; weights ${scored.outputs.weights}`,
  );
  await step(at + 4, STEPS, `${id}: commit the round's results (actions/commit)`, () =>
    commitRound(ctx, id, roundDir),
  );
}

/** `podium verify` of a contest's recorded round, step `at`; prints its leaderboard. */
async function verifyRound(ctx: DemoContext, id: string, at: number): Promise<ContestResult> {
  const verified = await step(
    at,
    STEPS,
    `${id}: podium verify (signer = podium.json's validator, hashes, hash chain, seed, score re-run, leaderboard)`,
    () =>
      runScript(`"$GITHUB_WORKSPACE/node_modules/.bin/tsx" src/cli/main.ts verify results/${id}`, {
        workspace: ctx.workspace,
        temp: ctx.temp,
      }),
  );
  console.log(verified.stdout.trimEnd().replace(/^/gm, '        '));
  if (verified.code !== 0) throw new Error(`podium verify failed for ${id}:\n${verified.stderr}`);
  const resultsDir = join(ctx.workspace, 'results', id);
  const [latest] = (await readRounds(resultsDir)).slice(-1);
  if (!latest) throw new Error(`${resultsDir}: no recorded round`);
  console.log(`\nLeaderboard — ${id}, round ${latest.id}\n`);
  console.log(textTable(roundRows(latest)));
  const leaderboard = join(resultsDir, 'README.md');
  console.log(`\nLeaderboard with charts: ${leaderboard}\n`);
  return { id, resultsDir, leaderboard };
}

/** The vector the single publish put on chain (a timelocked commit: its check's read-back). */
async function readBack(
  ctx: DemoContext,
  file: string,
): Promise<readonly { uid: number; value: number }[]> {
  const doc = await readDocument(file, WeightsSchema);
  if (doc.skipped) {
    console.log(`        skipped: ${doc.skipped.reason}: ${doc.skipped.message}`);
    return [];
  }
  if (doc.timelock) {
    const outcome = await checkTimelockedCommit(ctx.fx.api, doc as WeightsDocument);
    console.log(`        ${doc.path}: ${outcome.status}: ${outcome.reason}`);
    return outcome.readBack ?? [];
  }
  const block = doc.block?.hash as `0x${string}` | undefined;
  if (!block) throw new Error(`${file} records no block`);
  return readWeightsAt(ctx.fx.api, ctx.fx.subnet.netuid, ctx.fx.subnet.validator.uid, block);
}

if (isMain(import.meta.url)) {
  try {
    const commitReveal =
      process.argv.includes('--commit-reveal') || process.env.PODIUM_DEMO_COMMIT_REVEAL === '1';
    await runDemo(undefined, { commitReveal });
  } catch (err) {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
