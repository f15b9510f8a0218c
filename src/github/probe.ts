/**
 * Asks a model URL for its size without downloading it: `HEAD`, and when that gives no length,
 * `GET` with `Range: bytes=0-0` (the total is in `Content-Range`). https only, redirects
 * followed by hand (each hop must stay https and public), hosts that resolve to loopback,
 * private or link-local addresses refused unless `allowPrivateHosts` (tests), short timeouts.
 */
import { lookup } from 'node:dns/promises';
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** What a probe learned. `bytes` is null when the server did not say. */
export type ProbeResult =
  | { readonly reachable: true; readonly bytes: number | null; readonly via: 'head' | 'range' }
  | { readonly reachable: false; readonly reason: string };

/** Probes one URL; never throws. */
export type UrlProbe = (url: string) => Promise<ProbeResult>;

/** Options of httpsProbe. */
export interface ProbeOptions {
  /** Per-request timeout in ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Allow loopback/private addresses (tests against a local server only). */
  readonly allowPrivateHosts?: boolean;
  /** Extra trusted CA certificates in PEM (tests with a self-signed local server). */
  readonly ca?: string;
  /** Most redirects followed (default 5). */
  readonly maxRedirects?: number;
}

/** Returns a probe that uses real https requests with `options`. */
export function httpsProbe(options: ProbeOptions = {}): UrlProbe {
  return (url) => probe(url, options).catch((err: unknown) => unreachable(errorText(err)));
}

function unreachable(reason: string): ProbeResult {
  return { reachable: false, reason };
}

function errorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

async function probe(url: string, options: ProbeOptions): Promise<ProbeResult> {
  let current = url;
  for (let hop = 0; hop <= (options.maxRedirects ?? 5); hop += 1) {
    const refused = await refusedTarget(current, options.allowPrivateHosts === true);
    if (refused !== null) return unreachable(refused);
    const head = await send(current, 'HEAD', options);
    const location = redirectOf(head, current);
    if (location !== null) {
      current = location;
      continue;
    }
    const length = head.statusCode === 200 ? contentLength(head) : null;
    if (length !== null) return { reachable: true, bytes: length, via: 'head' };
    const ranged = await send(current, 'GET', options, { Range: 'bytes=0-0' });
    if (ranged.statusCode === 206) {
      return { reachable: true, bytes: rangeTotal(ranged), via: 'range' };
    }
    if (ranged.statusCode === 200)
      return { reachable: true, bytes: contentLength(ranged), via: 'range' };
    return unreachable(`HTTP ${ranged.statusCode ?? '?'} for ${current}`);
  }
  return unreachable(`more than ${options.maxRedirects ?? 5} redirects from ${url}`);
}

function redirectOf(res: IncomingMessage, from: string): string | null {
  const status = res.statusCode ?? 0;
  if (status < 300 || status >= 400 || res.headers.location === undefined) return null;
  return new URL(res.headers.location, from).toString();
}

function contentLength(res: IncomingMessage): number | null {
  const value = Number(res.headers['content-length']);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function rangeTotal(res: IncomingMessage): number | null {
  const m = /\/(\d+)\s*$/.exec(String(res.headers['content-range'] ?? ''));
  return m && m[1] ? Number(m[1]) : null;
}

function send(
  url: string,
  method: 'HEAD' | 'GET',
  options: ProbeOptions,
  headers: Record<string, string> = {},
): Promise<IncomingMessage> {
  const req: RequestOptions = {
    method,
    headers: { 'User-Agent': 'podium-entry-check', ...headers },
    timeout: options.timeoutMs ?? 10_000,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  };
  return new Promise((resolve, reject) => {
    const r = request(url, req, (res) => {
      res.destroy(); // the headers are all we need: never read the body
      resolve(res);
    });
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeout} ms`)));
    r.on('error', reject);
    r.end();
  });
}

/** Why podium will not contact `url`, or null when it may. */
export async function refusedTarget(url: string, allowPrivate: boolean): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (parsed.protocol !== 'https:') return `not https: ${url}`;
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) return `cannot resolve ${host}`;
  const bad = addresses.find(isPrivateAddress);
  return bad === undefined ? null : `${host} resolves to a non-public address (${bad})`;
}

/** True for loopback, private, link-local, CGNAT, unspecified and unique-local addresses. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  const lower = address.toLowerCase();
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}
