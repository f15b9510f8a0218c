/**
 * The resident bound (docs/adr/0155-resident-groups.md) on real onnxruntime children and the
 * real MNIST demo models: one round measured with two submissions resident at a time and once
 * with every submission resident, the operating system's list of live worker children read
 * throughout (census.ts), and the documents of both runs compared.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedContest } from '../contest/load.js';
import type { ModelName } from '../models/variants.js';
import { workerScript } from './child/bundle.js';
import { ResidentCensus, type CensusPeak } from './child/census.js';
import { benchmarkModels, type Subject } from './run.js';
import { measureInGroups } from './resident.js';
import { Contestant } from './measure.js';
import { mergeBaselinePrecision } from './sequential.js';
import { lookConfidence, relativeHalfWidth, speedRatio } from '../score/ratio.js';
import { BenchSchema, type BenchDocument } from '../documents/bench.js';
import { validateDocument } from '../schemas/validate.js';
import { demoModel, tempMnistContest } from './testing/contest.js';
import { distinctCopies, minerHotkeys } from './testing/copies.js';

const SEED = '0x' + '3c'.repeat(32);
const RESIDENT = 2;
const NAMED = [
  'mnist-cnn-small',
  'mnist-cnn-damaged',
  'mnist-cnn-wide',
  'mnist-cnn-io-mismatch',
] as const satisfies readonly ModelName[];
const COPIES = 3;
const NAMES = [...NAMED, ...Array.from({ length: COPIES }, (_, k) => `copy-${k}`)];

interface Run {
  readonly docs: Map<string, BenchDocument>;
  readonly census: CensusPeak;
}

let grouped: Run;
let flat: Run;

async function measure(loaded: LoadedContest, subjects: readonly Subject[]): Promise<Run> {
  const census = new ResidentCensus(await workerScript(), 5);
  const round = { id: '2025-06-01', seed: SEED, contestSha256: 'c'.repeat(64) };
  const out = await benchmarkModels(loaded, round, subjects, { runnerName: 'test-runner' }).finally(
    () => census.stop(),
  );
  const peak = await census.stop();
  return {
    docs: new Map(out.map((d, i) => [i === 0 ? 'baseline' : NAMES[i - 1]!, d])),
    census: peak,
  };
}

const doc = (run: Run, name: string): BenchDocument => {
  const d = run.docs.get(name);
  if (!d) throw new Error(`no document for ${name}`);
  return d;
};

describe('measuring submissions in resident groups', () => {
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-resident-'));
    const models = [
      ...(await Promise.all(NAMED.map(demoModel))),
      ...(await distinctCopies('mnist-cnn-small', COPIES, dir)),
    ];
    const hotkeys = await minerHotkeys(models.length);
    const contest = (resident: number) =>
      tempMnistContest(100, (c) => {
        (c.runner as Record<string, unknown>).residentSubmissions = resident;
      });
    const groupedContest = await contest(RESIDENT);
    const subjects: Subject[] = [
      { role: 'baseline', hotkey: null, uid: null, model: groupedContest.contest.baseline.model },
      ...models.map((model, i) => ({
        role: 'submission' as const,
        hotkey: hotkeys[i]!,
        uid: i + 1,
        model,
      })),
    ];
    grouped = await measure(groupedContest, subjects);
    flat = await measure(await contest(models.length), subjects);
  }, 180_000);

  it('never has more than residentSubmissions + 1 models loaded at once', () => {
    // The unbounded run shows the census sees every child that is alive together: the
    // baseline and the five runnable submissions were all loaded for its interleaved phase.
    expect(flat.census.workers).toBeGreaterThanOrEqual(5);
    expect(grouped.census.workers).toBeLessThanOrEqual(RESIDENT + 1);
    expect(grouped.census.workers).toBe(RESIDENT + 1);
    // Every model that ran had a child of its own (preflight, baseline, six submissions).
    expect(grouped.census.distinct).toBeGreaterThanOrEqual(8);
    expect(grouped.census.readings).toBeGreaterThan(10);
  });

  it('reaches the verdicts and outputs of the unbounded run', () => {
    for (const name of ['baseline', ...NAMES]) {
      const g = doc(grouped, name);
      const f = doc(flat, name);
      expect(
        g.reasons.map((r) => r.code),
        name,
      ).toEqual(f.reasons.map((r) => r.code));
      expect(g.valid, name).toBe(f.valid);
      expect(g.outputs, name).toEqual(f.outputs);
      expect(g.fidelity, name).toEqual(f.fidelity);
    }
    expect(doc(grouped, 'mnist-cnn-damaged').reasons.map((r) => r.code)).toEqual(['fidelity']);
    expect(doc(grouped, 'mnist-cnn-io-mismatch').valid).toBe(false);
    for (const name of ['mnist-cnn-small', 'mnist-cnn-wide', 'copy-0', 'copy-1', 'copy-2']) {
      expect(doc(grouped, name).reasons, name).toEqual([]);
    }
  });

  it('pairs each submission only with the baseline blocks of its own group', () => {
    const b = doc(grouped, 'baseline');
    const measured = NAMES.map((n) => [n, doc(grouped, n)] as const).filter(([, d]) => d.group);
    // Admission in round order, two live at a time: the damaged model is stopped at its
    // accuracy pass and the io-mismatch one never loads, so neither takes a place.
    expect(measured.map(([n, d]) => [n, d.group!.index])).toEqual([
      ['mnist-cnn-small', 0],
      ['mnist-cnn-wide', 0],
      ['copy-0', 1],
      ['copy-1', 1],
      ['copy-2', 2],
    ]);
    const groups = [0, 1, 2].map((i) => measured.find(([, d]) => d.group!.index === i)![1].group!);
    let next = 0;
    for (const g of groups) {
      expect(g.firstBlock).toBe(next);
      expect(g.blocks).toBeGreaterThanOrEqual(20);
      next += g.blocks;
    }
    // The baseline ran one sample in every block of every group, in the one session.
    expect(b.samples.block).toEqual(Array.from({ length: next }, (_, k) => k));
    for (const [name, d] of measured) {
      const { firstBlock, blocks } = d.group!;
      expect(d.samples.block, name).toEqual(
        Array.from({ length: blocks }, (_, k) => firstBlock + k),
      );
      const r = speedRatio(b.samples, d.samples, {
        seed: SEED,
        runner: 'test-runner',
        resamples: 200,
        confidence: 0.95,
      });
      expect(r?.pairs, name).toBe(blocks);
    }
  });

  it('records the bound and the groups in schema-valid bench documents', () => {
    for (const d of grouped.docs.values()) {
      expect(validateDocument(BenchSchema, d)).toEqual([]);
      expect(d.settings.residentSubmissions).toBe(RESIDENT);
    }
    expect(doc(grouped, 'baseline').group).toBeUndefined();
    expect(doc(grouped, 'mnist-cnn-damaged').group).toBeUndefined();
  });
});

describe('the group loop and the baseline record', () => {
  it('refuses a bound that is not a positive integer', async () => {
    const base = new Contestant('baseline', 'unused.onnx', true);
    const steps = {
      admit: () => Promise.reject(new Error('not reached')),
      measure: () => Promise.resolve(0),
      release: () => Promise.resolve(),
    };
    await expect(measureInGroups(base, [], 0, steps)).rejects.toThrow(/got 0/);
  });

  it("merges the baseline's precision over groups: widest group, all seconds, first shortfall", () => {
    const record = (halfWidth: number, seconds: number, stopped: 'reached' | 'cap') => ({
      target: 0.05,
      confidence: 0.99375,
      looks: 8,
      looksTaken: 2,
      halfWidth,
      pairs: 40,
      seconds,
      reached: stopped === 'reached',
      stopped,
      aa: null,
    });
    const merged = mergeBaselinePrecision([
      record(0.01, 2, 'reached'),
      record(0.07, 3, 'cap'),
      record(0.02, 1, 'reached'),
    ]);
    expect(merged).toMatchObject({ halfWidth: 0.07, seconds: 6, reached: false, stopped: 'cap' });
    expect(mergeBaselinePrecision([])).toBeNull();
  });
});

describe('sequential precision with groups', () => {
  it('looks and stops per group, each width what scoring recomputes from the bench files', async () => {
    const looks = 4;
    const loaded = await tempMnistContest(40, (c) => {
      (c.runner as Record<string, unknown>).residentSubmissions = 1;
      c.measurement = {
        warmupRuns: 1,
        minSamples: 10,
        minSeconds: 0,
        blockSize: 1,
        precision: { halfWidth: 0.5, maxSeconds: 20, looks, aaSeconds: 0.3 },
      };
    });
    const dir = await mkdtemp(join(tmpdir(), 'podium-resident-'));
    const [a, b] = (await distinctCopies('mnist-cnn', 2, dir)) as [
      Subject['model'],
      Subject['model'],
    ];
    const [ha, hb] = (await minerHotkeys(2)) as [string, string];
    const round = { id: '2025-06-04', seed: SEED, contestSha256: 'c'.repeat(64) };
    const docs = await benchmarkModels(
      loaded,
      round,
      [
        { role: 'baseline', hotkey: null, uid: null, model: loaded.contest.baseline.model },
        { role: 'submission', hotkey: ha, uid: 1, model: a },
        { role: 'submission', hotkey: hb, uid: 2, model: b },
      ],
      { runnerName: 'precision-runner' },
    );
    const [base, ...subs] = docs as [BenchDocument, BenchDocument, BenchDocument];
    expect(subs.map((d) => d.reasons)).toEqual([[], []]);
    expect(subs.map((d) => d.group?.index)).toEqual([0, 1]);
    for (const d of subs) {
      const p = d.precision!;
      // Each group's looks count its own pairs (minSamples × 2^k), not the run's.
      expect([10, 20, 40, 80]).toContain(p.pairs);
      expect(p.pairs).toBe(d.group!.blocks);
      const r = speedRatio(base.samples, d.samples, {
        seed: SEED,
        runner: 'precision-runner',
        resamples: loaded.contest.scoring.bootstrapResamples,
        confidence: lookConfidence(loaded.contest.scoring.confidence, looks),
      })!;
      expect(r.pairs).toBe(p.pairs);
      expect(relativeHalfWidth(r)).toBe(p.halfWidth);
    }
    const bp = base.precision!;
    expect(bp.aa!.pairs).toBeGreaterThanOrEqual(2);
    expect(bp.halfWidth).toBe(Math.max(...subs.map((d) => d.precision!.halfWidth!)));
    expect(bp.seconds).toBeCloseTo(subs[0]!.precision!.seconds + subs[1]!.precision!.seconds, 6);
    expect(base.samples.ms.length).toBe(subs[0]!.group!.blocks + subs[1]!.group!.blocks);
  }, 120_000);
});
