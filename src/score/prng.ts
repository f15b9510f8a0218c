/**
 * The bootstrap's only source of randomness: xoshiro128** (Blackman & Vigna), seeded from the
 * round seed, so that every validator and auditor draws the same resamples.
 *
 * Seed: sha256 of the UTF-8 text `podium-score-bootstrap/v1\n<round seed>\n<runner name>\n<n>`
 * (round seed as written in round.json, n = number of paired samples, decimal); its first 16
 * bytes read as four little-endian uint32 are the state s0..s3 (an all-zero state, which has
 * probability 2^-128, is replaced by s0 = 1). Draw i of resample r is the (r·n + i)-th index
 * taken from the stream by `nextIndex`. docs/scoring.md carries a test vector.
 */
import { sha256 } from '@noble/hashes/sha2';

const BOOTSTRAP_DOMAIN = 'podium-score-bootstrap/v1';

/** A xoshiro128** generator over four uint32 words of state. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w >>> 0) as [
      number,
      number,
      number,
      number,
    ];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Returns the next uint32. */
  next(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Returns an unbiased integer in [0, n) by rejection: draws uint32 u until
   * u < 2^32 − (2^32 mod n), then returns u mod n. Throws unless 1 ≤ n ≤ 2^32.
   */
  nextIndex(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`bad bound ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const u = this.next();
      if (u < limit) return u % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Returns the generator state for (round seed, runner, n), as documented above. */
export function bootstrapState(
  roundSeed: string,
  runner: string,
  n: number,
): [number, number, number, number] {
  // @noble/hashes rather than node:crypto: scoring also runs in the results site's browser page.
  const digest = sha256(
    new TextEncoder().encode(`${BOOTSTRAP_DOMAIN}\n${roundSeed}\n${runner}\n${n}`),
  );
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  return [
    view.getUint32(0, true),
    view.getUint32(4, true),
    view.getUint32(8, true),
    view.getUint32(12, true),
  ];
}

/**
 * Returns the resample indices for `resamples` resamples of `n` pairs: a row-major array whose
 * row r holds the n indices of resample r. The same for every submission on a runner with n
 * pairs (common random numbers), so a submission's interval does not depend on the others.
 */
export function bootstrapIndices(
  roundSeed: string,
  runner: string,
  n: number,
  resamples: number,
): Uint32Array {
  const rng = new Xoshiro128(bootstrapState(roundSeed, runner, n));
  const out = new Uint32Array(n * resamples);
  for (let k = 0; k < out.length; k++) out[k] = rng.nextIndex(n);
  return out;
}

/** A human-readable description of the generator, recorded in score.json's method. */
export const PRNG_DESCRIPTION =
  'xoshiro128** seeded with the first 16 bytes (4 x uint32 LE) of sha256("podium-score-bootstrap/v1\\n<seed>\\n<runner>\\n<pairs>"), indices by rejection sampling';
