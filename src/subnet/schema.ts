/**
 * `subnets/<netuid>.json`: the contests that share one netuid, each one's share of the
 * subnet's emission, the uid that receives a share nobody earned, and how a hotkey that placed
 * in more than one contest is paid. publish-weights sets one vector per netuid from it
 * (src/subnet/combine.ts, docs/scoring.md § 11).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Document, Slug, StringEnum } from '../schemas/builders.js';

/** How a hotkey with a part in more than one contest is paid. */
export const OVERLAP_RULES = ['sum', 'largest'] as const;

const SubnetContest = Type.Object(
  {
    id: Slug,
    share: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description:
          "this contest's share of the emission; give every contest one (summing to 1) or none (equal shares)",
      }),
    ),
    maxRoundAgeHours: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description:
          'a last round whose cutoff is older than this gives its share to the fallback uid ' +
          '(default: two periods of the contest schedule, 48 h daily, 336 h weekly)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SubnetSchema = Document(
  'subnet',
  1,
  {
    netuid: Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'must equal the file name',
    }),
    fallbackUid: Type.Integer({
      minimum: 0,
      maximum: 65535,
      description:
        'receives every share nobody earned: a contest with no round, a stale round, no earner',
    }),
    overlap: StringEnum(OVERLAP_RULES, {
      description:
        'a hotkey with parts in several contests: sum (it gets every part) or largest (only its ' +
        'largest part; the others go to the fallback uid)',
    }),
    contests: Type.Array(SubnetContest, {
      minItems: 1,
      description: 'the contests that share the netuid, one line each',
    }),
  },
  "The contests sharing one netuid and how the subnet's weight vector combines them.",
);

export type SubnetDocument = Static<typeof SubnetSchema>;
