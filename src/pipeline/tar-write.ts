/**
 * A deterministic ustar archive of regular files, built in memory: how podium packs its own
 * pipeline archives for the model catalogue (every header field fixed: mode 0644, uid/gid 0,
 * mtime 0), so the bytes depend only on the names and contents. Reading archives, the part
 * that must be safe against hostile input, is tar-stream's (archive.ts); this writer only
 * ever packs podium's own files and refuses names ustar cannot hold.
 */

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (text: string, at: number) => {
    for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i);
  };
  if (name.length === 0 || name.length > 100 || !/^[\x20-\x7e]+$/.test(name)) {
    throw new RangeError(`tar member name "${name}" must be 1–100 printable ASCII characters`);
  }
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(0, 12), 136);
  put('        ', 148);
  put('0', 156);
  put('ustar\0', 257);
  put('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** The ustar bytes of `files` (name → contents), in the order given, with the end blocks. */
export function tarFiles(files: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, bytes] of files) {
    parts.push(header(name, bytes.length), bytes);
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
