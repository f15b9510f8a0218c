/**
 * The plaintext of a timelocked weight commit, SCALE-encoded as the Subtensor runtime decodes
 * it after the reveal: `WeightsTlockPayload { hotkey: Vec<u8>, uids: Vec<u16>, values: Vec<u16>,
 * version_key: u64 }` (commit-reveal v4, the hotkey being the committing account's 32 bytes) or
 * the legacy `{ uids, values, version_key }` (CRv3, which spec ≤ 309 runtimes decode). Pure.
 */
import { compactFromU8a, compactToU8a, u8aConcat } from '@polkadot/util';
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { ChainError } from './errors.js';

/** What a timelocked commit reveals. `hotkey` is null for the legacy (CRv3) payload. */
export interface TlockPayload {
  readonly hotkey: string | null;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly versionKey: number;
}

/** SCALE encoding of `payload`: v4 layout when it has a hotkey, legacy layout otherwise. */
export function encodeTlockPayload(payload: TlockPayload): Uint8Array {
  if (payload.uids.length !== payload.values.length) {
    throw new ChainError(
      'input',
      `timelock payload: ${payload.uids.length} uids but ${payload.values.length} values`,
    );
  }
  const u16 = (v: number) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
      throw new ChainError('input', `timelock payload: ${v} is not a u16`);
    }
    return new Uint8Array([v & 0xff, v >> 8]);
  };
  const vec16 = (vs: readonly number[]) => u8aConcat(compactToU8a(vs.length), ...vs.map(u16));
  const u64 = new Uint8Array(8);
  new DataView(u64.buffer).setBigUint64(0, BigInt(payload.versionKey), true);
  const hotkey =
    payload.hotkey === null
      ? new Uint8Array()
      : u8aConcat(compactToU8a(32), decodeAddress(payload.hotkey));
  return u8aConcat(hotkey, vec16(payload.uids), vec16(payload.values), u64);
}

/**
 * Decodes a payload in the given layout; throws ChainError('input') when the bytes are not
 * exactly one payload of that layout.
 */
export function decodeTlockPayload(bytes: Uint8Array, layout: 'v4' | 'legacy'): TlockPayload {
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > bytes.length) {
      throw new ChainError('input', `timelock payload (${layout}): ${what} runs past the end`);
    }
  };
  const compact = (what: string) => {
    need(1, what);
    const [len, value] = compactFromU8a(bytes.subarray(at));
    at += len;
    return value.toNumber();
  };
  const vec16 = (what: string) => {
    const n = compact(`${what} length`);
    need(2 * n, what);
    const out = Array.from(
      { length: n },
      (_, i) => bytes[at + 2 * i]! | (bytes[at + 2 * i + 1]! << 8),
    );
    at += 2 * n;
    return out;
  };
  let hotkey: string | null = null;
  if (layout === 'v4') {
    const n = compact('hotkey length');
    if (n !== 32)
      throw new ChainError('input', `timelock payload (v4): hotkey is ${n} bytes, not 32`);
    need(32, 'hotkey');
    hotkey = encodeAddress(bytes.subarray(at, at + 32), 42);
    at += 32;
  }
  const uids = vec16('uids');
  const values = vec16('values');
  need(8, 'version_key');
  const versionKey = Number(
    new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0, true),
  );
  at += 8;
  if (at !== bytes.length) {
    throw new ChainError(
      'input',
      `timelock payload (${layout}): ${bytes.length - at} trailing bytes`,
    );
  }
  return { hotkey, uids, values, versionKey };
}
