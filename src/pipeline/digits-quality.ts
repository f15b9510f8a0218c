/**
 * The digits recipe's documented quality: the share of generated digits that podium's MNIST
 * classifier (mnist-cnn) reads as their prompt, on QUALITY_SEED's prompts and noise.
 */
import { modelPath } from '../models/build.js';
import { BASELINE_STEPS, DIGITS_FILES, QUALITY_SEED } from './digits-fixture.js';
import { DIGITS } from './digits-graphs.js';
import { generate } from './driver.js';
import { argmax, loadClassifier, loadLocalPipeline } from './local.js';
import { drawPipelineInputs } from './prompts.js';

/** Classifier agreement of `dir`'s pipeline on `total` seeded samples at `steps`. */
export async function recipeAgreement(
  dir: string,
  steps = BASELINE_STEPS,
  total = 200,
): Promise<{ agree: number; total: number; steps: number }> {
  const pipeline = await loadLocalPipeline(dir, DIGITS_FILES);
  const classifier = await loadClassifier(modelPath('mnist-cnn'));
  try {
    const inputs = drawPipelineInputs(QUALITY_SEED, total, DIGITS.classes, DIGITS.latent);
    const images: Float32Array[] = [];
    for (const x of inputs) {
      const g = await generate(
        pipeline.run,
        { dims: [1, DIGITS.classes], data: x.onehot },
        { dims: [1, DIGITS.latent], data: x.noise },
        { steps },
        28,
      );
      images.push(g.image.data);
    }
    const probs = await classifier.classify(images, 28);
    const agree = probs.filter((p, i) => argmax(p) === inputs[i]!.prompt).length;
    return { agree, total, steps };
  } finally {
    await pipeline.close();
    await classifier.close();
  }
}
