/**
 * The parent's handle on one benchmark child: spawn it (inside `unshare -rn` unless isolation
 * is explicitly off), prove the isolation with a connection probe, then talk to it one request
 * at a time under deadlines. A child that overruns a deadline or its memory limit is killed;
 * a child that dies fails its pending request with a ModelRejection naming what happened.
 */
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { ModelRejection } from '../errors.js';
import { readRss, readRssSync, type RssReading } from './memory.js';
import { verifyIsolation } from './probe.js';
import type {
  FromChild,
  ProbeResult,
  ProbeTarget,
  SessionSettings,
  ToChild,
  WireTensor,
} from './protocol.js';
import { spawnWorker, type ChildOptions, type Ready } from './spawn.js';

export type { ChildOptions } from './spawn.js';

/** Pipelines: the graphs and knobs the child's driver runs (protocol.ts). */
export type PipelineSpecForChild = NonNullable<Extract<ToChild, { t: 'load' }>['pipeline']>;

/** One timed run reported by the child. */
export interface TimedRun {
  readonly input: number;
  readonly ms: number;
  /** Pipelines: milliseconds in each role. */
  readonly roles?: Readonly<Record<string, number>>;
}

/** What a run request returns. */
export interface RunResult {
  readonly samples: readonly TimedRun[];
  readonly outputs: readonly (readonly WireTensor[])[] | null;
}

interface Pending {
  readonly expect: FromChild['t'];
  readonly resolve: (m: FromChild) => void;
  readonly reject: (e: Error) => void;
  readonly onSample?: (m: TimedRun) => void;
}

const GRACE_MS = 100;
/** Consecutive runs over the per-sample limit that stop a model (one is OS noise). */
export const STRIKES = 3;

