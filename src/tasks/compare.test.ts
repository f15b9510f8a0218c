import { describe, expect, it } from 'vitest';
import type { WireTensor } from '../bench/child/protocol.js';
import {
  compareSample,
  firstNonFinite,
  halfToFloat,
  psnr,
  ssim,
  PSNR_CAP,
  type Image8,
} from './compare.js';

const image = (w: number, h: number, f: (x: number, y: number, c: number) => number): Image8 => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { width: w, height: h, channels: 3, data };
};
const tensor = (name: string, dims: number[], values: number[]): WireTensor => ({
  name,
  type: 'float32',
  dims,
  data: Float32Array.from(values),
});

describe('image fidelity', () => {
  const a = image(24, 20, (x, y, c) => (x * 7 + y * 13 + c * 50) % 256);

  it('gives the capped PSNR and SSIM 1 for identical images', () => {
    expect(psnr(a, a)).toBe(PSNR_CAP);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
  });

  it('computes PSNR from the mean squared error over all channels', () => {
    const b = image(24, 20, (x, y, c) => Math.min(255, ((x * 7 + y * 13 + c * 50) % 256) + 2));
    let se = 0;
    for (let i = 0; i < a.data.length; i++) se += (a.data[i]! - b.data[i]!) ** 2;
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / (se / a.data.length)), 10);
  });

  it('ranks a noisier copy lower by SSIM, and an inverted image lowest', () => {
    const slight = image(24, 20, (x, y, c) => a.data[(y * 24 + x) * 3 + c]! ^ ((x + y) % 2));
    const noisy = image(24, 20, (x, y, c) => a.data[(y * 24 + x) * 3 + c]! ^ ((x * y) % 32));
    const inverted = image(24, 20, (x, y, c) => 255 - a.data[(y * 24 + x) * 3 + c]!);
    const [s1, s2, s3] = [ssim(a, slight), ssim(a, noisy), ssim(a, inverted)];
    expect(s1).toBeLessThan(1);
    expect(s2).toBeLessThan(s1);
    expect(s3).toBeLessThan(s2);
  });

  it('quantises SR outputs to 8 bits in the contest layout before comparing', () => {
    const base = tensor('SR', [1, 1, 2, 3], [0, 100, 255, 10, 20, 30]);
    const near = tensor('SR', [1, 1, 2, 3], [0.2, 100.3, 300, 10, 20, 30]); // rounds to the same bytes
    const far = tensor('SR', [1, 1, 2, 3], [0, 100, 255, 10, 20, 60]);
    const how = { kind: 'image', layout: 'NHWC', valueScale: 255 } as const;
    expect(compareSample([base], [near], how).psnr).toBe(PSNR_CAP);
    const v = compareSample([base], [far], how);
    expect(v.psnr).toBeCloseTo(10 * Math.log10((255 * 255) / (900 / 6)), 5);
    expect(v.maxAbsError).toBe(30);
    expect(v.top1Agreement).toBeNull();
  });

  it('fails clearly on a missing or misshapen output', () => {
    const how = { kind: 'tensor', top1: false } as const;
    expect(() =>
      compareSample([tensor('y', [2], [1, 2])], [tensor('z', [2], [1, 2])], how),
    ).toThrow(/output y is missing/);
    expect(() =>
      compareSample([tensor('y', [2], [1, 2])], [tensor('y', [1, 2], [1, 2])], how),
    ).toThrow(/shape/);
  });
});

describe('tensor fidelity', () => {
  it('computes cosine, max abs error and top-1 agreement per row', () => {
    const base = tensor('logits', [2, 3], [1, 5, 2, 9, 1, 1]);
    const sub = tensor('logits', [2, 3], [1, 4, 2, 1, 1, 8]);
    const v = compareSample([base], [sub], { kind: 'tensor', top1: true });
    expect(v.top1Agreement).toBe(0.5);
    expect(v.maxAbsError).toBe(8);
    const dot = 1 + 20 + 4 + 9 + 1 + 8;
    const norm = Math.sqrt(1 + 25 + 4 + 81 + 1 + 1) * Math.sqrt(1 + 16 + 4 + 1 + 1 + 64);
    expect(v.cosine).toBeCloseTo(dot / norm, 6);
    expect(v.psnr).toBeNull();
  });

  it('finds NaN and Infinity, and decodes half floats', () => {
    expect(firstNonFinite(tensor('y', [3], [1, NaN, 2]))).toBe(1);
    expect(firstNonFinite(tensor('y', [2], [1, 2]))).toBe(-1);
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(
      firstNonFinite({
        name: 'h',
        type: 'float16',
        dims: [2],
        data: Uint16Array.of(0x3c00, 0x7e00),
      }),
    ).toBe(1);
  });
});
