/**
 * A deterministic random stream from a public seed: sha256(seed ‖ label ‖ counter) blocks, read
 * as big-endian 32-bit words. Same seed and label → the same numbers on every machine and
 * Node version; different labels give independent streams for independent decisions.
 */
import { createHash } from 'node:crypto';

/** A reproducible stream of random integers drawn from a 32-byte seed. */
export class SeedStream {
  private readonly seed: Buffer;
  private readonly label: Buffer;
  private counter = 0n;
  private words: number[] = [];

  /** `seed` is 0x-prefixed or bare hex (any length ≥ 16 bytes); `label` names the stream. */
  constructor(seed: string, label: string) {
    const hex = seed.startsWith('0x') ? seed.slice(2) : seed;
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0 || hex.length < 32) {
      throw new RangeError(`seed must be hex of at least 16 bytes (got "${seed}")`);
    }
    this.seed = Buffer.from(hex, 'hex');
    this.label = Buffer.from(label, 'utf8');
    if (this.label.length > 255) throw new RangeError('label must be at most 255 bytes');
  }

  /** The next uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    if (this.words.length === 0) this.refill();
    return this.words.shift() as number;
  }

  /** A uniform integer in [0, n), without modulo bias (rejection sampling). */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`bad bound ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /** A uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.uint32() / 2 ** 32;
  }

  /** A new array with the items of `items` in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  private refill(): void {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(this.counter);
    this.counter += 1n;
    const block = createHash('sha256')
      .update(this.seed)
      .update(Buffer.from([this.label.length]))
      .update(this.label)
      .update(counter)
      .digest();
    for (let i = 0; i < 32; i += 4) this.words.push(block.readUInt32BE(i));
  }
}
