/**
 * External data of a model under inspection: every location must stay inside the artifact's
 * folder (no absolute path, "..", or symlink out) and every offset/length must fit the tensor and
 * the real file; once checked, the bytes are read into the tensors for fingerprinting.
 */
import { open, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ModelProto, TensorProto } from 'onnx-buf';
import { elementBytes, externalLocations, externalValue, storedTensors } from './onnx-read.js';
import type { BenchReason } from '../documents/bench.js';

/** Returns one `external-data` reason per tensor whose external data is out of bounds. */
export async function externalDataReasons(model: ModelProto, path: string): Promise<BenchReason[]> {
  const folder = await realpath(dirname(path));
  const reasons: BenchReason[] = [];
  const { tensors } = storedTensors(model);
  for (const { tensor, count } of tensors) {
    for (const location of externalLocations(tensor)) {
      const problem =
        (await locationProblem(location, folder)) ??
        (await extentProblem(tensor, count, resolve(folder, location)));
      if (problem) {
        reasons.push({
          code: 'external-data',
          message: `tensor ${tensor.name}: external data "${location}" ${problem}`,
        });
      }
    }
  }
  return reasons;
}

async function locationProblem(location: string, folder: string): Promise<string | null> {
  if (location === '') return 'has no location';
  if (isAbsolute(location) || /^[A-Za-z]:|^[\\/]/.test(location)) return 'is an absolute path';
  if (location.split(/[\\/]/).includes('..')) return 'contains ".."';
  const target = resolve(folder, location);
  const real = await realpath(target).catch(() => null);
  if (real === null) return 'does not exist next to the model (artifacts are single files)';
  const rel = relative(folder, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    return `resolves outside the model's folder (${real})`;
  }
  return null;
}

/** Where the external bytes of a tensor lie must be inside the real file, and fit the tensor. */
async function extentProblem(
  tensor: TensorProto,
  count: number,
  file: string,
): Promise<string | null> {
  const size = (await stat(file)).size;
  const field = (key: string): number | null | 'bad' => {
    const v = externalValue(tensor, key);
    if (v === undefined) return null;
    return /^\d{1,16}$/.test(v) ? Number(v) : 'bad';
  };
  const offset = field('offset');
  const length = field('length');
  if (offset === 'bad' || length === 'bad') {
    const key = offset === 'bad' ? 'offset' : 'length';
    return `has ${key} "${externalValue(tensor, key)}", not a non-negative integer`;
  }
  const width = elementBytes(tensor.dataType);
  const expected = width === null ? null : count * width;
  if (length !== null && expected !== null && length !== expected) {
    return `has length ${length}, but its ${count} elements take ${expected} bytes`;
  }
  const start = offset ?? 0;
  const end = start + (length ?? expected ?? 0);
  if (start > size || end > size) {
    return `reaches byte ${end} (offset ${start}), past the end of the ${size}-byte file`;
  }
  return null;
}

/** Reads every external-data tensor's bytes into its rawData (locations already checked). */
export async function readExternalData(model: ModelProto, path: string): Promise<void> {
  const folder = await realpath(dirname(path));
  for (const { tensor, count } of storedTensors(model).tensors) {
    const [location] = externalLocations(tensor);
    if (location === undefined) continue;
    const offset = Number(externalValue(tensor, 'offset') ?? 0);
    const file = await open(resolve(folder, location), 'r');
    try {
      const size = (await file.stat()).size;
      const declared = externalValue(tensor, 'length');
      const width = elementBytes(tensor.dataType);
      const length =
        declared !== undefined ? Number(declared) : width !== null ? count * width : size - offset;
      const bytes = new Uint8Array(length);
      await file.read(bytes, 0, length, offset);
      tensor.rawData = bytes;
    } finally {
      await file.close();
    }
  }
}
