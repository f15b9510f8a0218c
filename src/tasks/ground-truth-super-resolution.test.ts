import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContest } from '../contest/load.js';
import { downscaleBicubic } from '../data/downscale.js';
import { drawPicture } from '../data/gt-images.js';
import { DocumentError } from '../json/errors.js';
import { modelPath } from '../models/build.js';
import type { ModelName } from '../models/variants.js';
import type { WireTensor } from '../bench/child/protocol.js';
import { decodeImage } from './image-crops.js';
import { InputsError } from './errors.js';
import { groundTruthSuperResolution as task } from './ground-truth-super-resolution.js';
import type { Sample } from './types.js';

const CONTESTS = join(import.meta.dirname, '../../contests');
const DEMO = join(CONTESTS, 'sr-truth-demo');
const SEED_A = `0x${'ab'.repeat(32)}`;
const SEED_B = `0x${'cd'.repeat(32)}`;

type Json = Record<string, unknown>;
const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

/** Contest `name` with `edit` applied, written into a fresh contests/<name> folder. */
async function contestWith(edit: (c: Json) => void, name = 'sr-truth-demo'): Promise<string> {
  const temp = await mkdtemp(join(tmpdir(), 'podium-truth-'));
  temps.push(temp);
  const dir = join(temp, 'contests', name);
  await cp(join(CONTESTS, name), dir, { recursive: true });
  const c = JSON.parse(await readFile(join(dir, 'contest.json'), 'utf8')) as Json;
  edit(c);
  await writeFile(join(dir, 'contest.json'), JSON.stringify(c));
  return dir;
}

async function problemsOf(edit: (c: Json) => void, name?: string): Promise<string> {
  const err = await loadContest(await contestWith(edit, name)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DocumentError);
  return (err as DocumentError).message;
}

const inputs = (c: Json) => c.inputs as Json;
const scoring = (c: Json) => c.scoring as Json;

describe('ground-truth-super-resolution contests', () => {
  it('loads the demo contest', async () => {
    const { contest } = await loadContest(DEMO);
    expect([contest.task, contest.scoring.strategy]).toEqual([
      'ground-truth-super-resolution',
      'quality-at-budget',
    ]);
  });

  it('refuses every ground-truth and budget setting the schema cannot judge, by field and value', async () => {
    const cases: [(c: Json) => void, string][] = [
      [(c) => delete inputs(c).groundTruth, '/inputs/groundTruth is required for task'],
      [
        (c) => ((inputs(c).crop as Json).width = 33),
        '/inputs/crop/width must be a multiple of inputs.groundTruth.scale (2): the crop is the ground truth, the model sees it downscaled (got 33) [scale-divides]',
      ],
      [
        (c) => ((inputs(c).groundTruth as Json).trainingPath = 'images/eval/'),
        '/inputs/groundTruth/trainingPath must be another folder than inputs.source.path: miners may train on it (got "images/eval/") [disjoint-split]',
      ],
      [
        (c) => ((inputs(c).groundTruth as Json).trainingPath = 'images/none'),
        '/inputs/groundTruth/trainingPath must be an existing folder inside the contest folder (got "images/none") [exists]',
      ],
      [
        (c) => delete scoring(c).budget,
        '/scoring/budget is required when strategy is "quality-at-budget"',
      ],
      [(c) => ((scoring(c).budget as Json).latency = 0), '/scoring/budget/latency must be > 0'],
      [
        (c) => ((scoring(c).earlierAdvantage as Json).margin = -0.1),
        '/scoring/earlierAdvantage/margin must be >= 0',
      ],
      [
        (c) => (c.metrics = [{ name: 'memory', weight: 1 }]),
        '/metrics must include latency: quality-at-budget bounds the latency the harness measures (got ["memory"]) [budget-needs-latency]',
      ],
      [
        (c) => (scoring(c).strategy = 'speed-at-parity'),
        '/scoring/budget is read only by strategy "quality-at-budget", not "speed-at-parity" (got {"latency":4}) [strategy-field]',
      ],
    ];
    for (const [edit, expected] of cases) expect(await problemsOf(edit)).toContain(expected);
  });

  it('refuses ground truth on a task judged against the baseline, and budget quality measured against it', async () => {
    const message = await problemsOf((c) => {
      inputs(c).groundTruth = { scale: 2, trainingPath: 'inputs' };
      Object.assign(scoring(c), { strategy: 'quality-at-budget', budget: { latency: 1 } });
    }, 'sr-x2-demo');
    expect(message).toContain(
      '/inputs/groundTruth must be absent for task image-super-resolution: it is not judged against ground truth',
    );
    expect(message).toContain(
      '/scoring/similarity/measure must be judged against ground truth or labels for quality-at-budget (psnr compares with the baseline\'s own outputs) (got "psnr") [quality-measure]',
    );
  });

  it('refuses an evaluation image whose pixels are in the training folder, even re-encoded', async () => {
    const dir = await contestWith(() => undefined);
    const evalImage = join(dir, 'images/eval/picture-1003.png');
    const reencoded = await sharp(evalImage).png({ compressionLevel: 1 }).toBuffer();
    expect(reencoded.equals(await readFile(evalImage))).toBe(false);
    await writeFile(join(dir, 'images/train/renamed.png'), reencoded);
    const loaded = await loadContest(dir);
    const err = await task.drawInputs(loaded, SEED_A).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputsError);
    expect((err as Error).message).toBe(
      `${loaded.file}: /inputs/groundTruth/trainingPath ("images/train"): evaluation image images/eval/picture-1003.png has the same pixels as training image images/train/renamed.png; the evaluation part must be disjoint from what miners may train on`,
    );
  });

  it('ships a training part drawn from other seeds than the evaluation part', async () => {
    // The pinned PNGs are the generator's pictures (scripts/make-gt-images.ts).
    const first = await decodeImage(join(DEMO, 'images/eval/picture-1000.png'), 3);
    expect(Buffer.from(drawPicture(1000, 64).rgb).equals(first.data)).toBe(true);
    const training = await decodeImage(join(DEMO, 'images/train/picture-0.png'), 3);
    expect(Buffer.from(drawPicture(0, 64).rgb).equals(training.data)).toBe(true);
  });
});

