/**
 * The determinism audit: a sample of the *timed* runs must reproduce the accuracy pass. The
 * first `auditInputs` inputs keep their accuracy-pass outputs; whenever one of them is timed in
 * a pre-declared cycle (cycles 0, 1, 2, 4, 8, … over the inputs) its outputs come back and are
 * compared. A digest mismatch whose largest absolute difference exceeds the contest's
 * `maxAbsDiff` makes the submission invalid with the figure, so a graph with random ops or
 * non-deterministic kernels cannot pass fidelity on a lucky accuracy pass. Pure.
 */
import type { WireTensor } from './child/protocol.js';
import { ModelRejection } from './errors.js';
import { fromHalfBits } from '../models/half.js';

/** True when timed block `block` running `input` is audited: a power-of-two cycle (or 0). */
export function audited(
  input: number,
  block: number,
  inputs: number,
  auditInputs: number,
): boolean {
  if (input >= auditInputs) return false;
  const cycle = Math.floor(block / inputs);
  return (cycle & (cycle - 1)) === 0;
}

function values(t: WireTensor): ArrayLike<number> {
  if (t.type === 'float16') return Array.from(t.data as Uint16Array, fromHalfBits);
  if (t.data instanceof BigInt64Array) return Array.from(t.data, Number);
  return t.data;
}

/** Returns the largest |a − b| over same-named outputs (Infinity when shapes or names differ). */
export function maxAbsDiff(a: readonly WireTensor[], b: readonly WireTensor[]): number {
  let worst = 0;
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  for (const x of a) {
    const y = b.find((t) => t.name === x.name);
    if (!y || y.type !== x.type || y.dims.join('x') !== x.dims.join('x')) {
      return Number.POSITIVE_INFINITY;
    }
    const u = values(x);
    const v = values(y);
    for (let i = 0; i < u.length; i++) {
      const d = Math.abs(u[i]! - v[i]!);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    }
  }
  return worst;
}

/**
 * Compares one timed run's outputs with the accuracy pass of the same input. Returns null when
 * they agree within `maxAbsDiff`, else the rejection naming input, block and the difference.
 */
export function auditRun(
  reference: readonly WireTensor[],
  timed: readonly WireTensor[],
  where: { input: number; block: number },
  maxAbs: number,
): ModelRejection | null {
  const diff = maxAbsDiff(reference, timed);
  if (diff <= maxAbs) return null;
  return new ModelRejection(
    'nondeterministic-outputs',
    `input ${where.input}: the timed run in block ${where.block} gave outputs that differ from its accuracy pass by up to ${diff} (the contest allows ${maxAbs}); a model must give the same outputs every run`,
  );
}

/**
 * Audits one block's kept outputs against the accuracy pass (`references` by input index).
 * Returns the first rejection, or null.
 */
export function auditBlock(
  references: readonly (readonly WireTensor[])[],
  batch: readonly number[],
  block: number,
  outputs: readonly (readonly WireTensor[])[],
  audit: { readonly maxAbsDiff: number },
): ModelRejection | null {
  for (let j = 0; j < batch.length; j++) {
    const input = batch[j]!;
    const reference = references[input];
    if (!reference) continue;
    const bad = auditRun(reference, outputs[j] ?? [], { input, block }, audit.maxAbsDiff);
    if (bad) return bad;
  }
  return null;
}
