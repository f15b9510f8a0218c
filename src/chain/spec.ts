/**
 * The Subtensor chain spec the local chain boots: `PODIUM_CHAIN_SPEC`, else the pinned copy in
 * the repository (`fixtures/chain/`), else `../shared/chain/` beside the repository; checked
 * against the sha256 recorded in fixtures/chain/README.md before use, so a test never runs a
 * runtime other than the one it was written against.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../version.js';
import { ChainError } from './errors.js';

/** sha256 of opentensor/subtensor `aura-dev.json` at f59e608b (runtime spec 293). */
export const SUBTENSOR_SPEC_SHA256 =
  'c321edb119707219b5f3fe602ad2f3180cd9e4492dbceee16e46b54a1facba2d';

/** The chain-spec fields podium uses (genesis-builder form: runtime code plus a config patch). */
export interface GenesisBuilderSpec {
  readonly name: string;
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly genesis: {
    readonly runtimeGenesis: {
      readonly code: `0x${string}`;
      readonly patch: Record<string, unknown>;
    };
  };
}

/** A verified chain spec and where it came from. */
export interface LoadedSpec {
  readonly path: string;
  readonly sha256: string;
  readonly spec: GenesisBuilderSpec;
}

const SPEC_FILE = 'subtensor-aura-dev.spec.json';

/**
 * Where the spec is: `PODIUM_CHAIN_SPEC` when set, else `<repo>/fixtures/chain/…` when present,
 * else `<repo>/../shared/chain/…`.
 */
export function chainSpecPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.PODIUM_CHAIN_SPEC;
  if (override) return resolve(override);
  const pinned = resolve(REPO_ROOT, 'fixtures', 'chain', SPEC_FILE);
  if (existsSync(pinned)) return pinned;
  return resolve(REPO_ROOT, '..', 'shared', 'chain', SPEC_FILE);
}

/**
 * Reads and verifies the chain spec. Throws ChainError('spec') when the file is missing, its
 * sha256 differs from `expectedSha256`, or it is not in genesis-builder form.
 */
export async function loadChainSpec(
  path = chainSpecPath(),
  expectedSha256 = SUBTENSOR_SPEC_SHA256,
): Promise<LoadedSpec> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new ChainError(
      'spec',
      `${path}: cannot read the Subtensor chain spec (${(err as Error).message}); ` +
        'restore fixtures/chain/subtensor-aura-dev.spec.json or set PODIUM_CHAIN_SPEC',
      { cause: err },
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== expectedSha256) {
    throw new ChainError(
      'spec',
      `${path}: sha256 is ${sha256}, expected ${expectedSha256} ` +
        '(opentensor/subtensor aura-dev.json at f59e608b); fetch that exact file',
    );
  }
  const spec = JSON.parse(bytes.toString('utf8')) as GenesisBuilderSpec;
  const runtime = spec.genesis?.runtimeGenesis;
  if (typeof runtime?.code !== 'string' || typeof runtime.patch !== 'object') {
    throw new ChainError(
      'spec',
      `${path}: /genesis/runtimeGenesis must hold "code" and "patch" (genesis-builder form)`,
    );
  }
  return { path, sha256, spec };
}
