/**
 * Trains the digits pipeline's fixture (fixtures/models/digits-pipeline/, ADR 0180) from
 * DIGITS_RECIPE, writes its three graphs and prints their sha256 and the recipe's quality: the
 * share of generated digits that podium's MNIST classifier (mnist-cnn) reads as their prompt.
 *   npx tsx scripts/train-digits-pipeline.ts [out-dir]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../src/models/build.js';
import { DIGITS_RECIPE, trainDigits } from '../src/pipeline/digits-train.js';
import { decoderGraph, denoiserGraph, encoderGraph } from '../src/pipeline/digits-graphs.js';
import { DIGITS_FILES, DIGITS_FIXTURE_DIR } from '../src/pipeline/digits-fixture.js';
import { recipeAgreement } from '../src/pipeline/digits-quality.js';

const out = process.argv[2] ?? DIGITS_FIXTURE_DIR;
const t0 = Date.now();
const weights = trainDigits(DIGITS_RECIPE, (l) =>
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s  ${l}`),
);
await mkdir(out, { recursive: true });
const graphs = {
  encoder: encoderGraph(weights, { weights: 'float32' }),
  denoiser: denoiserGraph(weights, { weights: 'float32' }),
  decoder: decoderGraph(weights, { weights: 'float32' }),
};
for (const [role, bytes] of Object.entries(graphs)) {
  const file = DIGITS_FILES[role as keyof typeof graphs];
  await writeFile(join(out, file), bytes);
  console.log(`${file}  ${sha256(bytes)}  ${bytes.length} bytes`);
}
const q = await recipeAgreement(out);
console.log(
  `classifier agreement: ${q.agree}/${q.total} = ${(q.agree / q.total).toFixed(3)} (steps ${q.steps})`,
);
