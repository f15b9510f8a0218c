/**
 * `npm run bench:harness` — the benchmark engine's performance targets (issues 4 and 20),
 * measured in one run on this machine:
 *
 * 1. isolation start: spawn → ready → probe of an `unshare -rn` child (target ≤ 300 ms), next
 *    to the same child started without a namespace;
 * 2. harness overhead: p50 of the baseline through podium's isolated child vs a bare
 *    `session.run` loop, alternating blocks, with a paired bootstrap over the blocks giving the
 *    estimator's own noise (target ≤ 1.005 with that noise below ±0.5 %);
 * 3. A/A to the default precision (±1 % within 60 s per submission, ADR 0140): the job's own
 *    A/A check, and when it refuses the runner, the refusal with its figures and a run at a
 *    target the runner can reach; the half-width reached, pairs, seconds and why it stopped;
 * 4. sensitivity: the ~10 % slower variant must be reported slower with an interval excluding
 *    1, and the smallest slow-down detectable is the A/A half-width reached (target 3 %).
 *
 * Nothing here is hard-coded: every figure is measured now. The load average and CPU steal
 * are printed beside them, since other work on the machine moves every figure. */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Child } from '../src/bench/child/child.js';
import { sessionOptions } from '../src/bench/child/options.js';
import type { WireTensor } from '../src/bench/child/protocol.js';
import { fetchArtifact } from '../src/bench/download.js';
import { roundInputs } from '../src/bench/inputs.js';
import { SeedStream } from '../src/tasks/seed-stream.js';
import { speedRatio } from '../src/score/ratio.js';
import { benchmarkModels } from '../src/bench/run.js';
import { BenchError } from '../src/bench/errors.js';
import { quantile } from '../src/bench/stats.js';
import { loadContest, type LoadedContest } from '../src/contest/load.js';
import { ensureModels, modelPath } from '../src/models/build.js';
import { REPO_ROOT } from '../src/version.js';
import { machineState } from './machine.js';

const SEED = '0x' + 'd1'.repeat(32);
/** The default precision target the harness measures to: ±1 % (issue 20). */
const DEFAULT_HALF_WIDTH = 0.01;
const CONTEST = join(REPO_ROOT, 'contests', 'sr-x2-demo');

interface Row {
  readonly target: string;
  readonly figure: string;
  /** null: informational, no target. */
  readonly pass: boolean | null;
}

