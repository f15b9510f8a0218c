/**
 * `npm run bench:harness` — the benchmark engine's performance targets (issues 4 and 20),
 * measured in one run on this machine:
 *
 * 1. isolation start: spawn → ready → probe of an `unshare -rn` child (target ≤ 300 ms), next
 *    to the same child started without a namespace;
 * 2. harness overhead: the baseline through podium's isolated child vs a bare `session.run`
 *    loop, both on the job's measured core and priority, a block of each per round over the same inputs
 *    (order alternating), as the median of the per-run ratios, with a bootstrap over the
 *    rounds giving the estimator's own noise
 *    (target ≤ 0.5 % with that noise below ±0.5 %);
 * 3. A/A to the default precision (±1 % within 60 s per submission, ADR 0140): the job's own
 *    A/A check, and when it refuses the runner, the refusal with its figures and a run at a
 *    target the runner can reach; the half-width reached, pairs, seconds and why it stopped;
 * 4. sensitivity, measured in the same run beside the A/A copy: the ~10 % and the ~1.5 %
 *    slower variants (3 identity 3×3 and 4 identity 1×1 convolutions) must be reported slower
 *    with an interval excluding 1 (the smallest slow-down detected, target 3 %).
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
import { median, quantile } from '../src/bench/stats.js';
import { loadContest, type LoadedContest } from '../src/contest/load.js';
import { ensureModels, modelPath } from '../src/models/build.js';
import { REPO_ROOT } from '../src/version.js';
import { machineState } from './machine.js';
import { pairedRatio, pinBothLoops } from './paired.js';

const SEED = '0x' + 'd1'.repeat(32);
/** The default precision target the harness measures to: ±1 % (issue 20). */
const DEFAULT_HALF_WIDTH = 0.01;
const CONTEST = join(REPO_ROOT, 'contests', 'sr-x2-demo');
/** Submissions in the A/A and sensitivity run: the byte copy, the ~10 % and ~1.5 % slower variants. */
const SUBMISSIONS = 3;

interface Row {
  readonly target: string;
  readonly figure: string;
  /** null: informational, no target. */
  readonly pass: boolean | null;
}

/**
 * Rounds and runs per side per round of the overhead estimate: 1,600 runs a side, paired run by
 * run on the same input (bench/paired.ts). Blocks of 2 keep the two loops a few ms apart.
 */
const OVERHEAD_ROUNDS = 800;
const OVERHEAD_BLOCK = 2;

