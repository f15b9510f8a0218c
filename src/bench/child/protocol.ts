/**
 * Messages between the benchmark parent and its isolated child (Node IPC with the "advanced"
 * serialization, so typed arrays cross without copies into JSON). Types only: the worker is
 * bundled on its own and must not import anything heavier.
 */

/** onnxruntime session options as the contest pins them. */
export interface SessionSettings {
  readonly intraOpNumThreads: number;
  readonly interOpNumThreads: number;
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  readonly executionMode: 'sequential' | 'parallel';
  readonly enableCpuMemArena: boolean;
  readonly enableMemPattern: boolean;
}

/** A tensor on the wire. */
export interface WireTensor {
  readonly name: string;
  readonly type: string;
  readonly dims: readonly number[];
  readonly data:
    Float32Array | Uint8Array | Uint16Array | Int32Array | BigInt64Array | Float64Array;
}

/** One address the probe tries to connect to. */
export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
}

/** What happened to one probe connection. */
export interface ProbeResult extends ProbeTarget {
  readonly connected: boolean;
  readonly error: string | null;
}

/** Parent → child. The child answers each in order. */
export type ToChild =
  | { readonly t: 'probe'; readonly targets: readonly ProbeTarget[]; readonly timeoutMs: number }
  | {
      readonly t: 'load';
      readonly model: string;
      readonly executionProvider: 'cpu' | 'cuda';
      readonly session: SessionSettings;
      /** Pipelines: one session per role, run by the driver for every input (ADR 0183). */
      readonly pipeline?: {
        readonly driver: 'latent-ddim';
        /** role → absolute path of its checked graph */
        readonly files: Readonly<Record<string, string>>;
        readonly knobs: Readonly<Record<string, number | string>>;
        readonly imageSide: number;
      };
    }
  | { readonly t: 'feeds'; readonly samples: readonly (readonly WireTensor[])[] }
  | { readonly t: 'run'; readonly inputs: readonly number[]; readonly keep: boolean }
  | {
      /** Closed-loop load (load.ts): `inputs` is the query stream, in issue order. */
      readonly t: 'serve';
      readonly inputs: readonly number[];
      /** Queries in flight on this stream; a completed query's client issues the next at once. */
      readonly concurrency: number;
      /** Most queries one run takes (1: no batching). */
      readonly maxBatch: number;
      /** Positions in `inputs` whose outputs come back (one query's rows each). */
      readonly keep: readonly number[];
    };

/** Child → parent. */
export type FromChild =
  | {
      readonly t: 'ready';
      readonly pid: number;
      readonly env: readonly string[];
      readonly cwd: string;
      readonly onnxruntime: string;
    }
  | { readonly t: 'probe'; readonly results: readonly ProbeResult[] }
  | {
      readonly t: 'loaded';
      readonly ms: number;
      readonly inputs: readonly string[];
      readonly outputs: readonly string[];
    }
  | { readonly t: 'ok' }
  | {
      readonly t: 'sample';
      readonly input: number;
      readonly ms: number;
      /** Pipelines: milliseconds in each role for this input. */
      readonly roles?: Readonly<Record<string, number>>;
    }
  | {
      readonly t: 'ran';
      readonly outputs: readonly (readonly WireTensor[])[] | null;
      readonly maxRssBytes: number;
    }
  | {
      readonly t: 'served';
      /** From the first issue to the last completion, ms (hrtime in the child). */
      readonly wallMs: number;
      /** Per query (stream position): completion minus issue time, ms. */
      readonly latencyMs: readonly number[];
      readonly runs: number;
      /** Outputs of the kept positions, in `keep` order. */
      readonly outputs: readonly (readonly WireTensor[])[];
      readonly maxRssBytes: number;
    }
  | { readonly t: 'error'; readonly code: string; readonly message: string };
