/**
 * The measurement protocol (docs/design.md "Measurement rules"), in three phases:
 * 1. prepare — per model, one at a time: start the isolated child, create the session (timed),
 *    first inference (timed separately), warm-up runs (excluded), one accuracy pass whose
 *    outputs are kept for fidelity;
 * 2. interleave — blocks over every model still valid, on the same inputs in the same order,
 *    the models in a fresh seeded random order each block (so no model is systematically
 *    first, or systematically after a given other model), until both the minimum sample count
 *    and the minimum duration are reached; every sample is kept;
 * 3. finish — memory readings, then the children are stopped.
 * With more submissions than the runner keeps resident, protocol.ts repeats 1–3 per group of
 * submissions beside the one baseline child, numbering blocks on across groups
 * (docs/adr/0155-resident-groups.md).
 * A model that fails anywhere is marked with a reason and dropped; only the baseline failing
 * stops the job.
 */
import { createHash } from 'node:crypto';
import { Child } from './child/child.js';
import type { SessionSettings, WireTensor } from './child/protocol.js';
import { BenchError, ModelRejection } from './errors.js';
import type { PipelineLoad } from './inspect.js';
import { gpuMemoryOf, PowerSampler, type GpuInfo } from './gpu.js';
import { SeedStream } from '../tasks/seed-stream.js';
import { quantile } from './stats.js';
import { audited, auditBlock } from './audit.js';
import { warmUntilStable } from './tuning.js';
import type { BenchDocument } from '../documents/bench.js';

/** What a bench file records about sequential measurement. */
export type PrecisionRecord = NonNullable<BenchDocument['precision']>;

/** Every setting that changes the numbers; all come from the contest. */
export interface MeasureSettings {
  readonly executionProvider: 'cpu' | 'cuda';
  readonly session: SessionSettings;
  readonly warmupRuns: number;
  readonly minSamples: number;
  readonly minSeconds: number;
  readonly blockSize: number;
  /** Determinism audit (audit.ts): inputs audited and the largest difference allowed. */
  readonly audit: { readonly inputs: number; readonly maxAbsDiff: number };
  readonly loadTimeoutMs: number;
  readonly sampleTimeoutFactor: number;
  readonly memoryLimitBytes: number;
  readonly isolation: 'netns' | 'none';
  /** Command prefix pinning and prioritising the children (tuning.ts); empty for none. */
  readonly tuning: readonly string[];
  readonly gpu: GpuInfo | null;
  /** Round seed: each block runs the models in an order drawn from it. */
  readonly seed: string;
}

/** Progress lines for a human. */
export type Log = (line: string) => void;

/** Which blocks of the run one group of resident submissions was interleaved in. */
export interface ResidentGroup {
  readonly index: number;
  readonly firstBlock: number;
  readonly blocks: number;
}

/** One model going through the protocol, and everything measured about it. */
export class Contestant {
  child: Child | null = null;
  childStartMs: number | null = null;
  sessionMs: number | null = null;
  firstInferenceMs: number | null = null;
  /** Untimed-for-the-record runs before measurement: warm-up, then the accuracy pass. */
  readonly preMs: number[] = [];
  readonly samples = { input: [] as number[], block: [] as number[], ms: [] as number[] };
  /** Accuracy-pass outputs: kept for the baseline, dropped for a submission once judged. */
  outputs: (readonly WireTensor[])[] | null = null;
  /** Accuracy-pass outputs of the audited inputs, kept for the determinism audit. */
  auditOutputs: (readonly WireTensor[])[] = [];
  /** sha256 of each input's outputs (outputDigest), kept for the bench file. */
  outputDigests: string[] | null = null;
  failure: ModelRejection | null = null;
  /** A reason the model is invalid that does not stop its timing (miners' `--time-invalid`). */
  flaw: ModelRejection | null = null;
  peakRssBytes: number | null = null;
  gpuMemoryBytes: number | null = null;
  averageWatts: number | null = null;
  /** Sequential measurement's record for the bench file (null without a precision target). */
  precision: PrecisionRecord | null = null;
  /** The resident group a submission was measured in (null for the baseline). */
  group: ResidentGroup | null = null;
  readonly intervals: [number, number][] = [];

  /** Pipelines: milliseconds per role of every timed run, by role (ADR 0183). */
  readonly roleMs: Record<string, number[]> = {};

  constructor(
    readonly key: string,
    readonly path: string,
    readonly baseline: boolean,
    /** Pipelines: the checked graphs and knobs the child loads instead of `path`. */
    readonly pipeline?: PipelineLoad,
  ) {}

  /** True while the model is still in the running. */
  alive(): boolean {
    return this.failure === null && this.child !== null;
  }

  /** Marks the model as failed (first reason wins) and stops its child. */
  async reject(reason: ModelRejection): Promise<void> {
    this.failure ??= reason;
    await this.stop();
  }

