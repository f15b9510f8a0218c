/**
 * Throughput under load (docs/adr/0175), after MLPerf LoadGen's server and offline scenarios:
 * every model serves the same seeded stream of queries as a closed loop with the contest's
 * concurrency (worker.ts `serve`), batched where the IO allows it, in windows of
 * `windowQueries` queries interleaved with the other models in a seeded order per round. Each
 * window becomes one bench sample, ms = window time / queries, so the paired bootstrap of
 * scoring's latency ratio over windows is the throughput ratio with its interval. Measuring
 * stops when every model has both MLPerf minimums (queries and seconds), or earlier once every
 * model is decided on the latency bound at the contest's early-stopping confidence. A model
 * whose latency percentile is over the bound, or whose outputs under load differ from the
 * baseline's for the same inputs, is refused; the baseline failing either stops the job.
 */
import type { Contest, LoadedContest } from '../contest/load.js';
import type { ThroughputRecord } from '../documents/bench.js';
import { SeedStream } from '../tasks/seed-stream.js';
import type { Sample } from '../tasks/types.js';
import { wilsonInterval } from '../score/wilson.js';
import { Child } from './child/child.js';
import type { WireTensor } from './child/protocol.js';
import { BenchError, ModelRejection } from './errors.js';
import { judgeFidelity, nonFinite, sampleName } from './judge.js';
import type { Contestant, Log, MeasureSettings } from './measure.js';
import { quantile } from './stats.js';

/** The contest's load settings (non-null). */
export type LoadSettings = NonNullable<Contest['measurement']['load']>;

/** CPUs the runner gives the measured children, and how it knows. */
export interface Capacity {
  readonly cpus: number;
  /** taskset list when pinned, else null (all of availableParallelism). */
  readonly list: string | null;
}

/**
 * Refuses a load the runner cannot provide: `streams` sessions of `intraOpNumThreads` threads
 * each need that many CPUs among those the measured children may use. Throws
 * BenchError('concurrency-unavailable') naming the contest file, the field and both figures.
 */
export function checkCapacity(loaded: LoadedContest, capacity: Capacity): void {
  const load = loaded.contest.measurement.load;
  if (!load) return;
  const threads = Math.max(1, loaded.contest.runner.session.intraOpNumThreads);
  const need = load.streams * threads;
  if (need <= capacity.cpus) return;
  const where = capacity.list === null ? '' : ` (taskset ${capacity.list})`;
  throw new BenchError(
    'concurrency-unavailable',
    `${loaded.file}: /measurement/load/streams ${load.streams} × runner.session.intraOpNumThreads ${threads} needs ${need} CPUs for the measured children; this runner gives them ${capacity.cpus}${where}. Lower the streams (concurrency ${load.concurrency} can be served by fewer streams with batching) or use a larger runner`,
  );
}

/** The query stream: the input index of every query position, the same for every model. */
export class QueryStream {
  private readonly stream: SeedStream;
  private readonly drawn: number[] = [];

  constructor(
    seed: string,
    private readonly inputs: number,
  ) {
    this.stream = new SeedStream(seed, 'podium/bench/load/queries');
  }

  /** Input indices of positions [from, to). */
  slice(from: number, to: number): number[] {
    while (this.drawn.length < to) this.drawn.push(this.stream.below(this.inputs));
    return this.drawn.slice(from, to);
  }
}

/** The positions of window 0 whose outputs are verified: distinct, drawn from the seed. */
export function verifyPositions(seed: string, load: LoadSettings): number[] {
  const all = Array.from({ length: load.windowQueries }, (_, i) => i);
  const picked = new SeedStream(seed, 'podium/bench/load/verify').shuffle(all);
  return picked.slice(0, Math.min(load.verifyQueries, all.length)).sort((a, b) => a - b);
}

/** One model's load state: its streams and everything measured under load. */
export class LoadRun {
  readonly extra: Child[] = [];
  readonly latencies: number[] = [];
  windows = 0;
  seconds = 0;
  runs = 0;
  overBound = 0;
  verifiedWorst: number | null = null;
  stopped: ThroughputRecord['stopped'] = 'minimum';

  constructor(readonly contestant: Contestant) {}

  /** Every stream's child: the contestant's own first. */
  children(): Child[] {
    return this.contestant.child ? [this.contestant.child, ...this.extra] : [];
  }

  async close(): Promise<void> {
    for (const c of this.extra.splice(0)) await c.close();
  }
}

/** What one window needs to know. */
interface WindowPlan {
  readonly load: LoadSettings;
  readonly queries: QueryStream;
  readonly hardMs: number;
  /** The bench block number of window 0 (windows run on across resident groups). */
  readonly firstBlock: number;
}

