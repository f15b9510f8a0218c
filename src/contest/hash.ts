/**
 * The contest file's fingerprint that round.json freezes and every later stage checks: sha256 of
 * the file's compact canonical JSON as written (defaults not filled in), so formatting changes
 * do not matter and any change of content does.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { compactCanonicalJson } from '../json/canonical.js';
import { parseJson } from '../json/file.js';

/** Returns the hex sha256 of `file`'s compact canonical JSON; throws DocumentError if not JSON. */
export async function contestFileSha256(file: string): Promise<string> {
  const data = parseJson(file, await readFile(file, 'utf8'));
  return createHash('sha256').update(compactCanonicalJson(data)).digest('hex');
}
