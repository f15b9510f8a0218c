import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { Keyring } from '@polkadot/keyring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CHECK_TITLES } from '../github/comment.js';

const run = promisify(execFile);
const GUIDE = resolve('docs/miner.md');
const PODIUM = resolve('bin/podium.js');

let root: string;
let contestDir: string;
let model: string;
const MNEMONIC = mnemonicGenerate(12);
const HOTKEY = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(MNEMONIC).address;
const BYTES = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256));
const SHA = createHash('sha256').update(BYTES).digest('hex');

/** Runs the installed `podium` command in `root`; resolves with exit code and output. */
async function podium(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [PODIUM, ...args], {
      cwd: root,
      env: { ...process.env, PODIUM_HOTKEY_SEED: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-entry-cli-'));
  contestDir = join(root, 'contests', 'sr-x2-demo');
  await cp('contests/sr-x2-demo', contestDir, { recursive: true });
  model = join(root, 'fast.onnx');
  await writeFile(model, BYTES);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('podium entry create / verify (the commands of docs/miner.md)', () => {
  it('writes the signed entry, prints the exact commitment and next steps, never the secret', async () => {
    const out = await podium(
      [
        'entry',
        'create',
        '--contest',
        'contests/sr-x2-demo',
        '--model',
        'fast.onnx',
        '--url',
        'https://models.example.org/fast.onnx',
        '--source',
        'https://github.com/example/fast-sr',
      ],
      { PODIUM_HOTKEY_SEED: MNEMONIC },
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const file = `contests/sr-x2-demo/entries/${HOTKEY}.json`;
    expect(out.stdout).toContain(`wrote ${file}\ncommitment: podium/1 sr-x2-demo ${SHA}\n`);
    expect(out.stdout).toContain(`podium commit --contest sr-x2-demo --sha256 ${SHA}`);
    expect(out.stdout + out.stderr).not.toContain(
      MNEMONIC.split(' ')[0] + ' ' + MNEMONIC.split(' ')[1],
    );
    const entry = JSON.parse(await readFile(join(root, file), 'utf8')) as Record<string, unknown>;
    expect(entry).toMatchObject({
      contest: 'sr-x2-demo',
      hotkey: HOTKEY,
      model: { url: 'https://models.example.org/fast.onnx', sha256: SHA, bytes: BYTES.length },
      source: 'https://github.com/example/fast-sr',
    });

    const verify = await podium(['entry', 'verify', file]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`ok   signature: sr25519 signature by ${HOTKEY} verifies`);
  });

  it('verify fails a tampered entry with the reason and the fix, exit code 1', async () => {
    const file = join(contestDir, 'entries', `${HOTKEY}.json`);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"bytes": 3000', '"bytes": 2999'));
    const out = await podium(['entry', 'verify', `contests/sr-x2-demo/entries/${HOTKEY}.json`]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAIL signature: signature does not verify/);
    expect(out.stdout).toContain('fix: run `podium entry create` with your hotkey to re-sign');
    expect(out.stderr).toContain('1 entry file(s) failed verification');
    await writeFile(file, text);
  });

  it('reads the secret from a keyfile and warns when others can read it', async () => {
    const keyfile = join(root, 'hotkey.txt');
    await writeFile(keyfile, '//Bob\n');
    await chmod(keyfile, 0o644);
    const out = await podium([
      'entry',
      'create',
      '--contest',
      'contests/sr-x2-demo',
      '--model',
      'fast.onnx',
      '--url',
      'https://models.example.org/fast.onnx',
      '--keyfile',
      keyfile,
    ]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`keyfile ${keyfile} is readable by other users`);
    expect(out.stdout).toContain('entries/5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.json');
  });

  it('refuses without a secret, with a non-https URL, or a model over the contest limit', async () => {
    const base = ['entry', 'create', '--contest', 'contests/sr-x2-demo', '--model', 'fast.onnx'];
    const noKey = await podium([...base, '--url', 'https://m.example.org/x.onnx']);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/no hotkey secret: set PODIUM_HOTKEY_SEED/);
    const http = await podium([...base, '--url', 'http://m.example.org/x.onnx'], {
      PODIUM_HOTKEY_SEED: '//Eve',
    });
    expect(http.code).toBe(1);
    expect(http.stderr).toContain('--url must be https:// (got http:)');
    const big = join(root, 'big.onnx');
    await writeFile(big, Buffer.alloc(16 * 1024 * 1024 + 1));
    const over = await podium(
      [
        'entry',
        'create',
        '--contest',
        'contests/sr-x2-demo',
        '--model',
        big,
        '--url',
        'https://m.example.org/x.onnx',
      ],
      { PODIUM_HOTKEY_SEED: '//Eve' },
    );
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('accepts at most 16777216 (limits.artifactBytes)');
  });
});

/** The shell lines of docs/miner.md's ```sh blocks. */
async function guideCommands(): Promise<string[]> {
  const text = await readFile(GUIDE, 'utf8');
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] ?? '').split('\n').filter((l) => l.trim() !== ''),
  );
}

describe('docs/miner.md', () => {
  it('runs its `podium entry` commands exactly as written', async () => {
    const guide = await mkdtemp(join(tmpdir(), 'podium-guide-'));
    try {
      await cp('contests/sr-x2-demo', join(guide, 'contests', 'sr-x2-demo'), { recursive: true });
      await cp(model, join(guide, '.cache', 'models', 'esrgan-slim-x2.onnx'));
      const bin = join(guide, 'bin');
      await writeFile(
        join(guide, 'podium-shim'),
        `#!/bin/sh\nexec "${process.execPath}" "${PODIUM}" "$@"\n`,
      );
      await cp(join(guide, 'podium-shim'), join(bin, 'podium'));
      await chmod(join(bin, 'podium'), 0o755);
      const lines = (await guideCommands()).filter((l) => l.startsWith('podium entry'));
      expect(lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
        'podium entry create',
        'podium entry verify',
      ]);
      for (const line of lines) {
        const { stdout } = await run('bash', ['-euc', line], {
          cwd: guide,
          env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            PODIUM_HOTKEY_SEED: '//Ferdie',
          },
        });
        expect(stdout).not.toContain('FAIL');
      }
    } finally {
      await rm(guide, { recursive: true, force: true });
    }
  });

  it('lists every check of the PR comment in its table', async () => {
    const text = await readFile(GUIDE, 'utf8');
    for (const title of Object.values(CHECK_TITLES)) expect(text).toContain(`| ${title} |`);
  });
});
