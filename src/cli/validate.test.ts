import { mkdtemp, writeFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

const REPO = join(import.meta.dirname, '../..');
let out: string[];

beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  process.exitCode = undefined;
});
afterEach(() => vi.restoreAllMocks());

describe('podium validate', () => {
  it('passes on the repository contests (exit 0)', async () => {
    expect(await main(['validate', join(REPO, 'contests')])).toBe(0);
    expect(out.join('\n')).toMatch(/ok\s+.*sr-x2-demo\/contest\.json \(contest\)/);
  });

  it('fails with exit 1 and names file, pointer and value for a bad file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-validate-'));
    const doc = JSON.parse(
      await readFile(join(REPO, 'contests/sr-x2-demo/contest.json'), 'utf8'),
    ) as Record<string, unknown>;
    (doc.limits as Record<string, unknown>).loadSeconds = -5;
    await mkdir(join(dir, 'inputs'));
    const file = join(dir, 'contest.json');
    await writeFile(file, JSON.stringify(doc));
    expect(await main(['validate', file])).toBe(1);
    expect(out.join('\n')).toContain('/limits/loadSeconds must be > 0 (got -5) [exclusiveMinimum]');
  });

  it('fails with exit 1 on a JSON file that names no podium schema', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-validate-'));
    await writeFile(join(dir, 'x.json'), '{"hello": 1}');
    expect(await main(['validate', dir])).toBe(1);
    expect(out.join('\n')).toContain('/$schema must name a podium schema');
  });

  it('exits 2 on usage errors and 0 on --help', async () => {
    expect(await main(['no-such-command'])).toBe(2);
    expect(await main(['validate', '--no-such-flag'])).toBe(2);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['validate', '--help'])).toBe(0);
    write.mockRestore();
  });

  it('exits 1 for a path that does not exist', async () => {
    expect(await main(['validate', '/no/such/path'])).toBe(1);
    expect(out.join('\n')).toContain('/no/such/path: no such file or folder');
  });
});

describe('podium validate (the real binary) on a contest the benchmark cannot run', () => {
  it('refuses an archive input source and a float16 input, naming file, field and value', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'podium-validate-')), 'contests', 'sr-x2-demo');
    await mkdir(join(dir, 'inputs'), { recursive: true });
    const doc = JSON.parse(
      await readFile(join(REPO, 'contests/sr-x2-demo/contest.json'), 'utf8'),
    ) as {
      inputs: Record<string, unknown>;
      baseline: { io: { inputs: { elementType: string }[] } };
    };
    doc.inputs.source = {
      type: 'archive',
      archive: { url: 'https://x.example/in.tar', sha256: 'a'.repeat(64), bytes: 10 },
    };
    doc.baseline.io.inputs[0]!.elementType = 'float16';
    await writeFile(join(dir, 'contest.json'), JSON.stringify(doc));
    const r = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin/podium.js'), 'validate', dir],
      {
        cwd: dirname(dirname(dir)),
      },
    ).then(
      (ok) => ({ code: 0, ...ok }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'contests/sr-x2-demo/contest.json: /baseline/io/inputs/0/elementType is not an input type the benchmark can feed (float32, uint8)',
    );
    expect(r.stdout).toContain('(got "float16") [benchmark-supports]');
    expect(r.stdout).toContain('/inputs/source/type is not supported by the benchmark yet');
    expect(r.stdout).toContain('(got "archive") [benchmark-supports]');
    expect(r.stderr.trim()).toBe('1 file(s) failed validation');
  });
});
