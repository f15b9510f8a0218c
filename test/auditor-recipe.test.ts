/**
 * docs/auditor.md's "By hand" recipe, run as written (jq, sha256sum, node) on a contest whose
 * index holds a single round, as a fork's first round does: steps 1–3 must hold without a
 * second round to look back at.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptIndex, signRound } from '../src/results/index.js';
import { devKeyPair, writeRoundFixture } from '../src/results/testing.js';
import { addRoundFiles } from '../src/results/write.js';
import { REPO_ROOT } from '../src/version.js';

const run = promisify(execFile);
const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
let root: string;

/** The shell lines of the ```sh blocks between "## By hand" and "**4." in docs/auditor.md. */
async function recipe(): Promise<string> {
  const text = await readFile(join(REPO_ROOT, 'docs', 'auditor.md'), 'utf8');
  const part = text.slice(text.indexOf('## By hand'), text.indexOf('**4. The round inputs.**'));
  return [...part.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-auditor-'));
  const results = join(root, 'results', 'sr-x2-demo');
  const round = '2026-03-11';
  const from = await writeRoundFixture(join(root, 'staging'), 'sr-x2-demo', round, [HOTKEY]);
  await addRoundFiles(results, round, from);
  await acceptIndex(results, (await signRound(results, round, await devKeyPair('Alice'))).index);
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('docs/auditor.md by hand', () => {
  it('checks hashes, the entry hash and the signature of a one-round index, as written', async () => {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', await recipe()], { cwd: root });
    const lines = stdout.trim().split('\n');
    const files = lines.filter((l) => / OK$/.test(l));
    expect(files.length).toBeGreaterThan(2); // round.json, bench files, score.json
    expect(lines.some((l) => /FAILED/.test(l))).toBe(false);
    const hashes = lines.filter((l) => /^[0-9a-f]{64}( {2}-)?$/.test(l)).map((l) => l.slice(0, 64));
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toBe(hashes[1]); // recomputed entry hash = recorded hash
    expect(lines).toContain('first entry: previous must be null, is null');
    expect(lines.at(-1)).toBe('true'); // the signature verifies
  });
});
