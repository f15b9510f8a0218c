/**
 * `results/<contest>/index.json` (kind `results-index`): the append-only, hash-chained and
 * signed list of a contest's rounds. See docs/auditor.md for how to recompute every field.
 *
 * Entry hash = sha256 of the UTF-8 bytes of the compact canonical JSON (keys sorted, no
 * whitespace) of `{ contest, files, previous, round, signer }`; `previous` is the hash of the
 * entry before (null for the first). The signature is sr25519 by `signer` over the UTF-8 bytes
 * of `podium-results-index/1:<hash>`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Document, Sha256, Slug } from '../schemas/builders.js';
import { RoundId, Ss58 } from './round.js';

/** Relative path of a file inside a round folder: `round.json`, `bench/<runner>/<name>.json`… */
export const RoundFilePath = Type.String({
  pattern: '^(round|score|weights)\\.json$|^bench/[A-Za-z0-9._-]+/[A-Za-z0-9._-]+\\.json$',
  description: 'path relative to the round folder, "/"-separated',
});

export const IndexFile = Type.Object(
  {
    path: RoundFilePath,
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const IndexSignature = Type.Object(
  {
    scheme: Type.Literal('sr25519'),
    signer: Ss58,
    value: Type.String({
      pattern: '^0x[0-9a-f]{128}$',
      description: 'sr25519 signature (64 bytes, hex) over "podium-results-index/1:<hash>"',
    }),
  },
  { additionalProperties: false },
);

export const IndexEntry = Type.Object(
  {
    round: RoundId,
    files: Type.Array(IndexFile, {
      minItems: 1,
      description: 'every file of the round folder, sorted by path',
    }),
    previous: Type.Union([Sha256, Type.Null()], {
      description: 'hash of the entry before this one; null for the first entry',
    }),
    hash: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'sha256 of compact canonical JSON of {contest, files, previous, round, signer}',
    }),
    signature: IndexSignature,
  },
  { additionalProperties: false },
);

export const ResultsIndexSchema = Document(
  'results-index',
  1,
  {
    contest: Slug,
    entries: Type.Array(IndexEntry, {
      description: 'rounds in the order they were appended; round ids strictly increase',
    }),
  },
  "A contest's rounds as an append-only hash chain, each entry signed by the validator hotkey.",
);

export type ResultsIndexDocument = Static<typeof ResultsIndexSchema>;
export type IndexEntryDocument = Static<typeof IndexEntry>;
export type IndexFileRecord = Static<typeof IndexFile>;
