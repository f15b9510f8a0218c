/**
 * `podium bench` for miners: the same code path as a validator's round, for one model file or
 * URL that has no pinned hash yet, against the contest's baseline, on fresh random inputs (or
 * a given seed, to reproduce a run).
 */
import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadContest } from '../contest/load.js';
import { fetchUnpinned } from './download.js';
import { contestFileSha256 } from '../contest/hash.js';
import { benchmarkModels, type RunOptions } from './run.js';
import type { BenchDocument } from '../documents/bench.js';

/** Options of benchmarkLocal. */
export interface LocalOptions extends RunOptions {
  /** 32-byte hex seed; default a random one (printed, so a run can be repeated). */
  readonly seed?: string;
}

/** What benchmarkLocal measured: [baseline, submission] and the seed used. */
export interface LocalResult {
  readonly documents: readonly [BenchDocument, BenchDocument];
  readonly seed: string;
}

/** A path or URL as an artifact URL: `https:`/`file:` kept, a path made an absolute file: URL. */
export function modelUrl(model: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(model) && !/^[a-z]:[\\/]/i.test(model)) return model;
  return pathToFileURL(isAbsolute(model) ? model : resolve(model)).href;
}

/**
 * Benchmarks `model` (path, file: or https: URL) against the baseline of the contest in
 * `contestDir`. Returns both documents. Throws BenchError (runner, isolation, baseline) or
 * ModelRejection when the model cannot be fetched.
 */
export async function benchmarkLocal(
  contestDir: string,
  model: string,
  options: LocalOptions = {},
): Promise<LocalResult> {
  const loaded = await loadContest(contestDir);
  const seed = options.seed ?? `0x${randomBytes(32).toString('hex')}`;
  const { ref } = await fetchUnpinned(modelUrl(model), {
    maxBytes: loaded.contest.limits.artifactBytes,
    baseDir: process.cwd(),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const round = {
    id: `${new Date().toISOString().slice(0, 10)}-local`,
    seed,
    contestSha256: await contestFileSha256(loaded.file),
  };
  const docs = await benchmarkModels(
    loaded,
    round,
    [
      { role: 'baseline', hotkey: null, uid: null, model: loaded.contest.baseline.model },
      { role: 'submission', hotkey: null, uid: null, model: ref },
    ],
    { timeInvalid: true, ...options },
  );
  return { documents: [docs[0] as BenchDocument, docs[1] as BenchDocument], seed };
}
