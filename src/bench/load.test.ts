/**
 * Throughput under load (load.ts) on the throughput contest's real models, real onnxruntime
 * and real `unshare -rn` children: one benchmark of the baseline with every variant, then each
 * behaviour on its document; and the bad inputs, each refused before any submission runs.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContest, type LoadedContest } from '../contest/load.js';
import type { BenchDocument } from '../documents/bench.js';
import { BenchSchema } from '../documents/bench.js';
import type { ModelName } from '../models/variants.js';
import { validateDocument } from '../schemas/validate.js';
import { REPO_ROOT } from '../version.js';
import { BenchError } from './errors.js';
import { roundInputs } from './inputs.js';
import { checkCapacity, measureLoad, tailDecision, type LoadSettings } from './load.js';
import { Contestant, prepare, type MeasureSettings } from './measure.js';
import { modelPath } from '../models/build.js';
import { benchmarkModels, type Subject } from './run.js';
import { demoModel } from './testing/contest.js';
import { demoSubjects } from './testing/round.js';

const SEED = '0x' + '10'.repeat(32);
/** Queries per window in these tests. */
const W = 256;
const VARIANTS = [
  'mnist-load-fast',
  'mnist-load-solo',
  'mnist-load-garbage',
] as const satisfies readonly ModelName[];
type Json = Record<string, unknown>;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The demo throughput contest in a temp folder, with `load` edited and short minimums. */
async function contest(edit: (load: Json, c: Json) => void = () => undefined) {
  const file = join(REPO_ROOT, 'contests', 'mnist-throughput-demo', 'contest.json');
  const data = JSON.parse(await readFile(file, 'utf8')) as Json;
  (data.baseline as Json).model = await demoModel('mnist-load-baseline');
  (data.inputs as Json).samplesPerRound = 64;
  const measurement = data.measurement as Json;
  const load = measurement.load as Json;
  Object.assign(load, { windowQueries: W, minQueries: 1024, minSeconds: 0.1 });
  edit(load, data);
  const root = await mkdtemp(join(tmpdir(), 'podium-load-'));
  dirs.push(root);
  const dir = join(root, String(data.id));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'contest.json'), JSON.stringify(data, null, 2));
  return loadContest(dir);
}

function subjects(loaded: LoadedContest): Promise<Subject[]> {
  return demoSubjects(loaded.contest.baseline.model, VARIANTS);
}

const round = { id: '2025-06-01', seed: SEED, contestSha256: 'c'.repeat(64) };
let docs: Map<string, BenchDocument>;

beforeAll(async () => {
  const loaded = await contest();
  const out = await benchmarkModels(loaded, round, await subjects(loaded), {
    runnerName: 'test-runner',
  });
  docs = new Map(out.map((d, i) => [i === 0 ? 'baseline' : VARIANTS[i - 1]!, d]));
}, 120_000);

describe('throughput under load', () => {
  it('records one schema-valid window per round and the throughput of every query served', () => {
    for (const d of docs.values()) expect(validateDocument(BenchSchema, d)).toEqual([]);
    const base = docs.get('baseline')!;
    const t = base.throughput!;
    expect(t).toMatchObject({ concurrency: 8, batching: 'dynamic', meetsBound: true });
    expect(t.queries).toBe(base.samples.ms.length * W);
    expect(t.queries).toBeGreaterThanOrEqual(512);
    expect(t.meanBatch).toBe(8);
    expect(t.verified.queries).toHaveLength(16);
    // ms per sample of each window: the throughput is queries over their sum.
    const seconds = base.samples.ms.reduce((a, b) => a + b, 0) * W;
    expect(t.samplesPerSecond! / (t.queries / (seconds / 1000))).toBeCloseTo(1, 2);
    expect(new Set(base.samples.input)).toEqual(new Set([0]));
  });

  it('keeps the faster model and the batch-sensitive one valid, paired window by window', () => {
    for (const name of ['mnist-load-fast', 'mnist-load-solo']) {
      const d = docs.get(name)!;
      expect(d.reasons).toEqual([]);
      expect(d.valid).toBe(true);
      expect(d.samples.block).toEqual(docs.get('baseline')!.samples.block);
      expect(d.throughput!.verified.worst).toBeGreaterThan(0.999);
    }
  });

  it('refuses the model that is exact at batch 1 but returns garbage in a batch', () => {
    const d = docs.get('mnist-load-garbage')!;
    expect(d.fidelity!.passed).toBe(true);
    expect(d.valid).toBe(false);
    expect(d.reasons[0]!.code).toBe('load-outputs');
    expect(d.reasons[0]!.message).toMatch(
      /outputs under load \(concurrency 8, batching dynamic\) differ from the baseline's for the same inputs: query \d+ of the stream, input \d+ \(mnist #\d+\): cosine [0-9.e-]+ is below the threshold 0\.999/,
    );
  });
});

