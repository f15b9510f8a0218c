/**
 * Reading a pipeline submission: one uncompressed tar archive (tar-stream parses it), taken in
 * two phases so that nothing unsafe is ever written. First every member is checked from its
 * header before its body is read — a regular file (no links, devices, fifos), a relative name
 * without `..`, a backslash or a NUL, not seen before, within the member-count, per-member and
 * total size caps — and read into memory (bounded by the total cap). Only when the whole
 * archive passed are the files written, into a fresh folder, with exclusive-create flags.
 * Compressed archives are not accepted: no decompression bomb can exist (ADR 0181).
 */
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract, type Header } from 'tar-stream';
import type { BenchReason } from '../documents/bench.js';

/** The contest's caps on a pipeline archive. */
export interface ArchiveCaps {
  readonly members: number;
  readonly memberBytes: number;
  readonly totalBytes: number;
}

/** An archive read into memory: member name → bytes, in archive order. */
export type Members = ReadonlyMap<string, Uint8Array>;

/** The outcome of reading an archive: its members, or the first rule it broke. */
export type ArchiveRead = { readonly members: Members } | { readonly reason: BenchReason };

/** Why a member's header is refused (null when it may be read). */
export function memberRule(
  header: Pick<Header, 'name' | 'type' | 'size' | 'linkname'>,
  seen: ReadonlySet<string>,
  caps: ArchiveCaps,
  bytesSoFar: number,
): BenchReason | null {
  const name = header.name;
  const type = header.type ?? 'file';
  const at = `member "${name}"`;
  if (type === 'symlink' || type === 'link') {
    return {
      code: 'archive-link',
      message: `${at} is a ${type} to "${header.linkname ?? ''}": links are not allowed`,
    };
  }
  if (type === 'character-device' || type === 'block-device' || type === 'fifo') {
    return {
      code: 'archive-device',
      message: `${at} is a ${type}: only regular files are allowed`,
    };
  }
  if (type !== 'file' && type !== 'contiguous-file') {
    return {
      code: 'archive-member-type',
      message: `${at} is a ${type}: only regular files are allowed`,
    };
  }
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    return { code: 'archive-absolute-path', message: `${at} has an absolute path` };
  }
  if (name.split('/').includes('..')) {
    return {
      code: 'archive-parent-path',
      message: `${at} has a ".." segment: it would escape the folder`,
    };
  }
  if (
    name === '' ||
    name.includes('\\') ||
    name.includes('\0') ||
    name.split('/').some((seg: string) => seg === '' || seg === '.')
  ) {
    return {
      code: 'archive-bad-name',
      message: `${at} is not a plain relative path (empty or "." segment, backslash or NUL)`,
    };
  }
  if (seen.has(name)) return { code: 'archive-duplicate-member', message: `${at} appears twice` };
  if (seen.size + 1 > caps.members) {
    return {
      code: 'archive-too-many-members',
      message: `${at} is member ${seen.size + 1}, over the limit of ${caps.members} (pipeline.archive.members)`,
    };
  }
  const size = header.size ?? 0;
  if (size > caps.memberBytes) {
    return {
      code: 'archive-member-too-large',
      message: `${at} is ${size} bytes, over the limit of ${caps.memberBytes} (pipeline.archive.memberBytes)`,
    };
  }
  if (bytesSoFar + size > caps.totalBytes) {
    return {
      code: 'archive-too-large',
      message: `${at} brings the archive to ${bytesSoFar + size} bytes, over the limit of ${caps.totalBytes} (pipeline.archive.totalBytes)`,
    };
  }
  return null;
}

function parseFailure(err: Error): BenchReason {
  const truncated = /unexpected end/i.test(err.message);
  return {
    code: truncated ? 'archive-truncated' : 'archive-not-tar',
    message: `${truncated ? 'is truncated' : 'is not a tar archive'}: ${err.message}`,
  };
}

/**
 * Reads the archive at `path` into memory, checking every member's header before its body.
 * Returns the members, or the first rule broken (nothing is written either way).
 */
export async function readArchive(path: string, caps: ArchiveCaps): Promise<ArchiveRead> {
  const members = new Map<string, Uint8Array>();
  let total = 0;
  const ex = extract();
  const source = createReadStream(path);
  source.on('error', (err) => ex.destroy(err));
  source.pipe(ex);
  try {
    for await (const entry of ex) {
      const reason = memberRule(entry.header, new Set(members.keys()), caps, total);
      if (reason) {
        source.destroy();
        ex.destroy();
        return { reason };
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > caps.memberBytes || total + bytes > caps.totalBytes) {
          source.destroy();
          ex.destroy();
          return {
            reason: {
              code: 'archive-too-large',
              message: `member "${entry.header.name}" holds more bytes than its header declares`,
            },
          };
        }
        chunks.push(chunk);
      }
      total += bytes;
      members.set(entry.header.name, new Uint8Array(Buffer.concat(chunks)));
    }
  } catch (err) {
    return { reason: parseFailure(err as Error) };
  }
  if (members.size === 0) return { reason: { code: 'archive-empty', message: 'holds no files' } };
  return { members };
}

/**
 * Writes checked members into the new folder `dir` (which must not exist yet). Names were
 * checked by memberRule, so every file lands inside `dir`; 'wx' refuses to overwrite.
 */
export async function writeMembers(dir: string, members: Members): Promise<void> {
  await mkdir(dir, { recursive: false });
  for (const [name, bytes] of members) {
    const file = join(dir, name);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, bytes, { flag: 'wx' });
  }
}
