/**
 * How a hotkey is written in every podium document: a canonical ss58 address with the generic
 * prefix 42 (entries, round.json, bench and score files, the results index all use it).
 */
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';

/** The ss58 prefix every hotkey in an entry is written with (Bittensor uses the generic 42). */
export const SS58_PREFIX = 42;

/** The ss58 address (prefix 42) of a 32-byte public key. */
export function hotkeyAddress(publicKey: Uint8Array): string {
  return encodeAddress(publicKey, SS58_PREFIX);
}

/** Why a hotkey string is not usable, or null when it is a canonical prefix-42 ss58 address. */
export function hotkeyProblem(hotkey: string): string | null {
  let key: Uint8Array;
  try {
    key = decodeAddress(hotkey);
  } catch (err) {
    return `is not a valid ss58 address (${(err as Error).message})`;
  }
  if (key.length !== 32) return `decodes to ${key.length} bytes, not a 32-byte public key`;
  const canonical = hotkeyAddress(key);
  if (canonical !== hotkey) {
    return `must be written with ss58 prefix ${SS58_PREFIX}: ${canonical}`;
  }
  return null;
}
