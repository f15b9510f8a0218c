/** Turning one measured (or rejected) model into its bench document. Pure. */
import { schemaId } from '../schemas/builders.js';
import type { Contest } from '../contest/load.js';
import type { Environment } from './environment.js';
import type { InspectionReport } from './inspect.js';
import type { Fidelity } from './judge.js';
import type { Contestant } from './measure.js';
import type { BenchDocument, BenchReason } from '../documents/bench.js';
import { summarize } from './stats.js';

/** Who was measured. */
export interface Subject {
  readonly role: 'baseline' | 'submission';
  readonly hotkey: string | null;
  readonly uid: number | null;
  readonly model: { readonly url: string; readonly sha256: string; readonly bytes: number };
}

/** What is common to every document of one benchmark run. */
export interface RunFacts {
  readonly contest: Contest;
  readonly contestSha256: string;
  readonly roundId: string;
  readonly seed: string;
  readonly inputs: number;
  readonly inputsSha256: string;
  readonly runner: { readonly name: string; readonly label: string };
  readonly environment: Environment;
  readonly sampleTimeoutMs: number | null;
}

/** Everything known about one model at the end. */
export interface Outcome {
  readonly subject: Subject;
  readonly inspection: InspectionReport | null;
  readonly reasons: readonly BenchReason[];
  readonly measured: Contestant | null;
  readonly fidelity: Fidelity | null;
}

/** Builds the bench document; `valid` is true only with no reason and at least one sample. */
export function benchDocument(run: RunFacts, o: Outcome): BenchDocument {
  const c = run.contest;
  const m = o.measured;
  const summary = summarize(m?.samples.ms ?? []);
  return {
    $schema: schemaId('bench'),
    version: 1,
    contest: { id: c.id, sha256: run.contestSha256 },
    round: run.roundId,
    runner: { ...run.runner },
    subject: {
      role: o.subject.role,
      hotkey: o.subject.hotkey,
      uid: o.subject.uid,
      model: { ...o.subject.model },
    },
    settings: {
      executionProvider: c.runner.executionProvider,
      session: { ...c.runner.session },
      warmupRuns: c.measurement.warmupRuns,
      minSamples: c.measurement.minSamples,
      minSeconds: c.measurement.minSeconds,
      blockSize: c.measurement.blockSize,
      loadTimeoutMs: c.limits.loadSeconds * 1000,
      sampleTimeoutMs: run.sampleTimeoutMs === null ? null : round3(run.sampleTimeoutMs),
      memoryLimitBytes: c.limits.memoryBytes,
      inputs: run.inputs,
      inputsSha256: run.inputsSha256,
      seed: run.seed,
      residentSubmissions: c.runner.residentSubmissions,
    },
    environment: { ...run.environment },
    inspection: o.inspection,
    load: {
      sessionMs: roundOrNull(m?.sessionMs ?? null),
      firstInferenceMs: roundOrNull(m?.firstInferenceMs ?? null),
    },
    ...(m?.group ? { group: { ...m.group } } : {}),
    samples: {
      input: [...(m?.samples.input ?? [])],
      block: [...(m?.samples.block ?? [])],
      ms: (m?.samples.ms ?? []).map(recordedMs),
    },
    summary,
    memory: { peakRssBytes: m?.peakRssBytes ?? null, gpuMemoryBytes: m?.gpuMemoryBytes ?? null },
    energy: energy(m, summary?.meanMs ?? null),
    fidelity: o.fidelity,
    outputs: m?.outputDigests ? { sha256: [...m.outputDigests] } : null,
    ...(m?.precision ? { precision: { ...m.precision } } : {}),
    ...(m && Object.keys(m.roleMs).length > 0 ? { roles: roleTimes(m) } : {}),
    valid: o.reasons.length === 0 && summary !== null,
    reasons: [...o.reasons],
  };
}

/** Pipelines: mean, p50 and share of the end-to-end mean of each role over the timed runs. */
function roleTimes(m: Contestant): NonNullable<BenchDocument['roles']> {
  const total = m.samples.ms.reduce((a, b) => a + b, 0);
  const out: NonNullable<BenchDocument['roles']> = {};
  for (const [role, ms] of Object.entries(m.roleMs)) {
    const sorted = [...ms].sort((a, b) => a - b);
    const sum = ms.reduce((a, b) => a + b, 0);
    out[role] = {
      meanMs: round3(sum / Math.max(1, ms.length)),
      p50Ms: round3(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0),
      share: total > 0 ? Math.round((sum / total) * 1e4) / 1e4 : 0,
    };
  }
  return out;
}

function energy(m: Contestant | null, meanMs: number | null): BenchDocument['energy'] {
  const watts = m?.averageWatts ?? null;
  if (watts === null) return { joulesPerSample: null, averageWatts: null };
  return {
    averageWatts: round3(watts),
    joulesPerSample: meanMs === null ? null : round3((watts * meanMs) / 1000),
  };
}

/** Returns a timing as the bench file records it: ms to 3 decimals, at least 0.001. */
export function recordedMs(x: number): number {
  return Math.max(0.001, round3(x));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round3(x);
}
