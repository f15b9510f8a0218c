/**
 * Every kind of JSON file podium reads or writes, by kind name. A file names its kind through
 * its `$schema`; `schemas/<kind>.schema.json` is generated from here (`npm run schemas`).
 * Add a kind by exporting its TypeBox schema from its concern's folder and listing it below.
 */
import type { Static } from '@sinclair/typebox';
import { BenchSchema } from '../bench/schema.js';
import { ContestSchema } from '../contest/schema.js';
import { EntrySchema } from '../entries/schema.js';
import { ModelsManifestSchema } from '../models/schema.js';
import { ResultsIndexSchema } from '../results/schema.js';
import { RoundSchema } from '../round/schema.js';
import { ScoreSchema } from '../score/schema.js';
import { WeightsSchema } from '../chain/schema.js';
import { WeightsCheckSchema } from '../chain/check-schema.js';

export const SCHEMAS = {
  bench: BenchSchema,
  contest: ContestSchema,
  entry: EntrySchema,
  'models-manifest': ModelsManifestSchema,
  'results-index': ResultsIndexSchema,
  round: RoundSchema,
  score: ScoreSchema,
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
