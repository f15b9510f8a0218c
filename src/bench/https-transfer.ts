/**
 * The https side of fetching an artifact: one download with retries and back-off on transient
 * failures, redirects to https only, a size cap enforced while streaming, and a watchdog for the
 * overall deadline and the minimum rate (deadline.ts). Used by download.ts.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { get, type RequestOptions } from 'node:https';
import { DEFAULT_GRACE_MS, downloadDeadlineMs, minimumRate, Watchdog } from './deadline.js';
import type { ArtifactRef, FetchOptions, Progress } from './download.js';
import { ModelRejection } from './errors.js';

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

/**
 * Downloads `url` into `tmp` (at most `cap` bytes), retrying transient failures, and returns its
 * size and sha256 once `verify` accepts them. Throws ModelRejection.
 */
export async function downloadWithRetries(
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

/** What a transfer received. */
export interface Received {
  readonly bytes: number;
  readonly sha256: string;
}

/** Streams into `tmp`, hashing and counting; aborts past `cap` bytes. Throws TransferError. */
export async function consume(
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

/** Throws unless what was received is exactly the artifact `ref` names. */
export function check(got: Received, ref: ArtifactRef): void {
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
