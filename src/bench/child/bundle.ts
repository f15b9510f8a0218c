/**
 * The child program as one plain ESM file. Running TypeScript through tsx's loader costs
 * ~200 ms per process start; bundling worker.ts once with esbuild (already installed with tsx)
 * makes an isolated child start in about the time of `node` itself. The bundle is written to
 * the cache under its content hash and re-used.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../json/file.js';
import { cacheDir } from '../cache.js';

let pending: Promise<string> | undefined;

/** Returns the path of the bundled worker (built on first call in this process). */
export function workerScript(): Promise<string> {
  pending ??= build();
  return pending;
}

/** The file URL the worker imports onnxruntime-node from (this checkout's copy). */
export function onnxruntimeUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href;
}

async function build(): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text;
  if (text === undefined) throw new Error('esbuild produced no output for the worker');
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = join(cacheDir('bench'), `worker-${digest}.mjs`);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing !== text) await writeFileAtomic(file, text);
  return file;
}
