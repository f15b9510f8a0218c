/**
 * One benchmark run on this runner: the baseline and a list of submissions, from artifact URLs
 * to bench documents. Order of events: device check, isolation check, round inputs, download +
 * static inspection of the baseline, then of every submission (concurrently, each held apart:
 * subjects.ts; nothing runs yet), then the measurement protocol for the models that passed, then
 * fidelity against the baseline. One model's failure is recorded on its document; only a broken
 * runner, isolation or baseline throws (BenchError).
 */
import type { LoadedContest } from '../contest/load.js';
import { Child } from './child/child.js';
import type { WireTensor } from './child/protocol.js';
import { benchDocument, type Outcome, type RunFacts, type Subject } from './document.js';
import type { Progress } from './download.js';
import { checkRunner, type Runner } from './environment.js';
import { BenchError, ModelRejection } from './errors.js';
import { roundInputs, type Sample } from './inputs.js';
import { judgeFidelity, nonFinite } from './judge.js';
import { taskOf } from '../tasks/registry.js';
import {
  Contestant,
  finish,
  interleave,
  prepare,
  sampleTimeout,
  type Log,
  type MeasureSettings,
} from './measure.js';
import type { BenchDocument } from '../documents/bench.js';
import { checkSubjects, type Checked } from './subjects.js';
import { precisionTarget, type AaVerdict, type LookEstimator } from './precision.js';
import { aaCheck, untilPrecise } from './sequential.js';
import { applyTuning, currentAffinity, restoreAffinity } from './tuning.js';

export type { Subject } from './document.js';

/** Options of a benchmark run; all optional. */
export interface RunOptions {
  /** Run children on the host network (local development only); recorded as isolation "none". */
  readonly allowNetwork?: boolean;
  /** Runner name recorded in the documents. Default $RUNNER_NAME, else "local". */
  readonly runnerName?: string;
  /** Artifact cache folder (default $PODIUM_CACHE_DIR/artifacts). */
  readonly cacheDir?: string;
  /** Extra trusted CA for https downloads (PEM). */
  readonly ca?: string | Buffer;
  /** Keep timing a submission whose fidelity failed (miners want to see both). Default false. */
  readonly timeInvalid?: boolean;
  readonly log?: Log;
  readonly onProgress?: (p: Progress) => void;
  /** Submissions downloaded at once (default subjects.ts FETCH_CONCURRENCY). */
  readonly fetchConcurrency?: number;
  /** Grace before the minimum download rate applies (default 10 s; tests shorten it). */
  readonly downloadGraceMs?: number;
}

/** The round a run belongs to. */
export interface RunRound {
  readonly id: string;
  readonly seed: string;
  readonly contestSha256: string;
}

/**
 * Benchmarks `subjects` (exactly one baseline, first) for `round`. Returns one bench document
 * per subject, in the same order. Throws BenchError for runner, isolation or baseline failures.
 */
