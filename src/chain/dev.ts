/**
 * Local-chain helpers: the documented development accounts and chopsticks' `dev_*` RPCs
 * (set storage, build blocks, move the clock). Only for the local chain, tests and the demo;
 * nothing here works against a real node.
 *
 * Development accounts (sr25519, derived from the well-known Substrate dev phrase, exactly as
 * `//Alice` is):
 *   //Alice                  sudo, subnet owner coldkey, pays every registration
 *   //podium//validator      the validator hotkey (subnet owner hotkey, uid 0)
 *   //podium//miner//<i>     miner i's hotkey (uid i + 1), i = 0, 1, …
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ChainError, messageOf } from './errors.js';
import { providerOf } from './connect.js';

/** Derivation paths of the development accounts. */
export const DEV_PATHS = {
  sudo: '//Alice',
  validator: '//podium//validator',
  miner: (index: number): string => `//podium//miner//${index}`,
} as const;

/** The sr25519 key for a development derivation path such as `//Alice` (ss58 prefix 42). */
export function devKeypair(path: string): KeyringPair {
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(path);
}

/**
 * Writes storage on the local chain's head (chopsticks `dev_setStorage`), e.g.
 * `{ System: { Account: [[[address], { providers: 1, data: { free: 10n ** 12n } }]] } }`.
 * Throws ChainError('input') when the node is not a chopsticks chain.
 */
export async function devSetStorage(
  api: ApiPromise,
  storage: Record<string, unknown>,
): Promise<void> {
  await devRpc(api, 'dev_setStorage', [jsonSafe(storage)]);
}

/** Builds `count` empty blocks on the local chain; returns the new head's hash. */
export async function devNewBlock(api: ApiPromise, count = 1): Promise<`0x${string}`> {
  return (await devRpc(api, 'dev_newBlock', [{ count }])) as `0x${string}`;
}

/** Sets the local chain's clock (Timestamp.Now and the Aura slot) to `timestampMs`. */
export async function devTimeTravel(api: ApiPromise, timestampMs: number): Promise<void> {
  await devRpc(api, 'dev_timeTravel', [timestampMs]);
}

async function devRpc(api: ApiPromise, method: string, params: unknown[]): Promise<unknown> {
  try {
    return await providerOf(api).send(method, params);
  } catch (err) {
    throw new ChainError(
      'input',
      `${method} failed (${messageOf(err)}); dev_* calls need the local chain`,
      {
        cause: err,
      },
    );
  }
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
}
