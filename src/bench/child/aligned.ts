/**
 * Input tensors as the worker hands them to onnxruntime: each in a fresh buffer of its own.
 * After IPC deserialization a typed array is a view into the message buffer at whatever offset
 * the message layout put it, and onnxruntime's kernels pick their summation order by the
 * buffer's alignment, so the same values could give different output bits. A fresh ArrayBuffer
 * starts at an allocator-aligned address, whatever the message looked like. Builtins only (the
 * worker is bundled on its own).
 */
import type { WireTensor } from './protocol.js';

type Data = WireTensor['data'];

/** Returns a copy of `data` in a new ArrayBuffer of exactly its size (byteOffset 0). */
export function alignedCopy<T extends Data>(data: T): T {
  const Ctor = data.constructor as new (length: number) => T;
  const copy = new Ctor(data.length);
  (copy as unknown as { set(a: ArrayLike<number | bigint>): void }).set(
    data as ArrayLike<number | bigint>,
  );
  return copy;
}