export async function benchmarkModels(
  loaded: LoadedContest,
  round: RunRound,
  subjects: readonly Subject[],
  options: RunOptions = {},
): Promise<BenchDocument[]> {
  const log = options.log ?? (() => undefined);
  const c = loaded.contest;
  if (subjects[0]?.role !== 'baseline' || subjects.slice(1).some((s) => s.role === 'baseline')) {
    throw new BenchError('round-mismatch', 'the first subject, and only it, must be the baseline');
  }
  const isolation = options.allowNetwork ? 'none' : 'netns';
  const runner = await preflight(loaded, isolation, log);
  const inputs = await roundInputs(loaded, round.seed);
  log(`inputs: ${inputs.samples.length} samples from seed ${round.seed.slice(0, 18)}…`);
  const feedDims = Object.fromEntries(
    (inputs.samples[0]?.feeds ?? []).map((f) => [f.name, f.dims] as const),
  );
  const { checked, holder } = await checkSubjects(loaded, subjects, {
    ...options,
    feedDims,
    log,
  });
  const affinity = currentAffinity();
  const tuning = applyTuning();
  for (const note of tuning.notes) log(`tuning: ${note}`);
  const settings = {
    ...measureSettings(loaded, isolation, runner.gpu, round.seed),
    tuning: tuning.prefix,
  };
  const contestants = new Map<Checked, Contestant>();
  try {
    const measured = await measureAll(
      loaded,
      checked,
      contestants,
      inputs.samples,
      settings,
      options,
    );
    const facts: RunFacts = {
      contest: c,
      contestSha256: round.contestSha256,
      roundId: round.id,
      seed: round.seed,
      inputs: inputs.samples.length,
      inputsSha256: inputs.sha256,
      runner: {
        name: runnerName(options),
        label: c.runner.label,
      },
      environment: {
        ...runner.environment,
        tuning: {
          measuredCpus: tuning.measuredCpus,
          podiumCpus: tuning.podiumCpus,
          nice: tuning.nice,
          notes: [...tuning.notes],
        },
      },
      sampleTimeoutMs: measured.sampleTimeoutMs,
    };
    return checked.map((item) =>
      benchDocument(facts, outcome(item, contestants.get(item), measured.fidelity)),
    );
  } finally {
    for (const x of contestants.values()) await x.stop();
    await holder.release();
    restoreAffinity(affinity);
  }
}

/** Device check, then (with netns) one probe-verified child, before anything is fetched. */
async function preflight(
  loaded: LoadedContest,
  isolation: 'netns' | 'none',
  log: Log,
): Promise<Runner> {
  const runner = await checkRunner(loaded.contest, isolation);
  const device = runner.environment.device;
  if (isolation === 'none') {
    log(`device ${device}; isolation: NONE (--allow-network), recorded`);
    return runner;
  }
  await (
    await Child.start({ isolation, memoryLimitBytes: loaded.contest.limits.memoryBytes })
  ).close();
  log(`device ${device}; isolation: network namespace, probe could not connect`);
  return runner;
}

