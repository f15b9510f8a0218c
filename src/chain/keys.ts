/**
 * Loading a hotkey from a secret the user controls: `PODIUM_HOTKEY_SEED` (a mnemonic, a 0x
 * 32-byte seed, or a derivation such as `//Alice`, optionally `mnemonic//path`) or a keyfile
 * (the same text, or a bittensor wallet hotkey JSON with `secretPhrase` / `secretSeed`). The
 * secret never comes from argv, is never printed, and never appears in an error message.
 */
import { readFile, stat } from 'node:fs/promises';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ChainError } from './errors.js';

/** Where the secret comes from. */
export interface KeySource {
  /** Environment holding `PODIUM_HOTKEY_SEED` (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** A keyfile; wins over the environment when given. */
  readonly keyfile?: string;
  /** Called with the secret before it is used, e.g. `core.setSecret` to mask it in Actions logs. */
  readonly onSecret?: (secret: string) => void;
  /** Called with a warning (e.g. a keyfile readable by others). */
  readonly warn?: (line: string) => void;
}

/** The environment variable holding the hotkey secret. */
export const HOTKEY_SEED_ENV = 'PODIUM_HOTKEY_SEED';

/**
 * Returns the sr25519 hotkey (ss58 prefix 42) for the configured secret. Throws ChainError('key')
 * when no secret is configured, the keyfile cannot be read, or the secret is not a valid
 * mnemonic, seed or derivation — without ever quoting the secret.
 */
export async function loadKeypair(source: KeySource = {}): Promise<KeyringPair> {
  const secret = source.keyfile
    ? await secretFromFile(source.keyfile, source.warn)
    : secretFromEnv(source.env);
  source.onSecret?.(secret);
  await cryptoWaitReady();
  try {
    return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(secret);
  } catch {
    const where = source.keyfile ? `keyfile ${source.keyfile}` : HOTKEY_SEED_ENV;
    throw new ChainError(
      'key',
      `${where} does not hold a valid hotkey secret (a 12/24-word mnemonic, a 0x-prefixed 32-byte seed, ` +
        'or a //derivation); the value is not shown',
    );
  }
}

function secretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env[HOTKEY_SEED_ENV]?.trim();
  if (!value) {
    throw new ChainError(
      'key',
      `no hotkey secret: set ${HOTKEY_SEED_ENV} (mnemonic or 0x seed; in GitHub Actions from an environment ` +
        'secret) or pass --keyfile FILE; secrets are never accepted as command-line arguments',
    );
  }
  return value;
}

async function secretFromFile(path: string, warn?: (line: string) => void): Promise<string> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (err) {
    throw new ChainError(
      'key',
      `cannot read keyfile ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const mode = (await stat(path)).mode;
  if ((mode & 0o077) !== 0) warn?.(`keyfile ${path} is readable by other users: chmod 600 ${path}`);
  if (!text.startsWith('{')) {
    if (!text) throw new ChainError('key', `keyfile ${path} is empty`);
    return text;
  }
  return secretFromJson(path, text);
}

function secretFromJson(path: string, text: string): string {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ChainError('key', `keyfile ${path} starts with "{" but is not valid JSON`);
  }
  for (const field of ['secretPhrase', 'secretSeed']) {
    const value = data[field];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  const hint =
    'encoded' in data
      ? ' (an encrypted polkadot-js export: decrypt it and keep the mnemonic instead)'
      : '';
  throw new ChainError('key', `keyfile ${path} has no "secretPhrase" or "secretSeed"${hint}`);
}
