/**
 * Test helpers shared by the entries and github tests: dev keys (the well-known //Alice, //Bob
 * URIs, never real funds) and a signed entry for the demo contest. Not used by podium itself.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { canonicalJson } from '../json/canonical.js';
import { schemaId } from '../schemas/builders.js';
import type { EntryDocument, UnsignedEntry } from './schema.js';
import { signEntry } from './sign.js';

/** A dev keypair (`//Alice`, `//Bob`…), sr25519, ss58 prefix 42. */
export function devKey(name: string): KeyringPair {
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//${name}`);
}

/** An unsigned entry for `contest` by `key`, with fields overridable. */
export function unsignedEntry(
  key: KeyringPair,
  overrides: Partial<UnsignedEntry> = {},
): UnsignedEntry {
  return {
    $schema: schemaId('entry'),
    version: 1,
    contest: 'sr-x2-demo',
    hotkey: key.address,
    model: {
      url: 'https://models.example.org/sr-x2/fast.onnx',
      sha256: 'a'.repeat(64),
      bytes: 123456,
    },
    createdAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

/** A signed entry document by `key`. */
export function signedEntry(
  key: KeyringPair,
  overrides: Partial<UnsignedEntry> = {},
): EntryDocument {
  return signEntry(unsignedEntry(key, overrides), key);
}

/** The bytes of an entry file as podium writes it. */
export function entryBytes(entry: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(entry));
}
