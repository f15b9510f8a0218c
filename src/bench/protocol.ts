/**
 * The measurement protocol over one run's checked subjects: the baseline is prepared (and the
 * A/A check run) once, then the submissions are measured in resident groups beside it
 * (resident.ts, docs/adr/0155-resident-groups.md): each is prepared and judged for fidelity as
 * it is loaded, each group interleaved with the one baseline session and stopped before the
 * next is loaded. Only a broken runner or baseline throws (BenchError).
 */
import type { LoadedContest } from '../contest/load.js';
import type { WireTensor } from './child/protocol.js';
import { BenchError, ModelRejection } from './errors.js';
import { PowerSampler } from './gpu.js';
import type { Sample } from './inputs.js';
import { judgeFidelity, nonFinite } from './judge.js';
import {
  Contestant,
  finish,
  interleave,
  prepare,
  sampleTimeout,
  type Log,
  type MeasureSettings,
  type PrecisionRecord,
} from './measure.js';
import {
  precisionTarget,
  type AaVerdict,
  type LookEstimator,
  type PrecisionTarget,
} from './precision.js';
import { measureInGroups } from './resident.js';
import { aaCheck, mergeBaselinePrecision, untilPrecise } from './sequential.js';
import type { Checked } from './subjects.js';
import { taskOf } from '../tasks/registry.js';
import type { ThroughputRecord } from '../documents/bench.js';
import { calibrateBaseline, measureLoad } from './load.js';

/** Each measured model's fidelity (null where the task could not judge it). */
export type FidelityByModel = Map<Contestant, ReturnType<typeof judgeFidelity>['fidelity']>;

/** How the protocol runs, beyond the settings. */
export interface ProtocolOptions {
  readonly log: Log;
  /** Keep timing a submission whose fidelity failed (`podium bench --time-invalid`). */
  readonly timeInvalid: boolean;
  /** The runner name scoring's bootstrap is seeded with. */
  readonly runner: string;
}

/** What the groups share: the round's feeds, the baseline and the limits derived from it. */
interface Bench {
  readonly loaded: LoadedContest;
  readonly samples: readonly Sample[];
  readonly feeds: readonly (readonly WireTensor[])[];
  readonly settings: MeasureSettings;
  readonly options: ProtocolOptions;
  readonly fidelity: FidelityByModel;
  readonly target: PrecisionTarget | null;
  readonly estimator: LookEstimator;
  readonly base: Contestant;
  readonly timeout: number;
  readonly aa: AaVerdict | null;
  /** Contests measured under load: each model's throughput record (load.ts). */
  readonly throughput: Map<Contestant, ThroughputRecord>;
}

/**
 * Measures the runnable subjects of `checked` (the baseline first), recording each contestant
 * in `contestants` as it is created (the caller stops whatever is left). Returns the
 * per-sample limit and each model's fidelity.
 */
export async function measureSubjects(
  loaded: LoadedContest,
  checked: readonly Checked[],
  contestants: Map<Checked, Contestant>,
  samples: readonly Sample[],
  settings: MeasureSettings,
  options: ProtocolOptions,
): Promise<{
  sampleTimeoutMs: number;
  fidelity: FidelityByModel;
  throughput: Map<Contestant, ThroughputRecord>;
}> {
  const runnable = checked.filter((x) => x.path !== null && x.inspected.reasons.length === 0);
  const contestant = (item: Checked): Contestant => {
    const s = item.subject;
    const key = s.hotkey ?? (s.uid !== null ? `uid ${s.uid}` : s.role);
    options.log(`loading ${key}`);
    const c = new Contestant(
      key,
      item.path as string,
      s.role === 'baseline',
      item.inspected.pipeline,
    );
    contestants.set(item, c);
    return c;
  };
  const baseItem = runnable.find((x) => x.subject.role === 'baseline');
  if (!baseItem) throw new BenchError('baseline-failed', 'the baseline did not pass inspection');
  const bench = await readyBaseline(loaded, contestant(baseItem), samples, settings, options);
  const power = settings.gpu ? PowerSampler.start(settings.gpu.index) : null;
  try {
    const rest = runnable.filter((x) => x !== baseItem);
    await measureGroups(bench, rest, contestant, power);
  } finally {
    if (power) {
      for (const c of contestants.values()) c.averageWatts = power.averageWatts(c.intervals);
      power.stop();
    }
  }
  await finish([bench.base], settings);
  return { sampleTimeoutMs: bench.timeout, fidelity: bench.fidelity, throughput: bench.throughput };
}

/**
 * Prepares the baseline, derives the per-sample limit from it, runs the A/A check when a
 * precision is declared, and checks (and, where the task judges it, records) its outputs.
 */
