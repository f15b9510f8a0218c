/**
 * Hashes and signatures of results-index entries (see src/documents/results-index.ts for the definitions):
 *
 *   hash      = sha256(utf8(compactCanonicalJson({ contest, files, previous, round, signer })))
 *   message   = utf8("<Bytes>podium-results-index/1:" + hash + "</Bytes>")
 *   signature = sr25519 by the signer's key over message
 *
 * The `<Bytes>` wrapper is what wallets add when signing raw text (the same choice as entry
 * signatures, docs/adr/0050-entry-signature.md), so a signature can be checked with
 * polkadot-js `signatureVerify` or made by a wallet; the prefix keeps it from meaning anything
 * but "this index entry".
 */
import { createHash } from 'node:crypto';
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress, sr25519Verify } from '@polkadot/util-crypto';
import { compactCanonicalJson } from '../json/canonical.js';
import { hotkeyAddress, hotkeyProblem } from '../documents/hotkey.js';
import type { IndexEntryDocument, IndexFileRecord } from '../documents/results-index.js';

/** Anything that signs with an sr25519 key; a `KeyringPair` from @polkadot/keyring fits. */
export interface Sr25519Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** The fields an entry hash covers. */
export interface EntryBody {
  readonly contest: string;
  readonly round: string;
  readonly files: readonly IndexFileRecord[];
  readonly previous: string | null;
  readonly signer: string;
}

/** Lower-case hex sha256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The exact text hashed for an entry: compact canonical JSON of its body. */
export function entryHashText(body: EntryBody): string {
  const { contest, round, files, previous, signer } = body;
  return compactCanonicalJson({ contest, files, previous, round, signer });
}

/** The entry hash: sha256 hex of entryHashText. */
export function entryHash(body: EntryBody): string {
  return sha256Hex(entryHashText(body));
}

/** The exact text whose UTF-8 bytes are signed for an entry hash. */
export function signingText(hash: string): string {
  return `<Bytes>podium-results-index/1:${hash}</Bytes>`;
}

/**
 * Builds the signed entry for `body` (whose `signer` must be the key's own address).
 * Throws when the body names another signer: a key only ever signs for itself.
 */
export function signEntry(
  body: Omit<EntryBody, 'signer'>,
  key: Sr25519Signer,
): { entry: IndexEntryDocument; hash: string } {
  const signer = hotkeyAddress(key.publicKey);
  const hash = entryHash({ ...body, signer });
  const value = u8aToHex(key.sign(stringToU8a(signingText(hash))));
  const entry: IndexEntryDocument = {
    round: body.round,
    files: body.files.map((f) => ({ ...f })),
    previous: body.previous,
    hash,
    signature: { scheme: 'sr25519', signer, value },
  };
  return { entry, hash };
}

/**
 * Checks that `entry.signature` is the signer's sr25519 signature over `hash`. Returns null when
 * it verifies, else a sentence saying why not; never throws.
 */
export function signatureProblem(entry: IndexEntryDocument, hash: string): string | null {
  const { signer, value } = entry.signature;
  const bad = hotkeyProblem(signer);
  if (bad !== null) return `signer ${signer} ${bad}`;
  try {
    if (sr25519Verify(stringToU8a(signingText(hash)), hexToU8a(value), decodeAddress(signer))) {
      return null;
    }
  } catch (err) {
    return `signature cannot be checked: ${(err as Error).message}`;
  }
  return `signature does not verify for signer ${signer}: another key signed this entry`;
}
