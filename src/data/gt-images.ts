/**
 * Procedurally drawn pictures for ground-truth contests: each image is a pure function of its
 * integer seed (layered value noise, hard-edged discs and bars, fine stripes), so a set is
 * license-clean by construction and the same bytes on any machine. A contest pins the images
 * it evaluates on (their sha256 in its README) and publishes a disjoint set, drawn from other
 * seeds, that miners may train on (scripts/make-gt-images.ts).
 */
import { mulberry32 } from '../models/random.js';

/** Interleaved 8-bit RGB pixels of a square picture. */
export interface Picture {
  readonly side: number;
  readonly rgb: Uint8Array;
}

/**
 * Smooth value noise over a `side` × `side` picture: a (cells + 1)² grid of draws from `rand`,
 * smoothstep-interpolated; (x, y) in [0, side). Also draws the sr-x2-demo inputs.
 */
export function valueNoise(
  rand: () => number,
  cells: number,
  side: number,
): (x: number, y: number) => number {
  const grid = Array.from({ length: (cells + 1) * (cells + 1) }, () => rand());
  const at = (i: number, j: number) => grid[j * (cells + 1) + i] ?? 0;
  return (x: number, y: number) => {
    const gx = (x / side) * cells;
    const gy = (y / side) * cells;
    const i = Math.min(Math.floor(gx), cells - 1);
    const j = Math.min(Math.floor(gy), cells - 1);
    const fx = gx - i;
    const fy = gy - j;
    const sx = fx * fx * (3 - 2 * fx);
    const sy = fy * fy * (3 - 2 * fy);
    const top = at(i, j) * (1 - sx) + at(i + 1, j) * sx;
    const bottom = at(i, j + 1) * (1 - sx) + at(i + 1, j + 1) * sx;
    return top * (1 - sy) + bottom * sy;
  };
}

/** Draws picture `seed` (any uint32) of `side` × `side` pixels. */
export function drawPicture(seed: number, side: number): Picture {
  const rand = mulberry32(seed);
  const colour = () => [rand() * 255, rand() * 255, rand() * 255] as const;
  const coarse = valueNoise(rand, 3, side);
  const fine = valueNoise(rand, 12, side);
  const [a, b] = [colour(), colour()];
  const shapes = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => ({
    disc: rand() < 0.6,
    x: rand() * side,
    y: rand() * side,
    r: side * (0.08 + rand() * 0.22),
    c: colour(),
  }));
  const stripe = { period: 2.5 + rand() * 4, angle: rand() * Math.PI, strength: 20 + rand() * 40 };
  const rgb = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const t = 0.75 * coarse(x, y) + 0.25 * fine(x, y);
      let px = [0, 1, 2].map((k) => a[k]! * (1 - t) + b[k]! * t);
      for (const s of shapes) {
        const inside = s.disc
          ? Math.hypot(x - s.x, y - s.y) < s.r
          : Math.abs(x - s.x) < s.r && Math.abs(y - s.y) < s.r / 3;
        if (inside) px = [...s.c];
      }
      const u = x * Math.cos(stripe.angle) + y * Math.sin(stripe.angle);
      const wave = Math.sin((2 * Math.PI * u) / stripe.period) * stripe.strength;
      const o = (y * side + x) * 3;
      for (let k = 0; k < 3; k++) rgb[o + k] = clamp(px[k]! + wave * 0.5);
    }
  }
  return { side, rgb };
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
