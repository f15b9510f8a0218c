import sharp from 'sharp';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundInputs } from './inputs.js';
import { tempContest } from './testing/contest.js';

const SEED_A = '0x' + 'a1'.repeat(32);
const SEED_B = '0x' + 'b2'.repeat(32);

describe('roundInputs', () => {
  it('draws byte-identical inputs from the same seed and different ones from another', async () => {
    const loaded = await tempContest((c) => {
      (c.inputs as Record<string, unknown>).samplesPerRound = 8;
    });
    const a1 = await roundInputs(loaded, SEED_A);
    const a2 = await roundInputs(loaded, SEED_A);
    const b = await roundInputs(loaded, SEED_B);
    expect(a1.sha256).toBe(a2.sha256);
    expect(a1.samples.map((s) => [s.source, s.left, s.top])).toEqual(
      a2.samples.map((s) => [s.source, s.left, s.top]),
    );
    expect(b.sha256).not.toBe(a1.sha256);
    expect(b.samples.map((s) => [s.source, s.left, s.top])).not.toEqual(
      a1.samples.map((s) => [s.source, s.left, s.top]),
    );
  });

  it('uses every source image before repeating one, and crops exactly the pixels it names', async () => {
    const loaded = await tempContest((c) => {
      (c.inputs as Record<string, unknown>).samplesPerRound = 6;
    });
    const { samples } = await roundInputs(loaded, SEED_A);
    expect(new Set(samples.map((s) => s.source)).size).toBe(6);
    const s = samples[3]!;
    const feed = s.feeds[0]!;
    expect(feed.dims).toEqual([1, 16, 16, 3]);
    const { data } = await sharp(join(loaded.dir, 'inputs', s.source!))
      .extract({ left: s.left, top: s.top, width: 16, height: 16 })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Array.from(feed.data)).toEqual(Array.from(data));
  });

  it('lays out NCHW and scales values when the contest says so', async () => {
    const loaded = await tempContest((c) => {
      const inputs = c.inputs as Record<string, unknown>;
      inputs.layout = 'NCHW';
      inputs.valueScale = 1;
      const io = (c.baseline as { io: { inputs: { shape: unknown[] }[] } }).io;
      io.inputs[0]!.shape = [1, 3, 'height', 'width'];
    });
    const nhwc = await roundInputs(await tempContest(), SEED_A);
    const nchw = await roundInputs(loaded, SEED_A);
    const a = nhwc.samples[0]!.feeds[0]!;
    const b = nchw.samples[0]!.feeds[0]!;
    expect(b.dims).toEqual([1, 3, 16, 16]);
    // pixel (y=2, x=5), channel 1
    expect(b.data[(1 * 16 + 2) * 16 + 5]).toBeCloseTo((a.data[(2 * 16 + 5) * 3 + 1]! / 255) * 1, 6);
  });

  it('refuses a crop larger than a source image', async () => {
    const loaded = await tempContest((c) => {
      (c.inputs as Record<string, unknown>).crop = { width: 200, height: 16 };
    });
    await expect(roundInputs(loaded, SEED_A)).rejects.toThrow(/smaller than the 200x16 crop/);
  });
});