  /** Stops the child, keeping its peak memory reading. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    this.peakRssBytes = child.peakRssBytes();
    await child.close();
  }
}

/**
 * Phase 1 for one model. `sampleTimeoutMs` is null for the baseline (its timings define the
 * limit). On a model problem the contestant is rejected; isolation failures (BenchError) and
 * a broken baseline throw.
 */
export async function prepare(
  c: Contestant,
  feeds: readonly (readonly WireTensor[])[],
  s: MeasureSettings,
  sampleTimeoutMs: number | null,
): Promise<void> {
  try {
    const child = await Child.start({
      isolation: s.isolation,
      memoryLimitBytes: s.memoryLimitBytes,
      tuning: s.tuning,
    });
    c.child = child;
    c.childStartMs = child.startMs;
    await child.setFeeds(feeds);
    const started = performance.now();
    const loaded = await child.load(
      c.path,
      s.executionProvider,
      s.session,
      s.loadTimeoutMs,
      c.pipeline,
    );
    c.sessionMs = loaded.ms;
    const remaining = Math.max(1, s.loadTimeoutMs - (performance.now() - started));
    const first = await child.run([0], { keep: false, limitMs: null, hardMs: remaining });
    c.firstInferenceMs = first.samples[0]?.ms ?? null;
    const warm = Array.from({ length: s.warmupRuns }, (_, i) => (i + 1) % feeds.length);
    if (warm.length > 0) {
      const w = await child.run(warm, { keep: false, limitMs: null, hardMs: s.loadTimeoutMs });
      c.preMs.push(...w.samples.map((x) => x.ms));
    }
    const warmMs = s.loadTimeoutMs;
    const more = await warmUntilStable(async (inputs) => {
      const r = await child.run(inputs, { keep: false, limitMs: null, hardMs: warmMs });
      return r.samples.map((x) => x.ms);
    }, feeds.length);
    c.preMs.push(...more);
    // The accuracy pass has no baseline beside it to tell machine noise from a slow model, so
    // only a hung run stops a submission here; strikes count in the interleaved blocks.
    const hardMs = sampleTimeoutMs === null ? s.loadTimeoutMs : hardLimit(sampleTimeoutMs);
    // One input per request: a message carries one sample's outputs, never the whole pass.
    const outputs: (readonly WireTensor[])[] = [];
    for (let i = 0; i < feeds.length; i++) {
      const acc = await child.run([i], { keep: true, limitMs: null, hardMs });
      c.preMs.push(...acc.samples.map((x) => x.ms));
      outputs.push(acc.outputs?.[0] ?? []);
    }
    c.outputs = outputs;
    c.auditOutputs = outputs.slice(0, s.audit.inputs);
    c.outputDigests = outputs.map(outputDigest);
  } catch (err) {
    if (!(err instanceof ModelRejection)) {
      await c.stop();
      throw err;
    }
    await c.reject(err);
  }
  if (c.baseline && c.failure) {
    throw new BenchError(
      'baseline-failed',
      `the baseline failed: ${c.failure.code}: ${c.failure.message}`,
    );
  }
}

/** Scheduling slack every per-sample limit allows at least (see sampleTimeout). */
export const MIN_TIMEOUT_SLACK_MS = 20;

/** A single run this many times over the (scaled) per-sample limit stops a model at once. */
export const HARD_FACTOR = 4;

/**
 * ...but never under this many ms: the hard limit is for a hung model, and the parent's clock
 * also counts the time a busy machine takes to schedule it and deliver the child's message.
 * A 35 µs model on a loaded 2-core runner was killed at 80 ms while the model itself was fine;
 * a model slower than the per-sample limit still stops after three strikes.
 */
export const MIN_HARD_MS = 2000;

/** The hard limit of one run for a per-sample limit of `limitMs`. */
export function hardLimit(limitMs: number): number {
  return Math.max(HARD_FACTOR * limitMs, MIN_HARD_MS);
}

/**
 * The baseline's reference time: the median of its runs before measurement (warm-up and
 * accuracy pass), a spike-resistant estimate of its mean; its first inference if none.
 */
export function baselineReference(baseline: Contestant): number {
  const times = [...baseline.preMs].sort((a, b) => a - b);
  if (times.length === 0) return baseline.firstInferenceMs ?? 1;
  return quantile(times, 0.5);
}

/**
 * The per-sample limit for submissions: `factor` × the baseline's reference time, but at
 * least the reference + MIN_TIMEOUT_SLACK_MS (a 4 ms limit on a 2 ms model is within one
 * scheduler time slice). Returns ms; recorded as settings.sampleTimeoutMs.
 */
export function sampleTimeout(baseline: Contestant, factor: number): number {
  const ref = baselineReference(baseline);
  return Math.max(factor * ref, ref + MIN_TIMEOUT_SLACK_MS);
}

/** Decides after each block whether to stop, from samples per model and seconds so far. */
export type Until = (samples: number, seconds: number) => boolean;

/** The fixed rule: stop once `minSamples` per model and `minSeconds` are both reached. */
export function fixedCounts(s: MeasureSettings): Until {
  return (samples, seconds) => samples >= s.minSamples && seconds >= s.minSeconds;
}

/** How one interleaved phase runs, beyond the settings. */
export interface InterleaveOptions {
  readonly log?: Log;
  /** Stopping rule (default fixedCounts): sees the pairs and seconds of this phase only. */
  readonly until?: Until;
  /** Block number of this phase's first block (default 0): blocks number on across groups. */
  readonly firstBlock?: number;
  /**
   * A GPU power sampler the caller runs across several phases (it then computes the watts);
   * without one, a sampler runs for this phase when a GPU is in use.
   */
  readonly power?: PowerSampler | null;
}

/**
 * Phase 2: interleaved blocks over `contestants`, in a seeded random order per block, until
 * `until` says so (by default `minSamples` per model and `minSeconds`). Inputs, the order
 * stream and the audit cycles count from this phase's own start; the recorded block numbers
 * from `firstBlock`. Returns the blocks run.
 */
export async function interleave(
  contestants: readonly Contestant[],
  inputs: number,
  s: MeasureSettings,
  sampleTimeoutMs: number,
  options: InterleaveOptions = {},
): Promise<number> {
  const log = options.log ?? (() => undefined);
  const until = options.until ?? fixedCounts(s);
  const firstBlock = options.firstBlock ?? 0;
  const own = options.power === undefined && s.gpu ? PowerSampler.start(s.gpu.index) : null;
  const base = contestants.find((c) => c.baseline);
  const reference = base ? baselineReference(base) : 1;
  const orders = new SeedStream(s.seed, 'podium/bench/order');
  const started = performance.now();
  let block = 0;
  let lastLog = started;
  try {
    for (;;) {
      const active = contestants.filter((c) => c.alive());
      const order = orders.shuffle(active);
      const batch = Array.from(
        { length: s.blockSize },
        (_, j) => (block * s.blockSize + j) % inputs,
      );
      const at = { local: block, recorded: firstBlock + block };
      for (const c of order) {
        const last = base?.samples.ms.at(-1);
        const slowdown = last === undefined ? 1 : Math.max(1, last / reference);
        await runBlock(c, batch, at, s, sampleTimeoutMs * slowdown, inputs);
      }
      block += 1;
      const seconds = (performance.now() - started) / 1000;
      if (performance.now() - lastLog > 2000) {
        lastLog = performance.now();
        log(`measuring: block ${block}, ${seconds.toFixed(1)} s, ${active.length} model(s)`);
      }
      if (until(block * s.blockSize, seconds)) break;
    }
  } finally {
    if (own) {
      for (const c of contestants) c.averageWatts = own.averageWatts(c.intervals);
      own.stop();
    }
  }
  return block;
}

/**
 * Runs one model's part of a block. A submission's per-sample limit arrives scaled by how much
 * slower than its reference the baseline's latest run was: when the whole machine slows down
 * (another process, throttling) the baseline shows it and nobody is stopped for it, while a
 * model that is itself slow stays over the limit.
 */
async function runBlock(
  c: Contestant,
  batch: readonly number[],
  at: { readonly local: number; readonly recorded: number },
  s: MeasureSettings,
  limitMs: number,
  inputs: number,
): Promise<void> {
  const child = c.child;
  if (!child) return;
  const block = at.recorded;
  const audit = (i: number) => audited(i, at.local, inputs, s.audit.inputs);
  const keep = !c.baseline && batch.some(audit);
  const opts = c.baseline
    ? { keep: false, limitMs: null, hardMs: s.loadTimeoutMs }
    : { keep, limitMs, hardMs: hardLimit(limitMs) };
  const t0 = performance.now();
  try {
    const r = await child.run(batch, opts);
    c.intervals.push([t0, performance.now()]);
    for (const x of r.samples) {
      c.samples.input.push(x.input);
      c.samples.block.push(block);
      c.samples.ms.push(x.ms);
      for (const [role, ms] of Object.entries(x.roles ?? {})) (c.roleMs[role] ??= []).push(ms);
    }
    const bad = keep ? auditBlock(c.auditOutputs, batch, block, r.outputs ?? [], s.audit) : null;
    if (bad) await c.reject(bad);
  } catch (err) {
    if (!(err instanceof ModelRejection)) throw err;
    await c.reject(err);
    if (c.baseline) {
      throw new BenchError('baseline-failed', `the baseline failed while measured: ${err.message}`);
    }
  }
}

/** Phase 3: GPU memory per child (when a GPU is in use), then every child is stopped. */
export async function finish(
  contestants: readonly Contestant[],
  s: MeasureSettings,
): Promise<void> {
  for (const c of contestants) {
    const pid = c.child?.ready.pid;
    if (s.gpu && pid !== undefined) c.gpuMemoryBytes = await gpuMemoryOf(pid);
    await c.stop();
  }
}

/** sha256 over one sample's outputs: name, type, dims and raw bytes of each, in name order. */
export function outputDigest(outputs: readonly WireTensor[]): string {
  const hash = createHash('sha256');
  for (const t of [...outputs].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(`${t.name}:${t.type}:${t.dims.join('x')}:`);
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest('hex');
}
