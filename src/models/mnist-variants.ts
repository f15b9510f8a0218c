/**
 * The MNIST part of the model catalogue: the three trained CNNs (pinned fixtures) and the
 * variants derived from the baseline, each with the outcome the classification contest tests.
 * IO of all but the io-mismatch variant: input `image` float32 [1,28,28,1] (NHWC, 0..1) →
 * output `probabilities` float32 [1,10] (softmax).
 */
import { MNIST_IO } from './mnist-io.js';
import type { MnistFixture } from './mnist-fixtures.js';
import { flattenInput, zeroInitializers } from './onnx-edit.js';
import type { ModelRole } from './schema.js';

/** Fraction of the baseline's weight values (kernels and biases) the damaged variant zeroes. */
export const DAMAGE_FRACTION = 0.5;
/** Seed of the mulberry32 sequence that picks them. */
export const DAMAGE_SEED = 0x6d6e6973;

/** The MNIST catalogue names, in build order. */
export const MNIST_MODEL_NAMES = [
  'mnist-cnn',
  'mnist-cnn-small',
  'mnist-cnn-wide',
  'mnist-cnn-damaged',
  'mnist-cnn-copy',
  'mnist-cnn-io-mismatch',
] as const;
export type MnistModelName = (typeof MNIST_MODEL_NAMES)[number];

/** The classification contest's baseline. */
export const MNIST_BASELINE_MODEL: MnistModelName = 'mnist-cnn';

/** One MNIST catalogue model: how it is made from the fixtures. */
export interface MnistRecipe {
  readonly name: MnistModelName;
  readonly role: ModelRole;
  readonly description: string;
  build(fixtures: Readonly<Record<MnistFixture, Uint8Array>>): Uint8Array;
}

const CNN = 'MNIST CNN trained by scripts/train-mnist.ts (pinned fixture fixtures/models/';

/** Every MNIST model, baseline first. */
export const MNIST_RECIPES: readonly MnistRecipe[] = [
  {
    name: 'mnist-cnn',
    role: 'baseline',
    description: `${CNN}mnist-cnn.onnx): conv 3×3 8 → pool → conv 3×3 16 → pool → dense 10; the classification baseline. ${MNIST_IO}`,
    build: (f) => f['mnist-cnn'].slice(),
  },
  {
    name: 'mnist-cnn-small',
    role: 'smaller',
    description: `${CNN}mnist-cnn-small.onnx): conv 4 → conv 8 → dense 10; fewer parameters and FLOPs than the baseline, a little less accurate`,
    build: (f) => f['mnist-cnn-small'].slice(),
  },
  {
    name: 'mnist-cnn-wide',
    role: 'larger',
    description: `${CNN}mnist-cnn-wide.onnx): conv 16 → conv 32 → dense 10; larger than the baseline (2.4× parameters, 3.4× FLOPs) and as accurate on the evaluation part (0.9725 both), not more`,
    build: (f) => f['mnist-cnn-wide'].slice(),
  },
  {
    name: 'mnist-cnn-damaged',
    role: 'damaged',
    description: `the MNIST baseline with ${DAMAGE_FRACTION * 100} % of its float weight values (all initializers, file order) set to 0, picked by a partial Fisher-Yates shuffle driven by mulberry32 seed 0x${DAMAGE_SEED.toString(16)}; accuracy far below the baseline`,
    build: (f) =>
      zeroInitializers(
        f['mnist-cnn'],
        DAMAGE_FRACTION,
        DAMAGE_SEED,
        'mnist-cnn-damaged',
        `The MNIST baseline with ${DAMAGE_FRACTION * 100} % of its weights zeroed. Built by podium.`,
      ),
  },
  {
    name: 'mnist-cnn-copy',
    role: 'copy',
    description: 'a byte copy of the MNIST baseline (same sha256)',
    build: (f) => f['mnist-cnn'].slice(),
  },
  {
    name: 'mnist-cnn-io-mismatch',
    role: 'io-mismatch',
    description:
      'the MNIST baseline taking its input flat: image float32 [1,784] (a Reshape to [1,28,28,1] first); same predictions, but an IO signature the contest must refuse',
    build: (f) =>
      flattenInput(
        f['mnist-cnn'],
        'image',
        [1, 28, 28, 1],
        'mnist-cnn-io-mismatch',
        'The MNIST baseline with a flat [1,784] input. Built by podium.',
      ),
  },
];
