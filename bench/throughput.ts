/**
 * `npm run bench:throughput` — the throughput harness (src/bench/load.ts, docs/adr/0175)
 * measured in one run on this machine:
 *
 * 1. the harness's own ceiling: a no-op model (one Identity node) served through an isolated
 *    child under the contest's load (concurrency 1 and the contest's, batched), against a bare
 *    in-process loop over the same queries and batches: how close the harness gets to the limit;
 * 2. the A/A interval of the throughput measure: the baseline against a byte copy of itself
 *    through the full benchmark (windows interleaved, paired bootstrap over windows, as score.json
 *    computes it);
 * 3. the demo models against the baseline at concurrency 1 and at the contest's concurrency: the
 *    faster one is faster at both, the batch-sensitive one only at concurrency 1.
 *
 * Nothing is hard-coded: every figure is measured now, with the load average beside it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Child } from '../src/bench/child/child.js';
import { sessionOptions } from '../src/bench/child/options.js';
import type { WireTensor } from '../src/bench/child/protocol.js';
import { roundInputs } from '../src/bench/inputs.js';
import { QueryStream } from '../src/bench/load.js';
import { benchmarkModels, type Subject } from '../src/bench/run.js';
import { loadContest, type LoadedContest } from '../src/contest/load.js';
import { ensureModels, modelPath, sha256 } from '../src/models/build.js';
import type { ModelName } from '../src/models/variants.js';
import { floatValueInfo, graph, model, node, serialize } from '../src/models/onnx.js';
import { speedRatio } from '../src/score/ratio.js';
import { REPO_ROOT } from '../src/version.js';
import { machineState } from './machine.js';

const SEED = '0x' + '7a'.repeat(32);
const CONTEST = join(REPO_ROOT, 'contests', 'mnist-throughput-demo');
/** Seconds of load per side and setting for the ceiling. */
const CEILING_SECONDS = 2;

function noopModel(): Uint8Array {
  const g = graph({
    name: 'noop',
    node: [node('Identity', 'noop', ['image'], ['probabilities'])],
    initializer: [],
    input: [floatValueInfo('image', ['N', 28, 28, 1])],
    output: [floatValueInfo('probabilities', ['N', 28, 28, 1])],
  });
  return serialize(
    model(g, {
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: 'podium bench:throughput',
      producerVersion: '1',
      docString: 'no-op: the harness ceiling',
      metadata: {},
    }),
  );
}

/**
 * The ceiling at `concurrency` (batch = concurrency): the same query windows served alternately
 * by an isolated child (its own clock, and the parent's around each request) and by a bare
 * in-process loop over the same batches, so drift on the machine hits both sides alike.
 * Returns samples/s of each.
 */
async function ceiling(
  file: string,
  loaded: LoadedContest,
  feeds: readonly (readonly WireTensor[])[],
  concurrency: number,
): Promise<{ child: number; parent: number; bare: number }> {
  const c = loaded.contest;
  const options = sessionOptions(c.runner.executionProvider, c.runner.session);
  const bare = await ort.InferenceSession.create(file, options);
  const tensors = feeds.map((f) => f[0]!.data as Float32Array);
  const child = await Child.start({ isolation: 'netns', memoryLimitBytes: c.limits.memoryBytes });
  try {
    await child.setFeeds(feeds);
    await child.load(file, c.runner.executionProvider, c.runner.session, 60_000);
    const queries = new QueryStream(SEED, feeds.length);
    const w = c.measurement.load!.windowQueries;
    const ms = { child: 0, parent: 0, bare: 0 };
    let served = 0;
    for (let k = 0; Math.min(ms.child, ms.bare) < CEILING_SECONDS * 1000; k++) {
      const inputs = queries.slice(k * w, (k + 1) * w);
      const t0 = performance.now();
      const r = await child.serve(inputs, {
        concurrency,
        maxBatch: concurrency,
        keep: [],
        hardMs: 60_000,
      });
      ms.parent += performance.now() - t0;
      ms.child += r.wallMs;
      const t1 = performance.now();
      for (let i = 0; i < inputs.length; i += concurrency) {
        const part = inputs.slice(i, i + concurrency);
        const data = new Float32Array(part.length * 784);
        part.forEach((q, j) => data.set(tensors[q]!, j * 784));
        await bare.run({ image: new ort.Tensor('float32', data, [part.length, 28, 28, 1]) });
      }
      ms.bare += performance.now() - t1;
      served += inputs.length;
    }
    const rate = (x: number) => served / (x / 1000);
    return { child: rate(ms.child), parent: rate(ms.parent), bare: rate(ms.bare) };
  } finally {
    await child.close();
    await bare.release();
  }
}

