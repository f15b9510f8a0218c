/**
 * The demo's miners and what each one does. Every case is something a real round must handle:
 * a faster model, a faithful but not faster one, an unfaithful one, a copy committed later, a
 * corrupt file, a custom operator, and an entry whose on-chain commitment names another hash.
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

/** The miners, in the order they commit on chain (miner i is `//podium//miner//i`, uid i+1). */
export const DEMO_MINERS: readonly DemoMiner[] = [
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
