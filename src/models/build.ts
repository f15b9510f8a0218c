/**
 * Building the model catalogue into the cache folder and keeping it current. The cache lives
 * outside git: `$PODIUM_CACHE_DIR/models`, or `<repo>/.cache/models` when the variable is unset.
 * `ensureModels()` is cheap when the cache is current (it hashes the files, ~25 MB).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactCanonicalJson } from '../json/canonical.js';
import { readDocument, writeDocument, writeFileAtomic } from '../json/file.js';
import { schemaId } from '../schemas/builders.js';
import { CONVERTER_VERSION } from './convert.js';
import { readLayersModel } from './layers.js';
import {
  MNIST_FIXTURES,
  MNIST_FIXTURE_SHA256,
  readFixture,
  type MnistFixture,
} from './mnist-fixtures.js';
import { ModelsManifestSchema, type ModelsManifest } from './schema.js';
import {
  DIGITS_FILES,
  DIGITS_FIXTURE_SHA256,
  readDigitsFixture,
} from '../pipeline/digits-fixture.js';
import type { DriverRole } from '../pipeline/driver.js';
import { DIGITS_MODEL_NAMES } from '../pipeline/digits-variants.js';
import { packageVersion, sourceModelFile, type SourcePackage } from './sources.js';
import { MODEL_NAMES, RECIPES, type ModelName, type Sources } from './variants.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The models cache folder: `$PODIUM_CACHE_DIR/models`, else `<repo>/.cache/models`. */
export function modelsDir(): string {
  const root = process.env.PODIUM_CACHE_DIR || join(REPO_ROOT, '.cache');
  return join(root, 'models');
}

/** Path of the manifest in `dir`. */
export function manifestPath(dir: string = modelsDir()): string {
  return join(dir, 'manifest.json');
}

/** Path of model `name` in `dir` (the file may not exist yet: see `ensureModels`). */
export function modelPath(name: ModelName, dir: string = modelsDir()): string {
  return join(dir, modelFileName(name));
}

/** The cache file name of model `name`: pipeline archives are `.tar`, graphs `.onnx`. */
export function modelFileName(name: ModelName): string {
  return (DIGITS_MODEL_NAMES as readonly string[]).includes(name) ? `${name}.tar` : `${name}.onnx`;
}

/** Lower-case hex sha256 of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SOURCES: Record<'medium' | 'slim', SourcePackage> = {
  medium: '@upscalerjs/esrgan-medium',
  slim: '@upscalerjs/esrgan-slim',
};

function sourceMetadata(pkg: SourcePackage): Record<string, string> {
  return {
    source_license: 'MIT',
    source_model: 'models/x2/model.json',
    source_package: `${pkg}@${packageVersion(pkg)}`,
  };
}

function sourceList(): ModelsManifest['sources'] {
  return Object.values(SOURCES).map((pkg) => ({
    package: pkg,
    version: packageVersion(pkg),
    license: 'MIT',
  }));
}

function fixtureList(): ModelsManifest['fixtures'] {
  return [
    ...MNIST_FIXTURES.map((name) => ({
      file: `fixtures/models/${name}.onnx`,
      sha256: MNIST_FIXTURE_SHA256[name],
    })),
    ...(Object.keys(DIGITS_FILES) as DriverRole[]).map((role) => ({
      file: `fixtures/models/digits-pipeline/${DIGITS_FILES[role]}`,
      sha256: DIGITS_FIXTURE_SHA256[role],
    })),
  ];
}

async function readFixtures(): Promise<Record<MnistFixture, Uint8Array>> {
  const entries = await Promise.all(
    MNIST_FIXTURES.map(async (name) => [name, await readFixture(name)] as const),
  );
  return Object.fromEntries(entries) as Record<MnistFixture, Uint8Array>;
}

/**
 * Builds every catalogue model in memory, in catalogue order. Returns name → bytes. Throws
 * ModelSourceError when a source model cannot be read or converted, or an Error when a pinned
 * fixture is missing or its sha256 differs.
 */
