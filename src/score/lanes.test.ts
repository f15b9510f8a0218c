import { describe, expect, it } from 'vitest';
import { LANES, laneSums, wasmKernelAvailable } from './lanes.js';
import { bootstrapIndices } from './prng.js';

const SEED = `0x${'02'.repeat(32)}`;

/** The one-running-total loop scoring has always used (bootstrap.ts resampleSums). */
function oneByOne(values: Float64Array, idx: Uint32Array, resamples: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(resamples);
  for (let r = 0, k = 0; r < resamples; r++) {
    let total = 0;
    for (let j = 0; j < n; j++, k++) total += values[idx[k]!]!;
    out[r] = total;
  }
  return out;
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('summing many submissions side by side', () => {
  it('builds a WebAssembly kernel this node accepts (so the fast path is the one tested)', () => {
    expect(wasmKernelAvailable()).toBe(true);
  });

  it('gives every column bit-for-bit the sums of one running total, in WebAssembly and in JavaScript', () => {
    const n = 37;
    const resamples = 150;
    const idx = bootstrapIndices(SEED, 'r', n, resamples);
    // Values of very different magnitudes, so any change of addition order changes the bits.
    const columns = Array.from({ length: 2 * LANES + 3 }, (_, c) =>
      Float64Array.from({ length: n }, (_, j) => Math.exp(Math.sin(j * 7.1 + c) * 12) / 3),
    );
    const expected = columns.map((col) => oneByOne(col, idx, resamples));
    for (const useWasm of [true, false]) {
      const got = laneSums(columns, idx, n, resamples, useWasm);
      expect(got).toHaveLength(columns.length);
      got.forEach((sums, c) => expect(bits(sums).equals(bits(expected[c]!))).toBe(true));
    }
    // A reordered sum does differ in these values: the comparison above can fail.
    const reversed = Float64Array.from({ length: resamples }, (_, r) =>
      [...idx.subarray(r * n, (r + 1) * n)].reverse().reduce((t, i) => t + columns[0]![i]!, 0),
    );
    expect(bits(reversed).equals(bits(expected[0]!))).toBe(false);
  });
});
