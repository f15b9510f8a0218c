/**
 * Every kind of JSON file podium reads or writes, by kind name. A file names its kind through
 * its `$schema`; `schemas/<kind>.schema.json` is generated from here (`npm run schemas`).
 * Add a kind by exporting its TypeBox schema (src/documents/ for a round's files, the concern's
 * folder otherwise) and listing it below.
 *
 * Only code that must find a file's kind from its `$schema` imports this (`podium validate`,
 * schema generation, docs): everything else passes the one schema it expects to
 * readDocument/writeDocument, so it does not load every schema.
 */
import type { Static } from '@sinclair/typebox';
import { DocumentError } from '../json/errors.js';
import { schemaId } from './builders.js';
import { BenchSchema } from '../documents/bench.js';
import { ConfigSchema } from '../documents/config.js';
import { ContestSchema } from '../contest/schema.js';
import { EntrySchema } from '../entries/schema.js';
import { ModelsManifestSchema } from '../models/schema.js';
import { PipelineManifestSchema } from '../pipeline/manifest.js';
import { ResultsIndexSchema } from '../documents/results-index.js';
import { RoundSchema } from '../documents/round.js';
import { ScoreSchema } from '../documents/score.js';
import { WeightsSchema } from '../documents/weights.js';
import { WeightsCheckSchema } from '../documents/weights-check.js';
import { SubnetSchema } from '../subnet/schema.js';

export const SCHEMAS = {
  bench: BenchSchema,
  config: ConfigSchema,
  contest: ContestSchema,
  entry: EntrySchema,
  'models-manifest': ModelsManifestSchema,
  'pipeline-manifest': PipelineManifestSchema,
  'results-index': ResultsIndexSchema,
  round: RoundSchema,
  score: ScoreSchema,
  subnet: SubnetSchema,
  weights: WeightsSchema,
  'weights-check': WeightsCheckSchema,
} as const;

export type Kind = keyof typeof SCHEMAS;

/** The TypeScript type of a document of `K`, with defaults filled in. */
export type DocumentOf<K extends Kind> = Static<(typeof SCHEMAS)[K]>;

/** Returns every kind name, sorted. */
export function kinds(): Kind[] {
  return (Object.keys(SCHEMAS) as Kind[]).sort();
}

/** Returns the kind named by a document's `$schema`, or throws DocumentError naming the field. */
export function kindOf(file: string, data: unknown): Kind {
  const declared =
    typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>).$schema
      : undefined;
  for (const kind of kinds()) {
    if (declared === schemaId(kind)) return kind;
  }
  const known = kinds().map(schemaId).join(', ');
  throw new DocumentError(file, [
    {
      pointer: '/$schema',
      rule: 'schema',
      message: `must name a podium schema (one of ${known})`,
      value: declared,
    },
  ]);
}
