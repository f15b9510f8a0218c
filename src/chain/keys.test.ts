import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainError } from './errors.js';
import { loadKeypair } from './keys.js';

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
    expect((await loadKeypair({ env: { PODIUM_HOTKEY_SEED: '//Alice' } })).address).toBe(ALICE);
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
      warn: (w) => warnings.push(w),
    });
    expect(warnings[0]).toMatch(/chmod 600/);
    const json = await keyfile('enc.json', JSON.stringify({ encoded: 'abc', address: ALICE }));
    await expect(loadKeypair({ keyfile: json })).rejects.toThrow(/encrypted polkadot-js export/);
  });
});
