/**
 * Writes `schemas/<kind>.schema.json` from the TypeBox definitions (`npm run schemas`).
 * `--check` writes nothing and exits 1 listing the files that are out of date.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../json/canonical.js';
import { writeFileAtomic } from '../json/file.js';
import { finalizeSchema } from './finalize.js';
import { SCHEMAS, kinds } from './registry.js';
import { isMain } from '../cli/is-main.js';

/** Absolute path of the repository's `schemas/` folder. */
export const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Returns the published text of every schema, by file name. */
export function publishedSchemas(): Map<string, string> {
  return new Map(kinds().map((k) => [`${k}.schema.json`, canonicalJson(finalizeSchema(SCHEMAS[k]))]));
}

/** Returns the names of files in `dir` whose content differs from the generated schemas. */
export async function staleSchemas(dir = SCHEMAS_DIR): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, text] of publishedSchemas()) {
    const current = await readFile(join(dir, name), 'utf8').catch(() => '');
    if (current !== text) stale.push(name);
  }
  return stale;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--check')) {
    const stale = await staleSchemas();
    for (const name of stale) console.error(`schemas/${name} is out of date: run npm run schemas`);
    return stale.length > 0 ? 1 : 0;
  }
  for (const [name, text] of publishedSchemas()) {
    await writeFileAtomic(join(SCHEMAS_DIR, name), text);
    console.log(`wrote schemas/${name}`);
  }
  return 0;
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
