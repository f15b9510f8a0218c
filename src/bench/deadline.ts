/**
 * How long podium waits for one artifact: an overall deadline and a minimum rate, both derived
 * from the contest's size cap (docs/adr/0110-download-deadline.md). The idle-socket timeout alone
 * never trips on a server that trickles a few bytes a second; this watchdog does.
 */
import { ModelRejection } from './errors.js';

/** The size cap must be downloadable within this many seconds at the minimum rate. */
export const CAP_SECONDS = 900;
/** The minimum rate never goes below this (bytes per second): 256 KiB/s. */
export const RATE_FLOOR = 256 * 1024;
/** Time allowed for connecting, TLS and TCP slow start before the rate is enforced. */
export const DEFAULT_GRACE_MS = 10_000;

/** Returns the slowest rate (bytes/s) podium accepts for a contest whose size cap is `maxBytes`. */
export function minimumRate(maxBytes: number): number {
  return Math.max(RATE_FLOOR, Math.ceil(maxBytes / CAP_SECONDS));
}

/**
 * Returns the overall deadline (ms, retries included) for an artifact of `bytes` bytes: the
 * grace period plus the time its bytes take at the minimum rate.
 */
export function downloadDeadlineMs(bytes: number, maxBytes: number, graceMs: number): number {
  return graceMs + Math.ceil((bytes / minimumRate(maxBytes)) * 1000);
}

/**
 * Watches one fetch (all its attempts): aborts `signal` when the overall deadline passes or when,
 * after the grace period of an attempt, fewer bytes arrived than the minimum rate requires.
 * `failure` then holds the reason (`download-timeout` or `download-too-slow`), never retried.
 */
export class Watchdog {
  private readonly controller = new AbortController();
  private readonly started = Date.now();
  private attemptStarted = Date.now();
  private received = 0;
  private timer: NodeJS.Timeout | undefined;
  failure: ModelRejection | null = null;

  constructor(
    private readonly label: string,
    private readonly deadlineMs: number,
    private readonly minRate: number,
    private readonly graceMs: number,
  ) {
    const tick = Math.max(10, Math.min(250, Math.floor(graceMs / 4)));
    this.timer = setInterval(() => this.check(), tick);
    this.timer.unref();
  }

  /** The signal that aborts the current request and stream. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts a new attempt: the rate is measured from now. */
  attempt(): void {
    this.attemptStarted = Date.now();
    this.received = 0;
  }

  /** Counts bytes of the current attempt. */
  progress(bytes: number): void {
    this.received += bytes;
  }

  /** Milliseconds left before the overall deadline (≤ 0 when it has passed). */
  remainingMs(): number {
    return this.deadlineMs - (Date.now() - this.started);
  }

  /** Throws the watchdog's failure if it fired. */
  throwIfFired(): void {
    if (this.failure) throw this.failure;
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    if (this.failure) return;
    const now = Date.now();
    if (now - this.started > this.deadlineMs) {
      this.fire(
        'download-timeout',
        `${this.label}: not complete within the overall deadline of ${seconds(this.deadlineMs)} ` +
          `(the declared size at the minimum rate of ${rate(this.minRate)}, plus ${seconds(this.graceMs)})`,
      );
      return;
    }
    const measured = now - this.attemptStarted - this.graceMs;
    if (measured <= 0) return;
    const owed = (this.minRate * measured) / 1000;
    if (this.received < owed) {
      const elapsed = (now - this.attemptStarted) / 1000;
      this.fire(
        'download-too-slow',
        `${this.label}: ${this.received} bytes in ${elapsed.toFixed(1)} s, below the minimum rate ` +
          `of ${rate(this.minRate)} (derived from the contest's size cap)`,
      );
    }
  }

  private fire(code: string, message: string): void {
    this.failure = new ModelRejection(code, message);
    this.stop();
    this.controller.abort(this.failure);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function rate(bytesPerSecond: number): string {
  return `${Math.round(bytesPerSecond / 1024)} KiB/s`;
}
