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
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { get, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveArtifactUrl } from '../contest/load.js';
import { cacheDir } from './cache.js';
import { DEFAULT_GRACE_MS, downloadDeadlineMs, minimumRate, Watchdog } from './deadline.js';
import { ModelRejection } from './errors.js';

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

/** How a transfer failed: `transient` failures are retried. */
class TransferError extends ModelRejection {
  constructor(
    code: string,
    message: string,
    readonly transient: boolean,
  ) {
    super(code, message);
  }
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

async function downloadWithRetries(
  url: URL,
  tmp: string,
  label: string,
  cap: number,
  options: FetchOptions,
  verify: (got: Received) => void,
): Promise<Received> {
  const retries = options.retries ?? 3;
  let delay = options.backoffMs ?? 1000;
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  const dog = new Watchdog(
    label,
    downloadDeadlineMs(cap, options.maxBytes, grace),
    minimumRate(options.maxBytes),
    grace,
  );
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        dog.attempt();
        const got = await download(url, tmp, label, cap, options, 0, dog);
        verify(got);
        return got;
      } catch (err) {
        dog.throwIfFired();
        const transient = err instanceof TransferError ? err.transient : false;
        if (!transient || attempt >= retries) {
          if (err instanceof ModelRejection) throw err;
          throw new ModelRejection('download-failed', `${label}: ${(err as Error).message}`);
        }
        // The watchdog fires during the wait if the deadline passes; the next attempt then fails.
        await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, dog.remainingMs()))));
        delay *= 2;
      }
    }
  } finally {
    dog.stop();
  }
}

async function download(
  url: URL,
  tmp: string,
  label: string,
  cap: number,
  options: FetchOptions,
  redirects: number,
  dog: Watchdog,
): Promise<Received> {
  const response = await request(url, options, dog.signal);
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400 && response.headers.location) {
    response.resume();
    const next = new URL(response.headers.location, url);
    if (next.protocol !== 'https:' || redirects >= 5) {
      throw new TransferError('download-failed', `${label}: refused redirect to ${next}`, false);
    }
    return download(next, tmp, label, cap, options, redirects + 1, dog);
  }
  if (status !== 200) {
    response.resume();
    const transient = status === 408 || status === 429 || status >= 500;
    throw new TransferError('download-failed', `${label}: HTTP ${status}`, transient);
  }
  const declared = Number(response.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > cap) {
    response.destroy();
    throw new TransferError(
      'size-mismatch',
      `${label}: server announces ${declared} bytes, more than ${cap}`,
      false,
    );
  }
  return consume(response, tmp, label, cap, options.onProgress, dog);
}

function request(url: URL, options: FetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const settings: RequestOptions = { timeout: options.idleTimeoutMs ?? 30_000, signal };
  if (options.ca !== undefined) settings.ca = options.ca;
  return new Promise((resolve, reject) => {
    const req = get(url, settings, resolve);
    req.on('timeout', () => req.destroy(new Error('no response (timeout)')));
    req.on('error', (e) => reject(new TransferError('download-failed', e.message, true)));
  });
}

interface Received {
  readonly bytes: number;
  readonly sha256: string;
}

async function consume(
  stream: NodeJS.ReadableStream & { destroy(error?: Error): void },
  tmp: string,
  url: string,
  cap: number,
  onProgress?: (p: Progress) => void,
  dog?: Watchdog,
): Promise<Received> {
  const file = await open(tmp, 'w');
  const hash = createHash('sha256');
  let received = 0;
  let reported = 0;
  try {
    for await (const piece of stream) {
      const chunk = piece as Buffer;
      received += chunk.length;
      if (received > cap) {
        stream.destroy();
        throw new TransferError('size-mismatch', `${url}: more than ${cap} bytes; aborted`, false);
      }
      dog?.progress(chunk.length);
      hash.update(chunk);
      await file.write(chunk);
      if (received - reported >= 256 * 1024) {
        reported = received;
        onProgress?.({ url, received, total: cap });
      }
    }
  } catch (err) {
    if (err instanceof TransferError) throw err;
    throw new TransferError('download-failed', `${url}: ${(err as Error).message}`, true);
  } finally {
    await file.close();
  }
  onProgress?.({ url, received, total: cap });
  return { bytes: received, sha256: hash.digest('hex') };
}

function check(got: Received, ref: ArtifactRef): void {
  if (got.bytes !== ref.bytes) {
    throw new TransferError(
      'size-mismatch',
      `${ref.url}: got ${got.bytes} bytes, expected ${ref.bytes}`,
      true,
    );
  }
  if (got.sha256 !== ref.sha256) {
    throw new TransferError(
      'hash-mismatch',
      `${ref.url}: sha256 is ${got.sha256}, expected ${ref.sha256}`,
      false,
    );
  }
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
