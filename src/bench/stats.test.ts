import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './stats.js';

describe('summarize', () => {
  it('matches numpy type-7 percentiles, the sample stdev and the relative stdev', () => {
    const ms = [5, 1, 4, 2, 3, 10, 6, 8, 7, 9];
    const s = summarize(ms)!;
    // numpy.percentile([1..10], [50, 90, 99]) = 5.5, 9.1, 9.91
    expect(s).toMatchObject({ count: 10, meanMs: 5.5, p50Ms: 5.5, p90Ms: 9.1, p99Ms: 9.91 });
    expect(s.stdevMs).toBeCloseTo(3.02765, 5);
    expect(s.relStdev).toBeCloseTo(3.02765 / 5.5, 5);
  });

  it('is null without samples, and has zero spread for one', () => {
    expect(summarize([])).toBeNull();
    expect(summarize([4])).toMatchObject({ count: 1, p99Ms: 4, stdevMs: 0 });
    expect(() => quantile([], 0.5)).toThrow();
  });
});
