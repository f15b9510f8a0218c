/**
 * Unsafe archives: every rule of archive.ts on a real tar built by tar-stream's packer (the
 * hostile headers a miner could write), and that nothing is written out for any of them.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive, writeMembers, type ArchiveCaps } from './archive.js';
import { tarFiles } from './tar-write.js';

const CAPS: ArchiveCaps = { members: 4, memberBytes: 1000, totalBytes: 1500 };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podium-archive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Entry = { header: Partial<Header> & { name: string }; body?: Uint8Array };

async function tar(entries: readonly Entry[]): Promise<Uint8Array> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve());
    p.on('error', reject);
  });
  for (const e of entries) {
    await new Promise<void>((resolve, reject) =>
      p.entry(e.header, e.body ?? new Uint8Array(0), (err) => (err ? reject(err) : resolve())),
    );
  }
  p.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

let n = 0;
async function read(bytes: Uint8Array) {
  const file = join(dir, `a${n++}.tar`);
  await writeFile(file, bytes);
  return readArchive(file, CAPS);
}

const file = (name: string, size = 10): Entry => ({ header: { name }, body: new Uint8Array(size) });

async function reasonOf(entries: readonly Entry[]) {
  const r = await read(await tar(entries));
  if (!('reason' in r)) throw new Error('expected a refusal');
  return r.reason;
}

describe('pipeline archives', () => {
  it('reads regular files, as tar-stream packs them and as podium writes them', async () => {
    const r = await read(await tar([file('a.onnx'), file('sub/b.onnx', 20)]));
    expect('members' in r && [...r.members.keys()]).toEqual(['a.onnx', 'sub/b.onnx']);
    const own = await read(tarFiles([['x.json', new Uint8Array([123, 125])]]));
    expect('members' in own && [...own.members.get('x.json')!]).toEqual([123, 125]);
  });

  it.each([
    ['archive-absolute-path', [file('/etc/cron.d/x')], '"/etc/cron.d/x" has an absolute path'],
    ['archive-parent-path', [file('../escape.onnx')], '"../escape.onnx" has a ".." segment'],
    ['archive-parent-path', [file('a/../../b')], '"a/../../b" has a ".." segment'],
    ['archive-bad-name', [file('a//b')], 'not a plain relative path'],
    ['archive-bad-name', [file('a\\..\\b')], 'not a plain relative path'],
    [
      'archive-link',
      [{ header: { name: 'l', type: 'symlink', linkname: '/etc/passwd' } }],
      'symlink to "/etc/passwd"',
    ],
    ['archive-link', [{ header: { name: 'h', type: 'link', linkname: 'a' } }], 'is a link to "a"'],
    [
      'archive-device',
      [{ header: { name: 'd', type: 'character-device', devmajor: 1, devminor: 3 } }],
      'character-device',
    ],
    ['archive-device', [{ header: { name: 'b', type: 'block-device' } }], 'block-device'],
    ['archive-device', [{ header: { name: 'f', type: 'fifo' } }], 'fifo'],
    ['archive-member-type', [{ header: { name: 'sub', type: 'directory' } }], 'directory'],
    ['archive-duplicate-member', [file('a'), file('a')], '"a" appears twice'],
    [
      'archive-too-many-members',
      [file('a'), file('b'), file('c'), file('d'), file('e')],
      'member 5, over the limit of 4',
    ],
    ['archive-member-too-large', [file('big', 1001)], '1001 bytes, over the limit of 1000'],
    [
      'archive-too-large',
      [file('a', 900), file('b', 601)],
      'brings the archive to 1501 bytes, over the limit of 1500',
    ],
  ] as const)('refuses %s: %s', async (code, entries, message) => {
    const reason = await reasonOf(entries);
    expect(reason.code).toBe(code);
    expect(reason.message).toContain(message);
  });

  it('refuses an oversized member from its header, before reading its body', async () => {
    // The body is cut off: a reader that read it first would report truncation instead.
    const bytes = await tar([file('big', 5000)]);
    const reason = await read(bytes.subarray(0, 1024));
    expect('reason' in reason && reason.reason.code).toBe('archive-member-too-large');
  });

  it('refuses a truncated archive, a file that is not tar, and an empty one', async () => {
    const whole = await tar([file('a.onnx', 900)]);
    const cut = await read(whole.subarray(0, 700));
    expect('reason' in cut && cut.reason.code).toBe('archive-truncated');
    const text = await read(new TextEncoder().encode('{"not": "a tar"}'.repeat(64)));
    expect('reason' in text && text.reason).toMatchObject({ code: 'archive-not-tar' });
    const empty = await read(new Uint8Array(1024));
    expect('reason' in empty && empty.reason.code).toBe('archive-empty');
  });

  it('writes checked members into a fresh folder only, never over an existing one', async () => {
    const r = await read(await tar([file('a.onnx'), file('sub/b.onnx')]));
    if (!('members' in r)) throw new Error('expected members');
    const out = join(dir, 'out');
    await writeMembers(out, r.members);
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      'a.onnx',
      'sub',
      'sub/b.onnx',
    ]);
    await expect(writeMembers(out, r.members)).rejects.toThrow(/EEXIST/);
  });
});
