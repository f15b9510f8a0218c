/**
 * Indexed record files (`<prefix>-<n>.json`, n = 1, 2, …) that follow-up steps write beside a
 * signed document instead of rewriting it: a reveal, a check of a timelocked commit.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The path of the next `<prefix>-<n>.json` in `dir` (n one above the highest present). */
export async function nextIndexedFile(dir: string, prefix: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^${prefix}-(\\d+)\\.json$`);
  const taken = names.map((n) => pattern.exec(n)?.[1]).filter((n) => n !== undefined);
  const next = Math.max(0, ...taken.map(Number)) + 1;
  return join(dir, `${prefix}-${next}.json`);
}

/** The `<prefix>-<n>.json` files in `dir`, in index order. */
export async function indexedFiles(dir: string, prefix: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^${prefix}-(\\d+)\\.json$`);
  return names
    .map((name) => ({ name, n: Number(pattern.exec(name)?.[1] ?? NaN) }))
    .filter((f) => Number.isInteger(f.n))
    .sort((a, b) => a.n - b.n)
    .map((f) => join(dir, f.name));
}
