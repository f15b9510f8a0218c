import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeedStream } from './seed-stream.js';

const SEED = '0x' + '11'.repeat(32);

describe('SeedStream', () => {
  it('gives the same numbers for the same seed and label, and others for another', () => {
    const draw = (seed: string, label: string) => {
      const s = new SeedStream(seed, label);
      return Array.from({ length: 20 }, () => s.uint32());
    };
    expect(draw(SEED, 'a')).toEqual(draw(SEED, 'a'));
    expect(draw(SEED, 'a')).not.toEqual(draw(SEED, 'b'));
    expect(draw(SEED, 'a')).not.toEqual(draw('0x' + '12'.repeat(32), 'a'));
  });

  it('pins the stream: sha256(seed, label length, label, counter) read big-endian', () => {
    // First word for seed 0x11…11, label "x": the first 4 bytes of
    // sha256(0x11×32 ‖ 0x01 ‖ "x" ‖ 0x0000000000000000).
    const block = createHash('sha256')
      .update(Buffer.alloc(32, 0x11))
      .update(Buffer.from([1]))
      .update('x')
      .update(Buffer.alloc(8))
      .digest();
    expect(new SeedStream(SEED, 'x').uint32()).toBe(block.readUInt32BE(0));
  });

  it('draws bounded integers in range and shuffles into a permutation', () => {
    const s = new SeedStream(SEED, 'range');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = s.below(7);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(7);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = s.shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it('refuses a seed shorter than 16 bytes', () => {
    expect(() => new SeedStream('0xabcd', 'x')).toThrow(/at least 16 bytes/);
  });
});
