/**
 * `round.json`: the frozen input of one round, written by collect. After it exists nothing is
 * read from the chain or the entries repository again for this round.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Artifact, Document, Sha256, Slug } from '../schemas/builders.js';

/** ss58 address (base58, 46–48 characters). */
export const Ss58 = Type.String({
  pattern: '^[1-9A-HJ-NP-Za-km-z]{46,48}$',
  description: 'ss58 address',
});

/** 0x-prefixed 32-byte hex (block hashes, seeds). */
export const Hash32 = Type.String({ pattern: '^0x[0-9a-f]{64}$' });

/** A round id: the cutoff's local date in the contest's time zone, plus an optional suffix. */
export const RoundId = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)?$' });

const Submission = Type.Object(
  {
    uid: Type.Integer({ minimum: 0, maximum: 65535 }),
    hotkey: Ss58,
    model: Artifact,
    commitment: Type.Object(
      {
        block: Type.Integer({ minimum: 0, description: 'block at which the commitment was set' }),
        text: Type.String({ maxLength: 128 }),
      },
      { additionalProperties: false },
    ),
    entry: Type.Union([
      Type.Object(
        {
          path: Type.String({ description: 'entry file path in the entries repository' }),
          commit: Type.String({ description: 'entries repository commit as of the cutoff' }),
          source: Type.Optional(Type.String({ format: 'uri' })),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

const Rejected = Type.Object(
  {
    hotkey: Type.Union([Ss58, Type.Null()]),
    uid: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()]),
    reason: Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: 'machine-readable code' }),
    message: Type.String({ minLength: 1, description: 'what is wrong and how to fix it' }),
  },
  { additionalProperties: false },
);

export const RoundSchema = Document(
  'round',
  1,
  {
    contest: Type.Object(
      {
        id: Slug,
        sha256: Sha256,
      },
      {
        additionalProperties: false,
        description: 'the contest file as of the round (canonical JSON sha256)',
      },
    ),
    id: RoundId,
    cutoff: Type.Object(
      {
        instant: Type.String({ format: 'date-time' }),
        block: Type.Integer({ minimum: 0 }),
        blockHash: Hash32,
        blockTimestampMs: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    seed: Hash32,
    submissions: Type.Array(Submission),
    rejected: Type.Array(Rejected),
    producer: Type.Object(
      {
        podiumVersion: Type.String(),
        podiumCommit: Type.Union([Type.String(), Type.Null()]),
      },
      { additionalProperties: false },
    ),
  },
  'One round, frozen at the cutoff block: the seed, every submission and every rejected candidate.',
);

export type RoundDocument = Static<typeof RoundSchema>;
export type RoundSubmission = Static<typeof Submission>;
export type RoundRejected = Static<typeof Rejected>;
