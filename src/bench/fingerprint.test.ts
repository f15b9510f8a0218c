/**
 * Copy detection that storage edits do not defeat: the real slim model (npm run models) with its
 * weights moved into Constant nodes (value and value_floats), a sparse initializer and external
 * data computes the same outputs in onnxruntime and has the same fingerprints; a model with one
 * weight nudged by one ULP keeps its sketches but not its exact hash; externally stored models
 * no longer share a hash.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedContest } from '../contest/load.js';
import { modelPath } from '../models/build.js';
import { inspectModel, type InspectionReport } from './inspect.js';
import { tempContest } from './testing/contest.js';
import { nudge, restore, type Storage } from './testing/rewrite.js';

let loaded: LoadedContest;
let slim: Uint8Array;
beforeAll(async () => {
  loaded = await tempContest();
  slim = await readFile(modelPath('esrgan-slim-x2'));
});

async function inspectIn(dir: string, bytes: Uint8Array): Promise<InspectionReport> {
  const file = join(dir, 'model.onnx');
  await writeFile(file, bytes);
  const { report, reasons } = await inspectModel(file, loaded.contest);
  expect(reasons).toEqual([]);
  return report!;
}

async function run(file: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1 });
  const input = Float32Array.from({ length: 16 * 16 * 3 }, (_, i) => (i * 37) % 255);
  const out = await session.run({ LR: new ort.Tensor('float32', input, [1, 16, 16, 3]) });
  await session.release();
  return out.SR!.data as Float32Array;
}

/** Kernels into Constant values, biases into value_floats, two kernels sparse or external. */
const EVERY_FORM = (name: string): Storage | null => {
  if (name === 'F_0/kernel') return 'sparse';
  if (name === 'UPN1/kernel' || name === 'GFF_1/kernel') return 'external';
  if (name.endsWith('/bias') || name === 'UPsample/scales') return 'constant-list';
  return 'constant';
};

describe('weights fingerprints across storage forms', () => {
  it('gives a model with its weights in Constant nodes, sparse and external data the same fingerprints and outputs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-fp-'));
    const moved = await restore(slim, EVERY_FORM, dir);
    const original = await inspectIn(await mkdtemp(join(tmpdir(), 'podium-fp-')), slim);
    const report = await inspectIn(dir, moved);
    expect(report.ops['ai.onnx:Constant']).toBeGreaterThan(15);
    expect(report.weightsSha256).toBe(original.weightsSha256);
    expect(report.tensorSketches).toEqual(original.tensorSketches);
    expect(original.tensorSketches?.length).toBeGreaterThan(10);
    expect(await run(join(dir, 'model.onnx'))).toEqual(await run(modelPath('esrgan-slim-x2')));
  });

  it('gives two different models stored entirely as external data different hashes', async () => {
    const all = (): Storage => 'external';
    const a = await mkdtemp(join(tmpdir(), 'podium-fp-'));
    const b = await mkdtemp(join(tmpdir(), 'podium-fp-'));
    const ra = await inspectIn(a, await restore(slim, all, a));
    const rb = await inspectIn(b, await restore(nudge(slim, 'SR/kernel', 7, 1000), all, b));
    expect(ra.weightsSha256).not.toBe(rb.weightsSha256);
    expect(ra.weightsSha256).toBe(
      (await inspectModel(modelPath('esrgan-slim-x2'), loaded.contest)).report?.weightsSha256,
    );
  });

  it('keeps the sketches of a model with one weight nudged by one ULP within 1e-6, not its exact hash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-fp-'));
    const original = await inspectIn(dir, slim);
    const nudged = await inspectIn(dir, nudge(slim, 'UPN1/kernel', 1234));
    expect(nudged.weightsSha256).not.toBe(original.weightsSha256);
    const a = original.tensorSketches!;
    const b = nudged.tensorSketches!;
    expect(b.map((s) => s.elements)).toEqual(a.map((s) => s.elements));
    const worst = Math.max(
      ...a.flatMap((s, i) => s.projections.map((p, k) => Math.abs(p - b[i]!.projections[k]!))),
    );
    expect(worst).toBeLessThan(1e-6);
  });
});
