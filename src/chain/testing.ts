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

/**
 * Per-request bound on the local chain. chopsticks answers `dev_newBlock` only once it has built
 * the blocks, and on a loaded 2-core machine one block took 18 s (four CPU-bound competitors,
 * load average 16), so the default 30 s bound failed a 4-block request; a lost local
 * connection still fails at once as "disconnected".
 */
const LOCAL_REQUEST_TIMEOUT_MS = 600_000;

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
  const api = await connectChain(chain.endpoint, { requestTimeoutMs: LOCAL_REQUEST_TIMEOUT_MS });
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
