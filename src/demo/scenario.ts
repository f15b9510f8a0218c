/**
 * The demo's contests, their miners and what each miner does. Every case is something a real
 * round must handle. Super-resolution: a faster model, a faithful but not faster one, an
 * unfaithful one, a copy committed later, a corrupt file, a custom operator, and an entry whose
 * on-chain commitment names another hash. Classification: a smaller CNN, a wider one, one with
 * damaged weights, a byte copy of the baseline, and one whose IO the contest cannot feed.
 */
import type { ModelName } from '../models/variants.js';

/** One miner of the demo. */
export interface DemoMiner {
  /** Short label shown while the demo runs. */
  readonly label: string;
  /** The model file the miner publishes (from the models cache). */
  readonly model: ModelName;
  /** The model whose sha256 the miner commits on chain (default: `model`). */
  readonly commits?: ModelName;
  /** What the round should make of it. */
  readonly expect: string;
}

/** The super-resolution contest's miners, in the order they commit on chain. */
export const SR_MINERS: readonly DemoMiner[] = [
  {
    label: 'slim',
    model: 'esrgan-slim-x2',
    expect: 'faster and faithful enough: ranked first, earns',
  },
  {
    label: 'fp16',
    model: 'esrgan-medium-x2-fp16',
    expect: 'faithful, baseline speed: valid, earns nothing',
  },
  {
    label: 'zeroed',
    model: 'esrgan-medium-x2-zeroed',
    expect: 'unfaithful: invalid (fidelity), worst sample named',
  },
  {
    label: 'corrupt',
    model: 'corrupt-truncated',
    expect: 'not ONNX: rejected at inspection, never run',
  },
  {
    label: 'custom-op',
    model: 'custom-op',
    expect: 'custom operator domain: rejected at inspection, never run',
  },
  {
    label: 'copy',
    model: 'esrgan-slim-x2',
    expect: "the slim miner's bytes committed later: rejected as a copy",
  },
  {
    label: 'wrong-hash',
    model: 'esrgan-medium-x2-slow',
    commits: 'esrgan-medium-x2-very-slow',
    expect: 'commitment names another sha256: rejected at collect',
  },
];

/** The classification contest's miners, in the order they commit on chain. */
export const MNIST_MINERS: readonly DemoMiner[] = [
  {
    label: 'small',
    model: 'mnist-cnn-small',
    expect: 'fewer parameters and FLOPs, accuracy within noise: on the front, earns',
  },
  {
    label: 'wide',
    model: 'mnist-cnn-wide',
    expect: 'more accurate but larger: does not dominate the baseline, earns nothing',
  },
  {
    label: 'damaged',
    model: 'mnist-cnn-damaged',
    expect: 'damaged weights: accuracy below the floor, invalid',
  },
  {
    label: 'copy',
    model: 'mnist-cnn-copy',
    expect: "the baseline's own bytes: rejected at collect as a contest artifact",
  },
  {
    label: 'io-mismatch',
    model: 'mnist-cnn-io-mismatch',
    expect: 'an input the contest cannot feed: rejected at inspection, never run',
  },
];

/**
 * The ground-truth contest's miners (quality at a latency budget of 4× the slim baseline, an
 * earlier-block margin of 0.1 dB), in the order they commit on chain.
 */
export const TRUTH_MINERS: readonly DemoMiner[] = [
  {
    label: 'medium',
    model: 'esrgan-medium-x2',
    expect: 'better against the truth, within the latency budget: ranked first, earns',
  },
  {
    label: 'very-slow',
    model: 'esrgan-medium-x2-noised-very-slow',
    expect: 'as good as medium but over the latency budget: valid, not ranked, earns nothing',
  },
  {
    label: 'noised',
    model: 'esrgan-medium-x2-noised',
    expect:
      "medium's weights plus tiny noise, committed later: not past the earlier-block margin, never above medium",
  },
];

/** The throughput contest's miners, in the order they commit on chain. */
export const THROUGHPUT_MINERS: readonly DemoMiner[] = [
  {
    label: 'fast',
    model: 'mnist-load-fast',
    expect: 'more samples/s at the p99 bound, same outputs: ranked first, earns',
  },
  {
    label: 'solo',
    model: 'mnist-load-solo',
    expect: 'faster alone, slower once queries are batched: valid, earns nothing',
  },
  {
    label: 'garbage',
    model: 'mnist-load-garbage',
    expect: 'exact at batch 1, garbage in a batch: invalid (outputs under load)',
  },
];

/** The pipeline contest's miners (digits-pipeline-demo), in the order they commit on chain. */
export const PIPELINE_MINERS: readonly DemoMiner[] = [
  {
    label: 'fewer-steps',
    model: 'digits-pipeline-fewer-steps',
    expect: 'the same graphs at fewer DDIM steps: faster; fidelity decides whether it earns',
  },
  {
    label: 'fp16',
    model: 'digits-pipeline-fp16',
    expect: 'fp16 denoiser weights: faithful, baseline speed, earns nothing',
  },
  {
    label: 'broken',
    model: 'digits-pipeline-broken-decoder',
    expect: 'a truncated decoder graph: rejected at inspection, role named, never run',
  },
  {
    label: 'escape',
    model: 'digits-pipeline-escape',
    expect: 'a member named ../escape.onnx: rejected before anything is written out',
  },
  {
    label: 'oversized',
    model: 'digits-pipeline-oversized',
    expect: "a member over the contest's per-member cap: rejected from its header",
  },
];

/** One contest of the demo: its folder under contests/, its baseline model and its miners. */
export interface DemoContest {
  readonly id: string;
  readonly baseline: ModelName;
  readonly miners: readonly DemoMiner[];
}

/**
 * Every contest the demo runs, in order. Miner keys are numbered across contests: the k-th
 * miner overall is `//podium//miner//k` (uid k+1), so a hotkey holds one commitment.
 */
export const DEMO_CONTESTS: readonly DemoContest[] = [
  { id: 'sr-x2-demo', baseline: 'esrgan-medium-x2', miners: SR_MINERS },
  { id: 'mnist-nas-demo', baseline: 'mnist-cnn', miners: MNIST_MINERS },
  { id: 'sr-truth-demo', baseline: 'esrgan-slim-x2', miners: TRUTH_MINERS },
  { id: 'mnist-throughput-demo', baseline: 'mnist-load-baseline', miners: THROUGHPUT_MINERS },
  { id: 'digits-pipeline-demo', baseline: 'digits-pipeline', miners: PIPELINE_MINERS },
];

/** Every miner of every contest with its global key index, in commit order. */
export function demoMiners(): { contest: DemoContest; miner: DemoMiner; key: number }[] {
  let key = 0;
  return DEMO_CONTESTS.flatMap((contest) =>
    contest.miners.map((miner) => ({ contest, miner, key: key++ })),
  );
}
