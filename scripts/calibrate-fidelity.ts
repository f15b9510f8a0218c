/**
 * Calibrates a contest's similarity threshold: runs the baseline and candidate models on the
 * inputs of many round seeds (the same sampling the benchmark uses) and prints each model's
 * per-sample fidelity distribution. A threshold should sit clearly between the worst sample of
 * the models that must pass and the best sample of those that must fail.
 *
 *   npx tsx scripts/calibrate-fidelity.ts <contest-dir> <model.onnx>… [--seeds 25]
 *
 * Runs in-process without isolation: use it only on models you trust (your own candidates).
 */
import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { compareSample } from '../src/bench/fidelity.js';
import { roundInputs } from '../src/bench/inputs.js';
import { artifactPath, loadContest } from '../src/contest/load.js';

type Wire = Parameters<typeof compareSample>[0][number];

function wire(outputs: ort.InferenceSession.OnnxValueMapType): Wire[] {
  return Object.entries(outputs).map(
    ([name, t]) => ({ name, type: t.type, dims: [...t.dims], data: t.data }) as unknown as Wire,
  );
}

function quantile(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.round(p * (sorted.length - 1))] ?? NaN).toFixed(2);
}

async function main(argv: string[]): Promise<void> {
  const seedsAt = argv.indexOf('--seeds');
  const seeds = seedsAt >= 0 ? Number(argv[seedsAt + 1]) : 25;
  const [contestDir, ...models] = argv.filter(
    (a, i) => !a.startsWith('--') && (seedsAt < 0 || i !== seedsAt + 1),
  );
  if (!contestDir || models.length === 0)
    throw new Error('usage: calibrate-fidelity <contest-dir> <model.onnx>… [--seeds N]');
  const loaded = await loadContest(contestDir);
  const { measure } = loaded.contest.scoring.similarity;
  const options = { intraOpNumThreads: 1 };
  const baseline = await ort.InferenceSession.create(
    artifactPath(loaded.contest.baseline.model.url, loaded.dir),
    options,
  );
  const candidates = await Promise.all(models.map((m) => ort.InferenceSession.create(m, options)));
  const how = {
    kind: 'image',
    layout: loaded.contest.inputs.layout,
    valueScale: loaded.contest.inputs.valueScale,
  } as const;
  const values = models.map(() => [] as number[]);
  for (let s = 0; s < seeds; s++) {
    const seed = `0x${createHash('sha256').update(`calibrate-${s}`).digest('hex')}`;
    for (const sample of (await roundInputs(loaded, seed)).samples) {
      const feeds = Object.fromEntries(
        sample.feeds.map((f) => [
          f.name,
          new ort.Tensor('float32', f.data as Float32Array, [...f.dims]),
        ]),
      );
      const expected = wire(await baseline.run(feeds));
      for (const [i, session] of candidates.entries()) {
        const v = compareSample(expected, wire(await session.run(feeds)), how as never);
        const value =
          measure === 'psnr'
            ? v.psnr
            : measure === 'ssim'
              ? v.ssim
              : measure === 'cosine'
                ? v.cosine
                : v.top1Agreement;
        if (value !== null) values[i]!.push(value);
      }
    }
  }
  console.log(
    `${measure} vs the baseline over ${seeds} seeds (threshold now ${loaded.contest.scoring.similarity.threshold}):`,
  );
  for (const [i, model] of models.entries()) {
    const v = values[i]!;
    console.log(
      `  ${basename(model).padEnd(34)} min ${quantile(v, 0)}  p5 ${quantile(v, 0.05)}  median ${quantile(v, 0.5)}  max ${quantile(v, 1)}  (n=${v.length})`,
    );
  }
}

await main(process.argv.slice(2));
