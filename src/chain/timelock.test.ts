import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import init, { tld, tle } from '@ideallabs/timelock_wasm_wrapper';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChainError } from './errors.js';
import {
  QUICKNET,
  parseCiphertext,
  pulseProblem,
  roundIdentity,
  timelockDecrypt,
  timelockEncrypt,
} from './timelock.js';

/** Drand quicknet round 1000 (api.drand.sh/52db9ba7…/public/1000; Subtensor's drand pallet tests). */
const ROUND = 1000;
const SIGNATURE =
  'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';
const bytes = (hex: string) => Array.from(Buffer.from(hex, 'hex'));

beforeAll(async () => {
  // The Rust `tle` crate built to WASM: an independent implementation to check podium against.
  const main = createRequire(import.meta.url).resolve('@ideallabs/timelock_wasm_wrapper');
  await init({
    module_or_path: await readFile(join(dirname(main), 'timelock_wasm_wrapper_bg.wasm')),
  });
});

/** Decrypts with the WASM build of `tle` (TinyBLS381, AES-GCM). */
function referenceDecrypt(ciphertext: Uint8Array, signature: string): Buffer {
  return Buffer.from(tld(Array.from(ciphertext), bytes(signature), 'bls12_381') as number[]);
}

describe('timelock encryption (tle-compatible)', () => {
  it('accepts the real round-1000 quicknet pulse and refuses it as any other round', () => {
    expect(pulseProblem(ROUND, SIGNATURE)).toBeNull();
    expect(pulseProblem(ROUND + 1, SIGNATURE)).toBe(
      `signature b44679b9a59af2ec… is not round 1001's signature under the drand quicknet public key`,
    );
    expect(pulseProblem(ROUND, SIGNATURE.slice(0, 94))).toMatch(
      /a drand signature is 48 bytes .* got 47/,
    );
    expect(pulseProblem(ROUND, `ff${SIGNATURE.slice(2)}`)).toMatch(/is not a point of G1/);
  });

  it("podium's ciphertext opens with the real round-1000 pulse, in podium and in the tle WASM reference", () => {
    const message = Buffer.from('podium weights for round 1000');
    const ct = timelockEncrypt(message, ROUND);
    expect(Buffer.from(timelockDecrypt(ct, SIGNATURE))).toEqual(message);
    expect(referenceDecrypt(ct, SIGNATURE)).toEqual(message);
  });

  it("podium decrypts the tle WASM reference's ciphertext with the real pulse", () => {
    const message = Buffer.from('encrypted by the Rust crate');
    const ct = tle(
      Array.from(roundIdentity(ROUND)),
      Array.from(message),
      Array.from(Buffer.alloc(32, 7)),
      bytes(QUICKNET.publicKey),
      'bls12_381',
    ) as number[];
    expect(Buffer.from(timelockDecrypt(Uint8Array.from(ct), SIGNATURE))).toEqual(message);
  });

  it("refuses to open a ciphertext for another round with round 1000's signature, as the reference does", () => {
    const ct = timelockEncrypt(Buffer.from('later'), ROUND + 1);
    expect(() => timelockDecrypt(ct, SIGNATURE)).toThrow(
      new ChainError(
        'input',
        'timelock ciphertext does not open with this signature: it was encrypted for another round or key',
      ),
    );
    expect(() => referenceDecrypt(ct, SIGNATURE)).toThrow(/InvalidSignature/);
  });

  it('serialises exactly as ark-serialize: G2 point, 32-byte v and w, body {ciphertext+tag, nonce}, "AES_GCM_"', () => {
    const ct = timelockEncrypt(Buffer.from('abc'), ROUND, { nonce: Buffer.alloc(12, 9) });
    const le = (n: number) => Buffer.from([n, 0, 0, 0, 0, 0, 0, 0]).toString('hex');
    const hex = Buffer.from(ct).toString('hex');
    expect(ct.length).toBe(96 + 8 + 32 + 8 + 32 + 8 + (8 + 19 + 8 + 12) + 8 + 8);
    expect(hex.slice(192, 208)).toBe(le(32));
    expect(hex.slice(2 * (96 + 80), 2 * (96 + 88))).toBe(le(47));
    expect(hex.slice(2 * (96 + 88), 2 * (96 + 96))).toBe(le(19));
    expect(
      hex.endsWith(
        `${Buffer.alloc(12, 9).toString('hex')}${le(8)}${Buffer.from('AES_GCM_').toString('hex')}`,
      ),
    ).toBe(true);
    expect(parseCiphertext(ct).aesCiphertext.length).toBe(19);
  });

  it('names the field of a malformed ciphertext and refuses a tampered body', () => {
    const ct = Buffer.from(timelockEncrypt(Buffer.from('abc'), ROUND));
    expect(() => parseCiphertext(ct.subarray(0, 150))).toThrow(
      /header\.w runs past the end \(150 bytes\)/,
    );
    expect(() => parseCiphertext(Buffer.concat([ct, Buffer.from([0])]))).toThrow(
      /1 trailing bytes/,
    );
    const suite = Buffer.from(ct);
    suite[suite.length - 1] = 0x41;
    expect(() => parseCiphertext(suite)).toThrow(/cipher_suite "AES_GCMA" is not AES_GCM_/);
    const tampered = Buffer.from(ct);
    const first = 96 + 80 + 16; // first byte of the AES ciphertext
    tampered[first] = tampered[first]! ^ 1;
    expect(() => timelockDecrypt(tampered, SIGNATURE)).toThrow(/fails AES-GCM authentication/);
  });
});
