import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadDeadlineMs, minimumRate, RATE_FLOOR } from './deadline.js';
import { cacheSlot, fetchArtifact, fetchUnpinned } from './download.js';
import { httpsServer, type TestServer } from './testing/https.js';

const BODY = randomBytes(700_000);
const SHA = createHash('sha256').update(BODY).digest('hex');
let server: TestServer;
let failuresLeft = 0;
let trickled = 0;
/** A trickle: 3 bytes every 300 ms, far below any minimum rate, but never idle. */
const TRICKLE_MS = 300;

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
    } else if (req.url === '/trickle.onnx') {
      res.writeHead(200, { 'content-length': BODY.length });
      const timer = setInterval(() => {
        trickled += 3;
        res.write(BODY.subarray(trickled - 3, trickled));
      }, TRICKLE_MS);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/trickle-headers.onnx') {
      // Raw bytes of a status line, one at a time: headers never complete, the socket never idles.
      const line = Buffer.from('HTTP/1.1 200 OK\r\nx-slow: ' + 'a'.repeat(10_000));
      let sent = 0;
      const timer = setInterval(() => req.socket.write(line.subarray(sent, ++sent)), TRICKLE_MS);
      req.socket.on('close', () => clearInterval(timer));
    } else if (req.url === '/drops.onnx') {
      // Most of the body at full speed, then the connection drops: a transient error, forever.
      res.writeHead(200, { 'content-length': BODY.length });
      res.write(BODY.subarray(0, 400_000), () => res.destroy());
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
    expect(path).toBe(join(dir, `${SHA}-${BODY.length}`, 'model.onnx'));
  });
});

describe('hostile download servers', () => {
  const grace = 400;
  it('derives the minimum rate and the deadline from the contest size cap', () => {
    expect(minimumRate(16 * 2 ** 20)).toBe(RATE_FLOOR);
    expect(minimumRate(10 * 2 ** 30)).toBe(Math.ceil((10 * 2 ** 30) / 900));
    expect(downloadDeadlineMs(2 * RATE_FLOOR, 1000, 10_000)).toBe(12_000);
  });

  it('aborts a server that trickles a few bytes a second as download-too-slow', async () => {
    const ref = { url: `${server.url}/trickle.onnx`, sha256: SHA, bytes: BODY.length };
    trickled = 0;
    await expect(
      fetchArtifact(ref, { ...opts(await cache()), graceMs: grace }),
    ).rejects.toMatchObject({
      code: 'download-too-slow',
      message: expect.stringMatching(/below the minimum rate of 256 KiB\/s/),
    });
    // Stopped after the grace period and a check, not after the ~20 hours the trickle would take.
    expect(trickled).toBeLessThan(100);
  });

  it('aborts a server that trickles its headers byte by byte', async () => {
    const ref = { url: `${server.url}/trickle-headers.onnx`, sha256: SHA, bytes: BODY.length };
    await expect(
      fetchArtifact(ref, { ...opts(await cache()), graceMs: grace }),
    ).rejects.toMatchObject({ code: 'download-too-slow' });
  });

  it('gives up at the overall deadline on a server that always drops the connection', async () => {
    const ref = { url: `${server.url}/drops.onnx`, sha256: SHA, bytes: BODY.length };
    const before = server.requests.length;
    const deadline = downloadDeadlineMs(BODY.length, 10_000_000, grace);
    const t0 = Date.now();
    await expect(
      fetchArtifact(ref, { ...opts(await cache()), graceMs: grace, retries: 1e6, backoffMs: 1 }),
    ).rejects.toMatchObject({
      code: 'download-timeout',
      message: expect.stringContaining('overall deadline'),
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(deadline);
    expect(server.requests.length - before).toBeGreaterThan(1);
  });
});

describe('the artifact cache under a hostile reference', () => {
  it('never disturbs a verified artifact when another ref declares its sha256 with another size', async () => {
    const dir = await cache();
    const good = { url: `${server.url}/model.onnx`, sha256: SHA, bytes: BODY.length };
    const path = await fetchArtifact(good, opts(dir));
    const hostile = { url: `${server.url}/model.onnx`, sha256: SHA, bytes: BODY.length - 1 };
    await expect(fetchArtifact(hostile, opts(dir))).rejects.toMatchObject({
      code: 'size-mismatch',
    });
    expect(cacheSlot(dir, hostile)).not.toBe(cacheSlot(dir, good));
    expect(Buffer.compare(await readFile(path), BODY)).toBe(0);
    const before = server.requests.length;
    expect(await fetchArtifact(good, opts(dir))).toBe(path);
    expect(server.requests.length).toBe(before);
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
