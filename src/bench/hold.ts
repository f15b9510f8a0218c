/**
 * Holding each subject's artifact for the length of one benchmark run: a verified artifact is
 * linked (or copied) out of the shared cache into a folder of its own, made read-only and
 * verified again there. Nothing another subject's download does to the cache (replacing a slot,
 * a failed transfer, a tampered file) can then change the file this subject is measured with.
 */
import { chmod, copyFile, link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File, type ArtifactRef } from './download.js';
import { ModelRejection } from './errors.js';

/** A run's private folder of held artifacts; `release` removes it. */
export interface Holder {
  /** Holds the verified file at `path` as subject `index`; returns the held path. */
  hold(index: number, path: string, ref: ArtifactRef): Promise<string>;
  release(): Promise<void>;
}

/**
 * Creates the holder folder inside `cacheRoot` (the same file system as the cache, so holding
 * is a hard link, not a copy). Throws fs errors when the folder cannot be made.
 */
export async function createHolder(cacheRoot: string): Promise<Holder> {
  await mkdir(cacheRoot, { recursive: true });
  const root = await mkdtemp(join(cacheRoot, '.held-'));
  return {
    async hold(index, path, ref) {
      const folder = join(root, String(index));
      await mkdir(folder);
      const held = join(folder, 'model.onnx');
      await link(path, held).catch(() => copyFile(path, held));
      await chmod(held, 0o444);
      const sha = await sha256File(held);
      if (sha !== ref.sha256) {
        throw new ModelRejection(
          'hash-mismatch',
          `${ref.url}: the held copy's sha256 is ${sha}, expected ${ref.sha256}`,
        );
      }
      return held;
    },
    release: () => rm(root, { recursive: true, force: true }),
  };
}
