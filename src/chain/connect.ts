/**
 * Connecting to a Subtensor node from configuration: an endpoint *name* (a contest's
 * `chain.endpoint`, e.g. "local") resolves to a URL through the validator's configuration
 * (environment, or an explicit table), then podium connects with a timeout and bounded retries
 * with exponential backoff, and wraps calls so a dropped connection is retried a bounded number
 * of times before failing with a ChainError that says what to do.
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import { ChainError, messageOf } from './errors.js';

/** Endpoint names every podium knows; the validator's configuration may override each. */
export const DEFAULT_ENDPOINTS: Readonly<Record<string, string>> = {
  local: 'ws://127.0.0.1:9944',
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
};

/** Where endpoint URLs come from. */
export interface EndpointSources {
  /** Environment: `PODIUM_CHAIN_ENDPOINT` (URL, wins over every name but `local`), `PODIUM_CHAIN_ENDPOINT_<NAME>`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Validator configuration table, name → URL. */
  readonly endpoints?: Readonly<Record<string, string>>;
}

/** The endpoint name of the local chain: never redirected by `PODIUM_CHAIN_ENDPOINT`. */
export const LOCAL_ENDPOINT = 'local';

/**
 * Resolves an endpoint name (or a ws/wss URL given directly) to a URL: `PODIUM_CHAIN_ENDPOINT`,
 * then `PODIUM_CHAIN_ENDPOINT_<NAME>` (upper case, `-` → `_`), then `sources.endpoints`, then
 * DEFAULT_ENDPOINTS. The name `local` skips `PODIUM_CHAIN_ENDPOINT`, so a validator's real node
 * is never used for a demo contest (only `PODIUM_CHAIN_ENDPOINT_LOCAL` moves it). Throws
 * ChainError('endpoint') naming the ways to configure it.
 */
export function resolveEndpoint(nameOrUrl: string, sources: EndpointSources = {}): string {
  const env = sources.env ?? process.env;
  const override = nameOrUrl === LOCAL_ENDPOINT ? undefined : env.PODIUM_CHAIN_ENDPOINT;
  if (override) return checkUrl(override, 'PODIUM_CHAIN_ENDPOINT');
  if (/^wss?:\/\//.test(nameOrUrl)) return checkUrl(nameOrUrl, 'endpoint');
  const variable = `PODIUM_CHAIN_ENDPOINT_${nameOrUrl.toUpperCase().replace(/-/g, '_')}`;
  const fromEnv = env[variable];
  if (fromEnv) return checkUrl(fromEnv, variable);
  const configured = sources.endpoints?.[nameOrUrl] ?? DEFAULT_ENDPOINTS[nameOrUrl];
  if (configured) return checkUrl(configured, `endpoint "${nameOrUrl}"`);
  throw new ChainError(
    'endpoint',
    `unknown chain endpoint "${nameOrUrl}": set ${variable}=wss://… (or PODIUM_CHAIN_ENDPOINT) ` +
      `in the validator's configuration; known names: ${Object.keys(DEFAULT_ENDPOINTS).join(', ')}`,
  );
}

function checkUrl(url: string, where: string): string {
  if (!/^wss?:\/\/[^\s/]+/.test(url)) {
    throw new ChainError('endpoint', `${where} must be a ws:// or wss:// URL (got "${url}")`);
  }
  return url;
}

const providers = new WeakMap<ApiPromise, WsProvider>();

/** The provider of an api made by connectChain; throws ChainError('input') for any other api. */
export function providerOf(api: ApiPromise): WsProvider {
  const provider = providers.get(api);
  if (!provider) throw new ChainError('input', 'this ApiPromise was not made by connectChain()');
  return provider;
}

/** Timeouts and retry bounds; every field has a default. */
export interface ConnectOptions {
  /** Per connection attempt, ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** Connection attempts before giving up (default 5). */
  readonly attempts?: number;
  /** First backoff, ms; doubled after each failure, capped at 8 s (default 500). */
  readonly backoffMs?: number;
  /** Per RPC request, ms (default 30 000). */
  readonly requestTimeoutMs?: number;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  attempts: 5,
  backoffMs: 500,
  requestTimeoutMs: 30_000,
};

/**
 * Connects to `endpoint` (a URL) and returns a ready ApiPromise. Retries with exponential
 * backoff; throws ChainError('unreachable') after `attempts` failures.
 */
export async function connectChain(
  endpoint: string,
  options: ConnectOptions = {},
): Promise<ApiPromise> {
  const o = { ...DEFAULTS, ...options };
  let last: unknown;
  for (let attempt = 1; attempt <= o.attempts; attempt += 1) {
    const provider = new WsProvider(endpoint, false, {}, o.requestTimeoutMs);
    try {
      await withTimeout(openProvider(provider), o.connectTimeoutMs, 'connect');
      const api = await withTimeout(
        ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }),
        o.connectTimeoutMs * 3,
        'load metadata',
      );
      providers.set(api, provider);
      return api;
    } catch (err) {
      last = err;
      await provider.disconnect().catch(() => undefined);
      if (attempt < o.attempts) await sleep(backoff(o.backoffMs, attempt));
    }
  }
  throw new ChainError(
    'unreachable',
    `cannot reach the chain at ${endpoint} after ${o.attempts} attempts (${messageOf(last)}); ` +
      'check that the node runs and the URL is right (PODIUM_CHAIN_ENDPOINT / PODIUM_CHAIN_ENDPOINT_<NAME>)',
    { cause: last },
  );
}