/** A running benchmark child. Create with `Child.start`. */
export class Child {
  /** Milliseconds from spawn to a ready (and, with netns, probed) child. */
  startMs = 0;
  private pending: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: ModelRejection | undefined;
  private peak: number | null = null;
  private strikes: TimedRun[] = [];
  private exited = false;
  private stderr = '';
  private readonly poll: NodeJS.Timeout;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly home: string,
    private readonly memoryLimitBytes: number,
    readonly ready: Ready,
  ) {
    this.poll = setInterval(() => void this.checkMemory(), 100);
    this.poll.unref();
    this.exit = new Promise((resolve) => proc.once('exit', () => resolve()));
  }

  /**
   * Spawns a child and waits until it is ready; with `netns`, also runs the probe. Throws
   * BenchError('isolation-unavailable') when the namespace cannot be created,
   * BenchError('isolation-failed') when the probe connects, BenchError('worker') otherwise.
   */
  static async start(options: ChildOptions): Promise<Child> {
    const t0 = performance.now();
    const spawned = await spawnWorker(options);
    const child = new Child(spawned.proc, spawned.home, options.memoryLimitBytes, spawned.ready);
    child.stderr = spawned.stderr();
    spawned.proc.stderr?.on('data', (d: Buffer) => {
      child.stderr = (child.stderr + d.toString()).slice(-4000);
    });
    spawned.proc.on('message', (m: FromChild) => child.receive(m));
    spawned.proc.once('exit', (code, signal) => child.exited_(code, signal));
    if (options.isolation === 'netns') {
      try {
        await verifyIsolation(child);
      } catch (err) {
        await child.close();
        throw err;
      }
    }
    child.startMs = performance.now() - t0;
    return child;
  }

  /** Asks the child to connect to each target; returns what happened (for the probe). */
  probe(targets: readonly ProbeTarget[], timeoutMs = 1000): Promise<ProbeResult[]> {
    return this.request(
      { t: 'probe', targets, timeoutMs },
      'probe',
      timeoutMs + 5000,
      'worker',
    ).then((m) => (m.t === 'probe' ? [...m.results] : []));
  }

  /**
   * Creates the inference session (one per role, for a pipeline). Returns its creation time and IO names; rejects with
   * ModelRejection('load-failed' | 'load-timeout' | 'crash' | 'memory-limit').
   */
  async load(
    model: string,
    executionProvider: 'cpu' | 'cuda',
    session: SessionSettings,
    timeoutMs: number,
    pipeline?: PipelineSpecForChild,
  ): Promise<{ ms: number; inputs: readonly string[]; outputs: readonly string[] }> {
    const m = await this.request(
      { t: 'load', model, executionProvider, session, ...(pipeline ? { pipeline } : {}) },
      'loaded',
      timeoutMs,
      'load-timeout',
    );
    if (m.t !== 'loaded') throw new Error('unexpected reply');
    return m;
  }

  /** Sends the round's input tensors (once). */
  async setFeeds(samples: readonly (readonly WireTensor[])[]): Promise<void> {
    await this.request({ t: 'feeds', samples }, 'ok', 60_000, 'worker');
  }

  /**
   * Runs `inputs` back to back. Every run must finish within `hardMs` or the child is killed
   * (a hung model). With a per-sample limit (`limitMs`), a run slower than it is a strike, and
   * STRIKES consecutive strikes (across calls) stop the child: one slow run is OS noise, three
   * in a row are the model. Returns each run's time, and the outputs when `keep`. Rejects with
   * ModelRejection('sample-timeout' | 'run-failed' | 'crash' | 'memory-limit').
   */
  async run(
    inputs: readonly number[],
    opts: { keep: boolean; limitMs: number | null; hardMs: number },
  ): Promise<RunResult> {
    const samples: TimedRun[] = [];
    const { limitMs, hardMs } = opts;
    const hung = (input: number | undefined) =>
      new ModelRejection(
        'sample-timeout',
        `input ${input ?? '?'} did not finish within ${fmt(hardMs)} ms; killed`,
      );
    const onSample = (s: TimedRun) => {
      samples.push(s);
      if (limitMs !== null) {
        this.strikes = s.ms > limitMs ? [...this.strikes, s] : [];
        if (this.strikes.length >= STRIKES) {
          const list = this.strikes.map((x) => `input ${x.input}: ${fmt(x.ms)} ms`).join(', ');
          this.fail(
            new ModelRejection(
              'sample-timeout',
              `${STRIKES} consecutive runs over the ${fmt(limitMs)} ms per-sample limit (${list}); killed`,
            ),
          );
          return;
        }
      }
      this.arm(hardMs + GRACE_MS, hung(inputs[samples.length]));
    };
    const m = await this.request(
      { t: 'run', inputs, keep: opts.keep },
      'ran',
      hardMs + GRACE_MS,
      hung(inputs[0]),
      onSample,
    );
    if (m.t !== 'ran') throw new Error('unexpected reply');
    if (m.maxRssBytes > (this.peak ?? 0)) this.peak = m.maxRssBytes;
    return { samples, outputs: m.outputs };
  }

  /**
   * Serves the query stream `inputs` as a closed loop (worker.ts `serve`): `concurrency`
   * queries in flight, up to `maxBatch` per run. The whole stream must finish within `hardMs`
   * or the child is killed. Returns the child's wall time, each query's latency and the kept
   * outputs; rejects with ModelRejection('sample-timeout' | 'run-failed' | 'crash' | 'memory-limit').
   */
  async serve(
    inputs: readonly number[],
    opts: { concurrency: number; maxBatch: number; keep: readonly number[]; hardMs: number },
  ): Promise<Extract<FromChild, { t: 'served' }>> {
    const hung = new ModelRejection(
      'sample-timeout',
      `${inputs.length} queries under load did not finish within ${fmt(opts.hardMs)} ms; killed`,
    );
    const { hardMs, ...rest } = opts;
    const m = await this.request({ t: 'serve', inputs, ...rest }, 'served', hardMs, hung);
    if (m.t !== 'served') throw new Error('unexpected reply');
    if (m.maxRssBytes > (this.peak ?? 0)) this.peak = m.maxRssBytes;
    return m;
  }

  /** Highest resident memory seen (bytes), or null when it could not be read. */
  peakRssBytes(): number | null {
    return this.peak;
  }

  /** True once the child failed (timeout, memory, crash); it is dead then. */
  failed(): ModelRejection | undefined {
    return this.failure;
  }

  /** Stops the child (gracefully, then SIGKILL after 2 s) and removes its temp folder. */
  async close(): Promise<void> {
    clearInterval(this.poll);
    if (!this.exited) {
      const last = await readRss(this.ready.pid);
      if (last) this.peak = Math.max(this.peak ?? 0, last.peakBytes);
      if (this.proc.connected) this.proc.disconnect();
      const killer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
      await this.exit;
      clearTimeout(killer);
    }
    await rm(this.home, { recursive: true, force: true });
  }

  private request(
    message: ToChild,
    expect: FromChild['t'],
    timeoutMs: number,
    onTimeout: string | ModelRejection,
    onSample?: (m: TimedRun) => void,
  ): Promise<FromChild> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('a request is already pending'));
    const timeout =
      typeof onTimeout === 'string'
        ? new ModelRejection(onTimeout, `no answer within ${fmt(timeoutMs)} ms; killed`)
        : onTimeout;
    return new Promise<FromChild>((resolve, reject) => {
      this.pending = { expect, resolve, reject, ...(onSample ? { onSample } : {}) };
      this.arm(timeoutMs, timeout);
      this.proc.send(message);
    });
  }

  private receive(m: FromChild): void {
    const p = this.pending;
    if (!p) return;
    if (this.overLimit(readRssSync(this.ready.pid))) return;
    if (m.t === 'sample') {
      p.onSample?.({ input: m.input, ms: m.ms, ...(m.roles ? { roles: m.roles } : {}) });
      return;
    }
    this.settle();
    if (m.t === 'error') p.reject(new ModelRejection(m.code, m.message));
    else if (m.t !== p.expect) p.reject(new Error(`expected ${p.expect}, got ${m.t}`));
    else p.resolve(m);
  }

  private settle(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
  }

  private arm(ms: number, rejection: ModelRejection): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(rejection), ms);
  }

  private fail(rejection: ModelRejection): void {
    if (this.failure) return;
    this.failure = rejection;
    this.proc.kill('SIGKILL');
    const p = this.pending;
    this.settle();
    p?.reject(rejection);
  }

  private exited_(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    clearInterval(this.poll);
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    const hint = signal === 'SIGKILL' ? ' (possibly out of memory)' : '';
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    this.fail(new ModelRejection('crash', `the child ${how}${hint}${tail ? `: ${tail}` : ''}`));
  }

  private async checkMemory(): Promise<void> {
    const pid = this.proc.pid;
    if (pid === undefined || this.exited) return;
    this.overLimit(await readRss(pid));
  }

  /**
   * Records the peak and kills the child when its peak resident memory (VmHWM: every spike,
   * even one between two polls) is over the limit. Returns true when it did.
   */
  private overLimit(r: RssReading | null): boolean {
    if (!r || this.failure) return false;
    this.peak = Math.max(this.peak ?? 0, r.peakBytes);
    if (r.peakBytes <= this.memoryLimitBytes) return false;
    this.fail(
      new ModelRejection(
        'memory-limit',
        `peak resident memory ${r.peakBytes} bytes exceeded the limit of ${this.memoryLimitBytes}; killed`,
      ),
    );
    return true;
  }
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}
