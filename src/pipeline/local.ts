/**
 * Pipelines and the semantic classifier in this process, with onnxruntime-node: the bare loop
 * the benchmark compares the isolated child with, the recipe's quality check, and the judge's
 * classifier (a trusted model podium ships, never run inside a submission's sandbox).
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DRIVER_ROLES, type DriverRole, type RoleRunner, type RoleTensor } from './driver.js';

/** One in-process session per role, with the contest's session settings. */
export interface LocalPipeline {
  readonly run: RoleRunner;
  readonly loadMs: number;
  close(): Promise<void>;
}

/** Session options for one intra-op thread, as the CPU demo contest pins them. */
export const SINGLE_THREAD: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  logSeverityLevel: 3,
};

/** Loads `files` (role → file name in `dir`). Throws the onnxruntime error of a bad graph. */
export async function loadLocalPipeline(
  dir: string,
  files: Readonly<Record<DriverRole, string>>,
  options: ort.InferenceSession.SessionOptions = SINGLE_THREAD,
): Promise<LocalPipeline> {
  const t0 = performance.now();
  const sessions = {} as Record<DriverRole, ort.InferenceSession>;
  for (const role of DRIVER_ROLES) {
    sessions[role] = await ort.InferenceSession.create(join(dir, files[role]), options);
  }
  const loadMs = performance.now() - t0;
  const run: RoleRunner = async (role, feeds) => {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      inputs[name] = new ort.Tensor('float32', t.data, [...t.dims]);
    }
    const out = await sessions[role].run(inputs);
    const result: Record<string, RoleTensor> = {};
    for (const [name, t] of Object.entries(out)) {
      result[name] = { dims: [...t.dims], data: t.data as Float32Array };
    }
    return result;
  };
  return {
    run,
    loadMs,
    close: async () => {
      for (const s of Object.values(sessions)) await s.release();
    },
  };
}

/** A classifier of [1, side, side, 1] images: class probabilities per image. */
export interface Classifier {
  classify(images: readonly Float32Array[], side: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** Loads the ONNX classifier at `path` (input `image`, output `probabilities`). */
export async function loadClassifier(path: string): Promise<Classifier> {
  const session = await ort.InferenceSession.create(path, SINGLE_THREAD);
  const [input] = session.inputNames;
  const [output] = session.outputNames;
  return {
    async classify(images, side) {
      const out: Float32Array[] = [];
      for (const image of images) {
        const r = await session.run({
          [input!]: new ort.Tensor('float32', image, [1, side, side, 1]),
        });
        out.push(new Float32Array(r[output!]!.data as Float32Array));
      }
      return out;
    },
    close: () => session.release(),
  };
}

/** Index of the largest value. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
