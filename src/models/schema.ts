/**
 * `models-manifest`: what `podium models` built into the model cache: every ONNX file with its
 * sha256, size and role, the converter version, the source packages and the pinned fixtures
 * it was built from.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Document, Sha256, Slug, StringEnum } from '../schemas/builders.js';

/** What a built model is for in the demo and the tests. */
export const MODEL_ROLES = [
  'baseline',
  'faster',
  'fp16',
  'unfaithful',
  'copy',
  'corrupt',
  'custom-op',
  'slower',
  'smaller',
  'larger',
  'damaged',
  'io-mismatch',
  'near-copy',
  'batch-sensitive',
  'garbage-under-load',
  'unsafe-archive',
] as const;

const ModelEntry = Type.Object(
  {
    name: Slug,
    file: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*\\.(onnx|tar)$',
      description: 'file name in the cache folder',
    }),
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 1, description: 'exact size in bytes' }),
    role: StringEnum(MODEL_ROLES, { description: 'what the model is for in the demo and tests' }),
    description: Type.String({
      minLength: 1,
      description: 'how it was derived and how it should behave',
    }),
  },
  { additionalProperties: false },
);

const Source = Type.Object(
  {
    package: Type.String({ minLength: 1, description: 'npm package the TF.js model came from' }),
    version: Type.String({ minLength: 1 }),
    license: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

const Fixture = Type.Object(
  {
    file: Type.String({ minLength: 1, description: 'path from the repository root' }),
    sha256: Sha256,
  },
  { additionalProperties: false },
);

export const ModelsManifestSchema = Document(
  'models-manifest',
  1,
  {
    converter: Type.String({
      minLength: 1,
      description:
        'converter version that built the files; a cache from another version is rebuilt',
    }),
    sources: Type.Array(Source),
    fixtures: Type.Array(Fixture, {
      description: 'pinned model fixtures (fixtures/models) some models are built from',
    }),
    models: Type.Array(ModelEntry, { minItems: 1 }),
  },
  'The ONNX models podium builds from TF.js sources for the demo and the tests (`podium models`).',
);

export type ModelsManifest = Static<typeof ModelsManifestSchema>;
export type ModelEntry = Static<typeof ModelEntry>;
export type ModelRole = (typeof MODEL_ROLES)[number];
