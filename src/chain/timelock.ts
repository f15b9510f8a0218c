/**
 * Timelock encryption to a drand round, byte-compatible with the Rust `tle` crate
 * (ideal-lab5/timelock, `TinyBLS381`) that the Subtensor runtime uses to decrypt CRv3/v4 weight
 * commits: Boneh–Franklin FullIdent IBE on BLS12-381 with the identity hashed to G1
 * (identity = sha256(round as big-endian u64), DST below) and the beacon key in G2; the IBE
 * layer hides a 32-byte AES-256-GCM key that encrypts the payload. The ciphertext is
 * ark-serialize `serialize_compressed` of `TLECiphertext { header: { u: G2, v, w }, body, cipher_suite }`
 * (Vec<u8> = u64 little-endian length + bytes; body = `AESOutput { ciphertext, nonce }`).
 * Encryption needs only the public key and the round number; decryption needs the round's
 * signature (the drand pulse). See docs/adr/0070-timelock-encryption.md.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ChainError } from './errors.js';

/** Drand quicknet (the beacon Subtensor's drand pallet follows). */
export const QUICKNET = {
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  genesisTime: 1692803367,
  periodSeconds: 3,
} as const;

/** Hash-to-curve domain separation tag of quicknet's (and TinyBLS381's) G1 signatures. */
export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

const CIPHER_SUITE = Buffer.from('AES_GCM_');
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fr = bls12_381.fields.Fr;
const Fp12 = bls12_381.fields.Fp12;
type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;
type Gt = ReturnType<typeof bls12_381.pairing>;

/** A parsed `TLECiphertext`. */
export interface TimelockCiphertext {
  readonly u: G2Point;
  readonly v: Uint8Array;
  readonly w: Uint8Array;
  readonly aesCiphertext: Uint8Array;
  readonly nonce: Uint8Array;
  readonly cipherSuite: Uint8Array;
}

/** The IBE identity of a drand round: sha256(round as big-endian u64). */
export function roundIdentity(round: bigint | number): Uint8Array {
  const be = Buffer.alloc(8);
  be.writeBigUInt64BE(BigInt(round));
  return sha256(be);
}

/**
 * Encrypts `plaintext` so that it opens only with the signature of drand round `round`
 * (quicknet unless `publicKey`, 96-byte compressed G2 hex, is given). Returns the serialised
 * `TLECiphertext`. `secret` (32 bytes, the AES key) and the nonce are random unless given (tests).
 */
export function timelockEncrypt(
  plaintext: Uint8Array,
  round: bigint | number,
  options: { publicKey?: string; secret?: Uint8Array; nonce?: Uint8Array } = {},
): Uint8Array {
  const pk = G2.fromHex(options.publicKey ?? QUICKNET.publicKey);
  const key = options.secret ?? randomBytes(32);
  if (key.length !== 32)
    throw new ChainError('input', `timelock key must be 32 bytes (got ${key.length})`);
  const sigma = randomBytes(32);
  const r = h3(sigma, key);
  const u = G2.BASE.multiply(r);
  const gId = bls12_381.pairing(identityPoint(round), pk.multiply(r));
  const v = xor(sigma, h2(gId));
  const w = xor(key, sha256(sigma));
  const nonce = options.nonce ?? randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const aes = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const body = Buffer.concat([vec(aes), vec(nonce)]);
  return Buffer.concat([u.toBytes(true), vec(v), vec(w), vec(body), vec(CIPHER_SUITE)]);
}

/**
 * Decrypts a serialised `TLECiphertext` with the drand signature of its round (48-byte
 * compressed G1, hex or bytes). Throws ChainError('input') when the bytes are not a
 * TLECiphertext, when the signature is not the key for this ciphertext's round, or when the
 * body fails authentication. Check the signature first with verifyPulse for a precise reason.
 */
export function timelockDecrypt(
  ciphertext: Uint8Array,
  signature: Uint8Array | string,
): Uint8Array {
  const ct = parseCiphertext(ciphertext);
  const sig = g1FromBytes(signature);
  const sigma = xor(ct.v, h2(bls12_381.pairing(sig, ct.u)));
  const key = xor(ct.w, sha256(sigma));
  if (!G2.BASE.multiply(h3(sigma, key)).equals(ct.u)) {
    throw new ChainError(
      'input',
      'timelock ciphertext does not open with this signature: it was encrypted for another round or key',
    );
  }
  if (ct.nonce.length !== 12) {
    throw new ChainError('input', `timelock body nonce must be 12 bytes (got ${ct.nonce.length})`);
  }
  const tagAt = ct.aesCiphertext.length - 16;
  if (tagAt < 0) throw new ChainError('input', 'timelock body is shorter than its 16-byte GCM tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ct.nonce);
    decipher.setAuthTag(ct.aesCiphertext.subarray(tagAt));
    return Buffer.concat([decipher.update(ct.aesCiphertext.subarray(0, tagAt)), decipher.final()]);
  } catch (err) {
    throw new ChainError('input', 'timelock body fails AES-GCM authentication (corrupted commit)', {
      cause: err,
    });
  }
}

