/**
 * Spawning the worker: a fresh temp folder as cwd/HOME/TMPDIR, the allow-listed environment,
 * `unshare -rn` in front when isolated, an IPC channel with the advanced serialization, and a
 * wait for its `ready` message. A namespace that cannot be created is reported as such.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchError } from '../errors.js';
import { onnxruntimeUrl, workerScript } from './bundle.js';
import { childEnv } from './env.js';
import type { FromChild } from './protocol.js';

/** How to start a child. */
export interface ChildOptions {
  /** `netns`: new network namespace, verified by a probe; `none`: host network (dev only). */
  readonly isolation: 'netns' | 'none';
  /** Kill the child when its peak resident memory exceeds this. */
  readonly memoryLimitBytes: number;
  /** Command prefix that creates the namespace. Default `unshare -rn --`. */
  readonly isolate?: readonly string[];
  /** Environment to filter through the allow-list. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Command prefix before everything else (CPU pinning, priority: src/bench/tuning.ts). */
  readonly tuning?: readonly string[];
  /** Give up when the child is not ready after this long. Default 30 s. */
  readonly startTimeoutMs?: number;
}

/** The worker's first message. */
export type Ready = Extract<FromChild, { t: 'ready' }>;

/** A started worker: its process, temp folder, ready message and stderr so far. */
export interface Spawned {
  readonly proc: ChildProcess;
  readonly home: string;
  readonly ready: Ready;
  stderr(): string;
}

/**
 * Starts the worker and waits for `ready`. Throws BenchError('isolation-unavailable') when the
 * namespace prefix fails, BenchError('worker') when a non-isolated worker does not start.
 */
export async function spawnWorker(options: ChildOptions): Promise<Spawned> {
  const home = await mkdtemp(join(tmpdir(), 'podium-child-'));
  const node = [process.execPath, await workerScript(), onnxruntimeUrl()];
  const prefix = options.isolation === 'netns' ? (options.isolate ?? ['unshare', '-rn', '--']) : [];
  const tuning = options.tuning ?? [];
  const [command, ...args] = [...tuning, ...prefix, ...node] as [string, ...string[]];
  const proc = spawn(command, args, {
    cwd: home,
    env: childEnv(options.env ?? process.env, home),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  try {
    const ready = await waitReady(proc, options.startTimeoutMs ?? 30_000);
    return { proc, home, ready, stderr: () => stderr };
  } catch (e) {
    proc.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
    const detail = `${(e as Error).message}${stderr ? `: ${stderr.trim()}` : ''}`;
    if (options.isolation === 'netns') {
      throw new BenchError(
        'isolation-unavailable',
        `cannot start the benchmark child in a network namespace (${prefix.join(' ')}): ${detail}. ` +
          'Network isolation is required: on Ubuntu ≥ 23.10 allow unprivileged user namespaces ' +
          '(sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for ' +
          'unshare); pass --allow-network only for local development.',
      );
    }
    throw new BenchError('worker', `the benchmark child did not start: ${detail}`);
  }
}

function waitReady(proc: ChildProcess, timeoutMs: number): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(signal ? `killed by ${signal}` : `exited with code ${code}`));
    };
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.once('exit', onExit);
    proc.once('message', (m: FromChild) => {
      clearTimeout(timer);
      proc.off('exit', onExit);
      if (m.t === 'ready') resolve(m);
      else reject(new Error(`expected ready, got ${m.t}`));
    });
  });
}