/**
 * Starts the extra streams of `run` (streams − 1 more isolated children with the same model and
 * feeds). A model problem rejects the contestant; anything else throws.
 */
export async function startStreams(
  run: LoadRun,
  feeds: readonly (readonly WireTensor[])[],
  s: MeasureSettings,
  load: LoadSettings,
): Promise<void> {
  const c = run.contestant;
  try {
    while (run.extra.length < load.streams - 1) {
      const child = await Child.start({
        isolation: s.isolation,
        memoryLimitBytes: s.memoryLimitBytes,
        tuning: s.tuning,
      });
      run.extra.push(child);
      await child.setFeeds(feeds);
      await child.load(c.path, s.executionProvider, s.session, s.loadTimeoutMs);
    }
  } catch (err) {
    if (!(err instanceof ModelRejection)) throw err;
    await c.reject(err);
  }
}

/**
 * Serves window `w` (query positions [w·W, (w+1)·W)) on every stream of `run`, round-robin by
 * position, and records it: one bench sample (block w, input 0, ms per query), the query
 * latencies, and — when `keep` — the outputs of the verified positions. Rejects like Child.serve.
 */
async function serveWindow(
  run: LoadRun,
  w: number,
  plan: WindowPlan,
  keep: readonly number[],
): Promise<Map<number, readonly WireTensor[]>> {
  const { load } = plan;
  const children = run.children();
  const n = load.windowQueries;
  const inputs = plan.queries.slice(w * n, (w + 1) * n);
  const perStream = load.concurrency / load.streams;
  const maxBatch = load.batching === 'dynamic' ? perStream : 1;
  const parts = children.map((child, s) => {
    const positions = inputs.map((_, p) => p).filter((p) => p % children.length === s);
    const mine = positions.filter((p) => keep.includes(p));
    return { child, positions, mine };
  });
  const served = await Promise.all(
    parts.map((part) =>
      part.child.serve(
        part.positions.map((p) => inputs[p]!),
        {
          concurrency: perStream,
          maxBatch,
          keep: part.mine.map((p) => part.positions.indexOf(p)),
          hardMs: plan.hardMs,
        },
      ),
    ),
  );
  const outputs = new Map<number, readonly WireTensor[]>();
  let wall = 0;
  served.forEach((r, s) => {
    wall = Math.max(wall, r.wallMs);
    run.runs += r.runs;
    for (const ms of r.latencyMs) {
      run.latencies.push(ms);
      if (ms > load.latencyBoundMs) run.overBound += 1;
    }
    parts[s]!.mine.forEach((p, k) => outputs.set(p, r.outputs[k] ?? []));
  });
  const c = run.contestant;
  c.samples.input.push(0);
  c.samples.block.push(plan.firstBlock + w);
  c.samples.ms.push(wall / n);
  run.windows += 1;
  run.seconds += wall / 1000;
  return outputs;
}

/** The latency percentile of everything `run` served so far (ms), or null before any query. */
export function latencyPercentile(run: LoadRun, p: number): number | null {
  if (run.latencies.length === 0) return null;
  return quantile(
    [...run.latencies].sort((a, b) => a - b),
    p,
  );
}

/** Early stopping at one-sided confidence γ: is the share over the bound decided, and how? */
export function tailDecision(
  over: number,
  n: number,
  load: LoadSettings,
): 'meets' | 'fails' | 'open' {
  if (n === 0) return 'open';
  const { lower, upper } = wilsonInterval(over, n, 2 * load.earlyStopping - 1);
  const allowed = 1 - load.percentile;
  if (lower > allowed) return 'fails';
  if (upper < allowed) return 'meets';
  return 'open';
}

/** Everything the load phase needs besides the models. */
export interface LoadContext {
  readonly loaded: LoadedContest;
  readonly samples: readonly Sample[];
  readonly settings: MeasureSettings;
  readonly log: Log;
}

/**
 * The baseline's calibration window, before any submission is loaded: its latency percentile
 * must be within the bound, and its outputs under load must match its own accuracy pass. The
 * window is not recorded. Throws BenchError('latency-bound' | 'baseline-failed') with the
 * baseline's figure.
 */