async function overhead(loaded: LoadedContest, model: string): Promise<Row> {
  const c = loaded.contest;
  const inputs = await roundInputs(loaded, SEED);
  const feeds = inputs.samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
  // Both loops on the job's measured core and priority: otherwise it compares two cores.
  const pin = pinBothLoops();
  const bare = await ort.InferenceSession.create(
    model,
    sessionOptions(c.runner.executionProvider, c.runner.session),
  );
  const bareFeeds = inputs.samples.map((s) =>
    Object.fromEntries(s.feeds.map((f) => [f.name, new ort.Tensor(f.type, f.data, [...f.dims])])),
  );
  const child = await Child.start({
    isolation: 'netns',
    memoryLimitBytes: c.limits.memoryBytes,
    tuning: pin.tuning,
  });
  await child.setFeeds(feeds);
  await child.load(model, c.runner.executionProvider, c.runner.session, 60_000);
  const block = OVERHEAD_BLOCK;
  const runBare = async (offset: number) => {
    const ms: number[] = [];
    for (let i = 0; i < block; i++) {
      const t0 = process.hrtime.bigint();
      await bare.run(bareFeeds[(offset + i) % bareFeeds.length]!);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return ms;
  };
  const runChild = async (offset: number) => {
    const indices = Array.from({ length: block }, (_, i) => (offset + i) % feeds.length);
    const r = await child.run(indices, { keep: false, limitMs: null, hardMs: 60_000 });
    return r.samples.map((s) => s.ms);
  };
  for (let w = 0; w < 10; w++) {
    await runBare(w * block);
    await runChild(w * block);
  }
  // Paired by round (bench/paired.ts): a bare block and a child block back to back over the
  // same inputs, the order alternating, so drift between rounds cancels inside each pair.
  const bareMs: number[] = [];
  const childMs: number[] = [];
  for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
    const offset = round * block;
    if (round % 2 === 0) {
      bareMs.push(...(await runBare(offset)));
      childMs.push(...(await runChild(offset)));
    } else {
      childMs.push(...(await runChild(offset)));
      bareMs.push(...(await runBare(offset)));
    }
  }
  await child.close();
  await bare.release();
  pin.release();
  const { ratio, low, high, rounds } = pairedRatio(
    childMs,
    bareMs,
    block,
    SEED,
    'harness/overhead',
  );
  const noise = (high - low) / 2;
  const pooled = median(childMs) / median(bareMs);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return {
    target:
      'harness overhead: isolated child / bare session.run, paired by round (≤ 0.5 %), the estimator noise below ±0.5 %',
    figure: `${ratio.toFixed(4)} [${low.toFixed(4)}, ${high.toFixed(4)}] (overhead ${pct(ratio - 1)}, upper bound ${pct(high - 1)}, estimator ±${pct(noise)}; median of ${childMs.length} per-run ratios paired on the same input, ${rounds} rounds of ${block} a side, ${pin.where}; pooled p50s: child ${median(childMs).toFixed(3)} ms, bare ${median(bareMs).toFixed(3)} ms, ratio ${pooled.toFixed(4)})`,
    pass: ratio <= 1.005 && noise < 0.005,
  };
}

async function aaAndSensitivity(
  loaded: LoadedContest,
  copy: string,
  slow: string,
  slight: string,
): Promise<Row[]> {
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
        {
          role: 'submission',
          hotkey: null,
          uid: 3,
          model: artifact('esrgan-medium-x2-slightly-slow', slight),
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
  type Doc = (typeof docs)[0];
  const [base, aa, sens, small] = docs as [Doc, Doc, Doc, Doc];
  const opts = {
    seed: SEED,
    runner: 'harness',
    resamples: loaded.contest.scoring.bootstrapResamples,
    confidence: 0.95,
  };
  const a = speedRatio(base.samples, aa.samples, opts)!;
  const s = speedRatio(base.samples, sens.samples, opts)!;
  // The smallest slow-down: at the per-look confidence the bench stopped on, as the precision
  // target's coverage is stated there (ADR 0140), and at the contest's 95 % for comparison.
  const looked = { ...opts, confidence: aa.precision?.confidence ?? 0.95 };
  const sl = speedRatio(base.samples, small.samples, looked)!;
  const sl95 = speedRatio(base.samples, small.samples, opts)!;
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
  const seq = `${pct(p.halfWidth)} (per-look confidence ${p.confidence.toFixed(5)}) over ${p.pairs} pairs in ${p.seconds.toFixed(1)} s (${(p.seconds / SUBMISSIONS).toFixed(1)} s per submission), stopped: ${p.stopped}, ${p.looksTaken}/${p.looks} looks; target ${pct(p.target)}`;
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
        'smallest slow-down detected: the ~1.5 % slower variant (four identity 1×1 convolutions) reported slower, interval excluding 1 (target 3 %)',
      figure: `${fmt(sl)} at the per-look confidence ${looked.confidence.toFixed(5)}, ${fmt(sl95)} at 95 % — a slow-down of ${((1 / sl.ratio - 1) * 100).toFixed(2)} % (slightly slow p50 ${small.summary?.p50Ms} ms)${small.valid ? '' : `; invalid: ${small.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')}`}`,
      pass: sl.high < 1 && 1 / sl.ratio - 1 <= 0.035 && small.valid,
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
      modelPath('esrgan-medium-x2-slightly-slow'),
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
