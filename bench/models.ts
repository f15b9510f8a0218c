/**
 * ONNX inference time of the built models on the fixture image, CPU, one thread:
 * baseline vs slim, slow and very-slow. Runs are interleaved (one of each model per round) so
 * drift hits all models alike; the warm-up round is excluded. Usage:
 *   npx tsx bench/models.ts [--runs N]
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { ensureModels, modelPath } from '../src/models/build.js';
import { readRgbImage } from '../src/models/image.js';
import { SINGLE_THREAD, openSession, upscale } from '../src/models/infer.js';
import { fixtureImageFile } from '../src/models/sources.js';
import type { ModelName } from '../src/models/variants.js';

const MODELS: readonly ModelName[] = [
  'esrgan-medium-x2',
  'esrgan-slim-x2',
  'esrgan-medium-x2-slow',
  'esrgan-medium-x2-very-slow',
];
const BASELINE: ModelName = 'esrgan-medium-x2';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`--runs must be a positive integer (got ${values.runs})`);
  }
  const manifest = await ensureModels();
  const image = await readRgbImage(fixtureImageFile());
  const sessions = new Map<ModelName, ort.InferenceSession>();
  for (const name of MODELS) sessions.set(name, await openSession(modelPath(name), SINGLE_THREAD));
  const times = new Map<ModelName, number[]>(MODELS.map((n) => [n, []]));
  for (let round = 0; round <= runs; round++) {
    for (const name of MODELS) {
      const start = performance.now();
      await upscale(sessions.get(name) as ort.InferenceSession, image);
      if (round > 0) times.get(name)?.push(performance.now() - start);
    }
  }
  console.log(
    `fixture ${image.width}x${image.height} RGB; onnxruntime-node ${ort.env.versions.common}, cpu EP, ` +
      `intraOpNumThreads ${SINGLE_THREAD.intraOpNumThreads}, ` +
      `graphOptimizationLevel ${SINGLE_THREAD.graphOptimizationLevel}; ` +
      `${runs} interleaved runs per model after 1 warm-up round; ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
  );
  const base = median(times.get(BASELINE) ?? []);
  console.log(
    `${'model'.padEnd(28)}${'median ms'.padStart(10)}${'vs baseline'.padStart(13)}  sha256`,
  );
  for (const name of MODELS) {
    const m = median(times.get(name) ?? []);
    const sha = manifest.models.find((e) => e.name === name)?.sha256.slice(0, 12) ?? '?';
    const ratio = `${(m / base).toFixed(3)}×`;
    console.log(`${name.padEnd(28)}${m.toFixed(1).padStart(10)}${ratio.padStart(13)}  ${sha}`);
  }
}

await main();
