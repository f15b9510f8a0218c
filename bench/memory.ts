/**
 * Peak memory of a benchmark run against the number of submissions, with the resident bound
 * (runner.residentSubmissions, docs/adr/0155-resident-groups.md) on and off, measured in one
 * run: `npm run bench:memory`. Each configuration — 2, 8 and 32 distinct-byte copies of the
 * MNIST baseline, bound on (`--resident`, default 2) and off (every submission resident) —
 * runs the real pipeline (benchmarkModels: isolated children, real onnxruntime) in a fresh
 * process of its own, so the parent's peak RSS (VmHWM) belongs to that configuration alone.
 * The children are read from /proc every few ms (census.ts): the most alive at once, the
 * largest sum of their RSS, and the largest single child. Printed: one line per configuration
 * and the off/on ratios per submission count.
 *   npm run bench:memory [-- --resident N --counts 2,8,32 --samples 20]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { workerScript } from '../src/bench/child/bundle.js';
import { ResidentCensus } from '../src/bench/child/census.js';
import { readRss } from '../src/bench/child/memory.js';
import { benchmarkModels, type Subject } from '../src/bench/run.js';
import { tempMnistContest } from '../src/bench/testing/contest.js';
import { distinctCopies, minerHotkeys } from '../src/bench/testing/copies.js';

/** What one configuration measured (the child process prints it as one JSON line). */
interface Figures {
  readonly submissions: number;
  readonly resident: number;
  readonly seconds: number;
  readonly valid: number;
  readonly groups: number;
  readonly workersAtOnce: number;
  readonly workersRssBytes: number;
  readonly largestChildBytes: number;
  readonly parentPeakBytes: number;
}

const { values } = parseArgs({
  options: {
    resident: { type: 'string', default: '2' },
    counts: { type: 'string', default: '2,8,32' },
    samples: { type: 'string', default: '20' },
    one: { type: 'string' },
  },
});

/** Measures one configuration in this process: `submissions` copies, `resident` at a time. */
async function one(submissions: number, resident: number, samples: number): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'podium-bench-memory-'));
  try {
    const loaded = await tempMnistContest(samples, (c) => {
      (c.runner as Record<string, unknown>).residentSubmissions = resident;
      c.measurement = { warmupRuns: 1, minSamples: 10, minSeconds: 0, blockSize: 1 };
    });
    const models = await distinctCopies('mnist-cnn', submissions, dir);
    const hotkeys = await minerHotkeys(submissions);
    const subjects: Subject[] = [
      { role: 'baseline', hotkey: null, uid: null, model: loaded.contest.baseline.model },
      ...models.map((model, i) => ({
        role: 'submission' as const,
        hotkey: hotkeys[i]!,
        uid: i + 1,
        model,
      })),
    ];
    const census = new ResidentCensus(await workerScript(), 5);
    const t0 = performance.now();
    const round = { id: '2025-06-01', seed: '0x' + '4d'.repeat(32), contestSha256: 'c'.repeat(64) };
    const docs = await benchmarkModels(loaded, round, subjects, { cacheDir: join(dir, 'cache') });
    const seconds = (performance.now() - t0) / 1000;
    const peak = await census.stop();
    const groups = new Set(docs.flatMap((d) => (d.group ? [d.group.index] : []))).size;
    return {
      submissions,
      resident,
      seconds,
      valid: docs.filter((d) => d.valid).length - 1,
      groups,
      workersAtOnce: peak.workers,
      workersRssBytes: peak.workersRssBytes,
      largestChildBytes: Math.max(...docs.map((d) => d.memory.peakRssBytes ?? 0)),
      parentPeakBytes: (await readRss(process.pid))?.peakBytes ?? 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs one configuration in a fresh process and returns its figures. */
function spawnOne(submissions: number, resident: number, samples: number): Figures {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      '--one',
      `${submissions}:${resident}`,
      '--samples',
      String(samples),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    throw new Error(`configuration ${submissions}:${resident} failed (exit ${r.status}): ${line}`);
  }
  return JSON.parse(line) as Figures;
}

const mib = (b: number) => (b / 2 ** 20).toFixed(0);
const samples = Number(values.samples);

if (values.one) {
  const [n, k] = values.one.split(':').map(Number) as [number, number];
  console.log(JSON.stringify(await one(n, k, samples)));
} else {
  const resident = Number(values.resident);
  const counts = values.counts.split(',').map(Number);
  if (!Number.isInteger(resident) || resident < 1) {
    throw new Error(`--resident must be an integer ≥ 1 (got ${values.resident})`);
  }
  console.log(
    `cores ${availableParallelism()}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; MNIST baseline + N distinct-byte copies, ${samples} inputs, isolated children`,
  );
  console.log(
    'subs  bound     groups  valid  alive at once  children RSS MiB  largest child MiB  parent peak MiB  seconds',
  );
  const rows: { on: Figures; off: Figures }[] = [];
  for (const n of counts) {
    const on = spawnOne(n, resident, samples);
    const off = spawnOne(n, n, samples);
    rows.push({ on, off });
    for (const [label, f] of [
      [`on (${resident})`, on],
      ['off', off],
    ] as const) {
      console.log(
        `${String(n).padStart(4)}  ${label.padEnd(8)}  ${String(f.groups).padStart(6)}  ${String(f.valid).padStart(5)}  ${String(f.workersAtOnce).padStart(13)}  ${mib(f.workersRssBytes).padStart(16)}  ${mib(f.largestChildBytes).padStart(17)}  ${mib(f.parentPeakBytes).padStart(15)}  ${f.seconds.toFixed(1).padStart(7)}`,
      );
    }
  }
  console.log('\nsubs  children RSS off/on  parent peak off/on  time off/on');
  for (const { on, off } of rows) {
    console.log(
      `${String(on.submissions).padStart(4)}  ${(off.workersRssBytes / on.workersRssBytes).toFixed(2).padStart(19)}  ${(off.parentPeakBytes / on.parentPeakBytes).toFixed(2).padStart(18)}  ${(off.seconds / on.seconds).toFixed(2).padStart(11)}`,
    );
  }
}