describe('ground-truth inputs and judging', () => {
  it('draws crops from the seed, feeds them downscaled and keeps the truth outside the feeds', async () => {
    const loaded = await loadContest(DEMO);
    const a = await task.drawInputs(loaded, SEED_A);
    const again = await task.drawInputs(loaded, SEED_A);
    const b = await task.drawInputs(loaded, SEED_B);
    const where = (s: readonly Sample[]) => s.map((x) => `${x.source}@${x.left},${x.top}`);
    expect(a).toHaveLength(8);
    expect(where(again)).toEqual(where(a));
    expect(where(b)).not.toEqual(where(a));
    const s = a[0]!;
    const image = await decodeImage(join(DEMO, 'images/eval', s.source!), 3);
    const truth = new Uint8Array(32 * 32 * 3);
    for (let y = 0; y < 32; y++) {
      const from = ((s.top + y) * image.width + s.left) * 3;
      truth.set(image.data.subarray(from, from + 32 * 3), y * 32 * 3);
    }
    expect(s.truth).toEqual({ width: 32, height: 32, channels: 3, data: truth });
    expect(s.feeds.map((f) => [f.name, f.type, f.dims])).toEqual([
      ['LR', 'float32', [1, 16, 16, 3]],
    ]);
    expect(Array.from(s.feeds[0]!.data)).toEqual(Array.from(downscaleBicubic(truth, 32, 32, 3, 2)));
  });

  it('judges outputs against the truth: the truth itself is perfect, medium beats slim, a wrong size is named', async () => {
    const loaded = await loadContest(DEMO);
    const samples = await task.drawInputs(loaded, SEED_A);
    const run = async (model: ModelName) => {
      const session = await ort.InferenceSession.create(modelPath(model));
      const outputs: WireTensor[][] = [];
      for (const s of samples) {
        const f = s.feeds[0]!;
        const out = await session.run({ LR: new ort.Tensor('float32', f.data, [...f.dims]) });
        const t = out.SR!;
        outputs.push([
          { name: 'SR', type: 'float32', dims: [...t.dims], data: t.data as Float32Array },
        ]);
      }
      await session.release();
      return task.judge({ contest: loaded.contest, samples, baseline: outputs, outputs });
    };
    const mean = (v: readonly { psnrTruth?: number | null }[]) =>
      v.reduce((x, y) => x + (y.psnrTruth ?? Number.NaN), 0) / v.length;
    const slim = await run('esrgan-slim-x2');
    const medium = await run('esrgan-medium-x2');
    expect(mean(medium)).toBeGreaterThan(mean(slim) + 0.3);
    const perfect = samples.map((s) => [
      {
        name: 'SR',
        type: 'float32',
        dims: [1, 32, 32, 3],
        data: Float32Array.from(s.truth!.data),
      },
    ]);
    const judged = task.judge({
      contest: loaded.contest,
      samples,
      baseline: perfect,
      outputs: perfect,
    });
    expect(judged[0]).toEqual({ psnrTruth: 100, ssimTruth: 1 });
    const small = [[{ ...perfect[0]![0]!, dims: [1, 16, 64, 3] }]];
    expect(() =>
      task.judge({ contest: loaded.contest, samples, baseline: small, outputs: small }),
    ).toThrow('output SR is a 64x16x3 image, the ground truth 32x32x3');
  });
});

describe('bicubic downscaling', () => {
  it('keeps a flat image flat, averages a 2×2 checker to grey, and refuses a factor that does not divide', () => {
    expect(Array.from(downscaleBicubic(new Uint8Array(8 * 8).fill(77), 8, 8, 1, 2))).toEqual(
      Array(16).fill(77),
    );
    const checker = Uint8Array.from({ length: 64 }, (_, i) =>
      ((i % 8) + Math.floor(i / 8)) % 2 ? 200 : 100,
    );
    // Interior taps are symmetric about the output centre, so each pair averages to 150.
    expect(downscaleBicubic(checker, 8, 8, 1, 2)[5]).toBe(150);
    expect(() => downscaleBicubic(new Uint8Array(27), 3, 3, 3, 2)).toThrow(
      'cannot downscale 3x3 by 2',
    );
  });
});
