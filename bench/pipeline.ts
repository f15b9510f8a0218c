/**
 * `npm run bench:pipeline` — the digits pipeline contest's figures, measured in one run:
 *
 * 1. the baseline pipeline's end-to-end latency per generated image through podium's isolated
 *    child (p50, p90), with its per-role breakdown and the pipeline's load time;
 * 2. the fewer-steps variant's speed ratio (baseline / variant: the median of the per-run
 *    ratios paired on the same input, bench/paired.ts) with a 95 % bootstrap over the rounds;
 * 3. the harness overhead of driving the loop from the child (the driver and every role's
 *    session in the child, timed there) versus the same driver over the same graphs in this
 *    process (target ≤ 2 %), alternating blocks, with the estimator's own bootstrap noise.
 *
 * Nothing is hard-coded; the load average and CPU steal are printed beside the figures.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Child } from '../src/bench/child/child.js';
import type { WireTensor } from '../src/bench/child/protocol.js';
import type { PipelineLoad } from '../src/bench/inspect.js';
import { median, quantile } from '../src/bench/stats.js';
import { loadContest, type LoadedContest } from '../src/contest/load.js';
import { ensureModels, modelPath } from '../src/models/build.js';
import { DIGITS_FILES } from '../src/pipeline/digits-fixture.js';
import { generate } from '../src/pipeline/driver.js';
import { inspectPipeline } from '../src/pipeline/inspect.js';
import { loadLocalPipeline } from '../src/pipeline/local.js';
import { sessionOptions } from '../src/bench/child/options.js';
import { pairedRatio, pinBothLoops } from './paired.js';
import { taskOf } from '../src/tasks/registry.js';
import { REPO_ROOT } from '../src/version.js';
import { machineState } from './machine.js';

const SEED = '0x' + 'b7'.repeat(32);
const BLOCK = 25;
const ROUNDS = 60;

async function checked(
  loaded: LoadedContest,
  name: 'digits-pipeline' | 'digits-pipeline-fewer-steps',
  dir: string,
) {
  const held = join(dir, `${name}.tar`);
  await copyFile(modelPath(name), held);
  const inspected = await inspectPipeline(held, loaded.contest);
  if (!inspected.pipeline || inspected.reasons.length > 0) {
    throw new Error(`${name}: ${inspected.reasons.map((r) => r.message).join('; ')}`);
  }
  return inspected.pipeline;
}

async function childFor(
  loaded: LoadedContest,
  load: PipelineLoad,
  feeds: WireTensor[][],
  tuning: readonly string[],
) {
  const c = loaded.contest;
  const child = await Child.start({
    isolation: 'netns',
    memoryLimitBytes: c.limits.memoryBytes,
    tuning,
  });
  await child.setFeeds(feeds);
  const loadedMs = await child.load('', c.runner.executionProvider, c.runner.session, 60_000, load);
  return { child, loadMs: loadedMs.ms };
}

async function main(): Promise<void> {
  await ensureModels();
  const state = machineState();
  const loaded = await loadContest(join(REPO_ROOT, 'contests', 'digits-pipeline-demo'));
  const samples = await taskOf(loaded.contest.task).drawInputs(loaded, SEED);
  const feeds = samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
  const dir = await mkdtemp(join(tmpdir(), 'podium-bench-pipeline-'));
  try {
    const base = await checked(loaded, 'digits-pipeline', dir);
    const fewer = await checked(loaded, 'digits-pipeline-fewer-steps', dir);
    // Every loop on the job's measured core, so the ratios compare loops, not cores.
    const pin = pinBothLoops();
    const b = await childFor(loaded, base, feeds, pin.tuning);
    const f = await childFor(loaded, fewer, feeds, pin.tuning);
    // The bare loop runs with the options the child gets (the contest's pinned settings), so
    // the overhead figure compares the harness, not two session configurations.
    const c = loaded.contest;
    const local = await loadLocalPipeline(
      join(dir, 'digits-pipeline.tar.graphs'),
      DIGITS_FILES,
      sessionOptions(c.runner.executionProvider, c.runner.session),
    );
    const indices = Array.from({ length: BLOCK }, (_, i) => i);
    const baseMs: number[] = [];
    const fewerMs: number[] = [];
    const bareMs: number[] = [];
    const roles: Record<string, number[]> = {};
    const runChild = async (child: Child, out: number[]) => {
      const r = await child.run(indices, { keep: false, limitMs: null, hardMs: 60_000 });
      for (const s of r.samples) {
        out.push(s.ms);
        if (out === baseMs)
          for (const [k, v] of Object.entries(s.roles ?? {})) (roles[k] ??= []).push(v);
      }
    };
    const runBare = async (out: number[]) => {
      for (const i of indices) {
        const s = samples[i]!;
        const t0 = process.hrtime.bigint();
        await generate(
          local.run,
          { dims: s.feeds[0]!.dims, data: s.feeds[0]!.data as Float32Array },
          { dims: s.feeds[1]!.dims, data: s.feeds[1]!.data as Float32Array },
          { steps: Number(base.knobs.steps) },
          loaded.contest.pipeline!.imageSide,
        );
        out.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    };
    // Warm-up, excluded.
    await runChild(b.child, []);
    await runChild(f.child, []);
    await runBare([]);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['b', 'f', 'x'] : ['x', 'f', 'b'];
      for (const who of order) {
        if (who === 'b') await runChild(b.child, baseMs);
        else if (who === 'f') await runChild(f.child, fewerMs);
        else await runBare(bareMs);
      }
    }
    const peak = b.child.peakRssBytes();
    await b.child.close();
    await f.child.close();
    await local.close();
    pin.release();
    const speed = pairedRatio(baseMs, fewerMs, BLOCK, SEED, 'bench/pipeline/speed');
    const over = pairedRatio(baseMs, bareMs, BLOCK, SEED, 'bench/pipeline/overhead');
    const sorted = [...baseMs].sort((x, y) => x - y);
    console.log('digits pipeline (contests/digits-pipeline-demo), CPU, 1 intra-op thread');
    console.log(
      `1. baseline end-to-end latency per image (isolated child, ${base.knobs.steps} steps): p50 ${median(baseMs).toFixed(3)} ms, p90 ${quantile(sorted, 0.9).toFixed(3)} ms over ${baseMs.length} images; pipeline load ${b.loadMs.toFixed(1)} ms; peak RSS ${peak === null ? 'unknown' : `${(peak / 2 ** 20).toFixed(1)} MiB`}`,
    );
    const roleLine = Object.entries(roles)
      .map(
        ([k, v]) =>
          `${k} ${median(v).toFixed(3)} ms (${((100 * median(v)) / median(baseMs)).toFixed(1)} %)`,
      )
      .join(', ');
    console.log(`   per-role p50: ${roleLine}`);
    console.log(
      `2. fewer-steps (${fewer.knobs.steps} steps) speed ratio: ${speed.ratio.toFixed(3)} [${speed.low.toFixed(3)}, ${speed.high.toFixed(3)}] (median of per-run ratios paired on the same input, 95 % bootstrap over ${ROUNDS} alternating rounds; variant p50 ${median(fewerMs).toFixed(3)} ms)`,
    );
    const pct = (over.ratio - 1) * 100;
    console.log(
      `3. harness overhead, child-driven loop / bare in-process loop (target ≤ 2 %): ${over.ratio.toFixed(4)} [${over.low.toFixed(4)}, ${over.high.toFixed(4)}] = ${pct.toFixed(2)} % ${pct <= 2 ? 'PASS' : 'FAIL'} (bare p50 ${median(bareMs).toFixed(3)} ms, ${pin.where})`,
    );
    console.log(state());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
