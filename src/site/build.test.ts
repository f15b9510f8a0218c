/**
 * Building the site from bad results: a folder that fails validation, a round folder with a file
 * missing, a contest with no rounds yet. The site is still written and shows each problem on the
 * page it concerns; `podium site` exits 1 naming the file only when the results need fixing.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { canonicalJson } from '../json/canonical.js';
import { writeLeaderboard } from '../leaderboard/write.js';
import { devKeyPair } from '../results/testing.js';
import type { SiteListing } from './listing.js';
import { writeResultsFixture, type ResultsFixture } from './testing.js';
import { cp } from 'node:fs/promises';

let root: string;
let fixture: ResultsFixture;
let out: string[];
let alice: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-site-build-'));
  fixture = await writeResultsFixture(root, { rounds: 2, submissions: 2 });
  alice = (await devKeyPair('Alice')).address;
});
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  process.exitCode = undefined;
});
afterEach(() => vi.restoreAllMocks());

async function copy(name: string): Promise<string> {
  const results = join(root, name, 'results', 'score-test');
  await cp(fixture.results, results, { recursive: true });
  return results;
}

/** `podium site` as the record job runs it: bound to the validator (the fixture signs as //Alice). */
async function site(
  results: string,
  name: string,
  extra: string[] = ['--validator', alice],
): Promise<{ code: number; out: string }> {
  const dir = join(root, `out-${name}`);
  const code = await main([
    'site',
    results,
    '--out',
    dir,
    '--contests',
    fixture.contests,
    ...extra,
  ]);
  return { code, out: dir };
}

describe('podium site', () => {
  it('exits 0 for valid results and writes every page kind', async () => {
    const { code, out: dir } = await site(fixture.results, 'ok');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^site: .*: 6 page\(s\), 1 contest\(s\), \d+ KiB$/);
    for (const page of [
      'index.html',
      'score-test/index.html',
      `score-test/${fixture.rounds[0]}/index.html`,
    ]) {
      expect(await readFile(join(dir, page), 'utf8')).toContain('<h1>');
    }
  });

  it('exits 1 without a trusted validator, naming why, and lists what the page must check', async () => {
    const { code, out: dir } = await site(fixture.results, 'unbound', []);
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(
      /index\.json: no trusted validator hotkey: the entries are signed by 5GrwvaEF/,
    );
    const listing = JSON.parse(
      await readFile(join(dir, 'data', 'score-test.json'), 'utf8'),
    ) as SiteListing;
    expect(listing.validator).toBeNull();
    expect(listing.files).toEqual(['README.md', 'history.svg', 'index.json', 'ratios.svg']);
    expect(await readFile(join(dir, 'files', 'score-test', 'README.md'), 'utf8')).toBe(
      await readFile(join(fixture.results, 'README.md'), 'utf8'),
    );
  });

  it('fails a scored round whose entry was dropped, unless --pending names it as the round being written', async () => {
    const results = await copy('pending');
    const last = fixture.rounds.at(-1)!;
    const index = JSON.parse(await readFile(join(results, 'index.json'), 'utf8')) as {
      entries: unknown[];
    };
    index.entries.pop();
    await writeFile(join(results, 'index.json'), canonicalJson(index));
    await writeLeaderboard(results); // the leaderboard as the shortened index gives it
    expect((await site(results, 'pending')).code).toBe(1);
    expect(out.join('\n')).toContain(
      `${join(results, last)}: holds score.json but has no entry in index.json`,
    );
    const pending = ['--validator', alice, '--pending', `score-test/${last}`];
    const { code, out: dir } = await site(results, 'pending-named', pending);
    expect(code).toBe(0);
    const listing = JSON.parse(
      await readFile(join(dir, 'data', 'score-test.json'), 'utf8'),
    ) as SiteListing;
    expect(listing.pending).toEqual([last]);
    expect(await main(['site', results, '--out', dir, '--pending', last])).toBe(2);
  });

  it('still builds a folder whose score.json fails validation, shows it on the round page and exits 1 naming the file', async () => {
    const results = await copy('invalid');
    const round = fixture.rounds[1]!;
    const file = join(results, round, 'score.json');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('"version": 1', '"version": "one"'),
    );
    const { code, out: dir } = await site(results, 'invalid');
    expect(code).toBe(1);
    expect(out.join('\n')).toContain(`${file}: /method/version must be number (got "one")`);
    const html = await readFile(join(dir, 'score-test', round, 'index.html'), 'utf8');
    expect(html).toContain(`Problems with round ${round}`);
    expect(html).toContain('/method/version must be number');
    expect(html).toContain('No valid score.json in this round folder.');
  });

  it('still builds a round folder with a file missing and names it where it is missing', async () => {
    const results = await copy('missing');
    const round = fixture.rounds[0]!;
    await rm(join(results, round, 'bench', 'runner-a', 'baseline.json'));
    const { code, out: dir } = await site(results, 'missing');
    expect(code).toBe(1);
    const missing = `${join(results, round, 'bench', 'runner-a', 'baseline.json')}: missing (the index records it)`;
    expect(out.join('\n')).toContain(missing);
    expect(await readFile(join(dir, 'score-test', round, 'index.html'), 'utf8')).toContain(
      'bench/runner-a/baseline.json: missing (the index records it)',
    );
    expect(await readFile(join(dir, 'score-test', 'index.html'), 'utf8')).toMatch(
      /✗ 1 problem\(s\)/,
    );
  });

  it('builds a contest with no rounds yet and exits 0', async () => {
    const results = join(root, 'empty', 'results', 'score-test');
    await mkdir(results, { recursive: true });
    const { code, out: dir } = await site(results, 'empty');
    expect(code).toBe(0);
    expect(await readFile(join(dir, 'score-test', 'index.html'), 'utf8')).toContain(
      'No round has been recorded yet.',
    );
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('no scored round yet');
  });

  it('exits 2 for a results folder that does not exist', async () => {
    expect((await site(join(root, 'nope'), 'nope')).code).toBe(2);
  });

  it('refuses to empty an --out folder that holds something else, or the results themselves', async () => {
    const other = join(root, 'out-precious');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'keep.txt'), 'mine\n');
    expect(
      await main([
        'site',
        fixture.results,
        '--out',
        other,
        '--contests',
        fixture.contests,
        '--validator',
        alice,
      ]),
    ).toBe(2);
    expect(await readFile(join(other, 'keep.txt'), 'utf8')).toBe('mine\n');
    expect(
      await main([
        'site',
        fixture.results,
        '--out',
        join(root, 'results'),
        '--contests',
        fixture.contests,
        '--validator',
        alice,
      ]),
    ).toBe(2);
    expect(out.join('\n')).toContain('overlaps');
    expect((await site(fixture.results, 'ok')).code).toBe(0); // a site built before is rebuilt
  });
});
