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
import {
  generate,
  type DriverKnobs,
  type RoleRunner,
  type RoleTensor,
} from '../../pipeline/driver.js';

type OrtModule = typeof Ort;

let ort: OrtModule;
let session: Ort.InferenceSession | undefined;
/** Pipelines: one session per role and what the driver needs (ADR 0183). */
let pipeline: { run: RoleRunner; knobs: DriverKnobs; side: number } | undefined;
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
  else if (m.t === 'serve') await serve(m);
}

async function load(m: Extract<ToChild, { t: 'load' }>): Promise<void> {
  const options = sessionOptions(m.executionProvider, m.session);
  const t0 = process.hrtime.bigint();
  try {
    if (m.pipeline) {
      const sessions = new Map<string, Ort.InferenceSession>();
      for (const [role, file] of Object.entries(m.pipeline.files)) {
        try {
          sessions.set(role, await ort.InferenceSession.create(file, options));
        } catch (err) {
          throw new Error(`role ${role}: ${(err as Error).message}`, { cause: err });
        }
      }
      pipeline = {
        run: roleRunner(sessions),
        knobs: { steps: Number(m.pipeline.knobs.steps) },
        side: m.pipeline.imageSide,
      };
      session = sessions.values().next().value;
    } else session = await ort.InferenceSession.create(m.model, options);
  } catch (err) {
    send({ t: 'error', code: 'load-failed', message: (err as Error).message });
    return;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!session) throw new Error('a pipeline needs at least one role');
  const io = pipeline
    ? { inputs: ['prompt', 'noise'], outputs: ['image'] }
    : { inputs: [...session.inputNames], outputs: [...session.outputNames] };
  send({ t: 'loaded', ms, ...io });
}

