import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainError } from './errors.js';
import { isLocalEndpoint, loadKeypair } from './keys.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
// The well-known seed of //Alice (public test vector, not a secret).
const ALICE_SEED = '0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podium-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyfile(name: string, text: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

describe('loadKeypair', () => {
  it('reads a derivation or a 0x seed from PODIUM_HOTKEY_SEED', async () => {
    const dev = { env: { PODIUM_HOTKEY_SEED: '//Alice' }, allowDev: true };
    expect((await loadKeypair(dev)).address).toBe(ALICE);
    expect((await loadKeypair({ env: { PODIUM_HOTKEY_SEED: ALICE_SEED } })).address).toBe(ALICE);
  });

  it('reads a mnemonic keyfile and a bittensor wallet hotkey JSON', async () => {
    const mnemonic = mnemonicGenerate(12);
    const fromText = await loadKeypair({
      keyfile: await keyfile('hotkey.txt', `${mnemonic}\n`),
      env: {},
    });
    const fromJson = await loadKeypair({
      keyfile: await keyfile(
        'hotkey.json',
        JSON.stringify({ secretPhrase: mnemonic, ss58Address: 'x' }),
      ),
      env: {},
    });
    expect(fromJson.address).toBe(fromText.address);
  });

  it('prefers the keyfile over the environment and hands the secret to onSecret for masking', async () => {
    const masked: string[] = [];
    const pair = await loadKeypair({
      keyfile: await keyfile('alice.txt', '//Alice'),
      env: { PODIUM_HOTKEY_SEED: '//Bob' },
      allowDev: true,
      onSecret: (s) => masked.push(s),
    });
    expect(pair.address).toBe(ALICE);
    expect(masked).toEqual(['//Alice']);
  });

  it('explains a missing secret without suggesting a command-line argument', async () => {
    const err = await loadKeypair({ env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).message).toMatch(/PODIUM_HOTKEY_SEED.*--keyfile/);
  });

  it('never quotes an invalid secret in its error', async () => {
    const secret = 'correct horse battery staple not a real mnemonic at all';
    const err = (await loadKeypair({ env: { PODIUM_HOTKEY_SEED: secret } }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(ChainError);
    expect(err.message).not.toContain('horse');
    expect(err.message).toMatch(/not shown/);
  });

  it('warns about a keyfile readable by others and rejects JSON without a secret', async () => {
    const warnings: string[] = [];
    await loadKeypair({
      keyfile: await keyfile('open.txt', '//Alice', 0o644),
      allowDev: true,
      warn: (w) => warnings.push(w),
    });
    expect(warnings[0]).toMatch(/chmod 600/);
    const json = await keyfile('enc.json', JSON.stringify({ encoded: 'abc', address: ALICE }));
    await expect(loadKeypair({ keyfile: json })).rejects.toThrow(/encrypted polkadot-js export/);
  });
});

describe('hotkey secrets podium refuses', () => {
  it.each([
    ['hello', 'it is a single word, neither a mnemonic nor a 0x seed'],
    ['0x1234', 'the 0x seed has 4 hex digits, not 64'],
    ['apple banana cherry', 'it is 3 words but not a valid BIP39 mnemonic'],
    ['//Alice', 'a //derivation without a mnemonic or seed is a development key'],
  ])(
    'PODIUM_HOTKEY_SEED=%j for a real chain: refused, saying what was expected',
    async (secret, why) => {
      const err = (await loadKeypair({ env: { PODIUM_HOTKEY_SEED: secret } }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(err).toBeInstanceOf(ChainError);
      expect(err.message).toContain(
        `PODIUM_HOTKEY_SEED does not hold a hotkey secret podium accepts: ${why}`,
      );
      expect(err.message).toContain(
        'expected a 12- or 24-word BIP39 mnemonic, a 0x-prefixed 32-byte hex seed (64 hex digits), or a //Name development derivation (local chain only)',
      );
      if (secret.length > 6) expect(err.message).not.toContain(secret);
    },
  );

  it('accepts a mnemonic, a 32-byte seed and, for a local chain only, //Name', async () => {
    const mnemonic = mnemonicGenerate(24);
    expect((await loadKeypair({ env: { PODIUM_HOTKEY_SEED: mnemonic } })).address).toMatch(/^5/);
    expect((await loadKeypair({ env: { PODIUM_HOTKEY_SEED: ALICE_SEED } })).address).toBe(ALICE);
    const dev = { env: { PODIUM_HOTKEY_SEED: '//Alice' }, allowDev: true };
    expect((await loadKeypair(dev)).address).toBe(ALICE);
    expect(isLocalEndpoint('ws://127.0.0.1:9944')).toBe(true);
    expect(isLocalEndpoint('ws://localhost:1')).toBe(true);
    expect(isLocalEndpoint('wss://entrypoint-finney.opentensor.ai:443')).toBe(false);
  });
});
