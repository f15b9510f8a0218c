/**
 * An entry file: `contests/<contest-id>/entries/<hotkey-ss58>.json`, added by a miner's PR.
 * It names the model artifact and is signed (sr25519) by the hotkey over the canonical form of
 * every other field (see src/entries/sign.ts and docs/adr/0050-entry-signature.md).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Artifact, Document, Slug } from '../schemas/builders.js';
import { Ss58 } from '../documents/round.js';

/** An sr25519 signature: 0x + 64 bytes as lower-case hex. */
export const Sr25519Signature = Type.String({
  pattern: '^0x[0-9a-f]{128}$',
  description: 'sr25519 signature, 0x-prefixed lower-case hex (64 bytes)',
});

export const EntrySchema = Document(
  'entry',
  1,
  {
    contest: Slug,
    hotkey: Type.String({
      pattern: Ss58.pattern,
      description: 'the miner hotkey (ss58, prefix 42); the file name is <hotkey>.json',
    }),
    model: Artifact,
    source: Type.Optional(
      Type.String({
        format: 'uri',
        pattern: '^https://',
        maxLength: 512,
        description: 'public source repository of the model (https URL)',
      }),
    ),
    createdAt: Type.String({ format: 'date-time', description: 'when the entry was signed' }),
    signature: Sr25519Signature,
  },
  "A miner's entry in a contest: the model artifact, signed by the hotkey.",
);

/** An entry document as written. */
export type EntryDocument = Static<typeof EntrySchema>;

/** An entry without its signature: the part that is signed. */
export type UnsignedEntry = Omit<EntryDocument, 'signature'>;
