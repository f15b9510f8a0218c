/**
 * Generates the demo contest's evaluation images (contests/sr-x2-demo/inputs/*.png): small,
 * deterministic, procedurally drawn pictures (gradients, shapes, stripes, smooth noise), so the
 * fixture is license-clean. Run once with `npx tsx scripts/make-demo-inputs.ts`; the PNGs are
 * committed as a pinned fixture and their sha256 are listed in inputs/README.md.
 */
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mulberry32 } from '../src/models/random.js';
import { valueNoise } from '../src/data/gt-images.js';

const SIZE = 96;
const OUT = join(import.meta.dirname, '..', 'contests', 'sr-x2-demo', 'inputs');

type Painter = (x: number, y: number) => [number, number, number];

/** The shared value noise (src/data/gt-images.ts) over this fixture's SIZE × SIZE pictures. */
function noise(seed: number, cells: number): (x: number, y: number) => number {
  return valueNoise(mulberry32(seed), cells, SIZE);
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

const PAINTERS: Record<string, Painter> = {
  'gradient-sunset': (x, y) => [255 - y * 1.2, 90 + x, 60 + y * 1.5],
  circles: (x, y) => {
    const d1 = Math.hypot(x - 30, y - 40);
    const d2 = Math.hypot(x - 66, y - 56);
    const inside = d1 < 22 ? 1 : d2 < 26 ? 2 : 0;
    return inside === 1 ? [220, 60, 50] : inside === 2 ? [40, 110, 210] : [235, 230, 210];
  },
  stripes: (x, y) => {
    const v = Math.sin((x + y * 0.5) / 3) > 0 ? 200 : 40;
    return [v, (v + 80) % 255, 255 - v];
  },
  'checker-soft': (x, y) => {
    const c = (Math.floor(x / 12) + Math.floor(y / 12)) % 2 === 0 ? 1 : 0;
    return c ? [200 + x / 4, 190, 170] : [50, 60 + y / 3, 90];
  },
  clouds: (() => {
    const n1 = noise(7, 6);
    const n2 = noise(11, 14);
    return (x: number, y: number): [number, number, number] => {
      const v = 0.7 * n1(x, y) + 0.3 * n2(x, y);
      return [90 + 150 * v, 140 + 110 * v, 200 + 55 * v];
    };
  })(),
  terrain: (() => {
    const n = noise(23, 10);
    return (x: number, y: number): [number, number, number] => {
      const h = n(x, y);
      if (h < 0.35) return [30, 70, 150 + 100 * h];
      if (h < 0.6) return [60 + 100 * h, 140, 50];
      return [120 + 120 * h, 110 + 100 * h, 90];
    };
  })(),
};

async function main(): Promise<void> {
  const lines: string[] = [];
  for (const [name, paint] of Object.entries(PAINTERS)) {
    const raw = Buffer.alloc(SIZE * SIZE * 3);
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const [r, g, b] = paint(x, y);
        const o = (y * SIZE + x) * 3;
        raw[o] = clamp(r);
        raw[o + 1] = clamp(g);
        raw[o + 2] = clamp(b);
      }
    }
    const png = await sharp(raw, { raw: { width: SIZE, height: SIZE, channels: 3 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const file = `${name}.png`;
    await writeFile(join(OUT, file), png);
    lines.push(`| ${file} | ${png.length} | ${createHash('sha256').update(png).digest('hex')} |`);
  }
  console.log(lines.join('\n'));
}

await main();