export async function calibrateBaseline(
  base: Contestant,
  feeds: readonly (readonly WireTensor[])[],
  ctx: LoadContext,
): Promise<void> {
  const load = ctx.loaded.contest.measurement.load!;
  const run = new LoadRun(base);
  try {
    await startStreams(run, feeds, ctx.settings, load);
    const plan = windowPlan(ctx, load);
    const keep = verifyPositions(ctx.settings.seed, load);
    const outputs = await serveWindow(run, 0, plan, keep);
    const bad = verify(ctx, base, plan, outputs).rejection;
    if (bad) throw new BenchError('baseline-failed', `the baseline under load: ${bad.message}`);
    const p = latencyPercentile(run, load.percentile)!;
    const sps = load.windowQueries / run.seconds;
    ctx.log(
      `load: baseline calibration ${fmt(sps)} samples/s, ${pct(load.percentile)} ${fmt(p)} ms (bound ${load.latencyBoundMs} ms)`,
    );
    if (p > load.latencyBoundMs) {
      throw new BenchError(
        'latency-bound',
        `${ctx.loaded.file}: /measurement/load/latencyBoundMs ${load.latencyBoundMs} cannot be met by the baseline on this runner: its ${pct(load.percentile)} latency is ${fmt(p)} ms at concurrency ${load.concurrency} (${load.streams} stream(s), batching ${load.batching}; ${fmt(sps)} samples/s over ${load.windowQueries} queries). Raise the bound, or lower the concurrency; no submission was measured`,
      );
    }
  } finally {
    base.samples.input.length = 0;
    base.samples.block.length = 0;
    base.samples.ms.length = 0;
    await run.close();
  }
}

/**
 * The load phase over every live contestant (baseline first in the list), interleaved in a
 * seeded order per round. Returns each contestant's throughput record; rejects submissions that
 * fail the bound or the verification, throws BenchError when the baseline does.
 */
export async function measureLoad(
  contestants: readonly Contestant[],
  feeds: readonly (readonly WireTensor[])[],
  ctx: LoadContext,
  firstBlock = 0,
): Promise<Map<Contestant, ThroughputRecord>> {
  const load = ctx.loaded.contest.measurement.load!;
  const plan = windowPlan(ctx, load, firstBlock);
  const keep = verifyPositions(ctx.settings.seed, load);
  const runs = contestants.filter((c) => c.alive()).map((c) => new LoadRun(c));
  const base = runs.find((r) => r.contestant.baseline);
  const orders = new SeedStream(ctx.settings.seed, 'podium/bench/load/order');
  try {
    for (const r of runs) await startStreams(r, feeds, ctx.settings, load);
    for (let w = 0; ; w++) {
      const live = runs.filter((r) => r.contestant.alive());
      for (const r of orders.shuffle(live)) await oneWindow(r, w, plan, keep, ctx, base);
      const stop = stopRule(
        runs.filter((r) => r.contestant.alive()),
        load,
      );
      if (stop) {
        for (const r of runs) if (r.contestant.alive()) r.stopped = stop;
        break;
      }
      if (w % 4 === 3) ctx.log(`load: round ${w + 1}, ${live.length} model(s)`);
    }
    for (const r of runs) await judgeBound(r, load, base);
  } finally {
    for (const r of runs) await r.close();
  }
  const measure = ctx.loaded.contest.scoring.similarity.measure;
  return new Map(runs.map((r) => [r.contestant, record(r, load, keep, measure)]));
}

async function oneWindow(
  r: LoadRun,
  w: number,
  plan: WindowPlan,
  keep: readonly number[],
  ctx: LoadContext,
  base: LoadRun | undefined,
): Promise<void> {
  try {
    const outputs = await serveWindow(r, w, plan, w === 0 ? keep : []);
    if (w === 0 && base) {
      const checked = verify(ctx, base.contestant, plan, outputs);
      r.verifiedWorst = checked.worst;
      if (checked.rejection) {
        r.stopped = 'failed';
        await rejectOrThrow(r, checked.rejection);
        return;
      }
    }
    if (tailDecision(r.overBound, r.latencies.length, plan.load) === 'fails') {
      r.stopped = 'failed-early';
      await rejectOrThrow(r, boundRejection(r, plan.load));
    }
  } catch (err) {
    if (!(err instanceof ModelRejection)) throw err;
    r.stopped = 'failed';
    await rejectOrThrow(r, err);
  }
}

/**
 * Judges the kept outputs under load against the baseline's accuracy-pass outputs for the same
 * inputs, with the task's judge and the contest's similarity measure and threshold. Returns the
 * rejection naming the query, or null.
 */
