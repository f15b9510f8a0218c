import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  MNIST_PIXELS,
  MNIST_SPLIT,
  checkSplit,
  globalOrder,
  mnistCount,
  mnistDigest,
  mnistSample,
  mnistVersion,
  splitIndices,
} from './mnist.js';

/** sha256 of the whole data set in podium's global order (pins the order and the pixels). */
const DIGEST = '94f80a992515fa22a7fe335a02b96268e70295228c456011fc92f8c9f1d0f3f8';

const rawDigit = (d: number): number[] => {
  const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const file = join(root, 'src', 'digits', `${d}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
};

const imageKey = (i: number) => createHash('sha256').update(mnistSample(i).pixels).digest('base64');

describe('the mnist data set', () => {
  it('holds 10,000 labelled images with the per-digit counts of the package files', () => {
    expect(mnistVersion()).toBe('1.1.0');
    expect(mnistCount()).toBe(10_000);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < mnistCount(); i++) counts[mnistSample(i).label]! += 1;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('recovers the original bytes: byte / 255 rounded to 3 decimals is the package value', () => {
    // Index 0 is digit 1's first image: 1.json has the most samples, so the smallest key 1/2254.
    const first = mnistSample(0);
    expect(first.label).toBe(1);
    const raw = rawDigit(1).slice(0, MNIST_PIXELS);
    expect(first.pixels).toHaveLength(MNIST_PIXELS);
    expect(Array.from(first.pixels, (p) => Math.round((p / 255) * 1000) / 1000)).toEqual(raw);
  });

  it('lays samples out in the same order on every load (pinned digest)', () => {
    expect(mnistDigest()).toBe(DIGEST);
  });

  it('orders samples by the stratified interleave, ties by digit', () => {
    expect(globalOrder([2, 1])).toEqual([
      [0, 0], // key 1/4
      [1, 0], // key 1/2
      [0, 1], // key 3/4
    ]);
    expect(globalOrder([1, 1])).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('gives the evaluation part every digit within 1 of its overall share', () => {
    const { from, to } = MNIST_SPLIT.evaluation;
    const counts = new Array<number>(10).fill(0);
    for (const i of splitIndices(MNIST_SPLIT.evaluation)) counts[mnistSample(i).label]! += 1;
    const overall = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    counts.forEach((c, d) => {
      expect(Math.abs(c - ((overall[d] as number) * (to - from)) / 10_000)).toBeLessThanOrEqual(1);
    });
  });

  it('rejects an index outside the data set', () => {
    expect(() => mnistSample(10_000)).toThrow('mnist sample index 10000 is outside [0, 10000)');
    expect(() => mnistSample(-1)).toThrow(RangeError);
    expect(() => mnistSample(1.5)).toThrow(RangeError);
  });
});

describe('the split', () => {
  it('has disjoint training and evaluation parts that cover the data set', () => {
    checkSplit(MNIST_SPLIT, mnistCount());
    const train = splitIndices(MNIST_SPLIT.train);
    const evaluation = splitIndices(MNIST_SPLIT.evaluation);
    expect([train.length, evaluation.length]).toEqual([8000, 2000]);
    const trainSet = new Set(train);
    expect(evaluation.filter((i) => trainSet.has(i))).toEqual([]);
    expect(new Set([...train, ...evaluation]).size).toBe(mnistCount());
  });

  it('has no evaluation image byte-identical to a training image (nor any duplicate at all)', () => {
    const seen = new Map<string, number>();
    const duplicates: [number, number][] = [];
    for (let i = 0; i < mnistCount(); i++) {
      const key = imageKey(i);
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, i);
      else duplicates.push([earlier, i]);
    }
    const trainKeys = new Set(splitIndices(MNIST_SPLIT.train).map(imageKey));
    const leaked = splitIndices(MNIST_SPLIT.evaluation).filter((i) => trainKeys.has(imageKey(i)));
    expect(leaked).toEqual([]);
    expect(duplicates).toEqual([]);
  });

  it('refuses overlapping parts, naming both parts and the overlapping bound', () => {
    const overlap = { train: { from: 0, to: 8000 }, evaluation: { from: 7000, to: 10_000 } };
    expect(() => checkSplit(overlap, 10_000, 'contest.json: /task/split')).toThrow(
      'contest.json: /task/split/evaluation/from is 7000, inside contest.json: /task/split/train [0, 8000): parts overlap',
    );
    // order of the parts in the object does not matter
    const reversed = { evaluation: { from: 0, to: 10 }, train: { from: 5, to: 20 } };
    expect(() => checkSplit(reversed, 100)).toThrow(
      'split/train/from is 5, inside split/evaluation [0, 10): parts overlap',
    );
  });

  it('refuses ranges outside the data, empty or not integers', () => {
    const one = (r: { from: number; to: number }) => () => checkSplit({ evaluation: r }, 10_000);
    expect(one({ from: 8000, to: 10_001 })).toThrow(
      "split/evaluation/to must be ≤ 10000, the data's size (got 10001)",
    );
    expect(one({ from: -1, to: 10 })).toThrow('split/evaluation/from must be ≥ 0 (got -1)');
    expect(one({ from: 10, to: 10 })).toThrow(
      'split/evaluation/to must be > from (10) (got 10): the part is empty',
    );
    expect(one({ from: 0.5, to: 10 })).toThrow(
      'split/evaluation/from must be an integer (got 0.5)',
    );
  });

  it('accepts adjacent parts (half-open ranges)', () => {
    expect(() =>
      checkSplit({ train: { from: 0, to: 10 }, evaluation: { from: 10, to: 20 } }, 20),
    ).not.toThrow();
  });
});
