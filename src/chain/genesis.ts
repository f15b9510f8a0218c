/**
 * Raw genesis for chopsticks from a genesis-builder chain spec. The spec carries only the
 * runtime code and a config patch; the state is what the runtime itself builds:
 * `GenesisBuilder_get_preset(None)` → JSON merge-patch with the spec's patch →
 * `GenesisBuilder_build_state`, plus `:code`. Keys are sorted because chopsticks' genesis
 * provider finds "next key" by scanning in insertion order. The runtime's real Aura slot
 * duration (`AuraApi_slot_duration`) comes along, since chopsticks cannot ask for it itself
 * (the runtime imports BLS12-381 host functions it lacks, see docs/adr/0020).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compactAddLength,
  compactFromU8a,
  hexToU8a,
  stringToHex,
  stringToU8a,
  u8aToHex,
  u8aToString,
} from '@polkadot/util';
import { REPO_ROOT } from '../version.js';
import { ChainError } from './errors.js';
import type { LoadedSpec } from './spec.js';

type Hex = `0x${string}`;

/** Raw genesis storage (sorted keys) and the runtime's Aura slot duration. */
export interface RawGenesis {
  readonly top: Record<Hex, Hex>;
  readonly slotDurationMs: number;
}

/** Default cache folder for built genesis states, keyed by the spec's sha256. */
export const GENESIS_CACHE_DIR = join(REPO_ROOT, '.cache', 'chain');

/**
 * Returns the raw genesis for `loaded`, from `<cacheDir>/<sha256>.genesis.json` when present,
 * else built by the runtime (≈1 s) and cached. Pass `cacheDir: null` to skip the cache.
 * Throws ChainError('genesis') when the runtime refuses to build the state.
 */
export async function rawGenesis(
  loaded: LoadedSpec,
  cacheDir: string | null = GENESIS_CACHE_DIR,
): Promise<RawGenesis> {
  const file = cacheDir === null ? null : join(cacheDir, `${loaded.sha256}.genesis.json`);
  if (file !== null) {
    const cached = await readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as RawGenesis,
      () => null,
    );
    if (cached && typeof cached.slotDurationMs === 'number' && cached.top) return cached;
  }
  const built = await buildRawGenesis(loaded);
  if (file !== null && cacheDir !== null) {
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(built));
    await rename(tmp, file);
  }
  return built;
}

/** Builds the raw genesis by running the spec's runtime; throws ChainError('genesis'). */
export async function buildRawGenesis(loaded: LoadedSpec): Promise<RawGenesis> {
  const { code, patch } = loaded.spec.genesis.runtimeGenesis;
  const presetBytes = decodeOptionBytes(
    await runtimeCall(code, 'GenesisBuilder_get_preset', ['0x00']),
  );
  if (presetBytes === null) {
    throw new ChainError('genesis', `${loaded.path}: the runtime has no default genesis preset`);
  }
  const config = mergePatch(JSON.parse(u8aToString(presetBytes)), patch);
  const arg = u8aToHex(compactAddLength(stringToU8a(JSON.stringify(config))));
  const built = await runtimeTask(code, 'GenesisBuilder_build_state', [arg]);
  if (built.result !== '0x00') {
    throw new ChainError(
      'genesis',
      `${loaded.path}: GenesisBuilder_build_state refused the merged config (${built.result.slice(0, 200)})`,
    );
  }
  const storage = new Map<Hex, Hex>();
  for (const [key, value] of built.storageDiff) if (value !== null) storage.set(key, value);
  storage.set(stringToHex(':code'), code);
  const top: Record<Hex, Hex> = {};
  for (const key of [...storage.keys()].sort()) top[key] = storage.get(key) as Hex;
  const slot = hexToU8a(await runtimeCall(code, 'AuraApi_slot_duration', []));
  const slotDurationMs = Number(Buffer.from(slot).readBigUInt64LE(0));
  return { top, slotDurationMs };
}

/** RFC 7396 JSON merge patch, as Substrate's genesis builder applies a spec's `patch`. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeOptionBytes(hex: Hex): Uint8Array | null {
  const bytes = hexToU8a(hex);
  if (bytes[0] === 0) return null;
  const [offset, length] = compactFromU8a(bytes.subarray(1));
  return bytes.subarray(1 + offset, 1 + offset + length.toNumber());
}

async function runtimeCall(code: Hex, method: string, args: Hex[]): Promise<Hex> {
  return (await runtimeTask(code, method, args)).result;
}

async function runtimeTask(code: Hex, method: string, args: Hex[]) {
  const { runTask, emptyTaskHandler } = await import('@acala-network/chopsticks-core');
  const response = await runTask(
    {
      wasm: code,
      calls: [[method, args]],
      mockSignatureHost: false,
      allowUnresolvedImports: true,
      runtimeLogLevel: 0,
    },
    {
      ...emptyTaskHandler,
      getStorage: async () => undefined,
      getNextKey: async () => undefined,
    } as never,
  );
  if ('Error' in response) {
    throw new ChainError('genesis', `runtime call ${method} failed: ${response.Error}`);
  }
  return response.Call;
}
