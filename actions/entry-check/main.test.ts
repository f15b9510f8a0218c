import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devKey, entryBytes, signedEntry } from '../../src/entries/testing.js';
import { readSettings } from '../../src/github/settings/entry-check.js';
import { startLocalGitHub, type LocalGitHub } from '../../src/github/local-github.js';

const run = promisify(execFile);
let gh: LocalGitHub;
let tmp: string;

beforeEach(async () => {
  gh = await startLocalGitHub();
  tmp = await mkdtemp(join(tmpdir(), 'podium-action-'));
});
afterEach(async () => {
  await gh.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Runs the action the way action.yml does: tsx on main.ts with INPUT_* variables. */
async function action(inputs: Record<string, string>) {
  const output = join(tmp, 'output');
  await writeFile(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_API_URL: gh.baseUrl,
    GITHUB_WORKSPACE: process.cwd(),
    GITHUB_OUTPUT: output,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const tsx = resolve('node_modules/.bin/tsx');
  const result = await run(tsx, [resolve('actions/entry-check/main.ts')], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  return { ...result, outputs: await readFile(output, 'utf8') };
}

describe('actions/entry-check', () => {
  it('runs the check from its inputs, sets outputs, and fails the job on an invalid entry', async () => {
    const alice = devKey('Alice');
    const path = `contests/sr-x2-demo/entries/${alice.address}.json`;
    gh.head = {
      sha: '9'.repeat(40),
      files: [{ filename: path, status: 'added', content: entryBytes(signedEntry(alice)) }],
    };
    const inputs = {
      'github-token': 'ghs_secret',
      repository: `${gh.owner}/${gh.repo}`,
      'pull-request': String(gh.number),
      'head-sha': '9'.repeat(40),
      'probe-urls': 'false',
    };
    const ok = await action(inputs);
    expect(ok.code).toBe(0);
    expect(ok.outputs).toMatch(/valid<<.*\ntrue\n/);
    expect(ok.stdout).not.toContain('ghs_secret');
    expect([...gh.labels]).toEqual(['entry:valid']);

    gh.head = {
      sha: '8'.repeat(40),
      files: [{ filename: 'src/x.ts', status: 'added', content: Buffer.from('') }],
    };
    const bad = await action({ ...inputs, 'head-sha': '8'.repeat(40) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::2 problems: see the PR comment');
    expect([...gh.labels]).toEqual(['entry:invalid']);
    expect(gh.comments).toHaveLength(1);
  });

  it('names the input that is wrong', () => {
    const inputs: Record<string, string> = {
      'github-token': 't',
      repository: 'o/r',
      'pull-request': '3',
      'head-sha': 'abc',
    };
    expect(() => readSettings((n) => inputs[n] ?? '', {})).toThrow(
      'input "head-sha" must be a 40-hex commit sha (got "abc")',
    );
    inputs['head-sha'] = 'a'.repeat(40);
    inputs['chain-endpoint'] = 'http://node';
    expect(() => readSettings((n) => inputs[n] ?? '', {})).toThrow(
      'input "chain-endpoint" must be a ws:// or wss:// URL or empty',
    );
    inputs['chain-endpoint'] = 'wss://node.example.org:443';
    expect(readSettings((n) => inputs[n] ?? '', { GITHUB_WORKSPACE: '/w' })).toMatchObject({
      pr: { owner: 'o', repo: 'r', number: 3 },
      chainEndpoint: 'wss://node.example.org:443',
      probeUrls: true,
      repoRoot: '/w',
      apiUrl: 'https://api.github.com',
    });
  });
});