async function run(inputs: readonly number[], keep: boolean): Promise<void> {
  if (!session) throw new Error('run before load');
  const kept: WireTensor[][] = [];
  for (const input of inputs) {
    const feed = feeds[input];
    if (!feed) throw new Error(`no feed for input ${input}`);
    let result: Ort.InferenceSession.ReturnType;
    let roles: Record<string, number> | undefined;
    const t0 = process.hrtime.bigint();
    try {
      if (pipeline) {
        const generated = await drive(pipeline, feed);
        result = generated.result;
        roles = generated.roles;
      } else result = await session.run(feed);
    } catch (err) {
      send({
        t: 'error',
        code: 'run-failed',
        message: `input ${input}: ${(err as Error).message}`,
      });
      return;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    send({ t: 'sample', input, ms, ...(roles ? { roles } : {}) });
    if (keep) kept.push(Object.entries(result).map(([name, t]) => fromTensor(name, t)));
  }
  // VmHWM of this process's own memory map; ru_maxrss would include the parent's RSS at fork.
  const peak = (await readRss(process.pid))?.peakBytes ?? 0;
  send({ t: 'ran', outputs: keep ? kept : null, maxRssBytes: peak });
}

/**
 * Closed-loop load on one session: `concurrency` queries are issued at once; the server takes up
 * to `maxBatch` waiting queries (oldest first) into one run, their inputs concatenated along the
 * first dimension; when a run completes, each of its queries' clients issues the next query of
 * the stream at once. A query's latency is its completion minus its issue time, so queueing
 * counts. Batch assembly and output splitting are inside the timed region: a real server pays
 * them too.
 */
async function serve(m: Extract<ToChild, { t: 'serve' }>): Promise<void> {
  if (!session) throw new Error('serve before load');
  const n = m.inputs.length;
  const issued = new Float64Array(n);
  const latency = new Array<number>(n).fill(0);
  const keep = new Map(m.keep.map((p, k) => [p, k] as const));
  const kept: WireTensor[][] = m.keep.map(() => []);
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const waiting: number[] = [];
  const t0 = now();
  let next = 0;
  for (; next < Math.min(m.concurrency, n); next++) {
    issued[next] = t0;
    waiting.push(next);
  }
  let runs = 0;
  while (waiting.length > 0) {
    const take = waiting.splice(0, m.maxBatch);
    let result: Ort.InferenceSession.ReturnType;
    try {
      result = await session.run(batchFeed(take.map((p) => m.inputs[p]!)));
    } catch (err) {
      const inputs = take.map((p) => m.inputs[p]).join(', ');
      const message = `batch of ${take.length} (inputs ${inputs}): ${(err as Error).message}`;
      send({ t: 'error', code: 'run-failed', message });
      return;
    }
    runs += 1;
    take.forEach((p, row) => {
      const k = keep.get(p);
      if (k !== undefined) kept[k] = splitRow(result, row, take.length);
    });
    const t = now();
    for (const p of take) {
      latency[p] = t - issued[p]!;
      if (next < n) {
        issued[next] = t;
        waiting.push(next++);
      }
    }
  }
  const wallMs = now() - t0;
  const peak = (await readRss(process.pid))?.peakBytes ?? 0;
  send({ t: 'served', wallMs, latencyMs: latency, runs, outputs: kept, maxRssBytes: peak });
}

/** The feeds of `inputs` as one batch: each input's tensors concatenated along dimension 0. */
function batchFeed(inputs: readonly number[]): Record<string, Ort.Tensor> {
  const first = feeds[inputs[0]!];
  if (!first) throw new Error(`no feed for input ${inputs[0]}`);
  if (inputs.length === 1) return first;
  const out: Record<string, Ort.Tensor> = {};
  for (const [name, t] of Object.entries(first)) {
    const parts = inputs.map((i) => {
      const f = feeds[i]?.[name];
      if (!f) throw new Error(`no feed for input ${i}`);
      return f.data as Float32Array | Uint8Array;
    });
    const size = parts.reduce((a, p) => a + p.length, 0);
    const data = t.type === 'uint8' ? new Uint8Array(size) : new Float32Array(size);
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    const dims = [...t.dims];
    dims[0] = (dims[0] ?? 1) * inputs.length;
    out[name] = new ort.Tensor(t.type as 'float32', data as Float32Array, dims);
  }
  return out;
}

/** Row `row` of a batch of `rows` queries: every output's slice along dimension 0. */
function splitRow(
  result: Ort.InferenceSession.ReturnType,
  row: number,
  rows: number,
): WireTensor[] {
  return Object.entries(result).map(([name, t]) => {
    const data = t.data as Float32Array;
    const per = data.length / rows;
    const dims = [...t.dims];
    dims[0] = (dims[0] ?? rows) / rows;
    return { name, type: t.type, dims, data: data.slice(row * per, (row + 1) * per) };
  });
}

function roleRunner(sessions: ReadonlyMap<string, Ort.InferenceSession>): RoleRunner {
  return async (role, feeds) => {
    const s = sessions.get(role);
    if (!s) throw new Error(`no graph for role ${role}`);
    const inputs: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      inputs[name] = new ort.Tensor('float32', t.data, [...t.dims]);
    }
    const out = await s.run(inputs);
    const result: Record<string, RoleTensor> = {};
    for (const [name, t] of Object.entries(out)) {
      if (t.type !== 'float32')
        throw new Error(`role ${role}: output ${name} is ${t.type}, not float32`);
      result[name] = { dims: [...t.dims], data: t.data as Float32Array };
    }
    return result;
  };
}

/** One image from the sample's prompt and noise feeds (the pipeline's outer inputs, in order). */
async function drive(
  p: NonNullable<typeof pipeline>,
  feed: Record<string, Ort.Tensor>,
): Promise<{ result: Ort.InferenceSession.ReturnType; roles: Record<string, number> }> {
  const [prompt, noise] = Object.values(feed) as [Ort.Tensor, Ort.Tensor];
  const clock = () => Number(process.hrtime.bigint()) / 1e6;
  const g = await generate(
    p.run,
    { dims: prompt.dims, data: prompt.data as Float32Array },
    { dims: noise.dims, data: noise.data as Float32Array },
    p.knobs,
    p.side,
    clock,
  );
  const image = new ort.Tensor('float32', g.image.data, [...g.image.dims]);
  return { result: { image }, roles: g.roles };
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
