/**
 * What a graph-size bomb costs and what the wire scan saves, measured in one run:
 * `npm run bench:bomb`. Prints the demo models' node/initializer/depth figures (the defaults of
 * limits.graph must fit them with room), then, for Identity chains of growing length, the time
 * of the wire scan (inspection's first step), of a full protobuf decode, and of an onnxruntime
 * session load with its RSS growth — the cost the scan refuses to pay.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { ensureModels, modelPath } from '../src/models/build.js';
import type { ModelName } from '../src/models/variants.js';
import { allGraphs } from '../src/bench/onnx-read.js';
import { graphDepth, scanCounts } from '../src/bench/onnx-scan.js';
import { chainModel } from '../src/bench/testing/models.js';

const manifest = await ensureModels();
console.log('model                        nodes  initializers  depth');
for (const m of manifest.models) {
  const bytes = await readFile(modelPath(m.name as ModelName));
  const counts = scanCounts(bytes);
  let depth: string;
  try {
    const model = fromBinary(ModelProtoSchema, bytes);
    depth = String(Math.max(...allGraphs(model).map((g) => graphDepth(g.node))));
  } catch {
    depth = 'unparsable';
  }
  console.log(
    `${m.name.padEnd(28)} ${String(counts?.nodes ?? '-').padStart(5)}  ${String(counts?.initializers ?? '-').padStart(12)}  ${depth.padStart(5)}`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'podium-bomb-'));
console.log(
  '\nnodes    bytes      scan ms  decode ms  ort load ms  rss +MiB  decode/scan  load/scan',
);
for (const n of [50_000, 300_000]) {
  const bytes = chainModel(n);
  const file = join(dir, `chain-${n}.onnx`);
  await writeFile(file, bytes);
  let t0 = performance.now();
  scanCounts(bytes);
  const scan = performance.now() - t0;
  t0 = performance.now();
  fromBinary(ModelProtoSchema, bytes);
  const decode = performance.now() - t0;
  const rss0 = process.memoryUsage().rss;
  t0 = performance.now();
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const load = performance.now() - t0;
  const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
  await session.release();
  console.log(
    `${String(n).padEnd(8)} ${String(bytes.length).padEnd(10)} ${scan.toFixed(1).padStart(7)}  ${decode.toFixed(0).padStart(9)}  ${load.toFixed(0).padStart(11)}  ${grown.toFixed(0).padStart(8)}  ${(decode / scan).toFixed(1).padStart(11)}  ${(load / scan).toFixed(1).padStart(9)}`,
  );
}
await rm(dir, { recursive: true, force: true });
