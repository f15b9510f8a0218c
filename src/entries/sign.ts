/**
 * Entry signatures. The signed message is the UTF-8 bytes of
 *
 *     <Bytes>{compact canonical JSON of the entry without "signature"}</Bytes>
 *
 * (keys sorted by code point at every depth, no whitespace; see src/json/canonical.ts). The
 * `<Bytes>` wrapper is what polkadot-js, Talisman and SubWallet add when asked to sign raw
 * bytes, so a miner may sign with a wallet instead of handing podium a seed; it also makes the
 * message impossible to mistake for an extrinsic payload. Only sr25519 and only this exact form
 * verify (docs/adr/0050-entry-signature.md).
 */
import { u8aToHex, hexToU8a, stringToU8a } from '@polkadot/util';
import { decodeAddress, sr25519Verify } from '@polkadot/util-crypto';
import { hotkeyAddress, hotkeyProblem } from '../documents/hotkey.js';
import { compactCanonicalJson } from '../json/canonical.js';
import type { EntryDocument, UnsignedEntry } from './schema.js';

/** Anything that can sign with an sr25519 key: a `KeyringPair` from @polkadot/keyring fits. */
export interface EntrySigner {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Returns the exact text whose UTF-8 bytes are signed: `<Bytes>` + canonical JSON + `</Bytes>`. */
export function signingText(entry: UnsignedEntry | EntryDocument): string {
  const unsigned: Record<string, unknown> = { ...entry };
  delete unsigned.signature;
  return `<Bytes>${compactCanonicalJson(unsigned)}</Bytes>`;
}

/** Returns the bytes that are signed (UTF-8 of signingText). */
export function signingMessage(entry: UnsignedEntry | EntryDocument): Uint8Array {
  return stringToU8a(signingText(entry));
}

/**
 * Returns the entry signed by `signer`. Throws when the entry's hotkey is not the signer's own
 * address (prefix 42): a signature is only ever made for the key that owns the entry.
 */
export function signEntry(entry: UnsignedEntry, signer: EntrySigner): EntryDocument {
  const own = hotkeyAddress(signer.publicKey);
  if (entry.hotkey !== own) {
    throw new Error(`entry hotkey ${entry.hotkey} is not the signing key's address ${own}`);
  }
  const signature = u8aToHex(signer.sign(signingMessage(entry)));
  return { ...entry, signature };
}

/**
 * Checks the entry's signature against its own hotkey. Returns null when it verifies, else a
 * sentence saying why not; never throws.
 */
export function signatureProblem(entry: EntryDocument): string | null {
  const problem = hotkeyProblem(entry.hotkey);
  if (problem !== null) return `hotkey ${problem}`;
  try {
    const ok = sr25519Verify(
      signingMessage(entry),
      hexToU8a(entry.signature),
      decodeAddress(entry.hotkey),
    );
    if (ok) return null;
  } catch (err) {
    return `signature cannot be checked: ${(err as Error).message}`;
  }
  return (
    `signature does not verify for hotkey ${entry.hotkey}: either another key signed it or a ` +
    'field changed after signing; re-sign the entry with `podium entry create`'
  );
}
