/**
 * `weights-check-<n>.json`: what the chain shows about a timelocked commit recorded in a round's
 * signed weights.json, checked after its reveal block (src/chain/timelock-check.ts). A separate
 * numbered file, so the signed weights.json is never rewritten.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Document, Sha256, StringEnum } from '../schemas/builders.js';
import { Hash32, Ss58 } from './round.js';

const U16 = Type.Integer({ minimum: 0, maximum: 65535 });

export const WeightsCheckSchema = Document(
  'weights-check',
  1,
  {
    netuid: U16,
    validator: Ss58,
    weights: Type.Object(
      { path: Type.String({ minLength: 1 }), sha256: Sha256 },
      { additionalProperties: false, description: 'the weights.json whose commit was checked' },
    ),
    revealRound: Type.Integer({ minimum: 1 }),
    status: StringEnum(['revealed', 'not-revealed', 'pending', 'unchecked'], {
      description:
        'revealed: the chain holds the committed weights from the reveal; not-revealed: the runtime dropped ' +
        'the commit (see reason); pending: not yet revealed; unchecked: the chain could not be read',
    }),
    reason: Type.String({ minLength: 1 }),
    checkedAt: Type.Union([
      Type.Object(
        { number: Type.Integer({ minimum: 0 }), hash: Hash32 },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    revealedAt: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    readBack: Type.Union([
      Type.Array(Type.Object({ uid: U16, value: U16 }, { additionalProperties: false })),
      Type.Null(),
    ]),
  },
  'What the chain shows about a timelocked weight commit after its reveal block.',
);

export type WeightsCheckDocument = Static<typeof WeightsCheckSchema>;
