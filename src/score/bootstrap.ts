/**
 * Paired bootstrap of the latency ratio baseline/submission on one runner. Baseline and
 * submissions run interleaved on the same inputs, so a submission's sample is paired with the
 * baseline's sample of the same (block, input) — the j-th occurrence with the j-th when a key
 * repeats — and pairs are kept in the canonical order (block, input, occurrence). The ratio is
 * Σ baseline / Σ submission over the pairs (ratio of means); each resample draws n pairs with
 * replacement (indices from prng.ts) and recomputes it.
 */
import { laneSums } from './lanes.js';
import { bootstrapIndices } from './prng.js';

/** Raw timings as the bench file stores them. */
export interface Samples {
  readonly input: readonly number[];
  readonly block: readonly number[];
  readonly ms: readonly number[];
}

/** The baseline's samples of one runner, in canonical pair order. */
export interface PreparedBaseline {
  /** Baseline milliseconds in canonical order. */
  readonly ms: Float64Array;
  /** (block, input) key → canonical positions, one per occurrence. */
  readonly slots: ReadonlyMap<number, readonly number[]>;
}

/** Paired samples of one submission: equal-length arrays in canonical order. */
export interface Pairs {
  readonly baseline: Float64Array;
  readonly submission: Float64Array;
  /** True when every baseline sample found its pair (the runner-wide resample sums apply). */
  readonly complete: boolean;
}

function key(block: number, input: number): number {
  return block * 4294967296 + input;
}

/** Sorts the baseline's samples into canonical order and indexes them by (block, input). */
export function prepareBaseline(samples: Samples): PreparedBaseline {
  const order = samples.ms.map((_, k) => k);
  order.sort(
    (a, b) =>
      samples.block[a]! - samples.block[b]! || samples.input[a]! - samples.input[b]! || a - b,
  );
  const ms = new Float64Array(order.length);
  const slots = new Map<number, number[]>();
  order.forEach((k, pos) => {
    ms[pos] = samples.ms[k]!;
    const id = key(samples.block[k]!, samples.input[k]!);
    const list = slots.get(id);
    if (list) list.push(pos);
    else slots.set(id, [pos]);
  });
  return { ms, slots };
}

/** Pairs a submission's samples with the prepared baseline; unpaired samples are dropped. */
export function pairSamples(base: PreparedBaseline, samples: Samples): Pairs {
  const aligned = new Float64Array(base.ms.length).fill(Number.NaN);
  const seen = new Map<number, number>();
  for (let k = 0; k < samples.ms.length; k++) {
    const id = key(samples.block[k]!, samples.input[k]!);
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    const pos = base.slots.get(id)?.[occurrence];
    if (pos !== undefined) aligned[pos] = samples.ms[k]!;
  }
  let n = 0;
  for (const v of aligned) if (!Number.isNaN(v)) n++;
  if (n === aligned.length) return { baseline: base.ms, submission: aligned, complete: true };
  const baseline = new Float64Array(n);
  const submission = new Float64Array(n);
  for (let pos = 0, j = 0; pos < aligned.length; pos++) {
    if (Number.isNaN(aligned[pos]!)) continue;
    baseline[j] = base.ms[pos]!;
    submission[j++] = aligned[pos]!;
  }
  return { baseline, submission, complete: false };
}

/** Returns Σ values. */
export function sum(values: Float64Array): number {
  let total = 0;
  for (let j = 0; j < values.length; j++) total += values[j]!;
  return total;
}

/**
 * Bootstrap for one runner: caches the resample indices per pair count and the baseline's
 * resample sums for complete pairings. `prepare` sums many submissions' resamples together
 * (lanes.ts): every replicate is bit-for-bit what `ratios` alone computes.
 */
export class RunnerBootstrap {
  private readonly indices = new Map<number, Uint32Array>();
  private fullBaselineSums: Float64Array | undefined;
  private readonly prepared = new WeakMap<Float64Array, Float64Array>();

  constructor(
    private readonly roundSeed: string,
    private readonly runner: string,
    private readonly resamples: number,
  ) {}

  /** Returns the resample indices for n pairs (row-major, `resamples` rows of n). */
  indicesFor(n: number): Uint32Array {
    let idx = this.indices.get(n);
    if (!idx) {
      idx = bootstrapIndices(this.roundSeed, this.runner, n, this.resamples);
      this.indices.set(n, idx);
    }
    return idx;
  }

  /**
   * Computes the submission resample sums of every pairing in `all` in batches (by pair
   * count), kept until `ratios` asks for each; the result of `ratios` is unchanged.
   */
  prepare(all: readonly Pairs[]): void {
    const byCount = new Map<number, Float64Array[]>();
    for (const pairs of all) {
      const n = pairs.submission.length;
      if (n < 2 || this.prepared.has(pairs.submission)) continue;
      const list = byCount.get(n);
      if (list) list.push(pairs.submission);
      else byCount.set(n, [pairs.submission]);
    }
    for (const [n, columns] of byCount) {
      const sums = laneSums(columns, this.indicesFor(n), n, this.resamples);
      columns.forEach((column, i) => this.prepared.set(column, sums[i]!));
    }
  }

  /** Returns the resampled ratios Σ baseline* / Σ submission*, one per resample. */
  ratios(pairs: Pairs): Float64Array {
    const idx = this.indicesFor(pairs.submission.length);
    let baseSums: Float64Array;
    if (pairs.complete) {
      this.fullBaselineSums ??= this.resampleSums(pairs.baseline, idx);
      baseSums = this.fullBaselineSums;
    } else {
      baseSums = this.resampleSums(pairs.baseline, idx);
    }
    // Prepared sums are used once: the ratios overwrite them in place.
    const out = this.prepared.get(pairs.submission) ?? this.resampleSums(pairs.submission, idx);
    this.prepared.delete(pairs.submission);
    for (let r = 0; r < out.length; r++) out[r] = baseSums[r]! / out[r]!;
    return out;
  }

  private resampleSums(values: Float64Array, idx: Uint32Array): Float64Array {
    const n = values.length;
    const out = new Float64Array(this.resamples);
    for (let r = 0, k = 0; r < out.length; r++) {
      let total = 0;
      for (let j = 0; j < n; j++, k++) total += values[idx[k]!]!;
      out[r] = total;
    }
    return out;
  }
}

/**
 * Returns the percentile interval of `replicates` at `confidence`: with R replicates sorted
 * ascending and t = round(R·(1 − confidence)/2), lower is the (t+1)-th smallest and upper the
 * (t+1)-th largest. Does not modify its argument.
 */
export function percentileInterval(
  replicates: Float64Array,
  confidence: number,
): { lower: number; upper: number } {
  const work = replicates.slice();
  const r = work.length;
  const t = Math.min(Math.round((r * (1 - confidence)) / 2), Math.floor((r - 1) / 2));
  select(work, t, 0, r - 1);
  const lower = work[t]!;
  select(work, r - 1 - t, t, r - 1);
  return { lower, upper: work[r - 1 - t]! };
}

/**
 * Rearranges `a[lo..hi]` so that a[k] holds the value it would have if that range were sorted
 * ascending, everything before it ≤ and after it ≥ (Hoare's selection, median-of-three pivot).
 * The value found is the order statistic, whatever the pivots: the result is deterministic.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const pivot = median3(a[lo]!, a[mid]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i++] = a[j]!;
        a[j--] = tmp;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function median3(x: number, y: number, z: number): number {
  return x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
}
