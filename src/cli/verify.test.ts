import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptIndex, signRound } from '../results/index.js';
import { devKeyPair, writeRoundFixture } from '../results/testing.js';
import { addRoundFiles } from '../results/write.js';
import { schemaId } from '../schemas/builders.js';
import { main } from './main.js';

const REPO = join(import.meta.dirname, '../..');
const HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
let out: string[];
let root: string;
let results: string;

beforeEach(async () => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  process.exitCode = undefined;
  root = await mkdtemp(join(tmpdir(), 'podium-cli-verify-'));
  results = join(root, 'results', 'sr-x2-demo');
  const alice = await devKeyPair('Alice');
  for (const round of ['2026-03-10', '2026-03-11']) {
    const from = await writeRoundFixture(join(root, round), 'sr-x2-demo', round, [HOTKEY]);
    await addRoundFiles(results, round, from);
    await acceptIndex(results, (await signRound(results, round, alice)).index);
  }
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('podium verify', () => {
  it('exits 1 when the score re-run cannot run, saying what to pass; 0 with --skip score, with one line per round', async () => {
    const alice = (await devKeyPair('Alice')).address;
    expect(await main(['verify', results, '--validator', alice])).toBe(1);
    const rounds = out.filter((l) => /^(ok|FAIL|wait)\s+\d{4}-/.test(l));
    expect(rounds).toHaveLength(2);
    for (const line of rounds) {
      // The fixture round froze a contest file that is not the repository's demo contest.
      expect(line).toMatch(
        /^ok {4}.*score re-run: not available \(.*contest\.json has sha256 [0-9a-f]{64}, the round froze c{64}.*git show/,
      );
    }
    expect(out.join('\n')).toMatch(
      /^NOT RUN {2}.*2026-03-10: score re-run could not run .* or pass --skip score$/m,
    );
    out.length = 0;
    expect(await main(['verify', results, '--validator', alice, '--skip', 'score'])).toBe(0);
    expect(out.filter((l) => /score re-run: skipped$/.test(l))).toHaveLength(2);
    expect(out.at(-1)).toMatch(/; skipped on request: score$/);
  });

  it("takes the validator from the repository's podium.json, and fails an index signed by another key", async () => {
    const config = join(root, 'podium.json');
    const declare = (hotkey: string) =>
      writeFile(
        config,
        JSON.stringify({ $schema: schemaId('config'), version: 1, validator: { hotkey } }),
      );
    await declare((await devKeyPair('Alice')).address);
    expect(await main(['verify', results, '--config', config, '--skip', 'score'])).toBe(0);
    out.length = 0;
    const bob = (await devKeyPair('Bob')).address;
    await declare(bob);
    expect(await main(['verify', results, '--config', config, '--skip', 'score'])).toBe(1);
    expect(out.join('\n')).toContain(
      `expected the validator ${bob} (${config} /validator/hotkey): the entry was signed by another key`,
    );
  });

  it('exits 1 without a trusted validator rather than trust the first entry', async () => {
    expect(
      await main(['verify', results, '--skip', 'score', '--config', join(root, 'none.json')]),
    ).toBe(2);
    expect(await main(['verify', results, '--skip', 'score'])).toBe(1); // the repository has no podium.json
    expect(out.join('\n')).toMatch(/^FAIL {2}.*index\.json: no trusted validator hotkey/m);
  });

  it('exits 1 naming the tampered file and what differs', async () => {
    const file = join(results, '2026-03-11', 'bench', 'runner-1', 'baseline.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('10.75', '10.7'));
    const alice = (await devKeyPair('Alice')).address;
    expect(await main(['verify', results, '--validator', alice, '--skip', 'score'])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/^FAIL {2}2026-03-11/m);
    expect(text).toContain(`${file}: sha256 is `);
    expect(text).toContain('verification failed');
  });

  it('exits 2 for a folder that does not exist or a malformed --head, --validator, --skip or --pending', async () => {
    expect(await main(['verify', join(root, 'nope')])).toBe(2);
    expect(await main(['verify', results, '--head', 'xyz'])).toBe(2);
    expect(await main(['verify', results, '--validator', 'alice'])).toBe(2);
    expect(await main(['verify', results, '--skip', 'signatures'])).toBe(2);
    expect(await main(['verify', results, '--pending', 'latest'])).toBe(2);
    expect(out.join('\n')).toContain(
      '--skip signatures: not a check that can be skipped (score, leaderboard)',
    );
  });
});

/** Every contest folder of the repository is a demo contest (contests/examples holds references). */
const DEMO_IDS = [
  'digits-pipeline-demo',
  'mnist-nas-demo',
  'mnist-throughput-demo',
  'sr-truth-demo',
  'sr-x2-demo',
];

describe('podium results plan', () => {
  it('skips the demo contest unless PODIUM_RUN_DEMO_CONTESTS opts in, then plans its due round', async () => {
    const args = ['results', 'plan', '--contests', join(REPO, 'contests'), '--results'];
    const when = ['--now', '2026-03-12T21:00:00Z'];
    vi.stubEnv('PODIUM_RUN_DEMO_CONTESTS', '');
    expect(await main([...args, join(root, 'results'), ...when])).toBe(0);
    const skipped = (id: string) =>
      `${id}: none -: demo contest: not run by the round workflow unless the repository ` +
      'variable PODIUM_RUN_DEMO_CONTESTS is "true" (npm run demo runs it on this machine)';
    expect(out.join('\n')).toBe(DEMO_IDS.map(skipped).join('\n'));
    out.length = 0;
    vi.stubEnv('PODIUM_RUN_DEMO_CONTESTS', 'true');
    expect(await main([...args, join(root, 'results'), ...when])).toBe(0);
    vi.unstubAllEnvs();
    const due = (id: string) =>
      `${id}: collect 2026-03-12: round 2026-03-12 is due (cutoff 2026-03-12T19:00:00.000Z) ` +
      'and not in the index';
    expect(out.join('\n')).toBe(DEMO_IDS.map(due).join('\n'));
  });
});
