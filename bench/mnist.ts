/**
 * The MNIST catalogue models on the FULL evaluation part of the fixed split, CPU, one thread,
 * one image per run: top-1 accuracy with its 95 % Wilson interval, parameters and FLOPs counted
 * statically (src/bench/cost.ts), and latency per image as a ratio to the baseline measured in
 * this run: the median over every timed single-image run, the models interleaved image by
 * image so drift hits all alike; the first round is a warm-up and is excluded.
 * Each model is fed the dims its own input declares (the io-mismatch variant gets [1,784]).
 *   npx tsx bench/mnist.ts [--rounds N] [--latency-samples N]
 */
import { fromBinary } from '@bufbuild/protobuf';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { countCost } from '../src/bench/cost.js';
import { signatures } from '../src/bench/onnx-read.js';
import { wilsonInterval } from '../src/score/wilson.js';
import { MNIST_SPLIT, mnistSample, splitIndices, toUnitFloats } from '../src/data/mnist.js';
import { ensureModels, modelPath } from '../src/models/build.js';
import { SINGLE_THREAD, openSession } from '../src/models/infer.js';
import { argmax } from '../src/models/mnist-infer.js';
import { MNIST_BASELINE_MODEL, MNIST_MODEL_NAMES } from '../src/models/mnist-variants.js';

interface Subject {
  readonly name: string;
  readonly session: ort.InferenceSession;
  readonly input: string;
  readonly output: string;
  readonly dims: number[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function run(s: Subject, image: Float32Array): Promise<Float32Array> {
  const out = await s.session.run({ [s.input]: new ort.Tensor('float32', image, s.dims) });
  return out[s.output]?.data as Float32Array;
}

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer (got ${value})`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      'latency-samples': { type: 'string', default: '300' },
    },
  });
  const rounds = positive('rounds', values.rounds);
  const latencySamples = positive('latency-samples', values['latency-samples']);
  const manifest = await ensureModels();
  const evaluation = splitIndices(MNIST_SPLIT.evaluation);
  const images = evaluation.map((i) => toUnitFloats(mnistSample(i).pixels));
  const labels = evaluation.map((i) => mnistSample(i).label);
  console.log(
    `MNIST evaluation part [${MNIST_SPLIT.evaluation.from}, ${MNIST_SPLIT.evaluation.to}): ${evaluation.length} images; ` +
      `onnxruntime-node ${ort.env.versions.common}, CPU, 1 thread; ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
  );
  const subjects: Subject[] = [];
  const rows: Record<string, string | number>[] = [];
  for (const name of MNIST_MODEL_NAMES) {
    const bytes = await readFile(modelPath(name));
    const model = fromBinary(ModelProtoSchema, bytes);
    const io = signatures(model.graph!);
    const dims = (io.inputs[0]?.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const s: Subject = {
      name,
      session: await openSession(modelPath(name), SINGLE_THREAD),
      input: io.inputs[0]?.name ?? '',
      output: io.outputs[0]?.name ?? '',
      dims,
    };
    subjects.push(s);
    let correct = 0;
    for (const [k, image] of images.entries())
      if (argmax(await run(s, image)) === labels[k]) correct += 1;
    const { lower: lo, upper: hi } = wilsonInterval(correct, images.length, 0.95);
    const cost = countCost(model);
    const entry = manifest.models.find((m) => m.name === name);
    rows.push({
      name,
      sha256: entry?.sha256.slice(0, 12) ?? '?',
      bytes: bytes.length,
      input: `${s.input} [${dims.join(',')}]`,
      accuracy: (correct / images.length).toFixed(4),
      'wilson 95 %': `[${lo.toFixed(4)}, ${hi.toFixed(4)}]`,
      parameters: cost.parameters,
      flops: cost.complete ? cost.flops : `≥ ${cost.flops}`,
    });
  }
  const times = new Map(subjects.map((s) => [s.name, [] as number[]]));
  const sample = images.slice(0, latencySamples);
  for (let round = 0; round <= rounds; round++) {
    for (const image of sample) {
      for (const s of subjects) {
        const start = process.hrtime.bigint();
        await run(s, image);
        if (round > 0) times.get(s.name)?.push(Number(process.hrtime.bigint() - start) / 1e3);
      }
    }
  }
  const base = median(times.get(MNIST_BASELINE_MODEL) ?? []);
  for (const row of rows) {
    const m = median(times.get(String(row.name)) ?? []);
    row['µs/image'] = m.toFixed(1);
    row['latency ÷ baseline'] = (m / base).toFixed(2);
  }
  console.table(rows);
  console.log(
    `latency: median of ${rounds} × ${sample.length} single-image runs per model, interleaved image by image (a warm-up round excluded), batch 1`,
  );
  for (const s of subjects) await s.session.release();
}

await main();
