/**
 * One submission never affects another: a real benchmark run (real onnxruntime, real isolated
 * children) whose submissions attack the round — one declares the baseline's sha256 with another
 * byte count, two are served by a real HTTPS server that trickles a few bytes a second, one is a
 * 404 — next to an honest one. The baseline and the honest submission must be measured; each
 * attacker gets its own reason and nobody else's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedContest } from '../contest/load.js';
import { benchmarkModels, type Subject } from './run.js';
import type { BenchDocument } from '../documents/bench.js';
import { mapBounded } from './subjects.js';
import { httpsServer, type TestServer } from './testing/https.js';
import { demoModel, tempContest } from './testing/contest.js';
import { HOTKEYS } from './testing/round.js';

let server: TestServer;
let open = 0;
let mostOpen = 0;
let loaded: LoadedContest;
let docs: BenchDocument[];
let cacheDir: string;

beforeAll(async () => {
  server = await httpsServer((req, res) => {
    if (!req.url?.startsWith('/trickle')) return void res.writeHead(404).end();
    open += 1;
    mostOpen = Math.max(mostOpen, open);
    res.writeHead(200, { 'content-length': 1_000_000 });
    const timer = setInterval(() => res.write('abc'), 300);
    res.on('close', () => {
      open -= 1;
      clearInterval(timer);
    });
  });
  loaded = await tempContest();
  const baseline = loaded.contest.baseline.model;
  const sub = (i: number, model: Subject['model']): Subject => ({
    role: 'submission',
    hotkey: HOTKEYS[i] as string,
    uid: i + 1,
    model,
  });
  const trickle = (name: string) => ({
    url: `${server.url}/${name}`,
    sha256: 'e'.repeat(64),
    bytes: 1_000_000,
  });
  const subjects: Subject[] = [
    { role: 'baseline', hotkey: null, uid: null, model: baseline },
    sub(0, { ...baseline, bytes: baseline.bytes - 1 }),
    sub(1, trickle('trickle-a.onnx')),
    sub(2, trickle('trickle-b.onnx')),
    sub(3, { url: `${server.url}/missing.onnx`, sha256: 'd'.repeat(64), bytes: 10 }),
    sub(4, await demoModel('esrgan-medium-x2-fp16')),
  ];
  cacheDir = await mkdtemp(join(tmpdir(), 'podium-subjects-'));
  const round = { id: '2025-06-01', seed: '0x' + '3c'.repeat(32), contestSha256: 'c'.repeat(64) };
  docs = await benchmarkModels(loaded, round, subjects, {
    runnerName: 'test-runner',
    cacheDir,
    ca: server.ca,
    downloadGraceMs: 500,
  });
}, 120_000);
afterAll(() => server?.close());

const codes = (d: BenchDocument | undefined) => d?.reasons.map((r) => r.code);

describe('a round whose submissions attack it', () => {
  it('measures the baseline although a submission declares its sha256 with another size', () => {
    expect(docs[0]?.valid).toBe(true);
    expect(docs[0]?.samples.ms.length).toBeGreaterThanOrEqual(4);
    expect(docs[1]?.reasons).toEqual([
      {
        code: 'size-mismatch',
        message: expect.stringContaining(String(docs[1]?.subject.model.bytes)),
      },
    ]);
  });

  it('gives a trickling server download-too-slow, fetching submissions concurrently', () => {
    expect(codes(docs[2])).toEqual(['download-too-slow']);
    expect(codes(docs[3])).toEqual(['download-too-slow']);
    expect(mostOpen).toBe(2);
  });

  it('keeps every other submission measured: a failure is that submission verdict only', () => {
    expect(codes(docs[4])).toEqual(['download-failed']);
    expect(docs[4]?.reasons[0]?.message).toContain('HTTP 404');
    expect(docs[5]?.valid).toBe(true);
    expect(docs[5]?.samples.ms.length).toBe(docs[0]?.samples.ms.length);
  });

  it('releases the held copies when the run ends', async () => {
    expect((await readdir(cacheDir)).filter((n) => n.startsWith('.held-'))).toEqual([]);
  });
});

describe('mapBounded', () => {
  it('never has more than the bound in flight and keeps the input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });
});
