/**
 * generation-pipeline contests: the rules the schema cannot express, with the file, pointer
 * and value named, and the round's prompts and noise drawn from the seed.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContest } from '../contest/load.js';
import { DocumentError } from '../json/errors.js';
import { generationPipeline } from './pipeline.js';

const DEMO = join(import.meta.dirname, '../../contests/digits-pipeline-demo');
const SEED_A = `0x${'ab'.repeat(32)}`;
const SEED_B = `0x${'cd'.repeat(32)}`;
type Json = Record<string, unknown>;

/** Sets (or, with undefined, deletes) the value at JSON pointer `pointer` of `doc`. */
function patch(doc: Json, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  let at = doc as Record<string, unknown>;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

async function problemsOf(pointer: string, value: unknown): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'podium-pipeline-task-'));
  temps.push(root);
  const dir = join(root, 'contests', 'digits-pipeline-demo');
  await mkdir(dir, { recursive: true });
  const c = JSON.parse(await readFile(join(DEMO, 'contest.json'), 'utf8')) as Json;
  patch(c, pointer, value);
  await writeFile(join(dir, 'contest.json'), JSON.stringify(c));
  const err = await loadContest(dir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DocumentError);
  return (err as DocumentError).message;
}

describe('generation-pipeline contests', () => {
  it('loads the demo contest and the SDXL reference', async () => {
    const { contest } = await loadContest(DEMO);
    expect(contest.pipeline?.roles.map((r) => r.role)).toEqual(['encoder', 'denoiser', 'decoder']);
    const sdxl = await loadContest(join(DEMO, '../examples/sdxl-4090'));
    expect(sdxl.contest.pipeline?.driver).toBe('sdxl-euler');
  });

  const encoder = {
    role: 'encoder',
    io: {
      inputs: [{ name: 'prompt', elementType: 'float32', shape: [1, 10] }],
      outputs: [{ name: 'cond', elementType: 'float32', shape: [1, 32] }],
    },
  };
  it.each([
    [
      'no pipeline block',
      '/pipeline',
      undefined,
      '/pipeline is required for task generation-pipeline',
    ],
    ['a role twice', '/pipeline/roles/3', encoder, '/pipeline/roles names a role twice'],
    [
      'weights not summing to 1',
      '/pipeline/fidelity/ssimWeight',
      0.5,
      'ssimWeight + semanticWeight must be 1 (got 0.85)',
    ],
    [
      'another similarity measure',
      '/scoring/similarity',
      { measure: 'ssim', threshold: 0.7 },
      '/scoring/similarity/measure must be "pipelineSimilarity"',
    ],
    [
      'a baseline knob outside its range',
      '/pipeline/knobs/0/baseline',
      60,
      '/pipeline/knobs/0 baseline must lie in [minimum, maximum]',
    ],
    [
      'a prompt input of the wrong width',
      '/baseline/io/inputs/0/shape',
      [1, 9],
      'must be the one-hot prompt [1, 10]',
    ],
    [
      'another input source',
      '/inputs/source',
      {
        type: 'archive',
        archive: { url: 'https://example.org/x.tar', sha256: '0'.repeat(64), bytes: 1 },
      },
      '/inputs/source/type must be "prompts"',
    ],
  ])('refuses %s', async (_, pointer, value, message) => {
    expect(await problemsOf(pointer, value)).toContain(message);
  });

  it('draws prompts and noise from the round seed, every digit equally, the prompt kept as the label', async () => {
    const loaded = await loadContest(DEMO);
    const a = await generationPipeline.drawInputs(loaded, SEED_A);
    const again = await generationPipeline.drawInputs(loaded, SEED_A);
    const b = await generationPipeline.drawInputs(loaded, SEED_B);
    expect(a).toHaveLength(100);
    expect(again.map((s) => [s.label, [...s.feeds[1]!.data]])).toEqual(
      a.map((s) => [s.label, [...s.feeds[1]!.data]]),
    );
    expect(b.map((s) => s.label)).not.toEqual(a.map((s) => s.label));
    const counts = Array.from({ length: 10 }, (_, d) => a.filter((s) => s.label === d).length);
    expect(counts).toEqual(Array(10).fill(10));
    for (const s of a) {
      expect([...s.feeds[0]!.data].indexOf(1)).toBe(s.label);
      expect(s.source).toBe(`prompt "${s.label}"`);
    }
    const noise = a.flatMap((s) => [...s.feeds[1]!.data]);
    const mean = noise.reduce((x, y) => x + y, 0) / noise.length;
    const sd = Math.sqrt(noise.reduce((x, y) => x + (y - mean) ** 2, 0) / noise.length);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(sd - 1)).toBeLessThan(0.1);
  });
});
