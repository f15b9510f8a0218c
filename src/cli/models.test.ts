import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';

let dir: string;
let out: string[];

async function run(...argv: string[]): Promise<number> {
  out = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((line: string) => void out.push(line));
  try {
    return await main(argv);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podium-cli-models-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('podium models', () => {
  it('builds into --out and prints name, sha256 and bytes of every model', async () => {
    expect(await run('models', '--out', dir)).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      models: { name: string; sha256: string; bytes: number }[];
    };
    const text = out.join('\n');
    for (const m of manifest.models)
      expect(text).toMatch(new RegExp(`${m.name} +${m.sha256} +${m.bytes} `));
  });

  it('--check passes on a current folder and fails (exit 1) naming a file that was altered', async () => {
    expect(await run('models', '--out', dir, '--check')).toBe(0);
    await writeFile(join(dir, 'custom-op.onnx'), 'not a model');
    expect(await run('models', '--out', dir, '--check')).toBe(1);
    expect(out.join('\n')).toContain('custom-op.onnx: sha256 differs from the manifest');
  });
});
