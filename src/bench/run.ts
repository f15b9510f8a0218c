/**
 * One benchmark run on this runner: the baseline and a list of submissions, from artifact URLs
 * to bench documents. Order of events: device check, isolation check, round inputs, download +
 * static inspection of the baseline, then of every submission (concurrently, each held apart:
 * subjects.ts; nothing runs yet), then the measurement protocol for the models that passed
 * (protocol.ts: the baseline, then the submissions in resident groups, each judged for fidelity
 * as it is loaded). Contests measured under load (`measurement.load`) run the load phase
 * instead of one-at-a-time timing (load.ts): the runner's CPUs are checked against the streams
 * first, and the baseline's calibration window runs before any submission is loaded. One
 * model's failure is recorded on its document; only a broken runner, isolation or baseline
 * throws (BenchError).
 */
import type { LoadedContest } from '../contest/load.js';
import { Child } from './child/child.js';
import { benchDocument, type Outcome, type RunFacts, type Subject } from './document.js';
import type { Progress } from './download.js';
import { checkRunner, type Runner } from './environment.js';
import { BenchError } from './errors.js';
import { roundInputs } from './inputs.js';
import type { Contestant, Log, MeasureSettings } from './measure.js';
import { measureSubjects, type FidelityByModel } from './protocol.js';
import type { BenchDocument } from '../documents/bench.js';
import { checkSubjects, type Checked } from './subjects.js';
import { applyTuning, currentAffinity, setAffinity } from './tuning.js';
import { checkCapacity } from './load.js';
import { availableParallelism } from 'node:os';

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
  try {
    checkCapacity(loaded, measuredCapacity(tuning.measuredCpus));
  } catch (err) {
    await holder.release();
    setAffinity(affinity);
    throw err;
  }
  const settings = {
    ...measureSettings(loaded, isolation, runner.gpu, round.seed),
    tuning: tuning.prefix,
  };
  const contestants = new Map<Checked, Contestant>();
  try {
    const measured = await measureSubjects(loaded, checked, contestants, inputs.samples, settings, {
      log,
      timeInvalid: options.timeInvalid ?? false,
      runner: runnerName(options),
    });
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
    return checked.map((item) => {
      const m = contestants.get(item);
      const doc = benchDocument(facts, outcome(item, m, measured.fidelity));
      const load = m ? measured.throughput.get(m) : undefined;
      return load ? { ...doc, throughput: load } : doc;
    });
  } finally {
    for (const x of contestants.values()) await x.stop();
    await holder.release();
    setAffinity(affinity);
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

/** The CPUs measured children may use: the pinned list's size, else every CPU. */
function measuredCapacity(list: string | null): { cpus: number; list: string | null } {
  if (list === null) return { cpus: availableParallelism(), list };
  let cpus = 0;
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    cpus += b === undefined ? 1 : b - a! + 1;
  }
  return { cpus, list };
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
