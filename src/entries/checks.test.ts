import { beforeAll, describe, expect, it } from 'vitest';
import { loadContest, type Contest } from '../contest/load.js';
import { checkEntryFile, entryLocation, ENTRY_MAX_BYTES, type Check } from './checks.js';
import { devKey, entryBytes, signedEntry } from './testing.js';

let contest: Contest;
beforeAll(async () => {
  contest = (await loadContest('contests/sr-x2-demo')).contest;
});

const NOW = new Date('2025-06-01T12:00:00Z');
const alice = devKey('Alice');
const alicePath = `contests/sr-x2-demo/entries/${alice.address}.json`;

function failures(checks: readonly Check[]): string[] {
  return checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.detail}`);
}

function check(path: string, entry: unknown, over: Partial<Contest> = {}) {
  return checkEntryFile({
    path,
    bytes: entryBytes(entry),
    contest: { ...contest, ...over },
    now: NOW,
  });
}

describe('offline entry checks', () => {
  it('passes a signed entry in the right place', () => {
    const report = check(alicePath, signedEntry(alice));
    expect(failures(report.checks)).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual([
      'path',
      'size',
      'schema',
      'file-name',
      'contest-id',
      'signature',
      'contest',
      'open',
      'artifact-size',
      'url-https',
    ]);
    expect(report.entry?.hotkey).toBe(alice.address);
  });

  it('rejects a file name that is not the hotkey', () => {
    const bob = devKey('Bob');
    const report = check(`contests/sr-x2-demo/entries/${bob.address}.json`, signedEntry(alice));
    expect(failures(report.checks)).toEqual([
      `file-name: file name ${bob.address}.json does not match the hotkey ${alice.address}`,
    ]);
  });

  it('rejects a wrong contest id', () => {
    const report = check(alicePath, signedEntry(alice, { contest: 'other-contest' }));
    expect(failures(report.checks)).toEqual([
      'contest-id: entry says contest "other-contest" but sits in contests/sr-x2-demo/',
    ]);
  });

  it('rejects an entry for a contest that does not exist', () => {
    const path = `contests/nope/entries/${alice.address}.json`;
    const report = checkEntryFile({
      path,
      bytes: entryBytes(signedEntry(alice, { contest: 'nope' })),
      contest: null,
      now: NOW,
    });
    expect(failures(report.checks)).toEqual(['contest: no contest "nope" in this repository']);
  });

  it('rejects an oversize entry file before parsing it', () => {
    const entry = { ...signedEntry(alice), padding: 'x'.repeat(ENTRY_MAX_BYTES) };
    const report = check(alicePath, entry);
    expect(failures(report.checks)).toEqual([`size: file is ${entryBytes(entry).length} bytes`]);
    expect(report.entry).toBeNull();
  });

  it('rejects a model larger than the contest allows', () => {
    const bytes = contest.limits.artifactBytes + 1;
    const entry = signedEntry(alice, { model: { ...signedEntry(alice).model, bytes } });
    expect(failures(check(alicePath, entry).checks)).toEqual([
      `artifact-size: model is ${bytes} bytes, over the contest limit of ${contest.limits.artifactBytes}`,
    ]);
  });

  it('rejects a modified field through the signature check', () => {
    const entry = { ...signedEntry(alice), createdAt: '2025-01-02T03:04:06.000Z' };
    expect(failures(check(alicePath, entry).checks)).toEqual([
      expect.stringMatching(/^signature: signature does not verify .*field changed after signing/),
    ]);
  });

  it('lists every schema problem with its JSON pointer', () => {
    const entry = { ...signedEntry(alice), model: { url: 'ftp://x', sha256: 'zz', bytes: 0 } };
    const [schema] = failures(check(alicePath, entry).checks);
    expect(schema).toMatch(/^schema: /);
    for (const pointer of ['/model/url', '/model/sha256', '/model/bytes']) {
      expect(schema).toContain(`${alicePath}: ${pointer}`);
    }
  });

  it('rejects a signed entry that shows one URL to a reader and signs another through a duplicate key', () => {
    const signed = signedEntry(alice, {
      model: { url: 'https://evil.example.org/m.onnx', sha256: 'a'.repeat(64), bytes: 1000 },
    });
    // JSON.parse keeps the last "url" (the signed one); a reviewer reads the first.
    const text = new TextDecoder()
      .decode(entryBytes(signed))
      .replace('"url":', '"url": "https://models.example.org/honest.onnx",\n    "url":');
    const report = checkEntryFile({ path: alicePath, bytes: Buffer.from(text), contest, now: NOW });
    expect(report.entry).toBeNull();
    expect(failures(report.checks)).toEqual([
      expect.stringMatching(
        new RegExp(`^schema: ${alicePath}: /model/url is a duplicate key "url" at line \\d+`),
      ),
    ]);
  });

  it('rejects a file that is not JSON or not UTF-8', () => {
    const notJson = checkEntryFile({
      path: alicePath,
      bytes: Buffer.from('{"a":'),
      contest,
      now: NOW,
    });
    expect(failures(notJson.checks)[0]).toMatch(/^schema: .*is not valid JSON/);
    const notUtf8 = checkEntryFile({
      path: alicePath,
      bytes: Buffer.from([0xff, 0xfe]),
      contest,
      now: NOW,
    });
    expect(failures(notUtf8.checks)).toEqual([`schema: ${alicePath}: is not UTF-8 text`]);
  });

  it('rejects a path outside contests/<id>/entries/', () => {
    const report = check(`contests/sr-x2-demo/${alice.address}.json`, signedEntry(alice));
    expect(failures(report.checks)[0]).toMatch(/^path: .* is not contests\/<contest-id>\/entries/);
  });

  it('refuses entries before the contest opens and after it closes, by the contest time zone', () => {
    const schedule = { ...contest.schedule, opens: '2025-06-02', closes: '2025-06-30' };
    // 2025-06-02T05:00Z is still June 1st in Los Angeles
    const early = checkEntryFile({
      path: alicePath,
      bytes: entryBytes(signedEntry(alice)),
      contest: { ...contest, schedule },
      now: new Date('2025-06-02T05:00:00Z'),
    });
    expect(failures(early.checks)).toEqual([
      'open: contest opens on 2025-06-02 (America/Los_Angeles); today is 2025-06-01',
    ]);
    const late = checkEntryFile({
      path: alicePath,
      bytes: entryBytes(signedEntry(alice)),
      contest: { ...contest, schedule },
      now: new Date('2025-07-01T12:00:00Z'),
    });
    expect(failures(late.checks)).toEqual([
      'open: contest closed on 2025-06-30 (America/Los_Angeles); today is 2025-07-01',
    ]);
  });

  it('refuses file: model URLs unless local use allows them', () => {
    const entry = signedEntry(alice, {
      model: { ...signedEntry(alice).model, url: 'file:models/fast.onnx' },
    });
    expect(failures(check(alicePath, entry).checks)).toEqual([
      'url-https: model URL is not https: file:models/fast.onnx',
    ]);
    const local = checkEntryFile({
      path: alicePath,
      bytes: entryBytes(entry),
      contest,
      now: NOW,
      allowFileUrls: true,
    });
    expect(failures(local.checks)).toEqual([]);
    expect(local.checks.at(-1)?.status).toBe('warn');
  });

  it('reads the contest and hotkey from any path ending in contests/<id>/entries/<file>', () => {
    expect(entryLocation('/tmp/x/contests/a-b/entries/5Grw.json')).toEqual({
      contest: 'a-b',
      stem: '5Grw',
    });
    expect(entryLocation('contests/a/entries/sub/5Grw.json')).toBeNull();
    expect(entryLocation('contests/a/entries/5Grw.txt')).toBeNull();
  });
});
