/**
 * GPU facts and metrics through `nvidia-smi` (which reads NVML). Everything here degrades to
 * `null` — "not available" — when nvidia-smi is missing or answers nothing usable; a missing
 * metric is never reported as 0. Parsers are pure and tested on nvidia-smi's CSV format.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One GPU as nvidia-smi lists it. */
export interface GpuInfo {
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  readonly driver: string;
  readonly memoryTotalBytes: number | null;
}

/** Runs nvidia-smi with `args`; returns stdout, or null when it is missing or fails. */
async function smi(args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run('nvidia-smi', args, { timeout: 10_000 });
    return stdout;
  } catch {
    return null;
  }
}

/** Lists GPUs; null when nvidia-smi is not available. */
export async function listGpus(): Promise<GpuInfo[] | null> {
  const out = await smi([
    '--query-gpu=index,uuid,name,driver_version,memory.total',
    '--format=csv,noheader,nounits',
  ]);
  return out === null ? null : parseGpuList(out);
}

/** Parses `index, uuid, name, driver_version, memory.total [MiB]` CSV lines. */
export function parseGpuList(csv: string): GpuInfo[] {
  return csvRows(csv)
    .filter((r) => r.length >= 5)
    .map(([index, uuid, name, driver, mem]) => ({
      index: Number(index),
      uuid: uuid as string,
      name: name as string,
      driver: driver as string,
      memoryTotalBytes: mib(mem),
    }));
}

/**
 * The GPU CUDA will use: the first one CUDA_VISIBLE_DEVICES names (index or UUID), else
 * index 0. Null when there is none.
 */
export function selectedGpu(gpus: readonly GpuInfo[], visible: string | undefined): GpuInfo | null {
  const first = visible?.split(',')[0]?.trim();
  if (first === undefined || first === '') return gpus[0] ?? null;
  return (
    gpus.find((g) => String(g.index) === first || g.uuid === first || g.uuid === `GPU-${first}`) ??
    null
  );
}

/** GPU memory used by process `pid` (bytes); null when not reported. */
export async function gpuMemoryOf(pid: number): Promise<number | null> {
  const out = await smi(['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits']);
  return out === null ? null : parseProcessMemory(out, pid);
}

/** Parses `pid, used_memory [MiB]` lines; returns the sum for `pid`, or null when absent. */
export function parseProcessMemory(csv: string, pid: number): number | null {
  let total: number | null = null;
  for (const [p, mem] of csvRows(csv)) {
    const bytes = mib(mem);
    if (Number(p) === pid && bytes !== null) total = (total ?? 0) + bytes;
  }
  return total;
}

/** A power reading: when (performance.now() ms) and how many watts. */
export interface PowerReading {
  readonly atMs: number;
  readonly watts: number;
}

/** Parses one `power.draw [W]` line; null for "[N/A]" and other non-numbers. */
export function parsePower(line: string): number | null {
  const w = Number(line.trim());
  return line.trim() !== '' && Number.isFinite(w) ? w : null;
}

/**
 * Samples a GPU's power draw every `periodMs` in the background (`nvidia-smi -lms`). Readings
 * are timestamped on arrival; `averageWatts(intervals)` averages those inside the intervals.
 */
export class PowerSampler {
  private readonly readings: PowerReading[] = [];
  private constructor(private readonly proc: ChildProcess) {
    let partial = '';
    proc.stdout?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const w = parsePower(line);
        if (w !== null) this.readings.push({ atMs: performance.now(), watts: w });
      }
    });
  }

  /** Starts sampling GPU `index`; null when nvidia-smi cannot be started. */
  static start(index: number, periodMs = 100): PowerSampler | null {
    try {
      const proc = spawn(
        'nvidia-smi',
        [
          '-i',
          String(index),
          '--query-gpu=power.draw',
          '--format=csv,noheader,nounits',
          `-lms`,
          String(periodMs),
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      proc.on('error', () => undefined);
      return new PowerSampler(proc);
    } catch {
      return null;
    }
  }

  /** Mean watts over readings inside `intervals` ([start, end] in performance.now() ms). */
  averageWatts(intervals: readonly (readonly [number, number])[]): number | null {
    return averageWithin(this.readings, intervals);
  }

  /** Stops sampling. */
  stop(): void {
    this.proc.kill();
  }
}

/** Mean of the readings that fall inside any interval; null when none do. */
export function averageWithin(
  readings: readonly PowerReading[],
  intervals: readonly (readonly [number, number])[],
): number | null {
  const inside = readings.filter((r) => intervals.some(([a, b]) => r.atMs >= a && r.atMs <= b));
  if (inside.length === 0) return null;
  return inside.reduce((s, r) => s + r.watts, 0) / inside.length;
}

function csvRows(csv: string): string[][] {
  return csv
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((c) => c.trim()));
}

function mib(text: string | undefined): number | null {
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(n)
    ? Math.round(n * 1024 * 1024)
    : null;
}
