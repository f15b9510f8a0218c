/**
 * Generates the ground-truth demo contest's images (contests/sr-truth-demo/images): pictures
 * drawn by src/data/gt-images.ts, the evaluation part from seeds 1000 … 1005 and the training
 * part miners may use from seeds 0 … 7, so the two are disjoint by construction (the task also
 * checks their pixels). License-clean: our own code draws every pixel. Run once with
 * `npx tsx scripts/make-gt-images.ts`; the PNGs are committed as a pinned fixture and their
 * sha256 are listed in the contest's README (docs/adr/0170-ground-truth-task.md).
 */
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { drawPicture } from '../src/data/gt-images.js';

const SIDE = 64;
const ROOT = join(import.meta.dirname, '..', 'contests', 'sr-truth-demo', 'images');
export const PARTS = {
  evaluation: { folder: 'eval', seeds: [1000, 1001, 1002, 1003, 1004, 1005] },
  training: { folder: 'train', seeds: [0, 1, 2, 3, 4, 5, 6, 7] },
} as const;

const lines: string[] = ['| file | seed | bytes | sha256 |', '| --- | --- | --- | --- |'];
for (const { folder, seeds } of Object.values(PARTS)) {
  await mkdir(join(ROOT, folder), { recursive: true });
  for (const seed of seeds) {
    const { rgb } = drawPicture(seed, SIDE);
    const png = await sharp(Buffer.from(rgb), { raw: { width: SIDE, height: SIDE, channels: 3 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const file = `${folder}/picture-${seed}.png`;
    await writeFile(join(ROOT, file), png);
    const sha = createHash('sha256').update(png).digest('hex');
    lines.push(`| images/${file} | ${seed} | ${png.length} | ${sha} |`);
  }
}
console.log(lines.join('\n'));
