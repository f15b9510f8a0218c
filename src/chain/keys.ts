/**
 * Loading a hotkey from a secret the user controls: `PODIUM_HOTKEY_SEED` (a mnemonic, a 0x
 * 32-byte seed, or a derivation such as `//Alice`, optionally `mnemonic//path`) or a keyfile
 * (the same text, or a bittensor wallet hotkey JSON with `secretPhrase` / `secretSeed`). The
 * secret never comes from argv, is never printed, and never appears in an error message.
 */
import { readFile, stat } from 'node:fs/promises';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady, mnemonicValidate } from '@polkadot/util-crypto';
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
  /** Accept a `//Name` development derivation: only for a local chain (see isLocalEndpoint). */
  readonly allowDev?: boolean;
}

/** True for a ws URL on this machine (127.0.0.1, localhost, ::1): where dev keys may sign. */
export function isLocalEndpoint(url: string): boolean {
  const host = /^wss?:\/\/(\[[^\]]+\]|[^:/]+)/.exec(url)?.[1] ?? '';
  return ['127.0.0.1', 'localhost', '[::1]'].includes(host.toLowerCase());
}

const EXPECTED =
  'expected a 12- or 24-word BIP39 mnemonic, a 0x-prefixed 32-byte hex seed (64 hex digits), ' +
  'or a //Name development derivation (local chain only)';

/**
 * Why `secret` is not a hotkey secret podium accepts, or null when it is one: a BIP39 mnemonic
 * with a valid checksum or a 0x 32-byte seed (either optionally followed by a /derivation), or
 * — with `allowDev` — a derivation of the dev phrase such as `//Alice`. Never quotes the secret.
 */
export function secretProblem(secret: string, allowDev: boolean): string | null {
  const slash = secret.indexOf('/');
  const base = (slash < 0 ? secret : secret.slice(0, slash)).trim();
  if (base === '') {
    return allowDev
      ? null
      : 'a //derivation without a mnemonic or seed is a development key, accepted only for a ' +
          'local chain (ws://127.0.0.1…)';
  }
  if (/^0x/i.test(base)) {
    if (/^0x[0-9a-f]{64}$/i.test(base)) return null;
    return /^0x[0-9a-f]*$/i.test(base)
      ? `the 0x seed has ${base.length - 2} hex digits, not 64`
      : 'the 0x seed holds characters that are not hex digits';
  }
  if (mnemonicValidate(base)) return null;
  const words = base.split(/\s+/).length;
  return words === 1
    ? 'it is a single word, neither a mnemonic nor a 0x seed'
    : `it is ${words} words but not a valid BIP39 mnemonic (word count, word list or checksum)`;
}

/** The environment variable holding the hotkey secret. */
export const HOTKEY_SEED_ENV = 'PODIUM_HOTKEY_SEED';

/**
 * Returns the sr25519 hotkey (ss58 prefix 42) for the configured secret. Throws ChainError('key')
 * when no secret is configured, the keyfile cannot be read, or the secret is not one podium
 * accepts (see secretProblem: a short word or hex is never silently a raw seed) — without ever
 * quoting the secret.
 */
export async function loadKeypair(source: KeySource = {}): Promise<KeyringPair> {
  const secret = source.keyfile
    ? await secretFromFile(source.keyfile, source.warn)
    : secretFromEnv(source.env);
  source.onSecret?.(secret);
  await cryptoWaitReady();
  const where = source.keyfile ? `keyfile ${source.keyfile}` : HOTKEY_SEED_ENV;
  const problem = secretProblem(secret, source.allowDev === true);
  try {
    if (problem === null)
      return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(secret);
  } catch {
    // a malformed derivation path after a valid phrase or seed: reported below
  }
  throw new ChainError(
    'key',
    `${where} does not hold a hotkey secret podium accepts: ${problem ?? 'its /derivation path is malformed'}; ` +
      `${EXPECTED}; the value is not shown`,
  );
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
