/**
 * Where the source models and the fixture image come from: the MIT-licensed npm packages
 * `@upscalerjs/esrgan-medium` and `@upscalerjs/esrgan-slim` (TF.js layers models, keras 2.10).
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The source packages the converter reads. */
export const SOURCE_PACKAGES = ['@upscalerjs/esrgan-medium', '@upscalerjs/esrgan-slim'] as const;
export type SourcePackage = (typeof SOURCE_PACKAGES)[number];

/** Returns the installed folder of `pkg`; throws when it is not installed. */
export function packageDir(pkg: SourcePackage): string {
  const entry = createRequire(import.meta.url).resolve(pkg);
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readJson(manifest).name === pkg) return dir;
  }
  throw new Error(`${pkg}: package folder not found above ${entry}`);
}

/** Returns the installed version of `pkg`. */
export function packageVersion(pkg: SourcePackage): string {
  return String(readJson(join(packageDir(pkg), 'package.json')).version);
}

/** The ×2 layers model (model.json) of `pkg`. */
export function sourceModelFile(pkg: SourcePackage): string {
  return join(packageDir(pkg), 'models', 'x2', 'model.json');
}

/** The 128×128 RGBA fixture image shipped with the esrgan-medium package. */
export function fixtureImageFile(): string {
  return join(packageDir('@upscalerjs/esrgan-medium'), 'assets', 'fixture.png');
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}
