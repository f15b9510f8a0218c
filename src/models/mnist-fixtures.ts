/**
 * The trained MNIST CNNs, committed as pinned fixtures (fixtures/models/<name>.onnx, made by
 * scripts/train-mnist.ts; see fixtures/models/README.md). Reading one checks its sha256.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The trained fixtures, baseline first. */
export const MNIST_FIXTURES = ['mnist-cnn', 'mnist-cnn-small', 'mnist-cnn-wide'] as const;
export type MnistFixture = (typeof MNIST_FIXTURES)[number];

/** sha256 of each fixture file; a retrained file is a new fixture and changes these. */
export const MNIST_FIXTURE_SHA256: Readonly<Record<MnistFixture, string>> = {
  'mnist-cnn': 'e4e29df705d84d82acb8225330e20b9ea6fabbc1d4410341b7b85f75e25cdc94',
  'mnist-cnn-small': 'c257d4cd559480ce880c753f150edc23c7d320be2061fd1311dbbe29c00a49ed',
  'mnist-cnn-wide': 'f6c2c18274ab2ab5802784c1b167528d71884e0b36521369852081f4e13943b4',
};

/**
 * Top-1 accuracy of each fixture on the whole evaluation part (2,000 images), as
 * scripts/train-mnist.ts measured it with onnxruntime; the re-training test checks the smallest
 * recipe still reaches its figure.
 */
export const MNIST_FIXTURE_ACCURACY: Readonly<Record<MnistFixture, number>> = {
  'mnist-cnn': 0.9725,
  'mnist-cnn-small': 0.958,
  'mnist-cnn-wide': 0.9725,
};

/** Folder of the fixtures. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

/** Path of fixture `name`. */
export function fixturePath(name: MnistFixture): string {
  return join(FIXTURES_DIR, `${name}.onnx`);
}

/**
 * Reads fixture `name`. Returns its bytes; throws when the file is missing or its sha256 is
 * not the pinned one (the error names the file and both hashes).
 */
export async function readFixture(name: MnistFixture): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(fixturePath(name)));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== MNIST_FIXTURE_SHA256[name]) {
    throw new Error(
      `${fixturePath(name)}: sha256 ${sha}, but ${MNIST_FIXTURE_SHA256[name]} is pinned in src/models/mnist-fixtures.ts`,
    );
  }
  return bytes;
}
