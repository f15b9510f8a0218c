import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContest } from '../contest/load.js';
import { mnistCount, mnistSample } from '../data/mnist.js';
import { DocumentError } from '../json/errors.js';
import { DATASETS } from './datasets.js';
import { labelledClassification } from './labelled-classification.js';
import type { Sample } from './types.js';

const DEMO = join(import.meta.dirname, '../../contests/mnist-nas-demo');
const SEED_A = `0x${'ab'.repeat(32)}`;
const SEED_B = `0x${'cd'.repeat(32)}`;

type Json = Record<string, unknown>;

/** The demo contest with `edit` applied, written into a fresh contests/mnist-nas-demo folder. */
async function contestWith(edit: (c: Json) => void): Promise<string> {
  const root = join(await mkdtemp(join(tmpdir(), 'podium-mnist-')), 'contests');
  const dir = join(root, 'mnist-nas-demo');
  await cp(DEMO, dir, { recursive: true });
  const c = JSON.parse(await readFile(join(DEMO, 'contest.json'), 'utf8')) as Json;
  edit(c);
  await writeFile(join(dir, 'contest.json'), JSON.stringify(c));
  return dir;
}

async function problemsOf(edit: (c: Json) => void): Promise<string> {
  const err = await loadContest(await contestWith(edit)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DocumentError);
  return (err as DocumentError).message;
}

const inputs = (c: Json) => c.inputs as Json;
const split = (c: Json) => (inputs(c).source as Json).split as Record<string, Json>;

describe('labelled-classification contests', () => {
  it('loads the demo contest', async () => {
    const { contest } = await loadContest(DEMO);
    expect(contest.task).toBe('labelled-classification');
  });

  it('refuses an evaluation part that overlaps the training part, naming both', async () => {
    const message = await problemsOf((c) => {
      split(c).evaluation!.from = 7000;
    });
    expect(message).toContain(
      '/inputs/source/split/evaluation/from is 7000, inside /inputs/source/split/train [0, 8000): parts overlap [split]',
    );
  });

  it('refuses a part past the end of the dataset', async () => {
    const message = await problemsOf((c) => {
      split(c).evaluation!.to = 12000;
    });
    expect(message).toContain('/inputs/source/split/evaluation/to must be ≤ 10000');
  });

  it('refuses an input shape the task cannot feed', async () => {
    const message = await problemsOf((c) => {
      ((c.baseline as Json).io as { inputs: Json[] }).inputs[0]!.shape = [1, 784];
    });
    expect(message).toContain(
      '/baseline/io/inputs must be one input of shape [1, 28, 28, 1] (mnist images in NHWC)',
    );
  });

  it('refuses PSNR as the measure of a classification contest', async () => {
    const message = await problemsOf((c) => {
      ((c.scoring as Json).similarity as Json).measure = 'psnr';
    });
    expect(message).toContain(
      '/scoring/similarity/measure must be a measure task labelled-classification computes (accuracy) (got "psnr") [task-measure]',
    );
  });

  it('refuses an accuracy floor that is not a fraction of the baseline', async () => {
    const message = await problemsOf((c) => {
      ((c.scoring as Json).similarity as Json).threshold = 97;
    });
    expect(message).toContain('/scoring/similarity/threshold must be in (0, 1]');
  });

  it('refuses more samples per round than the evaluation part holds', async () => {
    const message = await problemsOf((c) => {
      inputs(c).samplesPerRound = 2500;
    });
    expect(message).toContain(
      "/inputs/samplesPerRound must not exceed the evaluation part's 2000 items",
    );
  });

  it('refuses an image-crop source for a labelled task', async () => {
    const message = await problemsOf((c) => {
      inputs(c).source = { type: 'directory', path: 'inputs' };
    });
    expect(message).toContain(
      '/inputs/source/type must be "dataset" for task labelled-classification',
    );
  });

  it('knows the size of the dataset its reader serves', () => {
    expect(DATASETS.mnist.size).toBe(mnistCount());
  });
});

describe('labelled-classification inputs', () => {
  it('draws distinct evaluation items from the seed, with labels beside the feeds', async () => {
    const loaded = await loadContest(DEMO);
    const a = await labelledClassification.drawInputs(loaded, SEED_A);
    const again = await labelledClassification.drawInputs(loaded, SEED_A);
    const b = await labelledClassification.drawInputs(loaded, SEED_B);
    const items = (s: readonly Sample[]) => s.map((x) => x.source);
    expect(a).toHaveLength(1000);
    expect(items(again)).toEqual(items(a));
    expect(items(b)).not.toEqual(items(a));
    const indices = a.map((s) => Number(s.source!.split('#')[1]));
    expect(new Set(indices).size).toBe(1000);
    expect(Math.min(...indices)).toBeGreaterThanOrEqual(8000);
    const first = a[0]!;
    expect(first.label).toBe(mnistSample(indices[0]!).label);
    // The child receives the feeds only: one image tensor in 0..1, no label anywhere in it.
    expect(first.feeds.map((f) => [f.name, f.type, f.dims])).toEqual([
      ['image', 'float32', [1, 28, 28, 1]],
    ]);
    const pixels = mnistSample(indices[0]!).pixels;
    expect(Array.from(first.feeds[0]!.data.slice(0, 784))).toEqual(
      Array.from(pixels, (p) => Math.fround(p / 255)),
    );
  });

  it('judges arg-max against the label, and names a misshapen output', async () => {
    const { contest } = await loadContest(DEMO);
    const samples = [3, 7].map((label, index): Sample => ({
      index,
      source: null,
      left: 0,
      top: 0,
      label,
      feeds: [],
    }));
    const scores = (k: number) => {
      const data = new Float32Array(10);
      data[k] = 1;
      return [{ name: 'probabilities', type: 'float32', dims: [1, 10], data }];
    };
    const outputs = [scores(3), scores(2)];
    const judged = labelledClassification.judge({ contest, samples, baseline: outputs, outputs });
    expect(judged).toEqual([{ accuracy: 1 }, { accuracy: 0 }]);
    const wrong = [
      [{ name: 'probabilities', type: 'float32', dims: [10], data: new Float32Array(10) }],
    ];
    expect(() =>
      labelledClassification.judge({ contest, samples, baseline: wrong, outputs: wrong }),
    ).toThrow('output probabilities has shape [10], expected [1, classes]');
  });
});