/** The demo contest in a temp folder at `concurrency` (shorter minimums for a benchmark). */
async function contestAt(concurrency: number, root: string): Promise<LoadedContest> {
  const data = JSON.parse(await readFile(join(CONTEST, 'contest.json'), 'utf8'));
  data.baseline.model.url = `file://${modelPath('mnist-load-baseline')}`;
  data.measurement.load.concurrency = concurrency;
  const dir = join(root, `c${concurrency}`, data.id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'contest.json'), JSON.stringify(data));
  return loadContest(dir);
}

async function subject(name: ModelName, uid: number): Promise<Subject> {
  const bytes = await readFile(modelPath(name));
  return {
    role: 'submission',
    hotkey: null,
    uid,
    model: { url: `file://${modelPath(name)}`, sha256: sha256(bytes), bytes: bytes.length },
  };
}

const fmtRatio = (r: { ratio: number; low: number; high: number; pairs: number }) =>
  `${r.ratio.toFixed(3)}× [${r.low.toFixed(3)}, ${r.high.toFixed(3)}] over ${r.pairs} windows`;

async function main(): Promise<void> {
  await ensureModels();
  const machine = machineState();
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'podium-bench-throughput-'));
  try {
    const loaded = await loadContest(CONTEST);
    const load = loaded.contest.measurement.load!;
    const inputs = await roundInputs(loaded, SEED);
    const feeds = inputs.samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
    const noop = join(root, 'noop.onnx');
    await writeFile(noop, noopModel());
    const lines: string[] = [];
    for (const concurrency of [1, load.concurrency]) {
      const r = await ceiling(noop, loaded, feeds, concurrency);
      lines.push(
        `ceiling, no-op model, concurrency ${concurrency} (batch ${concurrency}), alternating windows: harness ${r.child.toFixed(0)} samples/s by the child's clock (${r.parent.toFixed(0)} by the parent's, IPC per window included) vs bare in-process loop ${r.bare.toFixed(0)} samples/s: ${(r.child / r.bare).toFixed(3)} (${(r.parent / r.bare).toFixed(3)}) of the bare loop`,
      );
    }
    const opts = {
      seed: SEED,
      runner: 'bench',
      resamples: loaded.contest.scoring.bootstrapResamples,
      confidence: loaded.contest.scoring.confidence,
    };
    for (const concurrency of [1, load.concurrency]) {
      const c = await contestAt(concurrency, root);
      const base: Subject = {
        role: 'baseline',
        hotkey: null,
        uid: null,
        model: c.contest.baseline.model,
      };
      const names = ['mnist-load-baseline', 'mnist-load-fast', 'mnist-load-solo'] as const;
      const subs = await Promise.all(names.map((n, i) => subject(n, i + 1)));
      const docs = await benchmarkModels(
        c,
        { id: '2025-01-01', seed: SEED, contestSha256: '0'.repeat(64) },
        [base, ...subs],
        { runnerName: 'bench' },
      );
      const [b, ...rest] = docs;
      const sps = (d: (typeof docs)[0]) => d.throughput?.samplesPerSecond?.toFixed(0) ?? '–';
      lines.push(
        `concurrency ${concurrency}: baseline ${sps(b!)} samples/s, p99 ${b!.throughput?.latencyMs?.percentile} ms (bound ${load.latencyBoundMs} ms), ${b!.throughput?.queries} queries in ${b!.throughput?.seconds} s, stopped: ${b!.throughput?.stopped}`,
      );
      rest.forEach((d, i) => {
        const r = speedRatio(b!.samples, d.samples, opts);
        const label = i === 0 ? 'A/A (byte copy of the baseline)' : names[i]!;
        const why = d.valid ? '' : ` — invalid: ${d.reasons.map((x) => x.code).join(', ')}`;
        lines.push(
          `  ${label}: ${sps(d)} samples/s, throughput ratio ${r ? fmtRatio(r) : '–'}${i === 0 && r ? `, A/A half-width ±${(100 * Math.max(1 - r.low, r.high - 1)).toFixed(2)} %` : ''}${why}`,
        );
      });
    }
    console.log(
      `podium bench:throughput · contest ${loaded.contest.id} · ${load.windowQueries} queries per window · onnxruntime-node ${ort.env.versions.common} · ${((performance.now() - started) / 1000) | 0} s`,
    );
    console.log(`${machine()}\n`);
    for (const l of lines) console.log(l);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
