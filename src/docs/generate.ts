/**
 * Regenerates the generated parts of docs/ (`npm run docs`): the contest field reference in
 * docs/contests.md between the GENERATED markers. `--check` exits 1 when the file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ContestSchema } from '../contest/schema.js';
import { finalizeSchema } from '../schemas/finalize.js';
import { fieldRows, renderFieldTable } from './schema-reference.js';
import { isMain } from '../cli/is-main.js';

export const CONTESTS_DOC = fileURLToPath(new URL('../../docs/contests.md', import.meta.url));
const BEGIN = '<!-- GENERATED: contest field reference (npm run docs) -->\n';
const END = '<!-- END GENERATED -->';

/** Returns docs/contests.md's text with the field reference replaced by the current one. */
export function withFieldReference(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`${CONTESTS_DOC}: generated-section markers not found`);
  const table = renderFieldTable(fieldRows(finalizeSchema(ContestSchema)));
  return doc.slice(0, start + BEGIN.length) + table + doc.slice(end);
}

async function main(argv: string[]): Promise<number> {
  const doc = await readFile(CONTESTS_DOC, 'utf8');
  const next = withFieldReference(doc);
  if (argv.includes('--check')) {
    if (next !== doc) console.error('docs/contests.md is out of date: run npm run docs');
    return next === doc ? 0 : 1;
  }
  await writeFile(CONTESTS_DOC, next);
  return 0;
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
