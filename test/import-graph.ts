/**
 * What a module pulls in at run time, as esbuild (the bundler the benchmark child is built with)
 * resolves it: the repository files reached from an entry and the npm packages they import.
 * Type-only imports are erased, as they are at run time. Used by the layering tests.
 */
import { relative } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../src/version.js';

/** The files (repository-relative) and npm packages reached from one entry module. */
export interface ImportGraph {
  readonly files: ReadonlySet<string>;
  readonly packages: ReadonlySet<string>;
}

/** Resolves the run-time import graph of `entry` (a repository-relative path); throws on a bad import. */
export async function importGraph(entry: string): Promise<ImportGraph> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Set<string>();
  const packages = new Set<string>();
  for (const [path, input] of Object.entries(result.metafile.inputs)) {
    files.add(relative(REPO_ROOT, `${REPO_ROOT}/${path}`).split('\\').join('/'));
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith('node:'))
        packages.add(packageName(imported.path));
    }
  }
  return { files, packages };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
