/** Reading a process's memory from /proc (Linux); null elsewhere or once it has exited. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Current and peak resident set size of `pid`, in bytes. */
export interface RssReading {
  readonly rssBytes: number;
  readonly peakBytes: number;
}

/** Reads VmRSS and VmHWM of `pid`; returns null when they cannot be read. */
export async function readRss(pid: number): Promise<RssReading | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (text === null) return null;
  return parseStatus(text);
}

/** Synchronous readRss (a /proc read takes microseconds): used at every child reply. */
export function readRssSync(pid: number): RssReading | null {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Parses VmRSS / VmHWM (kB) from a /proc/<pid>/status text; null when absent. */
export function parseStatus(text: string): RssReading | null {
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss === null || hwm === null) return null;
  return { rssBytes: rss, peakBytes: hwm };
}
