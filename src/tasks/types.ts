/**
 * The task interface: what a kind of contest declares (docs/tasks.md, ADR 0120). A task says
 * how a round's inputs are drawn from the seed, how one model's outputs are judged sample by
 * sample, which measures of the table (measures.ts) it computes, and which contest rules the
 * schema cannot express for it. Everything else — the isolated child, interleaving, timing,
 * thresholds, intervals, ranks and weights — is shared and knows no task by name.
 *
 * A task module imports nothing heavy at load time (image decoding and datasets are imported
 * inside `drawInputs`), so the schemas, scoring and the docs can read the task table.
 */
import type { LoadedContest, Contest } from '../contest/load.js';
import type { Problem } from '../json/errors.js';
import type { WireTensor } from '../bench/child/protocol.js';
import type { MeasureName, ThresholdMeasure } from './measures.js';
import type { Image8 } from './compare.js';
import type { Inspected } from '../bench/inspect.js';

/** Element types podium can build inputs for. */
export type FeedType = 'float32' | 'uint8';

/** One named input tensor, ready to be handed to onnxruntime. */
export interface Feed {
  readonly name: string;
  readonly type: FeedType;
  readonly dims: readonly number[];
  readonly data: Float32Array | Uint8Array;
}

/** One evaluation sample: where it came from, the tensors fed to every model, its label. */
export interface Sample {
  readonly index: number;
  /** Source file or dataset item ("clouds.png", "mnist #8123"); null for generated tensors. */
  readonly source: string | null;
  /** Crop position in the source image (0, 0 when the sample is not a crop). */
  readonly left: number;
  readonly top: number;
  /** The ground-truth class, for tasks judged against labels; never sent to the child. */
  readonly label: number | null;
  /** The ground-truth image the feeds were made from, for tasks judged against it; never sent. */
  readonly truth?: Image8;
  readonly feeds: readonly Feed[];
}

/** A round's inputs and one digest over all of their bytes (validators can compare it). */
export interface RoundInputs {
  readonly samples: readonly Sample[];
  readonly sha256: string;
}

/** One model's outputs for every sample, in sample order. */
export type Outputs = readonly (readonly WireTensor[])[];

/** Per-sample values of a task's measures, keyed by the measure's bench field. */
export type SampleValues = Readonly<Record<string, number | null>>;

/** What a task's judge sees. */
export interface JudgeArgs {
  readonly contest: Contest;
  readonly samples: readonly Sample[];
  /** The baseline's outputs; the same array as `outputs` when the baseline itself is judged. */
  readonly baseline: Outputs;
  readonly outputs: Outputs;
}

/** A kind of contest. */
export interface Task {
  /** The contest's `task` value. */
  readonly id: string;
  readonly title: string;
  /** One paragraph for docs/tasks.md and the contest reference. */
  readonly summary: string;
  /** The per-sample measures `judge` returns, by name (measures.ts). */
  readonly measures: readonly MeasureName[];
  /** True when the baseline is judged too (its measures compare with labels, not itself). */
  readonly judgesBaseline: boolean;
  /** True when the task is measured under load (`measurement.load`, src/bench/load.ts). */
  readonly underLoad?: true;
  /** Contest rules this task adds to the schema's (IO it can feed, its input source). Pure. */
  check(contest: Contest): Problem[];
  /**
   * Draws the round's samples from `seed` (32-byte hex): same contest and seed → the same
   * tensors on any machine. Throws InputsError when the inputs cannot be built.
   */
  drawInputs(loaded: LoadedContest, seed: string): Promise<Sample[]>;
  /**
   * Returns, for each sample, the value of each of `measures` (by bench field) for `outputs`.
   * Throws Error naming the output when one is missing or misshapen. Pure.
   */
  judge(args: JudgeArgs): SampleValues[];
  /**
   * Optional: a submission artifact that is not one ONNX graph (a pipeline archive) is
   * inspected by the task; returns what inspectModel returns, and `load` for the child.
   */
  inspect?(
    path: string,
    contest: Contest,
    feedDims: Readonly<Record<string, readonly number[]>>,
  ): Promise<Inspected>;
  /**
   * Optional: adds tensors computed in the parent by a trusted model (a pipeline's classifier)
   * to each sample's outputs, before judging. Throws when the trusted model cannot run.
   */
  annotate?(loaded: LoadedContest, outputs: Outputs): Promise<Outputs>;
  /** Optional: fidelity rules besides `scoring.similarity` that the task's contest section sets. */
  floors?(
    contest: Contest,
  ): readonly { readonly measure: ThresholdMeasure; readonly threshold: number }[];
}
