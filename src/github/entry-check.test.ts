import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { devKey, entryBytes, signedEntry, unsignedEntry } from '../entries/testing.js';
import { signingMessage } from '../entries/sign.js';
import type { CommitmentSource } from '../entries/onchain.js';
import { makeOctokit } from './api.js';
import { COMMENT_MARKER } from './comment.js';
import { runEntryCheck, type EntryCheckDeps, type EntryCheckSettings } from './entry-check.js';
import { startLocalGitHub, type LocalGitHub } from './local-github.js';
import { httpsProbe } from './probe.js';

const MODEL = new Uint8Array(4321).map((_, i) => (i * 7) % 251);
const MODEL_SHA = createHash('sha256').update(MODEL).digest('hex');

let certDir: string;
let ca: string;
let models: Server;
let modelBase: string;

/** A self-signed https server on 127.0.0.1 serving MODEL at /fast.onnx (HEAD and Range). */
beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'podium-cert-'));
  const [key, cert] = [join(certDir, 'key.pem'), join(certDir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  ca = await readFile(cert, 'utf8');
  models = createServer({ key: await readFile(key), cert: ca }, (req, res) => {
    if (req.url === '/moved.onnx') {
      res.writeHead(302, { location: '/fast.onnx' }).end();
    } else if (req.url === '/fast.onnx' && req.method === 'HEAD') {
      res.writeHead(200, { 'content-length': MODEL.length }).end();
    } else if (req.url === '/norange.onnx' && req.method === 'GET') {
      res
        .writeHead(206, { 'content-range': `bytes 0-0/${MODEL.length + 1}` })
        .end(MODEL.subarray(0, 1));
    } else {
      res.writeHead(req.method === 'HEAD' ? 405 : 404).end();
    }
  });
  await new Promise<void>((resolve) => models.listen(0, '127.0.0.1', resolve));
  modelBase = `https://127.0.0.1:${(models.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => models.close(resolve));
  await rm(certDir, { recursive: true, force: true });
});

let gh: LocalGitHub;
beforeEach(async () => {
  gh = await startLocalGitHub();
});
afterEach(async () => {
  await gh.close();
});

const alice = devKey('Alice');
const entryPath = `contests/sr-x2-demo/entries/${alice.address}.json`;

function goodEntry(url = `${modelBase}/fast.onnx`) {
  return signedEntry(alice, { model: { url, sha256: MODEL_SHA, bytes: MODEL.length } });
}

function settings(): EntryCheckSettings {
  return {
    pr: { owner: gh.owner, repo: gh.repo, number: gh.number, headSha: gh.head.sha },
    repoRoot: process.cwd(),
    now: new Date('2025-06-01T12:00:00Z'),
    botLogin: 'github-actions[bot]',
    statusContext: 'podium/entry',
  };
}

function deps(chain: CommitmentSource | null = null): EntryCheckDeps {
  return {
    octokit: makeOctokit('test-token', gh.baseUrl),
    probe: httpsProbe({ ca, allowPrivateHosts: true, timeoutMs: 5000 }),
    chain,
  };
}

/** A chain answering from a table: the real interface, with local data instead of a node. */
function tableChain(
  rows: Record<string, { uid: number; text?: string; block?: number }>,
): CommitmentSource {
  return {
    description: 'test table at block 100',
    registration: async (_netuid, hotkey) => (rows[hotkey] ? { uid: rows[hotkey].uid } : null),
    commitment: async (_netuid, hotkey) => {
      const row = rows[hotkey];
      return row?.text !== undefined ? { text: row.text, block: row.block ?? 1 } : null;
    },
  };
}

function forgedByBob() {
  const unsigned = unsignedEntry(alice, {
    model: { url: `${modelBase}/fast.onnx`, sha256: MODEL_SHA, bytes: MODEL.length },
  });
  const sig = devKey('Bob').sign(signingMessage(unsigned));
  return { ...unsigned, signature: `0x${Buffer.from(sig).toString('hex')}` };
}

describe('PR entry check against a local GitHub API', () => {
  it('comments once and updates in place on a second push, switching labels and status', async () => {
    gh.head = {
      sha: 'a'.repeat(40),
      files: [
        { filename: entryPath, status: 'added', content: entryBytes(forgedByBob()) },
        {
          filename: '.github/workflows/steal.yml',
          status: 'added',
          content: Buffer.from('on: push'),
        },
      ],
    };
    const first = await runEntryCheck(settings(), deps());
    expect(first.verdict.valid).toBe(false);
    expect(gh.comments).toHaveLength(1);
    const id = gh.comments[0]?.id;
    const body1 = gh.comments[0]?.body ?? '';
    expect(body1.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body1).toContain(
      '❌ **only entry files changed**: changes .github/workflows/steal.yml, which is not an entry file',
    );
    expect(body1).toMatch(/❌ \*\*hotkey signature\*\*: signature does not verify/);
    expect([...gh.labels]).toEqual(['entry:invalid']);
    expect(gh.statuses.at(-1)).toMatchObject({
      sha: 'a'.repeat(40),
      state: 'failure',
      context: 'podium/entry',
    });

    gh.head = {
      sha: 'b'.repeat(40),
      files: [{ filename: entryPath, status: 'added', content: entryBytes(goodEntry()) }],
    };
    const second = await runEntryCheck(settings(), deps());
    expect(second.verdict).toEqual({
      valid: true,
      failures: 0,
      unchecked: ['registration', 'commitment'],
    });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.id).toBe(id);
    const body2 = gh.comments[0]?.body ?? '';
    expect(body2).not.toBe(body1);
    expect(body2).toContain(
      '✅ **model URL answers with the declared size**: 4321 bytes, as declared (head)',
    );
    expect(body2).toContain(
      '⏭️ **on-chain commitment**: not checked: this check has no chain endpoint configured',
    );
    expect(body2).toContain(`podium commit --contest sr-x2-demo --sha256 ${MODEL_SHA}`);
    expect([...gh.labels]).toEqual(['entry:valid']);
    expect(gh.statuses.at(-1)).toMatchObject({
      sha: 'b'.repeat(40),
      state: 'success',
      description: 'entry valid; not checked: registration, commitment',
      target_url: `https://github.com/podium-subnet/podium/pull/7#issuecomment-${id}`,
    });
    expect(
      gh.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/comments')),
    ).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('never requests the PR code: only the entry files, by contents API, at the head sha', async () => {
    gh.head = {
      sha: 'c'.repeat(40),
      files: [
        { filename: entryPath, status: 'modified', content: entryBytes(goodEntry()) },
        { filename: 'src/cli/main.ts', status: 'modified', content: Buffer.from('evil()') },
        { filename: 'package.json', status: 'modified', content: Buffer.from('{}') },
      ],
    };
    const result = await runEntryCheck(settings(), deps());
    expect(result.report.scope[0]?.detail).toBe(
      'changes src/cli/main.ts, which is not an entry file\nchanges package.json, which is not an entry file',
    );
    const allowed = [
      /^GET \/repos\/podium-subnet\/podium\/pulls\/7\/files\?per_page=100$/,
      /^GET \/repos\/podium-subnet\/podium\/contents\/[^?]+\?ref=c{40}$/,
      /^GET \/repos\/podium-subnet\/podium\/issues\/7\/(comments|labels)\?per_page=100$/,
      /^(POST|PATCH) \/repos\/podium-subnet\/podium\/issues\/(7\/)?comments(\/\d+)?$/,
      /^(POST|DELETE) \/repos\/podium-subnet\/podium\/issues\/7\/labels(\/.+)?$/,
      /^POST \/repos\/podium-subnet\/podium\/statuses\/c{40}$/,
    ];
    for (const r of gh.requests) {
      expect(
        allowed.some((re) => re.test(`${r.method} ${r.url}`)),
        `${r.method} ${r.url}`,
      ).toBe(true);
      expect(r.url).not.toMatch(/tarball|zipball|archive|\/git\/|\/commits|\/actions\//);
      expect(r.authorization).toBe('token test-token');
    }
    const read = gh.requests
      .filter((r) => r.url.includes('/contents/'))
      .map((r) => decodeURIComponent(r.url));
    expect(read).toEqual([
      `/repos/podium-subnet/podium/contents/${entryPath}?ref=${'c'.repeat(40)}`,
    ]);
  });

  it('leaves a human comment that quotes the marker alone and creates its own', async () => {
    gh.addComment('someone', `${COMMENT_MARKER}\nfake all clear`);
    gh.head = {
      sha: 'd'.repeat(40),
      files: [{ filename: entryPath, status: 'added', content: entryBytes(goodEntry()) }],
    };
    await runEntryCheck(settings(), deps());
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[0]?.body).toBe(`${COMMENT_MARKER}\nfake all clear`);
    expect(gh.comments[1]?.login).toBe('github-actions[bot]');
  });

  it('checks registration and the commitment when a chain is configured, and says what to commit', async () => {
    gh.head = {
      sha: 'e'.repeat(40),
      files: [{ filename: entryPath, status: 'added', content: entryBytes(goodEntry()) }],
    };
    const right = `podium/1 sr-x2-demo ${MODEL_SHA}`;
    const ok = await runEntryCheck(
      settings(),
      deps(tableChain({ [alice.address]: { uid: 3, text: right, block: 42 } })),
    );
    expect(ok.verdict).toEqual({ valid: true, failures: 0, unchecked: [] });
    expect(gh.comments[0]?.body).toContain(`✅ **on-chain commitment**: \`${right}\` at block 42`);

    const wrong = await runEntryCheck(
      settings(),
      deps(
        tableChain({ [alice.address]: { uid: 3, text: `podium/1 other-contest ${MODEL_SHA}` } }),
      ),
    );
    expect(wrong.verdict.valid).toBe(false);
    expect(gh.comments[0]?.body).toContain('names contest "other-contest", not "sr-x2-demo"');
    expect(gh.comments[0]?.body).toContain(
      `**fix:** run \`podium commit --contest sr-x2-demo --sha256 ${MODEL_SHA}\``,
    );

    const none = await runEntryCheck(settings(), deps(tableChain({})));
    expect(
      none.report.files[0]?.checks.filter((c) => c.status === 'fail').map((c) => c.id),
    ).toEqual(['registration', 'commitment']);
    expect([...gh.labels]).toEqual(['entry:invalid']);
  });

  it('fails an entry whose URL serves another size, and follows redirects', async () => {
    const bad = signedEntry(alice, {
      model: { url: `${modelBase}/norange.onnx`, sha256: MODEL_SHA, bytes: MODEL.length },
    });
    gh.head = {
      sha: 'f'.repeat(40),
      files: [{ filename: entryPath, status: 'added', content: entryBytes(bad) }],
    };
    const result = await runEntryCheck(settings(), deps());
    const check = result.report.files[0]?.checks.find((c) => c.id === 'url-reachable');
    expect(check).toMatchObject({
      status: 'fail',
      detail: `the URL serves ${MODEL.length + 1} bytes; the entry declares ${MODEL.length}`,
    });

    const moved = signedEntry(alice, {
      model: { url: `${modelBase}/moved.onnx`, sha256: MODEL_SHA, bytes: MODEL.length },
    });
    gh.head = {
      sha: 'f'.repeat(40),
      files: [{ filename: entryPath, status: 'added', content: entryBytes(moved) }],
    };
    const again = await runEntryCheck(settings(), deps());
    expect(again.verdict.valid).toBe(true);
  });

  it('rejects a removed entry, a symlink and an oversize file, each with its own message', async () => {
    const bob = devKey('Bob');
    gh.head = {
      sha: '1'.repeat(40),
      files: [
        { filename: `contests/sr-x2-demo/entries/${bob.address}.json`, status: 'removed' },
        { filename: entryPath, status: 'added', content: Buffer.from('x'), type: 'symlink' },
        {
          filename: `contests/sr-x2-demo/entries/${devKey('Charlie').address}.json`,
          status: 'added',
          content: new Uint8Array(5000),
        },
      ],
    };
    const result = await runEntryCheck(settings(), deps());
    expect(result.report.scope[0]?.detail).toBe(
      `removes contests/sr-x2-demo/entries/${bob.address}.json`,
    );
    const details = result.report.files.map(
      (f) => f.checks.find((c) => c.status === 'fail')?.detail,
    );
    expect(details).toEqual([
      'file is 5000 bytes', // Charlie's file sorts first
      `${entryPath} is a symlink, not a regular file`,
    ]);
  });

  it('fails an entry whose duplicate key would hide the signed value from reviewers', async () => {
    const text = new TextDecoder()
      .decode(entryBytes(goodEntry()))
      .replace('"sha256":', `"sha256": "${'0'.repeat(64)}",\n    "sha256":`);
    gh.head = {
      sha: '2'.repeat(40),
      files: [{ filename: entryPath, status: 'added', content: Buffer.from(text) }],
    };
    const result = await runEntryCheck(settings(), deps());
    expect(result.verdict.valid).toBe(false);
    const failed = result.report.files[0]?.checks.find((c) => c.status === 'fail');
    expect(failed?.id).toBe('schema');
    expect(failed?.detail).toContain(`${entryPath}: /model/sha256 is a duplicate key "sha256"`);
    expect(gh.comments[0]?.body).toContain('/model/sha256 is a duplicate key');
  });

  it('escapes what the PR controls, so a file name cannot inject markup or mentions', async () => {
    gh.head = {
      sha: '2'.repeat(40),
      files: [
        {
          filename: 'docs/<img src=x onerror=alert(1)> @maintainers [x](https://evil).md',
          status: 'added',
          content: Buffer.from(''),
        },
      ],
    };
    await runEntryCheck(settings(), deps());
    const body = gh.comments[0]?.body ?? '';
    expect(body).not.toContain('<img');
    expect(body).not.toContain('@maintainers');
    expect(body).not.toContain('](https://');
  });
});