function verify(
  ctx: LoadContext,
  base: Contestant,
  plan: WindowPlan,
  outputs: ReadonlyMap<number, readonly WireTensor[]>,
): { rejection: ModelRejection | null; worst: number | null } {
  const positions = [...outputs.keys()].sort((a, b) => a - b);
  const inputs = plan.queries.slice(0, plan.load.windowQueries);
  const samples = positions.map((p) => ctx.samples[inputs[p]!]!);
  const mine = positions.map((p) => outputs.get(p)!);
  const theirs = positions.map((p) => base.outputs?.[inputs[p]!] ?? []);
  const nan = nonFinite(mine, samples);
  const judged = nan ? null : judgeFidelity(ctx.loaded.contest, theirs, mine, samples);
  const worst = judged?.fidelity?.worst.value ?? null;
  const why = nan ?? judged?.rejection ?? null;
  if (!why) return { rejection: null, worst };
  const k = judged?.fidelity?.worst.input;
  const query = k === undefined ? '' : ` query ${positions[k]} of the stream,`;
  const rejection = new ModelRejection(
    'load-outputs',
    `outputs under load (concurrency ${plan.load.concurrency}, batching ${plan.load.batching}) differ from the baseline's for the same inputs:${query} ${relabel(why.message, positions, inputs, ctx.samples)}`,
  );
  return { rejection, worst };
}

async function rejectOrThrow(r: LoadRun, why: ModelRejection): Promise<void> {
  await r.close();
  await r.contestant.reject(why);
  if (r.contestant.baseline) {
    throw new BenchError('baseline-failed', `the baseline under load: ${why.message}`);
  }
}

/** Why a model fails the bound, with its figures. */
function boundRejection(r: LoadRun, load: LoadSettings): ModelRejection {
  const p = latencyPercentile(r, load.percentile) ?? 0;
  return new ModelRejection(
    'latency-bound',
    `${pct(load.percentile)} latency ${fmt(p)} ms under load (concurrency ${load.concurrency}) is over the bound ${load.latencyBoundMs} ms: ${r.overBound} of ${r.latencies.length} queries over it`,
  );
}

/** After measuring: the percentile over every query decides. */
async function judgeBound(
  r: LoadRun,
  load: LoadSettings,
  base: LoadRun | undefined,
): Promise<void> {
  if (!r.contestant.alive()) return;
  const p = latencyPercentile(r, load.percentile);
  if (p !== null && p <= load.latencyBoundMs) return;
  const why = boundRejection(r, load);
  if (r === base) throw new BenchError('latency-bound', `the baseline: ${why.message}`);
  await r.contestant.reject(why);
}

/** When the load phase stops, or null to run another round. */
function stopRule(
  live: readonly LoadRun[],
  load: LoadSettings,
): ThroughputRecord['stopped'] | null {
  if (live.length === 0) return 'minimum';
  const minimum = live.every(
    (r) => r.latencies.length >= load.minQueries && r.seconds >= load.minSeconds,
  );
  if (minimum) return 'minimum';
  const decided = live.every(
    (r) =>
      r.seconds >= load.minSeconds &&
      tailDecision(r.overBound, r.latencies.length, load) !== 'open',
  );
  return decided ? 'decided-early' : null;
}

function windowPlan(ctx: LoadContext, load: LoadSettings, firstBlock = 0): WindowPlan {
  return {
    load,
    queries: new QueryStream(ctx.settings.seed, ctx.samples.length),
    hardMs: ctx.settings.loadTimeoutMs,
    firstBlock,
  };
}

function record(
  r: LoadRun,
  load: LoadSettings,
  keep: readonly number[],
  measure: ThroughputRecord['verified']['measure'],
): ThroughputRecord {
  const n = r.latencies.length;
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    concurrency: load.concurrency,
    streams: load.streams,
    batching: load.batching,
    latencyBoundMs: load.latencyBoundMs,
    percentile: load.percentile,
    queries: n,
    seconds: round3(r.seconds),
    samplesPerSecond: r.seconds > 0 ? round3(n / r.seconds) : null,
    latencyMs:
      n > 0
        ? {
            p50: round3(quantile(sorted, 0.5)),
            percentile: round3(quantile(sorted, load.percentile)),
            max: round3(sorted[n - 1]!),
          }
        : null,
    overBound: r.overBound,
    meetsBound: n > 0 && quantile(sorted, load.percentile) <= load.latencyBoundMs,
    meanBatch: r.runs > 0 ? round3(n / r.runs) : null,
    stopped: r.stopped,
    verified: { queries: [...keep], measure, worst: r.verifiedWorst },
  };
}

/**
 * The judge names samples by their index among the verified ones ("input 3"); this names the
 * round's input instead ("input 812 (mnist #8812)").
 */
function relabel(
  message: string,
  positions: readonly number[],
  inputs: readonly number[],
  samples: readonly Sample[],
): string {
  return message.replace(/^input (\d+)(?: \([^)]*\))?/, (_, k: string) =>
    sampleName(samples, inputs[positions[Number(k)]!]!),
  );
}

function pct(p: number): string {
  return `p${Math.round(p * 1000) / 10}`;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