/** Prepares every runnable model (baseline first), judges fidelity, interleaves, finishes. */
async function measureAll(
  loaded: LoadedContest,
  checked: readonly Checked[],
  contestants: Map<Checked, Contestant>,
  samples: readonly Sample[],
  settings: MeasureSettings,
  options: RunOptions,
): Promise<{ sampleTimeoutMs: number; fidelity: FidelityByModel }> {
  const log = options.log ?? (() => undefined);
  const feeds = samples.map((s) => s.feeds.map((f): WireTensor => ({ ...f })));
  let timeout: number | null = null;
  let base: Contestant | undefined;
  const fidelity: FidelityByModel = new Map();
  const target = precisionTarget(loaded.contest.measurement.precision);
  const estimator = lookEstimator(loaded, settings, options);
  let aa: AaVerdict | null = null;
  for (const item of checked) {
    if (item.path === null || item.inspected.reasons.length > 0) continue;
    const s = item.subject;
    const key = s.hotkey ?? (s.uid !== null ? `uid ${s.uid}` : s.role);
    log(`loading ${key}`);
    const contestant = new Contestant(
      key,
      item.path,
      s.role === 'baseline',
      item.inspected.pipeline,
    );
    contestants.set(item, contestant);
    await prepare(contestant, feeds, settings, timeout);
    if (contestant.baseline) {
      base = contestant;
      timeout = sampleTimeout(contestant, loaded.contest.limits.sampleTimeoutFactor);
      if (target) aa = await aaCheck(base, feeds, settings, timeout, target, estimator, log);
      const bad = nonFinite(contestant.outputs ?? [], samples);
      if (bad) throw new BenchError('baseline-failed', `the baseline: ${bad.message}`);
      const annotated = await annotate(loaded, contestant.outputs ?? []);
      if (annotated instanceof ModelRejection) {
        throw new BenchError('baseline-failed', `the baseline: ${annotated.message}`);
      }
      contestant.outputs = [...annotated];
      if (taskOf(loaded.contest.task).judgesBaseline)
        judgeBaseline(loaded, base, samples, fidelity);
    } else if (base) {
      await judge(loaded, contestant, base, samples, options, fidelity);
    }
  }
  const all = [...contestants.values()];
  log(`measuring ${all.filter((x) => x.alive()).length} model(s) interleaved`);
  const until = target ? untilPrecise(all, settings, target, estimator, aa) : undefined;
  await interleave(all, samples.length, settings, timeout as number, log, until);
  await finish(all, settings);
  return { sampleTimeoutMs: timeout as number, fidelity };
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

type FidelityByModel = Map<Contestant, ReturnType<typeof judgeFidelity>['fidelity']>;

/**
 * Judges one submission right after its accuracy pass (NaN/Inf, then fidelity), records the
 * fidelity, and drops its outputs so memory holds the baseline's and one model's at a time.
 */
async function judge(
  loaded: LoadedContest,
  x: Contestant,
  base: Contestant,
  samples: readonly Sample[],
  options: RunOptions,
  out: FidelityByModel,
): Promise<void> {
  const outputs = x.outputs;
  x.outputs = null;
  if (!outputs || x.failure) return;
  const bad = nonFinite(outputs, samples);
  if (bad) {
    await x.reject(bad);
    return;
  }
  const baselineMean = out.get(base)?.baselineMean ?? null;
  const annotated = await annotate(loaded, outputs);
  if (annotated instanceof ModelRejection) {
    await x.reject(annotated);
    return;
  }
  const judged = judgeFidelity(
    loaded.contest,
    base.outputs ?? [],
    annotated,
    samples,
    baselineMean,
    out.get(base) ?? null,
  );
  out.set(x, judged.fidelity);
  if (judged.rejection) {
    if (options.timeInvalid) x.flaw = judged.rejection;
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

function outcome(item: Checked, m: Contestant | undefined, fidelity: FidelityByModel): Outcome {
  const reasons = [...item.inspected.reasons];
  if (m?.flaw) reasons.push(m.flaw.reason());
  if (m?.failure) reasons.push(m.failure.reason());
  return {
    subject: item.subject,
    inspection: item.inspected.report,
    reasons,
    measured: m ?? null,
    fidelity: m ? (fidelity.get(m) ?? null) : null,
  };
}

/** Scoring's bootstrap settings for this runner, so a look's interval is score.json's. */
function lookEstimator(
  loaded: LoadedContest,
  settings: MeasureSettings,
  options: RunOptions,
): LookEstimator {
  return {
    seed: settings.seed,
    runner: runnerName(options),
    resamples: loaded.contest.scoring.bootstrapResamples,
    confidence: loaded.contest.scoring.confidence,
  };
}

function runnerName(options: RunOptions): string {
  return options.runnerName ?? process.env.RUNNER_NAME ?? 'local';
}

function measureSettings(
  loaded: LoadedContest,
  isolation: 'netns' | 'none',
  gpu: MeasureSettings['gpu'],
  seed: string,
): MeasureSettings {
  const c = loaded.contest;
  return {
    executionProvider: c.runner.executionProvider,
    session: c.runner.session,
    warmupRuns: c.measurement.warmupRuns,
    minSamples: c.measurement.minSamples,
    minSeconds: c.measurement.minSeconds,
    blockSize: c.measurement.blockSize,
    audit: {
      inputs: c.measurement.determinism.auditInputs,
      maxAbsDiff: c.measurement.determinism.maxAbsDiff,
    },
    loadTimeoutMs: c.limits.loadSeconds * 1000,
    sampleTimeoutFactor: c.limits.sampleTimeoutFactor,
    memoryLimitBytes: c.limits.memoryBytes,
    isolation,
    tuning: [],
    gpu,
    seed,
  };
}
