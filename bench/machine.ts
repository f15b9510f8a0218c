/**
 * The machine's state beside every benchmark figure: the load average and the CPU steal
 * (share of CPU time the hypervisor gave to other guests, from /proc/stat) over a run.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

function cpuTimes(): { steal: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    return { steal: fields[7] ?? 0, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Starts a measurement; the returned function describes load and steal since the start. */
export function machineState(): () => string {
  const start = cpuTimes();
  const before = loadavg();
  return () => {
    const end = cpuTimes();
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
    const steal =
      start && end && end.total > start.total
        ? `${((100 * (end.steal - start.steal)) / (end.total - start.total)).toFixed(1)} %`
        : 'unknown (no /proc/stat)';
    return `load average (1/5/15 min) before: ${fmt(before)} · after: ${fmt(loadavg())} · CPU steal over the run: ${steal}`;
  };
}
