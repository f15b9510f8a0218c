/**
 * `podium.json` at the root of a validator's repository: what the fork declares about itself
 * that the results cannot vouch for, first of all which hotkey signs its results. `podium verify`
 * and `podium site` bind every index entry's signer to it (docs/adr/0150-verify-trust-anchor.md):
 * the index is signed by whoever wrote it, so the signer must come from outside the folder.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Document } from '../schemas/builders.js';
import { Ss58 } from './round.js';

/** Where a repository's podium.json sits, relative to its root. */
export const CONFIG_FILE = 'podium.json';

export const ConfigSchema = Document(
  'config',
  1,
  {
    validator: Type.Object(
      {
        hotkey: {
          ...Ss58,
          description:
            'the validator hotkey (ss58, prefix 42) that sets the weights and signs results/<contest>/index.json',
        },
      },
      { additionalProperties: false },
    ),
  },
  "a validator repository's own settings (podium.json at its root)",
);

export type ConfigDocument = Static<typeof ConfigSchema>;
