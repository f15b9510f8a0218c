/**
 * Less noise at the source: where the runner has more than one core and util-linux `taskset`
 * exists, every measured child runs on the last core and podium's own process (its event loop,
 * the bootstrap of the looks, downloads) on the others; children start under `nice -n -5`
 * where that is permitted. What was applied is recorded in every bench file's environment.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** What the runner applied, as the bench file records it. */
export interface Tuning {
  /** CPU list of the measured children (taskset syntax), or null when not pinned. */
  readonly measuredCpus: string | null;
  /** CPU list podium's own process was moved to, or null. */
  readonly podiumCpus: string | null;
  /** Niceness the children start with (0: unchanged, not permitted or not asked). */
  readonly nice: number;
  /** Why something was not applied, in words (empty when everything was). */
  readonly notes: readonly string[];
  /** Command prefix for the children. */
  readonly prefix: readonly string[];
}

/** Returns the CPU split for `cores`: the last core measured, the rest for podium; null for 1. */
export function cpuSplit(cores: number): { measured: string; podium: string } | null {
  if (cores < 2) return null;
  const last = cores - 1;
  return { measured: String(last), podium: last === 1 ? '0' : `0-${last - 1}` };
}

function works(command: string, args: readonly string[]): { ok: boolean; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: r.status === 0 && !r.error, stderr: (r.stderr ?? '').trim() };
}

/** The niceness measured children start with where raising priority is permitted. */
export const MEASURED_NICENESS = -5;

/**
 * Applies the split to this process and returns what children must be started with. Never
 * throws: each step that is not possible here is left out and said so in `notes`.
 */
export function applyTuning(cores = availableParallelism(), niceness = MEASURED_NICENESS): Tuning {
  const notes: string[] = [];
  const prefix: string[] = [];
  let measuredCpus: string | null = null;
  let podiumCpus: string | null = null;
  const split = cpuSplit(cores);
  if (split === null) notes.push('one core: children not pinned');
  else if (!works('taskset', ['-V']).ok) notes.push('taskset (util-linux) not found: not pinned');
  else {
    const moved = works('taskset', ['-a', '-pc', split.podium, String(process.pid)]);
    if (moved.ok) podiumCpus = split.podium;
    else notes.push(`podium not moved off the measured core: ${moved.stderr}`);
    measuredCpus = split.measured;
    prefix.push('taskset', '-c', split.measured);
  }
  const nice = works('nice', ['-n', String(niceness), 'true']);
  let applied = 0;
  if (nice.ok && !/cannot set niceness/i.test(nice.stderr)) {
    applied = niceness;
    prefix.push('nice', '-n', String(niceness));
  } else notes.push(`priority not raised (nice ${niceness}: ${nice.stderr || 'failed'})`);
  return { measuredCpus, podiumCpus, nice: applied, notes, prefix };
}

/** Per-block medians must agree within this to end the warm-up. */
export const WARMUP_TOLERANCE = 0.02;
/** At most this many warm-up blocks after the contest's fixed warm-up runs. */
export const WARMUP_MAX_BLOCKS = 10;

/**
 * Warms up until two consecutive blocks (of max(5, inputs) runs) have medians within
 * WARMUP_TOLERANCE, or WARMUP_MAX_BLOCKS blocks. `run` times the given inputs. Returns every
 * warm-up time, in order.
 */
export async function warmUntilStable(
  run: (inputs: readonly number[]) => Promise<readonly number[]>,
  inputs: number,
): Promise<number[]> {
  const size = Math.max(5, inputs);
  const all: number[] = [];
  let previous: number | null = null;
  for (let b = 0; b < WARMUP_MAX_BLOCKS; b++) {
    const times = await run(Array.from({ length: size }, (_, i) => i % inputs));
    all.push(...times);
    const sorted = [...times].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    if (previous !== null && Math.abs(median / previous - 1) <= WARMUP_TOLERANCE) break;
    previous = median;
  }
  return all;
}

/** Returns this process's CPU affinity list (taskset syntax), or null when unknown. */
export function currentAffinity(): string | null {
  const r = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  return r.status === 0 ? (/:\s*(\S+)\s*$/.exec(r.stdout ?? '')?.[1] ?? null) : null;
}

/** Moves this process (all threads) to `cpus` (back to it after tuning; null leaves it). */
export function setAffinity(cpus: string | null): void {
  if (cpus !== null) spawnSync('taskset', ['-a', '-pc', cpus, String(process.pid)]);
}
