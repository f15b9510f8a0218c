/**
 * `npm run demo`: one full round of the demo contest on this machine, offline, through the same
 * action code the workflows run. Boots the embedded local chain, creates a subnet with a
 * validator and seven miners, builds the demo models, has every miner sign an entry and commit on
 * chain, then runs collect → benchmark (isolated, CPU) → score → commit → publish weights →
 * record → verify, and prints the leaderboard and the weights read back from the chain.
 * Every run starts from a fresh `.cache/demo/` (git remote + workspace) and a fresh chain.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readWeightsAt } from '../chain/subnet-params.js';
import { startChainFixture, type ChainFixture } from '../chain/testing.js';
import { isMain } from '../cli/is-main.js';
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
  commitPublishRecord,
  DEMO_CONTEST,
  demoClock,
  enterMiners,
  passCutoff,
  score,
  writeContest,
  type DemoContext,
} from './round.js';
import { DEMO_MINERS } from './scenario.js';
import { buildDemoSite } from './site.js';
import { WeightsSchema } from '../documents/weights.js';

/** What the demo produced, for the caller (and the end-to-end test). */
export interface DemoResult {
  readonly workspace: string;
  readonly resultsDir: string;
  readonly leaderboard: string;
  readonly weights: readonly { uid: number; value: number }[];
}

const STEPS = 10;

/** Runs the demo round in `root` (default `.cache/demo`); returns where its results are. */
export async function runDemo(root = join(REPO_ROOT, '.cache', 'demo')): Promise<DemoResult> {
  const started = Date.now();
  const clock = demoClock();
  const manifest = await step(
    1,
    STEPS,
    'build the demo models (TF.js → ONNX, cached)',
    ensureModels,
  );
  const shaOf = new Map(manifest.models.map((m) => [m.name as ModelName, m.sha256]));
  const sha256Of = (name: ModelName) => {
    const sha = shaOf.get(name);
    if (!sha) throw new Error(`the models manifest has no ${name}`);
    return sha;
  };
  let fx: ChainFixture | undefined;
  try {
    fx = await step(
      2,
      STEPS,
      `boot the local Subtensor chain, subnet with ${DEMO_MINERS.length} miners`,
      () =>
        startChainFixture({
          chain: { genesisTimestampMs: clock.genesisMs },
          subnet: { miners: DEMO_MINERS.length, weightsSetRateLimit: 3 },
        }),
    );
    console.log(
      `        chain ${fx.chain.endpoint}, netuid ${fx.subnet.netuid}, validator ${fx.subnet.validator.hotkey}`,
    );
    const chain = fx;
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const repo = await makeGitFixture(root);
    const ctx: DemoContext = {
      workspace: await prepareWorkspace(await repo.clone('workspace')),
      temp: join(root, 'runner-temp'),
      fx: chain,
      clock,
    };
    const contestDir = await step(
      3,
      STEPS,
      'workspace: a clone of a local results repository',
      () => writeContest(ctx),
    );
    const miners = await step(4, STEPS, 'miners sign entries and commit on chain', () =>
      enterMiners(ctx, contestDir, sha256Of),
    );
    for (const line of miners) console.log(`        ${line}`);
    await passCutoff(ctx);
    const { dir: roundDir, run: collected } = await step(
      5,
      STEPS,
      'collect at the cutoff block (actions/collect)',
      () => collect(ctx),
    );
    console.log(
      `        round ${collected.outputs.round}: cutoff block ${collected.outputs['cutoff-block']}, ` +
        `${collected.outputs.submissions} submissions, ${collected.outputs.rejected} rejected at collect`,
    );
    const bench = await step(
      6,
      STEPS,
      'benchmark, isolated without network, CPU (actions/benchmark)',
      () => benchmark(ctx, roundDir),
    );
    console.log(
      `        ${bench.outputs.valid} valid, ${bench.outputs.invalid} invalid on runner ${bench.outputs.runner}`,
    );
    const scored = await step(7, STEPS, 'score (actions/score)', () => score(ctx, roundDir));
    console.log(
      `        winner: ${scored.outputs.winner || 'none'}; weights ${scored.outputs.weights}`,
    );
    const published = await step(
      8,
      STEPS,
      'commit results, publish weights, record the signed index',
      () => commitPublishRecord(ctx, roundDir),
    );
    console.log(
      `        weights ${published.outputs.status} at block ${published.outputs.block}, extrinsic ${published.outputs['extrinsic-hash']}`,
    );
    const verified = await step(
      9,
      STEPS,
      'podium verify (hashes, hash chain, signature, score re-run)',
      () =>
        runScript(
          `"$GITHUB_WORKSPACE/node_modules/.bin/tsx" src/cli/main.ts verify results/${DEMO_CONTEST}`,
          {
            workspace: ctx.workspace,
            temp: ctx.temp,
          },
        ),
    );
    console.log(verified.stdout.trimEnd().replace(/^/gm, '        '));
    if (verified.code !== 0) throw new Error(`podium verify failed:\n${verified.stderr}`);
    const resultsDir = join(ctx.workspace, 'results', DEMO_CONTEST);
    const weights = await step(10, STEPS, 'read the weights back from the chain', async () => {
      const doc = await readDocument(join(resultsDir, clock.round, 'weights.json'), WeightsSchema);
      const at = doc.block?.hash as `0x${string}` | undefined;
      if (!at) throw new Error('weights.json records no block');
      return readWeightsAt(chain.api, chain.subnet.netuid, chain.subnet.validator.uid, at);
    });
    const [latest] = (await readRounds(resultsDir)).slice(-1);
    if (!latest) throw new Error(`${resultsDir}: no recorded round`);
    console.log(`\nLeaderboard — ${DEMO_CONTEST}, round ${latest.id}\n`);
    console.log(textTable(roundRows(latest)));
    console.log('Weights on chain (validator uid 0, max-normalised to 65535):');
    console.log(weights.map((w) => `  uid ${w.uid}: ${w.value}`).join('\n') || '  (none)');
    const leaderboard = join(resultsDir, 'README.md');
    console.log(`\nLeaderboard with charts: ${leaderboard}`);
    await buildDemoSite(ctx.workspace, join(root, 'site')); // the results site (src/demo/site.ts)
    console.log(`Demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { workspace: ctx.workspace, resultsDir, leaderboard, weights };
  } finally {
    await fx?.close();
  }
}

if (isMain(import.meta.url)) {
  try {
    await runDemo();
  } catch (err) {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
