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
    expect(out.stdout).toContain(`npx podium commit --contest sr-x2-demo --sha256 ${SHA}`);
    expect(out.stdout).toContain(`npx podium entry verify ${file}`);
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

  it('refuses a short or malformed PODIUM_HOTKEY_SEED instead of signing with a key nobody owns', async () => {
    const args = ['entry', 'create', '--contest', 'sr-x2-demo', '--model', 'fast.onnx'];
    const url = ['--url', 'https://m.example.org/x.onnx'];
    const cases = [
      ['hello', 'it is a single word, neither a mnemonic nor a 0x seed'],
      ['0x1234', 'the 0x seed has 4 hex digits, not 64'],
      [
        'apple banana cherry',
        'it is 3 words but not a valid BIP39 mnemonic (word count, word list or checksum)',
      ],
    ] as const;
    const outs = await Promise.all(
      cases.map(([seed]) => podium([...args, ...url], { PODIUM_HOTKEY_SEED: seed })),
    );
    outs.forEach((out, i) => {
      expect(out.code).toBe(1);
      expect(out.stderr.trim()).toBe(
        `PODIUM_HOTKEY_SEED does not hold a hotkey secret podium accepts: ${cases[i]![1]}; ` +
          'expected a 12- or 24-word BIP39 mnemonic, a 0x-prefixed 32-byte hex seed (64 hex digits), ' +
          'or a //Name development derivation (local chain only); the value is not shown',
      );
    });
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
      // `npx podium` in a clone runs the package's bin (bin/podium.js); this npx does only that.
      await writeFile(
        join(guide, 'npx-shim'),
        `#!/bin/sh\n[ "$1" = podium ] || exit 127\nshift\nexec "${process.execPath}" "${PODIUM}" "$@"\n`,
      );
      await cp(join(guide, 'npx-shim'), join(bin, 'npx'));
      await chmod(join(bin, 'npx'), 0o755);
      const commands = await guideCommands();
      expect(commands.filter((l) => /^podium /.test(l))).toEqual([]); // no bare form
      const lines = commands.filter((l) => l.startsWith('npx podium entry'));
      expect(lines.map((l) => l.split(' ').slice(0, 4).join(' '))).toEqual([
        'npx podium entry create',
        'npx podium entry verify',
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
