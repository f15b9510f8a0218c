/**
 * The committed digits pipeline (fixtures/models/digits-pipeline/, ADR 0180): its files, their
 * pinned sha256, the number of DDIM steps the baseline uses, and the quality its recipe
 * reached. Reading the fixture checks every hash.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriverRole } from './driver.js';

/** Where the fixture's graphs live. */
export const DIGITS_FIXTURE_DIR = fileURLToPath(
  new URL('../../fixtures/models/digits-pipeline/', import.meta.url),
);

/** Each role's file in the fixture folder (and in the baseline archive). */
export const DIGITS_FILES: Readonly<Record<DriverRole, string>> = {
  encoder: 'encoder.onnx',
  denoiser: 'denoiser.onnx',
  decoder: 'decoder.onnx',
};

/** sha256 of each fixture graph; a retrained fixture changes these. */
export const DIGITS_FIXTURE_SHA256: Readonly<Record<DriverRole, string>> = {
  encoder: '460417e5beba905ec5cb4df86d6da2279f15e28308c394abe75aae76d5ea6529',
  denoiser: 'cb7c1d79db6162f8b2fd1411c4e3ea9b514115d809905f33ba0eac103ff04986',
  decoder: '50bd28f05f0f5e195a83218ba73771d207e608e8738063791a832add3e16538f',
};

/** The baseline's number of DDIM steps. */
export const BASELINE_STEPS = 20;

/** The seed the quality check draws its prompts and noise from (not a round seed). */
export const QUALITY_SEED = `0x${'5eed'.repeat(16)}`;

/**
 * Classifier agreement of the fixture on QUALITY_SEED's 200 samples at BASELINE_STEPS, as
 * scripts/train-digits-pipeline.ts measured it; the re-training test checks the recipe
 * still reaches it.
 */
export const DIGITS_FIXTURE_AGREEMENT = 134 / 200;

/** The fixture's graphs by role; throws naming the file whose sha256 differs. */
export async function readDigitsFixture(): Promise<Record<DriverRole, Uint8Array>> {
  const out = {} as Record<DriverRole, Uint8Array>;
  for (const role of Object.keys(DIGITS_FILES) as DriverRole[]) {
    const file = join(DIGITS_FIXTURE_DIR, DIGITS_FILES[role]);
    const bytes = new Uint8Array(await readFile(file));
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== DIGITS_FIXTURE_SHA256[role]) {
      throw new Error(`${file}: sha256 ${got} is not the pinned ${DIGITS_FIXTURE_SHA256[role]}`);
    }
    out[role] = bytes;
  }
  return out;
}
