/**
 * Pipeline inspection on the demo contest with real archives: podium's catalogue variants and
 * hand-made manifests around the pinned digits graphs. Every bad manifest and unsafe member is
 * refused with the member or role and the rule named, before any graph is loaded, and nothing
 * is written out for an archive that broke a member rule.
 */
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContest, type LoadedContest } from '../contest/load.js';
import { ensureModels, modelPath } from '../models/build.js';
import type { ModelName } from '../models/variants.js';
import { schemaId } from '../schemas/builders.js';
import { DIGITS_FILES, readDigitsFixture } from './digits-fixture.js';
import type { DriverRole } from './driver.js';
import { inspectPipeline } from './inspect.js';
import { MANIFEST } from './manifest.js';
import { tarFiles } from './tar-write.js';
import { REPO_ROOT } from '../version.js';

let dir: string;
let loaded: LoadedContest;
let graphs: Record<DriverRole, Uint8Array>;
beforeAll(async () => {
  await ensureModels();
  dir = await mkdtemp(join(tmpdir(), 'podium-pipeline-inspect-'));
  loaded = await loadContest(join(REPO_ROOT, 'contests', 'digits-pipeline-demo'));
  graphs = await readDigitsFixture();
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function inspectBytes(bytes: Uint8Array) {
  const file = join(dir, `s${n++}.tar`);
  await writeFile(file, bytes);
  return { file, inspected: await inspectPipeline(file, loaded.contest) };
}

async function inspectCatalogue(name: ModelName) {
  const file = join(dir, `${name}.tar`);
  await copyFile(modelPath(name), file);
  return { file, inspected: await inspectPipeline(file, loaded.contest) };
}

function manifest(
  graphsList: { role: string; file: string }[],
  knobs: Record<string, unknown> = { steps: 20 },
) {
  const doc = { $schema: schemaId('pipeline-manifest'), version: 1, graphs: graphsList, knobs };
  return new TextEncoder().encode(JSON.stringify(doc));
}

const ALL = (Object.entries(DIGITS_FILES) as [DriverRole, string][]).map(([role, file]) => ({
  role,
  file,
}));

function withManifest(m: Uint8Array): Uint8Array {
  return tarFiles([
    [MANIFEST, m],
    ...ALL.map((g) => [g.file, graphs[g.role as DriverRole]] as const),
  ]);
}

describe('pipeline inspection', () => {
  it('passes the baseline and the fp16 variant: graphs written out, FLOPs per image summed over steps', async () => {
    const { file, inspected } = await inspectCatalogue('digits-pipeline');
    expect(inspected.reasons).toEqual([]);
    expect(inspected.pipeline?.knobs).toEqual({ steps: 20 });
    expect((await readdir(`${file}.graphs`)).sort()).toEqual([
      'decoder.onnx',
      'denoiser.onnx',
      'encoder.onnx',
      'pipeline.json',
    ]);
    const fewer = await inspectCatalogue('digits-pipeline-fewer-steps');
    // Same graphs, fewer denoiser calls: FLOPs per image differ by the denoiser's share only.
    expect(fewer.inspected.report!.parameters).toBe(inspected.report!.parameters);
    expect(fewer.inspected.report!.flops).toBeLessThan(inspected.report!.flops!);
    const fp16 = await inspectCatalogue('digits-pipeline-fp16');
    expect(fp16.inspected.reasons).toEqual([]);
    expect(fp16.inspected.report!.ops['ai.onnx:Cast']).toBeGreaterThan(0);
  });

  it('names the role of a broken graph', async () => {
    const { inspected } = await inspectCatalogue('digits-pipeline-broken-decoder');
    expect(inspected.reasons[0]).toMatchObject({ code: 'truncated' });
    expect(inspected.reasons[0]!.message).toMatch(
      /^role decoder \(decoder\.onnx\): cannot be parsed/,
    );
  });

  it.each([
    ['digits-pipeline-escape', 'archive-parent-path', 'member "../escape.onnx"'],
    [
      'digits-pipeline-oversized',
      'archive-member-too-large',
      'member "padding.bin" is 1048577 bytes',
    ],
  ] as const)('refuses %s before writing anything', async (name, code, message) => {
    const { inspected } = await inspectCatalogue(name);
    expect(inspected.reasons).toHaveLength(1);
    expect(inspected.reasons[0]!.code).toBe(code);
    expect(inspected.reasons[0]!.message).toContain(message);
    const left = await readdir(dir);
    expect(left).not.toContain(`${name}.tar.graphs`);
    expect(left).not.toContain('escape.onnx');
    expect(inspected.pipeline).toBeUndefined();
  });

  it.each([
    [
      'manifest-duplicate-role',
      [...ALL, ALL[0]!],
      undefined,
      '/graphs/3/role names role "encoder" a second time',
    ],
    ['manifest-missing-role', ALL.slice(0, 2), undefined, 'no graph for role(s) decoder'],
    [
      'manifest-unknown-role',
      [...ALL, { role: 'refiner', file: 'decoder.onnx' }],
      undefined,
      '"refiner" is not a role',
    ],
    [
      'manifest-missing-file',
      [ALL[0]!, ALL[1]!, { role: 'decoder', file: 'vae.onnx' }],
      undefined,
      '"vae.onnx" is not a member',
    ],
    [
      'manifest-knob-range',
      ALL,
      { steps: 100 },
      '/knobs/steps must be an integer in [4, 50] (got 100)',
    ],
    ['manifest-knob-range', ALL, { steps: 3 }, '(got 3)'],
    ['manifest-unknown-knob', ALL, { guidance: 7 }, '/knobs/guidance is not a knob'],
  ] as const)('refuses a manifest: %s', async (code, list, knobs, message) => {
    const { inspected } = await inspectBytes(withManifest(manifest([...list], knobs)));
    expect(inspected.reasons).toEqual([{ code, message: expect.stringContaining(message) }]);
    expect(inspected.pipeline).toBeUndefined();
  });

  it('refuses a manifest the schema rejects, one that is missing, and a graph whose IO is not its role', async () => {
    const bad = await inspectBytes(withManifest(new TextEncoder().encode('{"graphs": 3}')));
    expect(bad.inspected.reasons[0]!.code).toBe('manifest-invalid');
    expect(bad.inspected.reasons[0]!.message).toContain('pipeline.json');
    const none = await inspectBytes(
      tarFiles(ALL.map((g) => [g.file, graphs[g.role as DriverRole]] as const)),
    );
    expect(none.inspected.reasons[0]!.code).toBe('manifest-missing');
    const swapped = await inspectBytes(
      withManifest(
        manifest([
          { role: 'encoder', file: 'decoder.onnx' },
          { role: 'denoiser', file: 'denoiser.onnx' },
          { role: 'decoder', file: 'encoder.onnx' },
        ]),
      ),
    );
    expect(swapped.inspected.reasons.map((r) => r.code)).toEqual([
      'io-mismatch',
      'io-mismatch',
      'io-mismatch',
      'io-mismatch',
    ]);
    expect(swapped.inspected.reasons[0]!.message).toMatch(
      /^role encoder \(decoder\.onnx\): inputs are \[latent\]/,
    );
  });

  it('refuses a bare ONNX graph submitted as a pipeline', async () => {
    const { inspected } = await inspectBytes(graphs.decoder);
    expect(inspected.reasons[0]!.code).toBe('archive-not-tar');
  });
});
