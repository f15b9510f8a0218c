/**
 * The embedded local chain: chopsticks running the real Subtensor runtime in this process,
 * from the verified chain spec, with an in-memory database (no sqlite). One block is built per
 * transaction ("instant" mode). Block `n` has `Timestamp.Now = genesisTimestampMs + n × slot`,
 * so every block time is known in advance; `dev_timeTravel` moves the clock.
 */
import type * as ChopsticksModule from '@acala-network/chopsticks';
import { stringToHex, u8aToHex } from '@polkadot/util';
import { xxhashAsHex } from '@polkadot/util-crypto';
import { ChainError, messageOf } from './errors.js';
import { rawGenesis, GENESIS_CACHE_DIR } from './genesis.js';
import { chainSpecPath, loadChainSpec, SUBTENSOR_SPEC_SHA256, type LoadedSpec } from './spec.js';

/** Options of startLocalChain; every field has a default. */
export interface LocalChainOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Timestamp of the genesis state; default now, rounded down to a slot. Block n is + n slots. */
  readonly genesisTimestampMs?: number;
  /** Chain spec path (default: chainSpecPath()) and its expected sha256. */
  readonly specPath?: string;
  readonly specSha256?: string;
  /** Folder caching the built genesis; null disables the cache. */
  readonly cacheDir?: string | null;
  /** chopsticks' log level (default "warn"; env LOG_LEVEL wins). */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug';
}

/** A running local chain. */
export interface LocalChain {
  /** ws://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  readonly slotDurationMs: number;
  readonly genesisTimestampMs: number;
  /** Milliseconds spent: spec check + genesis (cached or built), then chopsticks boot. */
  readonly timings: { readonly genesisMs: number; readonly bootMs: number };
  /** Stops the server and the chain; safe to call twice. */
  close(): Promise<void>;
}

let running = 0;

/**
 * Boots the local chain and returns once block #1 is built and the RPC server listens.
 * Throws ChainError('spec' | 'genesis') when the spec cannot be verified or built.
 */
export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  process.env.LOG_LEVEL ??= options.logLevel ?? 'warn';
  const started = Date.now();
  const loaded = await loadChainSpec(
    options.specPath ?? chainSpecPath(),
    options.specSha256 ?? SUBTENSOR_SPEC_SHA256,
  );
  const genesis = await rawGenesis(
    loaded,
    options.cacheDir === undefined ? GENESIS_CACHE_DIR : options.cacheDir,
  );
  const slot = genesis.slotDurationMs;
  const genesisTimestampMs = options.genesisTimestampMs ?? Math.floor(Date.now() / slot) * slot;
  const genesisMs = Date.now() - started;
  const chopsticks = await import('@acala-network/chopsticks');
  const code = genesis.top[stringToHex(':code')];
  if (code === undefined) throw new ChainError('genesis', 'raw genesis has no :code');
  // chopsticks asks the runtime for its slot duration without allowing unresolved imports,
  // fails, and falls back to 12 s; seed its memo with the value the runtime really reports.
  chopsticks.getAuraSlotDuration.cache.set(code, Promise.resolve(slot));
  const top = { ...genesis.top, [timestampNowKey()]: u64Hex(genesisTimestampMs) };
  const context = await boot(chopsticks, loaded.spec, top, options.port ?? 0);
  running += 1;
  const port = Number(context.addr.split(':').pop());
  let closed = false;
  return {
    endpoint: `ws://127.0.0.1:${port}`,
    port,
    slotDurationMs: slot,
    genesisTimestampMs,
    timings: { genesisMs, bootMs: Date.now() - started - genesisMs },
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      running -= 1;
      if (running === 0) await chopsticks.destroyWorker();
    },
  };
}

type Chopsticks = typeof ChopsticksModule;

async function boot(
  chopsticks: Chopsticks,
  spec: LoadedSpec['spec'],
  top: Record<string, string>,
  port: number,
): Promise<Awaited<ReturnType<Chopsticks['setupWithServer']>>> {
  try {
    return await chopsticks.setupWithServer({
      genesis: {
        name: spec.name,
        id: spec.id,
        properties: spec.properties,
        genesis: { raw: { top } },
      },
      port,
      host: '127.0.0.1',
      'build-block-mode': chopsticks.BuildBlockMode.Instant,
      'allow-unresolved-imports': true,
      'runtime-log-level': 0,
      // Blocks stay queryable in memory (there is no database): enough for long local sessions.
      'max-memory-block-count': 10_000,
    } as never);
  } catch (err) {
    const message = `chopsticks could not boot the Subtensor runtime: ${messageOf(err)}`;
    throw new ChainError('genesis', message, { cause: err });
  }
}

function timestampNowKey(): `0x${string}` {
  return `${xxhashAsHex('Timestamp', 128)}${xxhashAsHex('Now', 128).slice(2)}`;
}

function u64Hex(value: number): `0x${string}` {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return u8aToHex(bytes);
}
