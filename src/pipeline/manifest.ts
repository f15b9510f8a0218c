/**
 * The manifest inside a pipeline archive, `pipeline.json`: which member is each role's graph
 * and the knobs the submission sets. Its shape is a TypeBox schema (validated with the same
 * ajv setup as every podium document); `manifestRules` then holds it to the contest: every
 * role named exactly once, no role the contest does not declare, every file present in the
 * archive, every knob one the contest allows and within its range.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Contest } from '../contest/load.js';
import type { BenchReason } from '../documents/bench.js';
import { DocumentError } from '../json/errors.js';
import { checkDocument, parseJson, type Frozen } from '../json/file.js';
import { Document } from '../schemas/builders.js';
import type { Members } from './archive.js';

/** The manifest's member name. */
export const MANIFEST = 'pipeline.json';

export const PipelineManifestSchema = Document(
  'pipeline-manifest',
  1,
  {
    graphs: Type.Array(
      Type.Object(
        {
          role: Type.String({ minLength: 1, description: "one of the contest's pipeline roles" }),
          file: Type.String({
            minLength: 1,
            description: 'the archive member holding its ONNX graph',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 16 },
    ),
    knobs: Type.Record(Type.String({ minLength: 1 }), Type.Union([Type.Integer(), Type.String()]), {
      description: "values for the contest's knobs; an omitted knob takes the baseline's value",
    }),
  },
  "A pipeline submission's manifest: each graph's role and the knobs it sets.",
);

export type PipelineManifest = Frozen<Static<typeof PipelineManifestSchema>>;

/** A manifest held to its contest: role → member, and every knob's value. */
export interface CheckedManifest {
  readonly files: Readonly<Record<string, string>>;
  readonly knobs: Readonly<Record<string, number | string>>;
}

function reason(code: string, message: string): { reason: BenchReason } {
  return { reason: { code, message: `${MANIFEST}: ${message}` } };
}

/** Parses and checks the manifest among `members` against `contest`'s pipeline block. */
export function checkManifest(
  members: Members,
  contest: Contest,
): { manifest: CheckedManifest } | { reason: BenchReason } {
  const spec = contest.pipeline;
  if (!spec) return reason('manifest-contest', 'the contest declares no pipeline');
  const bytes = members.get(MANIFEST);
  if (!bytes)
    return { reason: { code: 'manifest-missing', message: `the archive has no ${MANIFEST}` } };
  let manifest: PipelineManifest;
  try {
    manifest = checkDocument(
      MANIFEST,
      parseJson(MANIFEST, new TextDecoder().decode(bytes)),
      PipelineManifestSchema,
    );
  } catch (err) {
    if (!(err instanceof DocumentError)) throw err;
    return { reason: { code: 'manifest-invalid', message: err.message } };
  }
  const declared = spec.roles.map((r) => r.role);
  const files: Record<string, string> = {};
  for (const [i, g] of manifest.graphs.entries()) {
    const at = `/graphs/${i}`;
    if (files[g.role] !== undefined)
      return reason('manifest-duplicate-role', `${at}/role names role "${g.role}" a second time`);
    if (!declared.includes(g.role)) {
      return reason(
        'manifest-unknown-role',
        `${at}/role "${g.role}" is not a role of the contest (${declared.join(', ')})`,
      );
    }
    if (!members.has(g.file))
      return reason(
        'manifest-missing-file',
        `${at}/file "${g.file}" is not a member of the archive`,
      );
    if (g.file === MANIFEST)
      return reason('manifest-missing-file', `${at}/file names the manifest itself`);
    files[g.role] = g.file;
  }
  const missing = declared.filter((r) => files[r] === undefined);
  if (missing.length > 0)
    return reason(
      'manifest-missing-role',
      `/graphs names no graph for role(s) ${missing.join(', ')}`,
    );
  const knobs: Record<string, number | string> = {};
  for (const k of spec.knobs) knobs[k.name] = k.baseline;
  for (const [name, value] of Object.entries(manifest.knobs)) {
    const k = spec.knobs.find((x) => x.name === name);
    const at = `/knobs/${name}`;
    if (!k)
      return reason(
        'manifest-unknown-knob',
        `${at} is not a knob of the contest (${spec.knobs.map((x) => x.name).join(', ') || 'none'})`,
      );
    if (k.type === 'integer') {
      if (typeof value !== 'number' || value < k.minimum || value > k.maximum) {
        return reason(
          'manifest-knob-range',
          `${at} must be an integer in [${k.minimum}, ${k.maximum}] (got ${JSON.stringify(value)})`,
        );
      }
    } else if (typeof value !== 'string' || !k.values.includes(value)) {
      return reason(
        'manifest-knob-range',
        `${at} must be one of ${k.values.join(', ')} (got ${JSON.stringify(value)})`,
      );
    }
    knobs[name] = value;
  }
  return { manifest: { files, knobs } };
}
