/**
 * Which benchmark children are alive right now, seen from outside: the operating system's
 * list of a process's children (/proc, Linux), kept to those running the worker bundle, each
 * with its resident memory. Each child holds at most one inference session, so the children
 * alive are the models resident. The memory benchmark and the resident-bound tests read it;
 * the bench itself never does.
 */
import { readdir, readFile } from 'node:fs/promises';
import { readRss } from './memory.js';

/** One live worker child. */
export interface LiveWorker {
  readonly pid: number;
  readonly rssBytes: number;
}

async function childPids(parent: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${parent}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(
    tasks.map((t) => readFile(`/proc/${parent}/task/${t}/children`, 'utf8').catch(() => '')),
  );
  return lists.flatMap((l) => l.split(/\s+/).filter(Boolean).map(Number));
}

/**
 * Returns the live children of `parent` whose command line names `script` (the worker bundle,
 * bundle.ts), with their current resident memory. Empty where /proc cannot be read.
 */
export async function liveWorkers(script: string, parent = process.pid): Promise<LiveWorker[]> {
  const found: LiveWorker[] = [];
  for (const pid of await childPids(parent)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(script)) continue;
    const rss = await readRss(pid);
    if (rss) found.push({ pid, rssBytes: rss.rssBytes });
  }
  return found;
}

/** The most seen at once by a ResidentCensus. */
export interface CensusPeak {
  /** Most worker children alive at one reading. */
  readonly workers: number;
  /** Largest sum of their resident memory at one reading (bytes). */
  readonly workersRssBytes: number;
  /** Distinct worker pids seen over the whole census. */
  readonly distinct: number;
  /** Readings taken. */
  readonly readings: number;
}

/** Reads liveWorkers every `intervalMs` until stopped, keeping the peaks. */
export class ResidentCensus {
  private peak = { workers: 0, workersRssBytes: 0, readings: 0 };
  private readonly seen = new Set<number>();
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly script: string,
    intervalMs = 20,
  ) {
    // A reading still in flight when the next is due is not queued behind: that one is skipped.
    let busy = false;
    this.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.running = this.read().finally(() => (busy = false));
    }, intervalMs);
  }

  private async read(): Promise<void> {
    if (this.stopped) return;
    const live = await liveWorkers(this.script);
    for (const w of live) this.seen.add(w.pid);
    const rss = live.reduce((t, w) => t + w.rssBytes, 0);
    this.peak = {
      workers: Math.max(this.peak.workers, live.length),
      workersRssBytes: Math.max(this.peak.workersRssBytes, rss),
      readings: this.peak.readings + 1,
    };
  }

  /** Stops reading (after the reading in progress) and returns the peaks. */
  async stop(): Promise<CensusPeak> {
    clearInterval(this.timer);
    await this.running;
    this.stopped = true;
    return { ...this.peak, distinct: this.seen.size };
  }
}
