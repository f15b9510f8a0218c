import { mkdtemp, writeFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