function openProvider(provider: WsProvider): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const offs: (() => void)[] = [];
    const done = (fn: () => void) => {
      for (const off of offs) off();
      fn();
    };
    offs.push(provider.on('connected', () => done(resolve)));
    offs.push(provider.on('error', (e: unknown) => done(() => reject(asError(e)))));
    offs.push(
      provider.on('disconnected', () => done(() => reject(new Error('connection closed')))),
    );
    provider.connect().catch((e: unknown) => done(() => reject(asError(e))));
  });
}

function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  const message = (e as { message?: unknown })?.message;
  return new Error(typeof message === 'string' ? message : 'websocket error');
}

/** Retry bounds for calls on an open connection. */
export interface RetryOptions {
  /** Attempts in all (default 3). */
  readonly attempts?: number;
  /** First backoff, ms, doubled each time (default 500). */
  readonly backoffMs?: number;
  /** What the call does, for the error message ("read commitments at #120"). */
  readonly what: string;
}

/**
 * Runs `call`; when it fails because the connection dropped or timed out, reconnects the
 * provider and retries with backoff, at most `attempts` times in all. Other errors pass through
 * unchanged. Throws ChainError('disconnected') when the bound is reached. Use it only for calls
 * that are safe to repeat (reads); never for sending an extrinsic.
 */
export async function withRetries<T>(
  api: ApiPromise,
  call: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const attempts = options.attempts ?? 3;
  const first = options.backoffMs ?? 500;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      last = err;
      if (attempt < attempts) {
        await sleep(backoff(first, attempt));
        await reconnect(api).catch(() => undefined);
      }
    }
  }
  throw new ChainError(
    'disconnected',
    `${options.what}: lost the connection to the chain and ${attempts} attempts failed ` +
      `(${messageOf(last)}); check the node, then run the command again`,
    { cause: last },
  );
}

/** True for errors that mean "the connection is gone or did not answer in time". */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof ChainError) return err.code === 'disconnected' || err.code === 'timeout';
  const text = messageOf(err);
  return /disconnected|not connected|No response received|Abnormal Closure|ECONNREFUSED|socket hang up|closed/i.test(
    text,
  );
}

async function reconnect(api: ApiPromise): Promise<void> {
  if (api.isConnected) return;
  const provider = providers.get(api);
  if (!provider) return;
  await withTimeout(openProvider(provider), DEFAULTS.connectTimeoutMs, 'reconnect');
  await withTimeout(api.isReadyOrError, DEFAULTS.connectTimeoutMs, 'reconnect');
}

/** Rejects with ChainError('timeout') when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChainError('timeout', `${what}: no answer from the chain within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function backoff(first: number, attempt: number): number {
  return Math.min(first * 2 ** (attempt - 1), 8_000);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
