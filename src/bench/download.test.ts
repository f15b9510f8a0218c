import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchArtifact, fetchUnpinned } from './download.js';
import { httpsServer, type TestServer } from './testing/https.js';

const BODY = randomBytes(700_000);
const SHA = createHash('sha256').update(BODY).digest('hex');
let server: TestServer;
let failuresLeft = 0;

beforeAll(async () => {
  server = await httpsServer((req, res) => {
    if (req.url === '/flaky.onnx' && failuresLeft > 0) {
      failuresLeft -= 1;
      res.writeHead(503).end('busy');
    } else if (req.url === '/model.onnx' || req.url === '/flaky.onnx') {
      res.writeHead(200, { 'content-length': BODY.length }).end(BODY);
    } else if (req.url === '/endless.onnx') {
      res.writeHead(200); // chunked, no length: the client must count
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024, 7)), 1);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/moved.onnx') {
      res.writeHead(302, { location: '/model.onnx' }).end();
    } else res.writeHead(404).end();
  });
});
afterAll(() => server.close());

async function cache(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'podium-cache-'));
}

const opts = (cacheDir: string) => ({
  maxBytes: 10_000_000,
  cacheDir,
  ca: server.ca,
  backoffMs: 10,
});

describe('fetchArtifact over https', () => {
  it('downloads, verifies and never downloads a verified artifact again', async () => {
    const dir = await cache();
    const ref = { url: `${server.url}/model.onnx`, sha256: SHA, bytes: BODY.length };
    const before = server.requests.length;
    const seen: number[] = [];
    const path = await fetchArtifact(ref, {
      ...opts(dir),
      onProgress: (p) => seen.push(p.received),
    });
    expect(
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    ).toBe(SHA);
    expect(seen.at(-1)).toBe(BODY.length);
    expect(seen.length).toBeGreaterThan(1);
    await fetchArtifact(ref, opts(dir));
    expect(server.requests.length - before).toBe(1);
  });

  it('re-downloads when the cached copy was tampered with', async () => {
    const dir = await cache();
    const ref = { url: `${server.url}/model.onnx`, sha256: SHA, bytes: BODY.length };
    const path = await fetchArtifact(ref, opts(dir));
    const tampered = Buffer.from(BODY);
    tampered[10] = (tampered[10] ?? 0) ^ 0xff;
    await writeFile(path, tampered);
    const before = server.requests.length;
    await fetchArtifact(ref, opts(dir));
    expect(server.requests.length - before).toBe(1);
    expect(Buffer.compare(await readFile(path), BODY)).toBe(0);
  });

  it('retries transient HTTP errors with back-off', async () => {
    failuresLeft = 2;
    const ref = { url: `${server.url}/flaky.onnx`, sha256: SHA, bytes: BODY.length };
    await expect(fetchArtifact(ref, opts(await cache()))).resolves.toMatch(/model\.onnx$/);
    expect(failuresLeft).toBe(0);
    failuresLeft = 5;
    await expect(fetchArtifact(ref, { ...opts(await cache()), retries: 1 })).rejects.toMatchObject({
      code: 'download-failed',
      message: expect.stringContaining('HTTP 503'),
    });
  });

  it('aborts a stream that exceeds the declared size', async () => {
    const ref = { url: `${server.url}/endless.onnx`, sha256: SHA, bytes: 200_000 };
    await expect(fetchArtifact(ref, opts(await cache()))).rejects.toMatchObject({
      code: 'size-mismatch',
    });
  });

  it('rejects a wrong hash, a declared size over the limit, a 404 and plain http', async () => {
    const dir = await cache();
    const url = `${server.url}/model.onnx`;
    await expect(
      fetchArtifact({ url, sha256: 'f'.repeat(64), bytes: BODY.length }, opts(dir)),
    ).rejects.toMatchObject({ code: 'hash-mismatch' });
    await expect(
      fetchArtifact({ url, sha256: SHA, bytes: BODY.length }, { ...opts(dir), maxBytes: 1000 }),
    ).rejects.toMatchObject({ code: 'too-large' });
    await expect(
      fetchArtifact({ url: `${server.url}/nope.onnx`, sha256: SHA, bytes: 5 }, opts(dir)),
    ).rejects.toMatchObject({ code: 'download-failed', message: expect.stringContaining('404') });
    await expect(
      fetchArtifact({ url: 'http://127.0.0.1:1/x.onnx', sha256: SHA, bytes: 5 }, opts(dir)),
    ).rejects.toMatchObject({ code: 'bad-url' });
  });

  it('follows https redirects and refuses an untrusted certificate', async () => {
    const ref = { url: `${server.url}/moved.onnx`, sha256: SHA, bytes: BODY.length };
    await expect(fetchArtifact(ref, opts(await cache()))).resolves.toMatch(/model\.onnx$/);
    const untrusted = { maxBytes: 10_000_000, cacheDir: await cache(), retries: 0 };
    await expect(fetchArtifact(ref, untrusted)).rejects.toMatchObject({
      code: 'download-failed',
    });
  });

  it('hashes an unpinned URL for a miner and caches it under its sha256', async () => {
    const dir = await cache();
    const { ref, path } = await fetchUnpinned(`${server.url}/model.onnx`, opts(dir));
    expect(ref).toEqual({ url: `${server.url}/model.onnx`, sha256: SHA, bytes: BODY.length });
    expect(path).toBe(join(dir, SHA, 'model.onnx'));
  });
});

describe('fetchArtifact from file:', () => {
  it('copies into the cache, then serves the verified copy even when the source is gone', async () => {
    const src = join(await cache(), 'm.onnx');
    await writeFile(src, BODY);
    const dir = await cache();
    const ref = { url: pathToFileURL(src).href, sha256: SHA, bytes: BODY.length };
    const path = await fetchArtifact(ref, opts(dir));
    await rm(src);
    expect(await fetchArtifact(ref, opts(dir))).toBe(path);
  });

  it('rejects a file whose bytes differ from the pinned hash', async () => {
    const src = join(await cache(), 'm.onnx');
    await writeFile(src, BODY.subarray(0, 1000));
    const ref = { url: pathToFileURL(src).href, sha256: SHA, bytes: 1000 };
    await expect(fetchArtifact(ref, opts(await cache()))).rejects.toMatchObject({
      code: 'hash-mismatch',
    });
  });
});
