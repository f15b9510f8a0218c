import { describe, expect, it } from 'vitest';
import { averageWithin, parseGpuList, parsePower, parseProcessMemory, selectedGpu } from './gpu.js';

// Lines in the format `nvidia-smi --format=csv,noheader,nounits` prints (parser fixtures, not
// measurements).
const LIST = [
  '0, GPU-1b2c3d4e-0000-0000-0000-000000000000, NVIDIA GeForce RTX 4090, 550.54.14, 24564',
  '1, GPU-9f8e7d6c-0000-0000-0000-000000000000, NVIDIA A100-SXM4-80GB, 550.54.14, 81920',
].join('\n');

describe('nvidia-smi parsing', () => {
  it('lists GPUs and picks the one CUDA_VISIBLE_DEVICES names', () => {
    const gpus = parseGpuList(LIST);
    expect(gpus[0]).toEqual({
      index: 0,
      uuid: 'GPU-1b2c3d4e-0000-0000-0000-000000000000',
      name: 'NVIDIA GeForce RTX 4090',
      driver: '550.54.14',
      memoryTotalBytes: 24564 * 2 ** 20,
    });
    expect(selectedGpu(gpus, undefined)?.index).toBe(0);
    expect(selectedGpu(gpus, '1,0')?.name).toBe('NVIDIA A100-SXM4-80GB');
    expect(selectedGpu(gpus, 'GPU-9f8e7d6c-0000-0000-0000-000000000000')?.index).toBe(1);
    expect(selectedGpu(gpus, '7')).toBeNull();
  });

  it('reads per-process memory and treats [N/A] power as not available, never 0', () => {
    expect(parseProcessMemory('1234, 512\n999, 100\n1234, 256\n', 1234)).toBe(768 * 2 ** 20);
    expect(parseProcessMemory('999, 100\n', 1234)).toBeNull();
    expect(parsePower('[N/A]')).toBeNull();
    expect(parsePower('')).toBeNull();
    expect(parsePower('215.31')).toBe(215.31);
  });

  it('averages power only over the intervals a model ran', () => {
    const readings = [
      { atMs: 0, watts: 100 },
      { atMs: 10, watts: 300 },
      { atMs: 20, watts: 200 },
      { atMs: 30, watts: 400 },
    ];
    expect(
      averageWithin(readings, [
        [5, 12],
        [25, 35],
      ]),
    ).toBe(350);
    expect(averageWithin(readings, [[40, 50]])).toBeNull();
  });
});