describe('streams', () => {
  it('serves the stream over two isolated children, each its share of the queries in flight', async () => {
    const loaded = await contest((load) =>
      Object.assign(load, { streams: 2, minQueries: 256, minSeconds: 0 }),
    );
    const c = loaded.contest;
    const { samples } = await roundInputs(loaded, SEED);
    const feeds = samples.map((x) => x.feeds.map((f) => ({ ...f })));
    const settings: MeasureSettings = {
      executionProvider: 'cpu',
      session: c.runner.session,
      warmupRuns: 1,
      minSamples: 2,
      minSeconds: 0,
      blockSize: 1,
      audit: { inputs: 0, maxAbsDiff: 0 },
      loadTimeoutMs: 60_000,
      sampleTimeoutFactor: 4,
      memoryLimitBytes: c.limits.memoryBytes,
      isolation: 'netns',
      tuning: [],
      gpu: null,
      seed: SEED,
    };
    const base = new Contestant('baseline', modelPath('mnist-load-baseline'), true);
    try {
      await prepare(base, feeds, settings, null);
      const ctx = { loaded, samples, settings, log: () => undefined };
      const t = (await measureLoad([base], feeds, ctx)).get(base)!;
      // 8 in flight over 2 streams: batches of 4; every query of every window served once.
      expect(t).toMatchObject({ streams: 2, concurrency: 8, meanBatch: 4, stopped: 'minimum' });
      expect(t.queries).toBe(base.samples.ms.length * W);
      // The verified positions, split over both streams, map back to their own inputs.
      expect(t.verified.worst).toBeGreaterThan(0.999);
      // Early stopping: far short of a huge minQueries once the share over the bound is decided.
      const early = await contest((load) =>
        Object.assign(load, { streams: 2, minQueries: 1_000_000, minSeconds: 0 }),
      );
      for (const list of Object.values(base.samples)) list.length = 0;
      const e = (await measureLoad([base], feeds, { ...ctx, loaded: early })).get(base)!;
      expect(e.stopped).toBe('decided-early');
      expect(e.overBound).toBe(0);
      expect(e.queries).toBeLessThan(5 * W);
    } finally {
      await base.stop();
    }
  }, 60_000);
});

describe('bad load settings', () => {
  it('refuses a latency bound the baseline cannot meet, with its figure, before any submission', async () => {
    const loaded = await contest((load) => Object.assign(load, { latencyBoundMs: 0.001 }));
    const logs: string[] = [];
    const run = benchmarkModels(loaded, round, await subjects(loaded), {
      log: (l) => logs.push(l),
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchError);
    expect((err as BenchError).code).toBe('latency-bound');
    expect((err as Error).message).toMatch(
      /contest\.json: \/measurement\/load\/latencyBoundMs 0\.001 cannot be met by the baseline on this runner: its p99 latency is [0-9.]+ ms at concurrency 8 .*no submission was measured/,
    );
    expect(logs.some((l) => l.startsWith('loading uid'))).toBe(false);
  }, 60_000);

  it('refuses streams the runner cannot give CPUs to, naming the field and both figures', async () => {
    const loaded = await contest((load) => Object.assign(load, { streams: 4, concurrency: 8 }));
    expect(() => checkCapacity(loaded, { cpus: 1, list: '1' })).toThrow(
      /\/measurement\/load\/streams 4 × runner.session.intraOpNumThreads 1 needs 4 CPUs for the measured children; this runner gives them 1 \(taskset 1\)/,
    );
    expect(() => checkCapacity(loaded, { cpus: 4, list: null })).not.toThrow();
  });

  it('refuses load settings the contest cannot serve', async () => {
    await expect(
      contest((load) => Object.assign(load, { concurrency: 6, streams: 4 })),
    ).rejects.toThrow(/\/measurement\/load\/concurrency must be a multiple of streams \(4\)/);
    await expect(
      contest((_, c) => {
        ((c.baseline as Json).io as { inputs: { shape: unknown[] }[] }).inputs[0]!.shape[0] = 1;
      }),
    ).rejects.toThrow(/\/baseline\/io\/inputs\/0\/shape\/0 must be a free dimension/);
  });
});

describe('early stopping', () => {
  const load = { percentile: 0.99, earlyStopping: 0.95 } as LoadSettings;
  it('decides the share over the bound only once its interval clears 1 − percentile', () => {
    expect(tailDecision(0, 50, load)).toBe('open');
    expect(tailDecision(0, 2000, load)).toBe('meets');
    expect(tailDecision(10, 200, load)).toBe('fails');
    expect(tailDecision(3, 200, load)).toBe('open');
  });
});