export async function buildCatalogue(): Promise<Map<ModelName, Uint8Array>> {
  const sources: Sources = {
    medium: await readLayersModel(sourceModelFile(SOURCES.medium)),
    slim: await readLayersModel(sourceModelFile(SOURCES.slim)),
    mediumMetadata: sourceMetadata(SOURCES.medium),
    slimMetadata: sourceMetadata(SOURCES.slim),
    mnist: await readFixtures(),
    digits: await readDigitsFixture(),
  };
  const built = new Map<ModelName, Uint8Array>();
  for (const recipe of RECIPES) built.set(recipe.name, recipe.build(sources, built));
  return built;
}

function manifestOf(built: ReadonlyMap<ModelName, Uint8Array>): ModelsManifest {
  return {
    $schema: schemaId('models-manifest'),
    version: 1,
    converter: CONVERTER_VERSION,
    sources: sourceList(),
    fixtures: fixtureList(),
    models: RECIPES.map((r) => {
      const bytes = built.get(r.name) as Uint8Array;
      return {
        name: r.name,
        file: modelFileName(r.name),
        sha256: sha256(bytes),
        bytes: bytes.length,
        role: r.role,
        description: r.description,
      };
    }),
  };
}

/**
 * Builds every model into `outDir` (atomic writes, manifest last) and returns the manifest.
 * Throws ModelSourceError for unreadable sources, or a file-system error.
 */
export async function buildModels(outDir: string = modelsDir()): Promise<ModelsManifest> {
  const built = await buildCatalogue();
  for (const [name, bytes] of built) await writeFileAtomic(modelPath(name, outDir), bytes);
  const manifest = manifestOf(built);
  await writeDocument(manifestPath(outDir), ModelsManifestSchema, manifest);
  return manifest;
}

/**
 * Returns why the cache in `dir` is not current (empty when it is): manifest missing or
 * invalid, built by another converter or from other source versions, a model missing, or a
 * file whose sha256 or size differs from the manifest. Hashes the files; builds nothing.
 */
export async function staleReasons(dir: string = modelsDir()): Promise<string[]> {
  let manifest: ModelsManifest;
  try {
    manifest = structuredClone(
      await readDocument(manifestPath(dir), ModelsManifestSchema),
    ) as ModelsManifest;
  } catch (err) {
    return [`${manifestPath(dir)}: ${(err as Error).message.split('\n')[0]}`];
  }
  const reasons: string[] = [];
  if (manifest.converter !== CONVERTER_VERSION)
    reasons.push(`converter ${manifest.converter} ≠ ${CONVERTER_VERSION}`);
  if (compactCanonicalJson(manifest.sources) !== compactCanonicalJson(sourceList()))
    reasons.push('source packages changed');
  if (compactCanonicalJson(manifest.fixtures) !== compactCanonicalJson(fixtureList()))
    reasons.push('pinned fixtures changed');
  const names = manifest.models.map((m) => m.name);
  if (JSON.stringify(names) !== JSON.stringify(MODEL_NAMES)) reasons.push('model list changed');
  for (const entry of manifest.models) {
    const bytes = await readFile(join(dir, entry.file)).catch(() => undefined);
    if (!bytes) reasons.push(`${entry.file}: missing`);
    else if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) {
      reasons.push(`${entry.file}: sha256 differs from the manifest`);
    }
  }
  return reasons;
}

/**
 * Returns the manifest of `dir`, building the models first when the cache is not current.
 * Safe to call from parallel test processes: every write is atomic and builds are identical.
 */
export async function ensureModels(dir: string = modelsDir()): Promise<ModelsManifest> {
  if ((await staleReasons(dir)).length > 0) return buildModels(dir);
  return structuredClone(
    await readDocument(manifestPath(dir), ModelsManifestSchema),
  ) as ModelsManifest;
}

/**
 * Rebuilds the catalogue in memory and compares it with the cache in `dir`. Returns one line
 * per difference (empty when the cache holds exactly what this code builds).
 */
export async function checkModels(dir: string = modelsDir()): Promise<string[]> {
  const reasons = await staleReasons(dir);
  const expected = manifestOf(await buildCatalogue());
  const recorded = await readDocument(manifestPath(dir), ModelsManifestSchema).catch(
    () => undefined,
  );
  for (const m of expected.models) {
    const found = recorded?.models.find((r) => r.name === m.name);
    if (found && found.sha256 !== m.sha256) {
      reasons.push(`${m.file}: manifest says ${found.sha256}, a fresh build gives ${m.sha256}`);
    }
  }
  return reasons;
}
