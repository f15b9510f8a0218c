/**
 * The ratio of two loops measured in paired rounds (bench:harness, bench:pipeline): each round
 * ran `block` runs of each loop back to back over the same inputs in the same order, so run i
 * of one loop and run i of the other share the input and the machine's state of that moment.
 * The estimate is the median of the per-run log ratios (robust to the few runs a busy VM
 * stretches by 30 % and more), and its 95 % interval a bootstrap that resamples whole rounds,
 * so drift and runs of slow samples inside a round stay together: the estimator's own noise,
 * which the figure it reports must be read against (ADR 0142).
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { median, quantile } from '../src/bench/stats.js';
import { applyTuning, currentAffinity, setAffinity } from '../src/bench/tuning.js';
import { SeedStream } from '../src/tasks/seed-stream.js';

/** A paired ratio a/b: the estimate, its 95 % bootstrap interval, and the rounds it used. */
export interface PairedRatio {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly rounds: number;
}

/**
 * Returns a/b over rounds of `block` runs: `a` and `b` hold the runs in round order (round r's
 * runs at r × block … (r + 1) × block − 1). Resamples 2,000 times from a stream of `seed` and
 * `label`. Throws when the arrays do not hold the same whole number of rounds (≥ 2).
 */
export function pairedRatio(
  a: readonly number[],
  b: readonly number[],
  block: number,
  seed: string,
  label: string,
): PairedRatio {
  const rounds = a.length / block;
  if (!Number.isInteger(rounds) || rounds < 2 || b.length !== a.length) {
    throw new RangeError(
      `paired rounds need the same whole number (≥ 2) of ${block}-run rounds on both sides (got ${a.length} and ${b.length} runs)`,
    );
  }
  const logs = a.map((x, i) => Math.log(x / b[i]!));
  const rng = new SeedStream(seed, label);
  // A typed array sorts numerically without a comparator: 2,000 medians stay fast.
  const drawn = new Float64Array(logs.length);
  const reps = Array.from({ length: 2000 }, () => {
    let n = 0;
    for (let k = 0; k < rounds; k++) {
      const r = rng.below(rounds);
      for (let i = r * block; i < (r + 1) * block; i++) drawn[n++] = logs[i]!;
    }
    return Math.exp(quantile(drawn.sort(), 0.5));
  }).sort((x, y) => x - y);
  return {
    ratio: Math.exp(median(logs)),
    low: quantile(reps, 0.025),
    high: quantile(reps, 0.975),
    rounds,
  };
}

/** Where both loops of a paired estimate run: see `pinBothLoops`. */
export interface Pinning {
  /** The `tuning` prefix for the children (empty when not pinned). */
  readonly tuning: readonly string[];
  /** In words, for the printed figure. */
  readonly where: string;
  /** Moves this process back to where it was. */
  release(): void;
}

/**
 * Sets the niceness of every thread of this process (Linux niceness is per thread; onnxruntime
 * runs on libuv's pool threads, which later inherit the main thread's). Returns false when
 * not permitted.
 */
function niceAllThreads(niceness: number): boolean {
  try {
    const tids = readdirSync('/proc/self/task').map(Number);
    for (const tid of tids) setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gives the bare, in-process loop what the job gives its measured children: the children's
 * prefix is the job's own (`applyTuning`), and this process moves onto their core and, where
 * the job raises their priority, to their niceness. A paired estimate then compares the two
 * loops, not two cores or two priorities. Not pinned on one core or without taskset.
 */
export function pinBothLoops(): Pinning {
  const notPinned: Pinning = { tuning: [], where: 'not pinned', release: () => {} };
  const affinity = currentAffinity();
  if (affinity === null) return notPinned;
  const niceness = getPriority();
  const job = applyTuning();
  if (job.measuredCpus === null) {
    setAffinity(affinity);
    return notPinned;
  }
  setAffinity(job.measuredCpus);
  const niced = job.nice !== 0 && niceAllThreads(job.nice);
  return {
    tuning: job.prefix,
    where: `both loops on CPU ${job.measuredCpus}${niced ? `, nice ${job.nice}` : ''}`,
    release: () => {
      setAffinity(affinity);
      if (niced) niceAllThreads(niceness);
    },
  };
}
