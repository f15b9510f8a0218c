/**
 * The benchmark child: started by the parent inside a network namespace with a reduced
 * environment and its own temp folder. It imports onnxruntime (path given as argv[2]), then
 * answers the parent's messages one at a time: probe, load, feeds (each input copied into a fresh
 * buffer of its own: aligned.ts), run. Timings are taken here,
 * with hrtime around `session.run` only, so IPC never enters a measured sample.
 *
 * Bundled by esbuild (bundle.ts) and run by plain node: keep imports to node builtins and types.
 */
import { connect } from 'node:net';
import type * as Ort from 'onnxruntime-node';
import { alignedCopy } from './aligned.js';
import { readRss } from './memory.js';
import { sessionOptions } from './options.js';
import type { FromChild, ProbeResult, ProbeTarget, ToChild, WireTensor } from './protocol.js';

type OrtModule = typeof Ort;

let ort: OrtModule;
let session: Ort.InferenceSession | undefined;
let feeds: Record<string, Ort.Tensor>[] = [];

function send(message: FromChild): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url || !process.send)
    throw new Error('usage: worker <onnxruntime-url> (with an IPC channel)');
  const mod = (await import(url)) as OrtModule & { default?: OrtModule };
  ort = mod.InferenceSession ? mod : (mod.default as OrtModule);
  ort.env.logLevel = 'error';
  let queue = Promise.resolve();
  process.on('message', (m: ToChild) => {
    queue = queue
      .then(() => handle(m))
      .catch((err: unknown) => {
        const e = err as Error;
        send({ t: 'error', code: 'worker', message: e.message ?? String(err) });
      });
  });
  process.on('disconnect', () => process.exit(0));
  send({
    t: 'ready',
    pid: process.pid,
    env: Object.keys(process.env).sort(),
    cwd: process.cwd(),
    onnxruntime: ort.env.versions.common ?? 'unknown',
  });
}

async function handle(m: ToChild): Promise<void> {
  if (m.t === 'probe') send({ t: 'probe', results: await probe(m.targets, m.timeoutMs) });
  else if (m.t === 'load') await load(m);
  else if (m.t === 'feeds') {
    feeds = m.samples.map((tensors) =>
      Object.fromEntries(tensors.map((w) => [w.name, toTensor(w)])),
    );
    send({ t: 'ok' });
  } else if (m.t === 'run') await run(m.inputs, m.keep);
}

async function load(m: Extract<ToChild, { t: 'load' }>): Promise<void> {
  const options = sessionOptions(m.executionProvider, m.session);
  const t0 = process.hrtime.bigint();
  try {
    session = await ort.InferenceSession.create(m.model, options);
  } catch (err) {
    send({ t: 'error', code: 'load-failed', message: (err as Error).message });
    return;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  send({ t: 'loaded', ms, inputs: [...session.inputNames], outputs: [...session.outputNames] });
}

async function run(inputs: readonly number[], keep: boolean): Promise<void> {
  if (!session) throw new Error('run before load');
  const kept: WireTensor[][] = [];
  for (const input of inputs) {
    const feed = feeds[input];
    if (!feed) throw new Error(`no feed for input ${input}`);
    let result: Ort.InferenceSession.ReturnType;
    const t0 = process.hrtime.bigint();
    try {
      result = await session.run(feed);
    } catch (err) {
      send({
        t: 'error',
        code: 'run-failed',
        message: `input ${input}: ${(err as Error).message}`,
      });
      return;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    send({ t: 'sample', input, ms });
    if (keep) kept.push(Object.entries(result).map(([name, t]) => fromTensor(name, t)));
  }
  // VmHWM of this process's own memory map; ru_maxrss would include the parent's RSS at fork.
  const peak = (await readRss(process.pid))?.peakBytes ?? 0;
  send({ t: 'ran', outputs: keep ? kept : null, maxRssBytes: peak });
}

/** A tensor over a fresh copy of the wire data: digests must not depend on the message layout. */
function toTensor(w: WireTensor): Ort.Tensor {
  return new ort.Tensor(w.type as 'float32', alignedCopy(w.data) as Float32Array, [...w.dims]);
}

function fromTensor(name: string, t: Ort.Tensor): WireTensor {
  return { name, type: t.type, dims: [...t.dims], data: t.data as Float32Array };
}

function probe(targets: readonly ProbeTarget[], timeoutMs: number): Promise<ProbeResult[]> {
  return Promise.all(
    targets.map(
      (target) =>
        new Promise<ProbeResult>((resolve) => {
          const socket = connect({ host: target.host, port: target.port });
          const done = (connected: boolean, error: string | null) => {
            socket.destroy();
            resolve({ ...target, connected, error });
          };
          socket.setTimeout(timeoutMs, () => done(false, 'timeout'));
          socket.once('connect', () => done(true, null));
          socket.once('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? e.message));
        }),
    ),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`podium worker: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(70);
});
