/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns `count` distinct indices of 0 … total − 1: the first `count` places of a partial
 * Fisher-Yates shuffle drawing from mulberry32(seed), in the order they were drawn.
 */
export function seededPick(total: number, count: number, seed: number): Uint32Array {
  const order = new Uint32Array(total).map((_, i) => i);
  const next = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (total - i));
    const pick = order[j] as number;
    order[j] = order[i] as number;
    order[i] = pick;
  }
  return order.subarray(0, count);
}
