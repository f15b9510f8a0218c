/**
 * `weights.json`: what publish-weights did for one round — the u16 vector by uid and hotkey at
 * the block it was mapped, the extrinsic and block it landed in, the weights read back from
 * chain, or why nothing was sent. With commit-reveal, the commit (hash, salt, reveal window)
 * is recorded first and the reveal completes the same file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Document, Sha256, StringEnum } from '../schemas/builders.js';
import { Hash32, Ss58 } from './round.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

const U16 = Type.Integer({ minimum: 0, maximum: 65535 });
const BlockNumber = Type.Integer({ minimum: 0 });
const BlockRef = Type.Object(
  { number: BlockNumber, hash: Hash32 },
  { additionalProperties: false },
);
const Code = Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: 'machine-readable code' });

/** How the weights reach the chain (src/chain/weights-call.ts choosePath). */
export const WEIGHTS_PATHS = [
  'set-weights',
  'commit-reveal-hash',
  'timelock-crv3',
  'timelock-v4',
] as const;

const Timelock = Type.Object(
  {
    scheme: StringEnum(['crv3', 'v4'], {
      description:
        'crv3: commit_crv3_weights, legacy payload; v4: commit_timelocked_weights, payload with the hotkey',
    }),
    revealRound: Type.Integer({
      minimum: 1,
      description: 'drand quicknet round whose pulse opens the commit',
    }),
    expectedRevealBlock: Type.Integer({
      minimum: 0,
      description:
        'first block of epoch commit + RevealPeriodEpochs (the Bittensor client formula)',
    }),
    ciphertext: Type.String({
      pattern: '^0x[0-9a-f]+$',
      description: 'the commit sent (tle TLECiphertext)',
    }),
    beaconPublicKey: Type.String({
      pattern: '^[0-9a-f]{192}$',
      description: 'drand public key (G2)',
    }),
    commit: Nullable(
      Type.Object(
        { number: BlockNumber, hash: Hash32, extrinsicHash: Hash32 },
        { additionalProperties: false, description: 'where the commit landed (null in a dry run)' },
      ),
    ),
  },
  { additionalProperties: false },
);

const Part = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    share: Type.Number({ minimum: 0, maximum: 1 }),
    round: Nullable(Type.String({ minLength: 1 })),
    status: StringEnum(['scored', 'no-earner', 'no-round', 'stale'], {
      description: 'scored: its earners share it; otherwise the share went to the fallback uid',
    }),
    message: Nullable(Type.String({ minLength: 1 })),
    source: Nullable(
      Type.Object(
        { path: Type.String({ minLength: 1 }), sha256: Sha256 },
        { additionalProperties: false, description: 'the score.json read' },
      ),
    ),
    parts: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
      description: 'share · normalised weight, by hotkey (6 significant digits)',
    }),
    toFallback: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

const Subnet = Type.Object(
  {
    file: Type.String({ minLength: 1, description: 'the subnet file (subnets/<netuid>.json)' }),
    sha256: Sha256,
    fallbackUid: U16,
    overlap: StringEnum(['sum', 'largest']),
    contests: Type.Array(Part, { description: "each contest's part, in the subnet file's order" }),
    byHotkey: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
      description: 'the sum of the parts by hotkey, before the fallback share is added',
    }),
    fallback: Type.Number({ minimum: 0, description: 'the share sent to the fallback uid' }),
  },
  {
    additionalProperties: false,
    description: 'the combination of several contests on one netuid (docs/scoring.md § 11)',
  },
);

/** What publish-weights did. */
export const WEIGHTS_STATUSES = ['set', 'committed', 'revealed', 'skipped', 'dry-run'] as const;

export const WeightsSchema = Document(
  'weights',
  1,
  {
    netuid: U16,
    validator: Ss58,
    validatorUid: Type.Integer({ minimum: 0, maximum: 65535, description: 'at mappedAt' }),
    status: StringEnum(WEIGHTS_STATUSES, {
      description:
        'set: set_weights landed; committed: a commit landed (hash: reveal pending; timelock: the runtime ' +
        'reveals it, the check is recorded in weights-check-<n>.json); revealed: hash reveal landed; ' +
        'skipped: nothing sent (see skipped); dry-run: nothing sent (see call)',
    }),
    versionKey: Type.Integer({
      minimum: 0,
      description: 'version_key sent (≥ the subnet WeightsVersionKey)',
    }),
    source: Nullable(
      Type.Object(
        { path: Type.String({ minLength: 1 }), sha256: Sha256 },
        { additionalProperties: false, description: 'the weights input (usually score.json)' },
      ),
    ),
    mappedAt: Type.Object(
      { number: BlockNumber, hash: Hash32 },
      { additionalProperties: false, description: 'block whose metagraph mapped hotkeys to uids' },
    ),
    weights: Type.Array(
      Type.Object({ uid: U16, hotkey: Ss58, value: U16 }, { additionalProperties: false }),
      { description: 'the vector sent, by uid (max 65535)' },
    ),
    dropped: Type.Array(
      Type.Object(
        { hotkey: Type.String(), reason: Code, message: Type.String({ minLength: 1 }) },
        {
          additionalProperties: false,
        },
      ),
      { description: 'input hotkeys left out (not registered at mappedAt)' },
    ),
    block: Nullable(BlockRef),
    extrinsicHash: Nullable(Hash32),
    readBack: Nullable(
      Type.Array(Type.Object({ uid: U16, value: U16 }, { additionalProperties: false }), {
        description: 'Weights(netuid, validator uid) read at block (the chain max-normalises)',
      }),
    ),
    skipped: Nullable(
      Type.Object(
        {
          reason: StringEnum(['rate-limit', 'no-weights', 'pending-commit']),
          message: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
    ),
    commitReveal: Nullable(
      Type.Object(
        {
          commitHash: Hash32,
          salt: Nullable(
            Type.Array(U16, {
              minItems: 1,
              description:
                'null: derived from the hotkey secret at reveal (ADR 0072), recorded in the reveal file',
            }),
          ),
          commit: Type.Object(
            { number: BlockNumber, hash: Hash32, extrinsicHash: Hash32 },
            { additionalProperties: false },
          ),
          revealWindow: Type.Object(
            { first: BlockNumber, last: BlockNumber },
            { additionalProperties: false, description: 'blocks in which the reveal is accepted' },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    subnet: Type.Optional(Subnet),
    path: Type.Optional(
      StringEnum(WEIGHTS_PATHS, {
        description: 'how the weights reach the chain (absent: before podium 0.2)',
      }),
    ),
    timelock: Type.Optional(Nullable(Timelock)),
    call: Nullable(
      Type.Object(
        {
          text: Type.String({ description: 'the call, readable' }),
          callData: Type.String({
            pattern: '^0x[0-9a-f]*$',
            description: 'the exact SCALE-encoded call',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    producer: Type.Object(
      { podiumVersion: Type.String(), podiumCommit: Type.Union([Type.String(), Type.Null()]) },
      { additionalProperties: false },
    ),
  },
  'What publish-weights did for one round: the vector sent, where it landed, what the chain holds.',
);

export type WeightsDocument = Static<typeof WeightsSchema>;
