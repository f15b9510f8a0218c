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
import type { WireTensor } from '../src/bench/child/protocol.js';
import { measureSpec } from '../src/tasks/measures.js';
import { taskOf } from '../src/tasks/registry.js';
import { roundInputs } from '../src/bench/inputs.js';
import { artifactPath, loadContest } from '../src/contest/load.js';

type Wire = WireTensor;

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
  const task = taskOf(loaded.contest.task);
  const field = measureSpec(measure).field;
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
        const outputs = [wire(await session.run(feeds))];
        const [v] = task.judge({
          contest: loaded.contest,
          samples: [sample],
          baseline: [expected],
          outputs,
        });
        const value = v?.[field] ?? null;
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
