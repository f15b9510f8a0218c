/**
 * Test and demo helper: a local chain with a ready subnet, one call to start, one to stop.
 * Used by the chain tests (one chain per test file) and by other concerns' tests that need a
 * real chain (collect, publish).
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { connectChain } from './connect.js';
import { devKeypair } from './dev.js';
import { startLocalChain, type LocalChain, type LocalChainOptions } from './local.js';
import { setupSubnet, type LocalSubnet, type SubnetOptions } from './local-subnet.js';

/** A running local chain, a connected api and a subnet. */
export interface ChainFixture {
  readonly chain: LocalChain;
  readonly api: ApiPromise;
  readonly subnet: LocalSubnet;
  /** The validator's and miners' development keys. */
  readonly validatorKey: KeyringPair;
  readonly minerKeys: readonly KeyringPair[];
  /** Milliseconds: boot (genesis + chopsticks), connect, subnet setup. */
  readonly timings: {
    readonly bootMs: number;
    readonly connectMs: number;
    readonly subnetMs: number;
  };
  close(): Promise<void>;
}

/** Boots a local chain, connects, and sets up a subnet. */
export async function startChainFixture(
  options: { chain?: LocalChainOptions; subnet?: SubnetOptions } = {},
): Promise<ChainFixture> {
  let t = Date.now();
  const chain = await startLocalChain(options.chain);
  const bootMs = Date.now() - t;
  t = Date.now();
  const api = await connectChain(chain.endpoint);
  const connectMs = Date.now() - t;
  t = Date.now();
  const subnet = await setupSubnet(api, options.subnet);
  const subnetMs = Date.now() - t;
  return {
    chain,
    api,
    subnet,
    validatorKey: devKeypair(subnet.validator.path),
    minerKeys: subnet.miners.map((m) => devKeypair(m.path)),
    timings: { bootMs, connectMs, subnetMs },
    async close() {
      await api.disconnect().catch(() => undefined);
      await chain.close();
    },
  };
}