const median = (xs: readonly number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

async function overhead(loaded: LoadedContest, model: string): Promise<Row> {
  const c = loaded.contest;
  const inputs = await roundInputs(loaded, SEED);
  const feeds = inputs.samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
  const bare = await ort.InferenceSession.create(
    model,
    sessionOptions(c.runner.executionProvider, c.runner.session),
  );
  const bareFeeds = inputs.samples.map((s) =>
    Object.fromEntries(s.feeds.map((f) => [f.name, new ort.Tensor(f.type, f.data, [...f.dims])])),
  );
  const child = await Child.start({ isolation: 'netns', memoryLimitBytes: c.limits.memoryBytes });
  await child.setFeeds(feeds);
  await child.load(model, c.runner.executionProvider, c.runner.session, 60_000);
  const bareMs: number[] = [];
  const childMs: number[] = [];
  const block = 25;
  const runBare = async (keep: boolean) => {
    for (let i = 0; i < block; i++) {
      const t0 = process.hrtime.bigint();
      await bare.run(bareFeeds[i % bareFeeds.length]!);
      if (keep) bareMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const runChild = async (keep: boolean) => {
    const indices = Array.from({ length: block }, (_, i) => i % feeds.length);
    const r = await child.run(indices, { keep: false, limitMs: null, hardMs: 60_000 });
    if (keep) childMs.push(...r.samples.map((s) => s.ms));
  };
  await runBare(false);
  await runChild(false);
  for (let round = 0; round < 40; round++) {
    if (round % 2 === 0) {
      await runBare(true);
      await runChild(true);
    } else {
      await runChild(true);
      await runBare(true);
    }
  }
  await child.close();
  await bare.release();
  const ratio = median(childMs) / median(bareMs);
  // The estimator's own noise: a bootstrap over the 40 rounds (each round's child and bare
  // blocks resampled together, so drift between rounds stays paired) of the p50 ratio.
  const rounds = 40;
  const rng = new SeedStream(SEED, 'harness/overhead');
  const reps = Array.from({ length: 1000 }, () => {
    const pick = Array.from({ length: rounds }, () => rng.below(rounds));
    const c = pick.flatMap((r) => childMs.slice(r * block, (r + 1) * block));
    const b = pick.flatMap((r) => bareMs.slice(r * block, (r + 1) * block));
    return median(c) / median(b);
  }).sort((x, y) => x - y);
  const low = quantile(reps, 0.025);
  const high = quantile(reps, 0.975);
  const noise = (high - low) / 2;
  const overheadPct = (ratio - 1) * 100;
  return {
    target:
      'harness overhead: p50 isolated child / p50 bare session.run (≤ 1.005), with the estimator noise below ±0.5 %',
    figure: `${ratio.toFixed(4)} [${low.toFixed(4)}, ${high.toFixed(4)}] (overhead ${overheadPct.toFixed(2)} %, estimator ±${(noise * 100).toFixed(2)} %; child p50 ${median(childMs).toFixed(3)} ms, bare p50 ${median(bareMs).toFixed(3)} ms, ${childMs.length} runs each)`,
    pass: ratio <= 1.005 && noise < 0.005,
  };
}

async function aaAndSensitivity(loaded: LoadedContest, copy: string, slow: string): Promise<Row[]> {
  const manifest = await ensureModels();
  const artifact = (name: string, file: string) => {
    const m = manifest.models.find((x) => x.name === name)!;
    return { url: `file://${file}`, sha256: m.sha256, bytes: m.bytes };
  };
  // The contest-schema defaults (warm-up 3, ≥ 50 samples, blocks of 1) with the default
  // precision target: ±1 % at 95 % within 60 s per submission (minSeconds 0: the looks decide).
  const measurement = (halfWidth: number) => ({
    warmupRuns: 3,
    minSamples: 50,
    minSeconds: 0,
    blockSize: 1,
    precision: { halfWidth, maxSeconds: 60, aaSeconds: 5 },
    determinism: { auditInputs: 2, maxAbsDiff: 0 },
  });
  const run = (halfWidth: number) =>
    benchmarkModels(
      { ...loaded, contest: { ...loaded.contest, measurement: measurement(halfWidth) } },
      { id: '2025-01-01', seed: SEED, contestSha256: '0'.repeat(64) },
      [
        { role: 'baseline', hotkey: null, uid: null, model: loaded.contest.baseline.model },
        {
          role: 'submission',
          hotkey: null,
          uid: 1,
          model: artifact('esrgan-medium-x2-copy', copy),
        },
        {
          role: 'submission',
          hotkey: null,
          uid: 2,
          model: artifact('esrgan-medium-x2-slow', slow),
        },
      ],
      { runnerName: 'harness' },
    );
  const refusals: Row[] = [];
  let docs;
  // The default target first; when the runner refuses it, the rest is measured anyway at a
  // target the refusal says it can reach (then at ±50 %), so every figure is still reported.
  for (let target = DEFAULT_HALF_WIDTH; !docs;) {
    try {
      docs = await run(target);
    } catch (err) {
      if (!(err instanceof BenchError) || err.code !== 'too-noisy' || target >= 0.5) throw err;
      refusals.push({
        target: `A/A check at target ±${(target * 100).toFixed(2)} % within 60 s per submission`,
        figure: `refused: ${err.message}`,
        pass: false,
      });
      const reach = Number(/would reach about ±([\d.]+) %/.exec(err.message)?.[1] ?? '50') / 100;
      target = Math.min(0.5, Math.max(2 * target, 1.5 * reach));
    }
  }
  const [base, aa, sens] = docs as [(typeof docs)[0], (typeof docs)[0], (typeof docs)[0]];
  const opts = {
    seed: SEED,
    runner: 'harness',
    resamples: loaded.contest.scoring.bootstrapResamples,
    confidence: 0.95,
  };
  const a = speedRatio(base.samples, aa.samples, opts)!;
  const s = speedRatio(base.samples, sens.samples, opts)!;
  const fmt = (r: typeof a) =>
    `${r.ratio.toFixed(4)} [${r.low.toFixed(4)}, ${r.high.toFixed(4)}] over ${r.pairs} pairs`;
  const halfWidth = Math.max(1 - a.low, a.high - 1);
  const m = medianOfPairRatios(base.samples.ms, aa.samples.ms);
  if (!aa.precision) {
    const why = aa.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
    throw new Error(`the A/A copy has no precision record (valid ${aa.valid}): ${why}`);
  }
  const p = aa.precision;
  const check = base.precision?.aa;
  const pct = (x: number | null | undefined) => `±${((x ?? NaN) * 100).toFixed(2)} %`;
  const seq = `${pct(p.halfWidth)} (per-look confidence ${p.confidence.toFixed(5)}) over ${p.pairs} pairs in ${p.seconds.toFixed(1)} s, stopped: ${p.stopped}, ${p.looksTaken}/${p.looks} looks; target ${pct(p.target)}`;
  return [
    ...refusals,
    {
      target: `A/A sequential: byte copy measured to the target (${pct(p.target)} within 60 s per submission)`,
      figure: `${seq}; the job's own A/A check: ${pct(check?.halfWidth)} over ${check?.pairs} pairs in ${check?.seconds.toFixed(1)} s, projected to the cap ${pct(check?.projectedHalfWidth)}`,
      pass: p.reached && p.target <= DEFAULT_HALF_WIDTH && aa.valid,
    },
    {
      target: 'A/A: byte copy speed ratio, 95 % interval contains 1 and within ±3 %',
      figure: `${fmt(a)}; widest side ±${(halfWidth * 100).toFixed(2)} %`,
      pass: a.low <= 1 && a.high >= 1 && halfWidth <= 0.03 && aa.valid,
    },
    {
      target: "for comparison only (not scoring's estimator): median of per-pair ratios, A/A",
      figure: `${m.ratio.toFixed(4)} [${m.low.toFixed(4)}, ${m.high.toFixed(4)}] (percentile bootstrap, 2000 resamples)`,
      pass: null,
    },
    {
      target: 'sensitivity: ~10 % slower variant reported slower, interval excludes 1',
      figure: `${fmt(s)} (baseline p50 ${base.summary?.p50Ms} ms, slow p50 ${sens.summary?.p50Ms} ms)${sens.valid ? '' : `; invalid: ${sens.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')}`}`,
      pass: s.high < 1 && sens.valid,
    },
    {
      target:
        'smallest slow-down detectable (interval excluding 1) at this precision: the A/A half-width reached (target 3 %)',
      figure: `${pct(p.halfWidth)} at the per-look confidence (the only slower catalogue variant is ~10 %; smaller slow-downs were not built)`,
      pass: (p.halfWidth ?? 1) <= 0.03,
    },
  ];
}

/**
 * Informational: the median of per-pair ratios base/sub with a percentile-bootstrap interval,
 * to show how much of the A/A width comes from outliers in scoring's ratio of sums.
 */
function medianOfPairRatios(base: readonly number[], sub: readonly number[]) {
  const n = Math.min(base.length, sub.length);
  const ratios = Array.from({ length: n }, (_, k) => base[k]! / sub[k]!);
  const rng = new SeedStream(SEED, 'harness/median-of-ratios');
  const estimates = Array.from({ length: 2000 }, () =>
    median(Array.from({ length: n }, () => ratios[rng.below(n)]!)),
  ).sort((x, y) => x - y);
  return {
    ratio: median(ratios),
    low: quantile(estimates, 0.025),
    high: quantile(estimates, 0.975),
  };
}

async function isolationStart(loaded: LoadedContest): Promise<Row> {
  const memoryLimitBytes = loaded.contest.limits.memoryBytes;
  const netns: number[] = [];
  const none: number[] = [];
  for (let i = 0; i < 10; i++) {
    for (const [isolation, list] of [
      ['netns', netns],
      ['none', none],
    ] as const) {
      const child = await Child.start({ isolation, memoryLimitBytes });
      list.push(child.startMs);
      await child.close();
    }
  }
  const n = median(netns);
  return {
    target: 'isolation start: spawn → ready → probe of an unshare -rn child (≤ 300 ms)',
    figure: `${n.toFixed(1)} ms median of 10 (same child without a namespace or probe: ${median(none).toFixed(1)} ms; isolation adds ${(n - median(none)).toFixed(1)} ms)`,
    pass: n <= 300,
  };
}

async function main(): Promise<void> {
  await ensureModels();
  const loaded = await loadContest(CONTEST);
  const machine = machineState();
  const started = performance.now();
  const model = await fetchArtifact(loaded.contest.baseline.model, {
    maxBytes: loaded.contest.limits.artifactBytes,
    baseDir: loaded.dir,
  });
  const rows = [
    await isolationStart(loaded),
    await overhead(loaded, model),
    ...(await aaAndSensitivity(
      loaded,
      modelPath('esrgan-medium-x2-copy'),
      modelPath('esrgan-medium-x2-slow'),
    )),
  ];
  const c = loaded.contest;
  console.log(
    `podium bench:harness · contest ${c.id} (${c.inputs.crop?.width}×${c.inputs.crop?.height} crops, ${c.runner.executionProvider} EP, ${c.runner.session.intraOpNumThreads} intra-op thread)`,
  );
  console.log(
    `onnxruntime-node ${ort.env.versions.common} · node ${process.version} · ${((performance.now() - started) / 1000) | 0} s`,
  );
  console.log(`${machine()}\n`);
  for (const r of rows) {
    const mark = r.pass === null ? 'INFO' : r.pass ? 'PASS' : 'FAIL';
    console.log(`${mark}  ${r.target}\n      ${r.figure}`);
  }
  if (rows.some((r) => r.pass === false)) process.exitCode = 1;
}

await main();
