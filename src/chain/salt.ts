/**
 * The salt of a hash commit (`commit_weights`), derived from the validator's hotkey secret and
 * the committed vector instead of drawn at random: any later run holding the same secret
 * recomputes it, so no salt is ever stored before the reveal, and nobody without the secret can
 * compute it (so it cannot leak through the public results). docs/adr/0072.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { compactToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

/** What the salt binds: the subnet, the vector and the version key of the commit. */
export interface SaltInput {
  readonly netuid: number;
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly versionKey: number;
}

/**
 * 8 u16 of salt: blake2b-128 keyed by blake2b-256(domain ‖ the hotkey's PKCS#8 secret) over
 * domain ‖ SCALE(netuid, uids, values, version_key). Same key and vector, same salt.
 */
export function commitSalt(keypair: KeyringPair, input: SaltInput): number[] {
  const key = blake2AsU8a(
    u8aConcat(stringToU8a('podium/commit-salt-key/v1'), keypair.encodePkcs8()),
    256,
  );
  const u16 = (v: number) => new Uint8Array([v & 0xff, (v >> 8) & 0xff]);
  const vec = (vs: readonly number[]) => u8aConcat(compactToU8a(vs.length), ...vs.map(u16));
  const u64 = new Uint8Array(8);
  new DataView(u64.buffer).setBigUint64(0, BigInt(input.versionKey), true);
  const message = u8aConcat(
    stringToU8a('podium/commit-salt/v1'),
    u16(input.netuid),
    vec(input.uids),
    vec(input.values),
    u64,
  );
  const out = blake2AsU8a(message, 128, key);
  return Array.from({ length: 8 }, (_, i) => out[2 * i]! | (out[2 * i + 1]! << 8));
}
