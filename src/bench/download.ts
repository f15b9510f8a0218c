/**
 * Fetching model artifacts into a cache keyed by sha256 and byte count together, so an artifact
 * declared with a known sha256 but another size has its own slot and can never disturb the
 * verified file another subject uses. `https:` (following https redirects) and `file:` URLs; the
 * stream is aborted as soon as it exceeds the declared size or the contest's limit, when the
 * overall deadline passes or the rate falls below the minimum derived from the size cap
 * (deadline.ts); the sha256 is checked before the file is used — also on every cache hit, so a
 * verified artifact is never downloaded twice and a tampered cache is never trusted.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveArtifactUrl } from '../contest/load.js';
import { cacheDir } from './cache.js';
import { ModelRejection } from './errors.js';
import { check, consume, downloadWithRetries } from './https-transfer.js';

/** What to fetch: the artifact triple from a contest, round or entry. */
export interface ArtifactRef {
  readonly url: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** Progress of one transfer; `total` is the declared size. */
export interface Progress {
  readonly url: string;
  readonly received: number;
  readonly total: number;
}

/** Settings for fetchArtifact; every field but maxBytes has a default. */
export interface FetchOptions {
  /** Refuse anything larger (the contest's limits.artifactBytes). */
  readonly maxBytes: number;
  /** Folder that relative `file:` URLs resolve against (the contest folder). */
  readonly baseDir?: string;
  /** Cache folder; default `$PODIUM_CACHE_DIR/artifacts`. */
  readonly cacheDir?: string;
  /** Attempts after the first on transient failures (network errors, 408/429/5xx). Default 3. */
  readonly retries?: number;
  /** First back-off delay; doubles on each retry. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Abort when no byte arrives for this long. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /**
   * Time before the minimum rate is enforced on an attempt (also added to the overall deadline).
   * Default 10 s. The rate and deadline themselves derive from maxBytes (deadline.ts).
   */
  readonly graceMs?: number;
  /** Extra trusted certificate authority (PEM), e.g. a private mirror's or a test server's. */
  readonly ca?: string | Buffer;
  /** Called as bytes arrive (at most once per 256 KiB, and at the end). */
  readonly onProgress?: (p: Progress) => void;
}

/** The cache slot of an artifact: its sha256 and its byte count, never the sha256 alone. */
export function cacheSlot(root: string, ref: Pick<ArtifactRef, 'sha256' | 'bytes'>): string {
  return join(root, `${ref.sha256}-${ref.bytes}`);
}

/**
 * Returns the local path of the verified artifact, downloading it into the cache when needed.
 * Throws ModelRejection: `too-large`, `bad-url`, `download-failed`, `size-mismatch`,
 * `hash-mismatch`, `download-timeout`, `download-too-slow`.
 */
export async function fetchArtifact(ref: ArtifactRef, options: FetchOptions): Promise<string> {
  if (ref.bytes > options.maxBytes) {
    throw new ModelRejection(
      'too-large',
      `${ref.url} declares ${ref.bytes} bytes, over the contest limit of ${options.maxBytes}`,
    );
  }
  const folder = cacheSlot(options.cacheDir ?? cacheDir('artifacts'), ref);
  const path = join(folder, 'model.onnx');
  if (await verifiedCopy(path, ref)) return path;
  await mkdir(folder, { recursive: true });
  const url = resolveArtifactUrl(ref.url, options.baseDir ?? process.cwd());
  const tmp = `${path}.${process.pid}.${Date.now()}.part`;
  try {
    if (url.protocol === 'file:') await copyInto(fileURLToPath(url), tmp, ref, options);
    else if (url.protocol === 'https:') {
      await downloadWithRetries(url, tmp, ref.url, ref.bytes, options, (got) => check(got, ref));
    } else
      throw new ModelRejection('bad-url', `${ref.url}: only https: and file: URLs are allowed`);
    await rename(tmp, path);
    return path;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * For miners testing a model whose hash is not pinned yet: fetches `url` (capped at maxBytes)
 * into the cache and returns its artifact triple and local path. Throws ModelRejection like
 * fetchArtifact.
 */
export async function fetchUnpinned(
  url: string,
  options: FetchOptions,
): Promise<{ ref: ArtifactRef; path: string }> {
  const resolved = resolveArtifactUrl(url, options.baseDir ?? process.cwd());
  if (resolved.protocol === 'file:') {
    const source = fileURLToPath(resolved);
    const info = await stat(source).catch(() => undefined);
    if (!info?.isFile()) throw new ModelRejection('download-failed', `${source}: no such file`);
    const ref = { url, sha256: await sha256File(source), bytes: info.size };
    return { ref, path: await fetchArtifact(ref, options) };
  }
  if (resolved.protocol !== 'https:') {
    throw new ModelRejection('bad-url', `${url}: only https: and file: URLs are allowed`);
  }
  const root = options.cacheDir ?? cacheDir('artifacts');
  await mkdir(root, { recursive: true });
  const tmp = join(root, `.unpinned.${process.pid}.${Date.now()}.part`);
  try {
    const got = await downloadWithRetries(resolved, tmp, url, options.maxBytes, options, () => {});
    const ref = { url, sha256: got.sha256, bytes: got.bytes };
    const folder = cacheSlot(root, got);
    await mkdir(folder, { recursive: true });
    const path = join(folder, 'model.onnx');
    await rename(tmp, path);
    return { ref, path };
  } finally {
    await rm(tmp, { force: true });
  }
}

/** True when `path` holds exactly the artifact; a wrong file is left for the rename to replace. */
async function verifiedCopy(path: string, ref: ArtifactRef): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return false;
  return info.size === ref.bytes && (await sha256File(path)) === ref.sha256;
}

/** The sha256 (hex) of a file's bytes. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function copyInto(
  source: string,
  tmp: string,
  ref: ArtifactRef,
  options: FetchOptions,
): Promise<void> {
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new ModelRejection('download-failed', `${source}: no such file`);
  if (info.size > options.maxBytes) {
    throw new ModelRejection(
      'too-large',
      `${source} is ${info.size} bytes, over the contest limit of ${options.maxBytes}`,
    );
  }
  check(await consume(createReadStream(source), tmp, ref.url, ref.bytes, options.onProgress), ref);
}
