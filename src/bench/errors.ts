/**
 * The benchmark's error boundary. A `BenchError` stops the whole job (bad runner, no isolation,
 * baseline broken, bad round file); a problem with one submission is never thrown but recorded
 * as a `Reason` on that submission's bench file, so the round goes on.
 */
import type { BenchReason } from '../documents/bench.js';

/** Codes of failures that stop the benchmark job. */
export type BenchErrorCode =
  | 'device-mismatch'
  | 'isolation-unavailable'
  | 'isolation-failed'
  | 'baseline-failed'
  | 'inputs'
  | 'round-mismatch'
  | 'too-noisy'
  | 'latency-bound'
  | 'concurrency-unavailable'
  | 'worker';

/** A failure that stops the benchmark job; `message` says what to do about it. */
export class BenchError extends Error {
  constructor(
    readonly code: BenchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BenchError';
  }
}

/**
 * A problem with one model (download, inspection, execution, fidelity). Thrown inside the
 * per-model pipeline and turned into a `Reason` on that model's bench file.
 */
export class ModelRejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelRejection';
  }

  /** The machine-readable reason recorded in the bench file. */
  reason(): BenchReason {
    return { code: this.code, message: this.message };
  }
}