async function readyBaseline(
  loaded: LoadedContest,
  base: Contestant,
  samples: readonly Sample[],
  settings: MeasureSettings,
  options: ProtocolOptions,
): Promise<Bench> {
  const feeds = samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
  const fidelity: FidelityByModel = new Map();
  const target = precisionTarget(loaded.contest.measurement.precision);
  const estimator: LookEstimator = {
    seed: settings.seed,
    runner: options.runner,
    resamples: loaded.contest.scoring.bootstrapResamples,
    confidence: loaded.contest.scoring.confidence,
  };
  await prepare(base, feeds, settings, null);
  const timeout = sampleTimeout(base, loaded.contest.limits.sampleTimeoutFactor);
  const aa = target
    ? await aaCheck(base, feeds, settings, timeout, target, estimator, options.log)
    : null;
  const bad = nonFinite(base.outputs ?? [], samples);
  if (bad) throw new BenchError('baseline-failed', `the baseline: ${bad.message}`);
  const annotated = await annotate(loaded, base.outputs ?? []);
  if (annotated instanceof ModelRejection) {
    throw new BenchError('baseline-failed', `the baseline: ${annotated.message}`);
  }
  base.outputs = [...annotated];
  if (taskOf(loaded.contest.task).judgesBaseline) judgeBaseline(loaded, base, samples, fidelity);
  if (loaded.contest.measurement.load !== undefined) {
    await calibrateBaseline(base, feeds, { loaded, samples, settings, log: options.log });
  }
  return {
    loaded,
    samples,
    feeds,
    settings,
    options,
    fidelity,
    target,
    estimator,
    base,
    timeout,
    aa,
    throughput: new Map(),
  };
}

/** The group loop (resident.ts) wired to prepare + judge, interleave and finish. */
async function measureGroups(
  b: Bench,
  pending: readonly Checked[],
  contestant: (item: Checked) => Contestant,
  power: PowerSampler | null,
): Promise<void> {
  const { base, settings, target } = b;
  const records: PrecisionRecord[] = [];
  await measureInGroups(base, pending, b.loaded.contest.runner.residentSubmissions, {
    admit: async (item) => {
      const c = contestant(item);
      await prepare(c, b.feeds, settings, b.timeout);
      await judge(b, c);
      return c;
    },
    measure: async (members, group, firstBlock) => {
      b.options.log(`measuring group ${group + 1}: ${members.length} model(s) interleaved`);
      if (b.loaded.contest.measurement.load !== undefined)
        return measureLoadGroup(b, members, firstBlock);
      base.precision = null;
      const until = target ? untilPrecise(members, settings, target, b.estimator, b.aa) : null;
      const blocks = await interleave(members, b.samples.length, settings, b.timeout, {
        log: b.options.log,
        firstBlock,
        power,
        ...(until ? { until } : {}),
      });
      if (base.precision) records.push(base.precision);
      return blocks;
    },
    release: (members) => finish(members, settings),
  });
  base.precision = mergeBaselinePrecision(records);
}

/**
 * One group's load phase (load.ts) from window `firstBlock`, so windows run on across groups
 * like blocks do. Each submission's record is its own; the baseline's is its first group's
 * (every group serves the baseline the same seeded stream). Returns the windows run.
 */
async function measureLoadGroup(
  b: Bench,
  members: readonly Contestant[],
  firstBlock: number,
): Promise<number> {
  const ctx = { loaded: b.loaded, samples: b.samples, settings: b.settings, log: b.options.log };
  const before = b.base.samples.block.length;
  const records = await measureLoad(members, b.feeds, ctx, firstBlock);
  for (const [c, record] of records) {
    if (!c.baseline || !b.throughput.has(c)) b.throughput.set(c, record);
  }
  return b.base.samples.block.length - before;
}

/**
 * The task's trusted-model annotations of `outputs` (Task.annotate: a pipeline's classifier),
 * or the outputs unchanged. A failure is a ModelRejection naming it.
 */
async function annotate(
  loaded: LoadedContest,
  outputs: readonly (readonly WireTensor[])[],
): Promise<readonly (readonly WireTensor[])[] | ModelRejection> {
  const task = taskOf(loaded.contest.task);
  if (!task.annotate) return outputs;
  try {
    return await task.annotate(loaded, outputs);
  } catch (err) {
    return new ModelRejection('output-mismatch', (err as Error).message);
  }
}

/**
 * Judges one submission right after its accuracy pass (NaN/Inf, then fidelity), records the
 * fidelity, and drops its outputs so memory holds the baseline's and one model's at a time.
 */
async function judge(b: Bench, x: Contestant): Promise<void> {
  const outputs = x.outputs;
  x.outputs = null;
  if (!outputs || x.failure) return;
  const bad = nonFinite(outputs, b.samples);
  if (bad) {
    await x.reject(bad);
    return;
  }
  const baselineMean = b.fidelity.get(b.base)?.baselineMean ?? null;
  const annotated = await annotate(b.loaded, outputs);
  if (annotated instanceof ModelRejection) {
    await x.reject(annotated);
    return;
  }
  const judged = judgeFidelity(
    b.loaded.contest,
    b.base.outputs ?? [],
    annotated,
    b.samples,
    baselineMean,
    b.fidelity.get(b.base) ?? null,
  );
  b.fidelity.set(x, judged.fidelity);
  if (judged.rejection) {
    if (b.options.timeInvalid) x.flaw = judged.rejection;
    else await x.reject(judged.rejection);
  }
}

/**
 * Judges the baseline itself, for tasks whose measures compare with labels: its fidelity is
 * recorded, and its mean is what fraction-of-baseline rules compare submissions with. A
 * baseline whose outputs the task cannot read stops the job.
 */
function judgeBaseline(
  loaded: LoadedContest,
  base: Contestant,
  samples: readonly Sample[],
  out: FidelityByModel,
): void {
  const outputs = base.outputs ?? [];
  const judged = judgeFidelity(loaded.contest, outputs, outputs, samples);
  if (!judged.fidelity) {
    const why = judged.rejection?.message ?? 'no fidelity';
    throw new BenchError('baseline-failed', `the baseline's outputs cannot be judged: ${why}`);
  }
  out.set(base, judged.fidelity);
}
