/**
 * The determinism audit, and the property the statelessness argument rests on (ADR 0141): a
 * podium-run ONNX graph of standard deterministic operators gives the same outputs for an input
 * however many other inputs ran in between, while a graph with a random operator on its output
 * path is caught in the timed runs even though its accuracy pass passes fidelity.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, NodeProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { audited, auditRun, maxAbsDiff } from './audit.js';
import { benchmarkModels, type Subject } from './run.js';
import { demoModel, tempContest } from './testing/contest.js';
import { HOTKEYS } from './testing/round.js';
import { node } from '../models/onnx.js';
import { modelPath } from '../models/build.js';
import type { WireTensor } from './child/protocol.js';

const tensor = (data: number[]): WireTensor => ({
  name: 'y',
  type: 'float32',
  dims: [data.length],
  data: Float32Array.from(data),
});

describe('the determinism audit (pure)', () => {
  it('audits the first inputs in cycles 0, 1, 2, 4, 8 over the inputs and no others', () => {
    const blocks = Array.from({ length: 40 }, (_, b) => b).filter((b) => audited(b % 4, b, 4, 2));
    expect(blocks).toEqual([0, 1, 4, 5, 8, 9, 16, 17, 32, 33]);
  });

  it('rejects a timed run that differs from its accuracy pass beyond the tolerance, with the figure', () => {
    expect(maxAbsDiff([tensor([1, 2, 3])], [tensor([1, 2.5, 3])])).toBe(0.5);
    expect(maxAbsDiff([tensor([1])], [tensor([Number.NaN])])).toBe(Number.POSITIVE_INFINITY);
    expect(auditRun([tensor([1, 2])], [tensor([1, 2.25])], { input: 1, block: 5 }, 0.5)).toBeNull();
    const bad = auditRun([tensor([1, 2])], [tensor([1, 2.25])], { input: 1, block: 5 }, 0);
    expect(bad?.code).toBe('nondeterministic-outputs');
    expect(bad?.message).toBe(
      'input 1: the timed run in block 5 gave outputs that differ from its accuracy pass by up to 0.25 (the contest allows 0); a model must give the same outputs every run',
    );
  });
});

/** The baseline with uniform noise in ±amplitude added to its output (RandomUniformLike). */
async function noisyBaseline(dir: string, amplitude: number): Promise<Subject['model']> {
  const m = fromBinary(ModelProtoSchema, await readFile(modelPath('esrgan-medium-x2')));
  const g = m.graph!;
  const out = g.output[0]!.name;
  const last = g.node.find((n) => n.output.includes(out))!;
  last.output = last.output.map((o) => (o === out ? `${out}_exact` : o));
  g.node.push(
    create(
      NodeProtoSchema,
      node('RandomUniformLike', 'noise', [`${out}_exact`], ['noise'], {
        low: -amplitude,
        high: amplitude,
      }),
    ),
    create(NodeProtoSchema, node('Add', 'noisy', [`${out}_exact`, 'noise'], [out])),
  );
  const bytes = toBinary(ModelProtoSchema, m);
  const file = join(dir, 'random-output.onnx');
  await writeFile(file, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { url: pathToFileURL(file).href, sha256, bytes: bytes.length };
}

describe('the determinism audit on real models', () => {
  it('passes a byte copy of the baseline and invalidates a variant with a random op on its output, whose accuracy pass passed fidelity', async () => {
    const loaded = await tempContest((c) => {
      c.measurement = { warmupRuns: 1, minSamples: 8, minSeconds: 0, blockSize: 1 };
    });
    const dir = await mkdtemp(join(tmpdir(), 'podium-audit-'));
    const subjects: Subject[] = [
      { role: 'baseline', hotkey: null, uid: null, model: loaded.contest.baseline.model },
      {
        role: 'submission',
        hotkey: HOTKEYS[0]!,
        uid: 1,
        model: await demoModel('esrgan-medium-x2-copy'),
      },
      { role: 'submission', hotkey: HOTKEYS[1]!, uid: 2, model: await noisyBaseline(dir, 1e-4) },
    ];
    const round = { id: '2025-06-04', seed: '0x' + '3c'.repeat(32), contestSha256: 'c'.repeat(64) };
    const [, copy, noisy] = await benchmarkModels(loaded, round, subjects);
    // The copy's input 0 and 1 were re-run in cycles 1, 2, 4 after other inputs: same outputs.
    expect(copy!.valid).toBe(true);
    expect(copy!.reasons).toEqual([]);
    expect(noisy!.fidelity?.passed).toBe(true);
    expect(noisy!.valid).toBe(false);
    expect(noisy!.reasons).toEqual([
      {
        code: 'nondeterministic-outputs',
        message: expect.stringMatching(
          /^input [01]: the timed run in block \d+ gave outputs that differ from its accuracy pass by up to [\d.e-]+ \(the contest allows 0\)/,
        ),
      },
    ]);
  }, 120_000);
});
