/**
 * Determinism of the benchmark: an output digest is a function of the model and the input values
 * only, never of where the input tensor happens to sit in the IPC message. A real isolated child
 * runs a real ReduceSum model (whose summation order onnxruntime picks by buffer alignment) on
 * the same values sent in messages of different layouts — the tensor preceded by padding samples
 * of 0 to 7 floats — and every digest must be the same.
 */
import { create } from '@bufbuild/protobuf';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeProtoSchema, AttributeProto_AttributeType } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { outputDigest } from '../measure.js';
import { floatInfo, model, op } from '../testing/models.js';
import { alignedCopy } from './aligned.js';
import { Child } from './child.js';
import type { SessionSettings, WireTensor } from './protocol.js';

const SESSION: SessionSettings = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableCpuMemArena: true,
  enableMemPattern: true,
};

// 900 floats (3.6 KB): under 4 KiB, Node's deserializer places a typed array in a shared pool
// buffer at an offset the message layout decides (larger ones get a buffer of their own).
const N = 300;
const sum = model({
  nodes: [
    {
      ...op('ReduceSum', ['LR'], ['SR']),
      attribute: [
        create(AttributeProtoSchema, {
          name: 'keepdims',
          type: AttributeProto_AttributeType.INT,
          i: 0n,
        }),
      ],
    },
  ],
  inputs: [floatInfo('LR', [1, N, 3])],
  outputs: [floatInfo('SR', [])],
});
const values = Float32Array.from({ length: N * 3 }, (_, i) => Math.sin(i * 0.37) * 1000 + i / 1000);

describe('input layout in the IPC message', () => {
  it('gives identical output digests whatever the padding before the input in the message', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'podium-layout-')), 'sum.onnx');
    await writeFile(file, sum);
    const child = await Child.start({ isolation: 'netns', memoryLimitBytes: 2 ** 30 });
    try {
      await child.load(file, 'cpu', SESSION, 30_000);
      const digests = new Set<string>();
      for (let pad = 0; pad < 8; pad++) {
        const padding: WireTensor[][] = Array.from({ length: pad > 0 ? 1 : 0 }, () => [
          { name: 'LR', type: 'float32', dims: [pad], data: new Float32Array(pad) },
        ]);
        // The input itself as a view at an odd element offset of a larger buffer, too.
        const host = new Float32Array(values.length + pad + 1);
        host.set(values, pad + 1);
        const input = host.subarray(pad + 1);
        await child.setFeeds([
          ...padding,
          [{ name: 'LR', type: 'float32', dims: [1, N, 3], data: input }],
        ]);
        const r = await child.run([padding.length], { keep: true, limitMs: null, hardMs: 30_000 });
        digests.add(outputDigest(r.outputs![0]!));
      }
      expect(digests.size).toBe(1);
    } finally {
      await child.close();
    }
  });
});

describe('alignedCopy', () => {
  it('copies a view at an odd offset into a fresh buffer of its own with the same values', () => {
    const host = new Float32Array(11);
    host.set([1, 2, 3, 4, 5], 3);
    const view = host.subarray(3, 8);
    const copy = alignedCopy(view);
    expect(copy).toBeInstanceOf(Float32Array);
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(20);
    expect(copy.buffer).not.toBe(host.buffer);
    expect([...copy]).toEqual([1, 2, 3, 4, 5]);
    const big = BigInt64Array.of(1n, 2n, 3n).subarray(1);
    expect([...alignedCopy(big)]).toEqual([2n, 3n]);
  });
});
