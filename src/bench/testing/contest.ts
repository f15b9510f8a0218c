/**
 * Test support: a throw-away copy of the demo contest in a temp folder, pointing at the real
 * converted models (built by src/models when the cache is stale), with measurement settings
 * small enough for a 2-core test run.
 */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadContest, type LoadedContest } from '../../contest/load.js';
import { ensureModels, modelPath } from '../../models/build.js';
import type { ModelName } from '../../models/variants.js';
import { REPO_ROOT } from '../../version.js';

/** The artifact triple of a demo model (file: URL into the models cache). */
export async function demoModel(
  name: ModelName,
): Promise<{ url: string; sha256: string; bytes: number }> {
  const manifest = await ensureModels();
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new Error(`no model ${name} in the manifest`);
  return { url: pathToFileURL(modelPath(name)).href, sha256: entry.sha256, bytes: entry.bytes };
}

type Json = Record<string, unknown>;

/**
 * Writes `<tmp>/<id>/contest.json` from the demo contest with the real baseline, `edit`
 * applied to the JSON, and a copy of its inputs. Returns the loaded contest.
 */
export async function tempContest(
  edit: (c: Json) => void = () => undefined,
): Promise<LoadedContest> {
  const demo = join(REPO_ROOT, 'contests', 'sr-x2-demo');
  const data = JSON.parse(await readFile(join(demo, 'contest.json'), 'utf8')) as Json;
  (data.baseline as Json).model = await demoModel('esrgan-medium-x2');
  data.measurement = { warmupRuns: 1, minSamples: 4, minSeconds: 0, blockSize: 1 };
  (data.inputs as Json).samplesPerRound = 3;
  (data.inputs as Json).crop = { width: 16, height: 16 };
  edit(data);
  const dir = join(await mkdtemp(join(tmpdir(), 'podium-bench-')), String(data.id));
  await mkdir(dir, { recursive: true });
  await cp(join(demo, 'inputs'), join(dir, 'inputs'), { recursive: true });
  await writeFile(join(dir, 'contest.json'), JSON.stringify(data, null, 2));
  return loadContest(dir);
}

/**
 * Writes `<tmp>/mnist-nas-demo/contest.json` from the MNIST demo contest with `samples`
 * evaluation images, small measurement settings and `edit` applied. Returns the loaded contest.
 */
export async function tempMnistContest(
  samples: number,
  edit: (c: Json) => void = () => undefined,
): Promise<LoadedContest> {
  const demo = join(REPO_ROOT, 'contests', 'mnist-nas-demo');
  const data = JSON.parse(await readFile(join(demo, 'contest.json'), 'utf8')) as Json;
  (data.baseline as Json).model = await demoModel('mnist-cnn');
  data.measurement = { warmupRuns: 1, minSamples: 20, minSeconds: 0, blockSize: 1 };
  (data.inputs as Json).samplesPerRound = samples;
  edit(data);
  const dir = join(await mkdtemp(join(tmpdir(), 'podium-bench-')), String(data.id));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'contest.json'), JSON.stringify(data, null, 2));
  return loadContest(dir);
}
