/**
 * Small TypeBox helpers shared by every podium schema. The TypeScript types come from these
 * schemas (`Static<…>`); the published JSON Schemas in `schemas/` are generated from them
 * (`npm run schemas`), and a test keeps the two in sync: one source of truth.
 */
import { Type, type TSchema, type TLiteral, type TObject, type TProperties } from '@sinclair/typebox';

/** Every published schema lives under this absolute base; a document's `$schema` is its schema's `$id`. */
export const SCHEMA_BASE = 'https://podium-subnet.github.io/podium/schemas/';

/** The `$id` of the schema for one kind of podium file. */
export function schemaId(kind: string): string {
  return `${SCHEMA_BASE}${kind}.schema.json`;
}

/**
 * Marks a property as having a default. The field stays required in the TypeScript type (the
 * loader fills it in), and the published schema drops it from `required` and documents
 * `default`, so files may omit it.
 */
export function Defaulted<T extends TSchema>(schema: T, value: unknown): T {
  return { ...schema, default: value };
}

/** Lower-case hex sha256. */
export const Sha256 = Type.String({
  pattern: '^[0-9a-f]{64}$',
  description: 'sha256 as 64 lower-case hex characters',
});

/** A URL podium may fetch from: https for production, file for local demos and tests. */
export const ArtifactUrl = Type.String({
  format: 'uri',
  pattern: '^(https|file):',
  description: 'https: URL (production) or file: URL (local demo and tests)',
});

/** A model or data artifact: where it is, and what it must hash to. */
export const Artifact = Type.Object(
  {
    url: ArtifactUrl,
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 1, description: 'exact size in bytes' }),
  },
  { additionalProperties: false },
);

/** A stable lower-case identifier: contest ids, runner labels. */
export const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });

/**
 * The top level of a podium document of `kind`: carries `$schema` (this schema's `$id`) and
 * `version`, and refuses unknown fields.
 */
export function Document<K extends string, P extends TProperties>(
  kind: K,
  version: number,
  properties: P,
  description: string,
): TObject<P & { $schema: TLiteral<string>; version: TLiteral<number> }> {
  return Type.Object(
    {
      $schema: Type.Literal(schemaId(kind), { description: 'the $id of this schema' }),
      version: Type.Literal(version, { description: 'file-format version' }),
      ...properties,
    },
    {
      $id: schemaId(kind),
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: `podium ${kind}`,
      description,
      additionalProperties: false,
    },
  );
}

/** A string that must be one of `values`; typed as their union, published as `enum`. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}
