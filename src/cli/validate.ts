/** `podium validate [paths…]`: validates podium JSON files (any kind, by their `$schema`). */
import type { Command } from 'commander';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { checkContest } from '../contest/load.js';
import { DocumentError } from '../json/errors.js';
import { checkDocument, parseJson } from '../json/file.js';
import { kindOf, SCHEMAS } from '../schemas/registry.js';
import { CliError } from './errors.js';

/** Registers `validate` on the program. */
export function register(program: Command): void {
  program
    .command('validate')
    .description(
      'validate podium JSON files or folders by their $schema (default: contests results)',
    )
    .argument('[paths...]', 'files or folders', ['contests', 'results'])
    .action(async (paths: string[]) => {
      const failures = await validatePaths(paths, (line) => console.log(line));
      if (failures > 0) throw new CliError(`${failures} file(s) failed validation`);
    });
}

/**
 * Validates every `.json` file under `paths` (folders recursively, hidden folders and
 * node_modules skipped). Calls `log` with one line per file; returns the number of failures.
 */
export async function validatePaths(paths: string[], log: (line: string) => void): Promise<number> {
  let failures = 0;
  for (const file of await collectJsonFiles(paths)) {
    const shown = relative(process.cwd(), file) || file;
    try {
      const data = parseJson(shown, await readFile(file, 'utf8'));
      const kind = kindOf(shown, data);
      if (kind === 'contest') await checkContest(shown, data);
      else checkDocument(shown, data, SCHEMAS[kind]);
      log(`ok    ${shown} (${kind})`);
    } catch (err) {
      failures += 1;
      log(err instanceof DocumentError ? err.message : `${shown}: ${(err as Error).message}`);
    }
  }
  return failures;
}

async function collectJsonFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new CliError(`${path}: no such file or folder`);
    if (info.isFile()) files.push(path);
    else await walk(path, files);
  }
  return files.sort();
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(path);
  }
}