/**
 * Checks that `signature` is the drand signature of `round` under `publicKey` (quicknet by
 * default): e(sig, g2) = e(H(round), pk). Returns null when it is, or the reason in words.
 */
export function pulseProblem(
  round: bigint | number,
  signature: Uint8Array | string,
  publicKey: string = QUICKNET.publicKey,
): string | null {
  let sig: G1Point;
  try {
    sig = g1FromBytes(signature);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const left = bls12_381.pairing(sig, G2.BASE);
  const right = bls12_381.pairing(identityPoint(round), G2.fromHex(publicKey));
  if (Fp12.eql(left, right)) return null;
  const key =
    publicKey === QUICKNET.publicKey
      ? 'the drand quicknet public key'
      : `public key ${publicKey.slice(0, 16)}…`;
  return `signature ${hexOf(signature).slice(0, 16)}… is not round ${round}'s signature under ${key}`;
}

/** Parses a serialised `TLECiphertext`; throws ChainError('input') naming the bad field. */
export function parseCiphertext(bytes: Uint8Array): TimelockCiphertext {
  const reader = new Reader(bytes);
  let u: G2Point;
  try {
    // a copy: noble clears the flag bits of the bytes it decompresses, in place
    u = G2.fromBytes(Uint8Array.from(reader.take(96, 'header.u')));
  } catch (err) {
    if (err instanceof ChainError) throw err;
    throw new ChainError('input', 'timelock ciphertext: header.u is not a compressed G2 point');
  }
  const v = reader.vec('header.v');
  const w = reader.vec('header.w');
  if (v.length !== 32 || w.length !== 32) {
    throw new ChainError(
      'input',
      `timelock ciphertext: header.v/w must be 32 bytes (got ${v.length}/${w.length})`,
    );
  }
  const body = new Reader(reader.vec('body'));
  const aesCiphertext = body.vec('body.ciphertext');
  const nonce = body.vec('body.nonce');
  const cipherSuite = reader.vec('cipher_suite');
  if (Buffer.compare(Buffer.from(cipherSuite), CIPHER_SUITE) !== 0) {
    throw new ChainError(
      'input',
      `timelock ciphertext: cipher_suite "${Buffer.from(cipherSuite).toString()}" is not AES_GCM_`,
    );
  }
  reader.end();
  return { u, v, w, aesCiphertext, nonce, cipherSuite };
}

function identityPoint(round: bigint | number): G1Point {
  return G1.fromAffine(
    bls12_381.G1.hashToCurve(roundIdentity(round), { DST: QUICKNET_DST }).toAffine(),
  );
}

function g1FromBytes(signature: Uint8Array | string): G1Point {
  const hex = hexOf(signature);
  if (hex.length !== 96) {
    throw new ChainError(
      'input',
      `a drand signature is 48 bytes (a compressed G1 point); got ${hex.length / 2}`,
    );
  }
  try {
    return G1.fromHex(hex);
  } catch {
    throw new ChainError('input', `drand signature ${hex.slice(0, 16)}… is not a point of G1`);
  }
}

/** H2 of tle: sha256 of the ark-serialize encoding of a G_T element (Fp12, 576 bytes). */
function h2(g: Gt): Uint8Array {
  const fp = (x: bigint) => Buffer.from(x.toString(16).padStart(96, '0'), 'hex').reverse();
  const fp2 = (x: { c0: bigint; c1: bigint }) => [fp(x.c0), fp(x.c1)];
  const fp6 = (x: Gt['c0']) => [...fp2(x.c0), ...fp2(x.c1), ...fp2(x.c2)];
  return sha256(Buffer.concat([...fp6(g.c0), ...fp6(g.c1)]));
}

/** H3 of tle: sha256(a ‖ b) read big-endian, reduced mod r (never 0 here: a 0 is re-derived). */
function h3(a: Uint8Array, b: Uint8Array): bigint {
  const r = Fr.create(BigInt(`0x${Buffer.from(sha256(Buffer.concat([a, b]))).toString('hex')}`));
  if (r === 0n)
    throw new ChainError('input', 'timelock: H3 reduced to 0 (probability 2^-255); retry');
  return r;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Uint8Array.from(a.subarray(0, 32), (x, i) => x ^ b[i]!);
}

function vec(bytes: Uint8Array): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([len, bytes]);
}

function hexOf(value: Uint8Array | string): string {
  return typeof value === 'string'
    ? value.replace(/^0x/, '').toLowerCase()
    : Buffer.from(value).toString('hex');
}

class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  take(n: number, field: string): Uint8Array {
    if (this.at + n > this.bytes.length) {
      throw new ChainError(
        'input',
        `timelock ciphertext: ${field} runs past the end (${this.bytes.length} bytes)`,
      );
    }
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  vec(field: string): Uint8Array {
    const len = Buffer.from(this.take(8, `${field} length`)).readBigUInt64LE();
    return this.take(Number(len > BigInt(this.bytes.length) ? this.bytes.length + 1 : len), field);
  }
  end(): void {
    if (this.at !== this.bytes.length) {
      throw new ChainError(
        'input',
        `timelock ciphertext: ${this.bytes.length - this.at} trailing bytes`,
      );
    }
  }
}
