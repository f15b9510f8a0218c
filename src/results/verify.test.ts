import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyringPair } from '@polkadot/keyring/types';
import { canonicalJson } from '../json/canonical.js';
import { acceptIndex, readIndex, signRound } from './index.js';
import type { ResultsIndexDocument } from '../documents/results-index.js';
import { roundFileRecords } from './files.js';
import { writeLeaderboard } from '../leaderboard/write.js';
import { entryHash, sha256Hex, signEntry } from './sign.js';
import { devKeyPair, fixtureSeed, writeRoundFixture } from './testing.js';
import { formatReport, verifyResults, type VerifyOptions } from './verify.js';
import { addRoundFiles } from './write.js';

const ROUNDS = ['2026-03-10', '2026-03-11', '2026-03-12'];
let root: string;
let results: string;
let alice: KeyringPair;
let bob: KeyringPair;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-verify-'));
  results = join(root, 'results', 'sr-demo');
  alice = await devKeyPair('Alice');
  bob = await devKeyPair('Bob');
  for (const round of ROUNDS) await addSigned(round);
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function addSigned(round: string): Promise<void> {
  const staging = join(root, 'staging', round);
  await writeRoundFixture(staging, 'sr-demo', round, [bob.address]);
  await addRoundFiles(results, round, staging);
  await acceptIndex(results, (await signRound(results, round, alice)).index);
}

/** The attack on the index as a whole: every entry signed again, end to end, by `key`. */
async function resignAll(key: KeyringPair): Promise<void> {
  const index = await readIndex(results);
  let previous: string | null = null;
  const entries = [];
  for (const { round } of index.entries) {
    const files = await roundFileRecords(join(results, round));
    const { entry } = signEntry({ contest: 'sr-demo', round, files, previous }, key);
    entries.push(entry);
    previous = entry.hash;
  }
  await writeFile(join(results, 'index.json'), canonicalJson({ ...index, entries }));
}

/** The seed fields of round.json and bench files, the ones these attacks edit. */
type Seeded = { seed: string; settings: { seed: string } };

async function editJson(rel: string, edit: (doc: Seeded) => void): Promise<void> {
  const file = join(results, ...rel.split('/'));
  const doc = JSON.parse(await readFile(file, 'utf8')) as Seeded;
  edit(doc);
  await writeFile(file, canonicalJson(doc));
}

async function editIndex(edit: (index: ResultsIndexDocument) => void): Promise<void> {
  const index = await readIndex(results);
  edit(index);
  await writeFile(join(results, 'index.json'), canonicalJson(index));
}

/** The auditor's options: the validator known from outside the folder; no contest to re-score with. */
function trusted(options: VerifyOptions = {}): VerifyOptions {
  return { validator: alice.address, validatorFrom: '--validator', skip: ['score'], ...options };
}

async function problems(options: VerifyOptions = {}): Promise<string> {
  const report = await verifyResults(results, trusted(options));
  expect(report.ok).toBe(false);
  return formatReport(report).join('\n');
}

describe('verifyResults', () => {
  it('passes an untouched folder with the score re-run skipped, one line per round, never calling it passed', async () => {
    const report = await verifyResults(results, trusted());
    expect(report.ok).toBe(true);
    expect(report.rounds.map((r) => [r.round, r.status, r.score])).toEqual(
      ROUNDS.map((r) => [r, 'ok', 'skipped']),
    );
    const lines = formatReport(report);
    expect(lines).toHaveLength(ROUNDS.length + 1);
    expect(lines[0]).toMatch(/^ok {4}2026-03-10 {2}3 file\(s\).*score re-run: skipped$/);
    expect(lines.join('\n')).not.toMatch(/score re-run: passed/);
    expect(lines.at(-1)).toMatch(/; skipped on request: score$/);
  });

  it('fails when a check could not run and was not skipped, saying what to pass', async () => {
    const report = await verifyResults(results, { validator: alice.address });
    expect(report.ok).toBe(false);
    expect(report.rounds.every((r) => r.status === 'ok' && r.score === 'not available')).toBe(true);
    expect(report.incomplete).toHaveLength(ROUNDS.length);
    expect(formatReport(report)).toContain(
      `NOT RUN  ${join(results, '2026-03-10')}: score re-run could not run (no score re-run was given); ` +
        'give it the contest the round froze, or pass --skip score',
    );
  });

  it('catches one number edited in a bench file, naming the file and both hashes', async () => {
    const file = join(results, '2026-03-11', 'bench', 'runner-1', `${bob.address}.json`);
    await writeFile(file, (await readFile(file, 'utf8')).replace('5.25', '5.2'));
    const text = await problems();
    expect(text).toMatch(/^ok {4}2026-03-10/m);
    expect(text).toMatch(/^FAIL {2}2026-03-11/m);
    expect(text).toContain(
      `${join(results, '2026-03-11', 'bench', 'runner-1', bob.address)}.json: sha256 is `,
    );
    expect(text).toMatch(/, the index records [0-9a-f]{64}/);
  });

  it('catches a deleted round folder', async () => {
    await rm(join(results, '2026-03-11'), { recursive: true });
    const text = await problems();
    expect(text).toContain(`${join(results, '2026-03-11', 'round.json')}: missing (the index records it)`);
  });

  it('catches a round removed from the middle of the index', async () => {
    await editIndex((index) => index.entries.splice(1, 1));
    const text = await problems();
    expect(text).toMatch(
      /\/entries\/1\/previous is [0-9a-f]{64}, expected the hash of entry 0 \(round 2026-03-10\) [0-9a-f]{64}: entries were reordered, removed or inserted/,
    );
    expect(text).toMatch(/2026-03-11: not in index\.json but older than the last indexed round 2026-03-12/);
  });

  it('catches the last round cut off the end when the auditor pins the head', async () => {
    const head = (await readIndex(results)).entries.at(-1)?.hash;
    await editIndex((index) => index.entries.pop());
    await rm(join(results, '2026-03-12'), { recursive: true });
    expect((await verifyResults(results, trusted())).ok).toBe(true); // undetectable without an anchor
    const text = await problems({ head });
    expect(text).toContain(`expected ${head} (--head): entries were removed from or added to the end`);
  });

  it('catches a reordered index', async () => {
    await editIndex((index) => {
      const [a, b] = [index.entries[1]!, index.entries[2]!];
      index.entries[1] = b;
      index.entries[2] = a;
    });
    const text = await problems();
    expect(text).toMatch(/\/entries\/1\/previous is [0-9a-f]{64}, expected the hash of entry 0/);
    expect(text).toMatch(/\/entries\/2\/round 2026-03-11 is not after the previous entry's round 2026-03-12/);
  });

  it('catches an entry re-signed with another key', async () => {
    await editIndex((index) => {
      const last = index.entries[2]!;
      const { entry } = signEntry({ ...last, contest: 'sr-demo' }, bob);
      index.entries[2] = entry;
    });
    const text = await problems();
    expect(text).toContain(
      `/entries/2/signature/signer is ${bob.address}, expected the validator ${alice.address} ` +
        '(--validator): the entry was signed by another key',
    );
  });

  it('catches a signature replaced by another key while the signer field is kept', async () => {
    await editIndex((index) => {
      const last = index.entries[2]!;
      const forged = signEntry({ ...last, contest: 'sr-demo' }, bob).entry.signature.value;
      last.signature.value = forged;
    });
    const text = await problems();
    expect(text).toContain(
      `/entries/2/signature: signature does not verify for signer ${alice.address}`,
    );
  });

  it('catches an edited entry whose hash no longer matches', async () => {
    await editIndex((index) => {
      index.entries[0]!.files[0]!.bytes += 1;
    });
    const text = await problems();
    expect(text).toMatch(/\/entries\/0\/hash is [0-9a-f]{64} but the entry hashes to [0-9a-f]{64}/);
  });

  it('fails every entry when the auditor pins another validator', async () => {
    const report = await verifyResults(results, trusted({ validator: bob.address }));
    expect(report.rounds.every((r) => r.status === 'fail')).toBe(true);
    expect(report.rounds[0]?.problems[0]).toContain(`expected the validator ${bob.address}`);
  });

  it('reports a committed round awaiting its index entry as pending, not failed', async () => {
    const staging = join(root, 'staging', '2026-03-13');
    await writeRoundFixture(staging, 'sr-demo', '2026-03-13', [bob.address]);
    await addRoundFiles(results, '2026-03-13', staging);
    const report = await verifyResults(results, trusted());
    expect(report.ok).toBe(true);
    expect(formatReport(report)).toContainEqual(
      expect.stringMatching(/^wait {2}2026-03-13 .*not yet signed into the index/),
    );
  });

  it('fails a round folder holding weights.json without an index entry', async () => {
    const staging = join(root, 'staging', '2026-03-13');
    await writeRoundFixture(staging, 'sr-demo', '2026-03-13', [bob.address]);
    await addRoundFiles(results, '2026-03-13', staging);
    await writeFile(join(results, '2026-03-13', 'weights.json'), '{}\n');
    const text = await problems();
    expect(text).toContain('has weights.json but no entry in index.json: its entry was removed');
  });

  it('reports an index that fails its schema and stops there', async () => {
    await editIndex((index) => {
      (index.entries[0] as { hash: string }).hash = 'not-a-hash';
    });
    const report = await verifyResults(results, trusted());
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/index\.json: \/entries\/0\/hash must match pattern/);
  });

  it('recomputes entry hashes exactly as the signer did', async () => {
    const index = await readIndex(results);
    for (const entry of index.entries) {
      expect(entryHash({ ...entry, contest: 'sr-demo', signer: entry.signature.signer })).toBe(
        entry.hash,
      );
    }
  });

  it('fails without a trusted validator, even on an index consistently signed end to end', async () => {
    await resignAll(bob);
    const report = await verifyResults(results, { skip: ['score'] });
    expect(report.ok).toBe(false);
    expect(report.validator).toBeNull();
    expect(report.problems[0]).toBe(
      `${join(results, 'index.json')}: no trusted validator hotkey: the entries are signed by ` +
        `${bob.address}, and a signature only shows who wrote the index, not that the writer is ` +
        'the validator. Pass --validator <ss58>, declare it in podium.json (/validator/hotkey) at ' +
        'the repository root, or pass --endpoint to take it from the chain (the hotkey that set the weights)',
    );
  });

  it('fails every round of an index re-signed end to end by another key, naming the expected validator', async () => {
    await resignAll(bob);
    const report = await verifyResults(results, trusted());
    expect(report.ok).toBe(false);
    expect(report.rounds.map((r) => r.status)).toEqual(['fail', 'fail', 'fail']);
    for (const [i, r] of report.rounds.entries()) {
      expect(r.problems).toEqual([
        `${join(results, 'index.json')}: /entries/${i}/signature/signer is ${bob.address}, expected ` +
          `the validator ${alice.address} (--validator): the entry was signed by another key`,
      ]);
    }
  });

  it('fails a round.json whose seed is not the one its cutoff block hash gives', async () => {
    await editJson('2026-03-12/round.json', (doc) => {
      doc.seed = `0x${'4'.repeat(64)}`;
    });
    await editJson('2026-03-12/bench/runner-1/baseline.json', (doc) => {
      doc.settings.seed = `0x${'4'.repeat(64)}`;
    });
    await editJson(`2026-03-12/bench/runner-1/${bob.address}.json`, (doc) => {
      doc.settings.seed = `0x${'4'.repeat(64)}`;
    });
    await resignAll(alice); // the validator's own key: hashes and signatures all hold
    const bad = (await verifyResults(results, trusted())).rounds.at(-1)!;
    const seed = `0x${sha256Hex(`podium-seed/1:sr-demo:2026-03-12:0x${'1'.repeat(64)}`)}`;
    expect(bad.problems).toEqual([
      `${join(results, '2026-03-12', 'round.json')}: /seed is 0x${'4'.repeat(64)}, but the cutoff block hash ` +
        `0x${'1'.repeat(64)} gives ${seed} (sha256 of "podium-seed/1:sr-demo:2026-03-12:0x${'1'.repeat(64)}", ` +
        'ADR 0062): the round was not seeded by its cutoff block',
    ]);
  });

  it('fails a bench file measured with another seed than the round\'s', async () => {
    const other = `0x${'5'.repeat(64)}`;
    await editJson(`2026-03-11/bench/runner-1/${bob.address}.json`, (doc) => {
      doc.settings.seed = other;
    });
    await resignAll(alice);
    const bad = (await verifyResults(results, trusted())).rounds[1]!;
    expect(bad.problems).toEqual([
      `${join(results, '2026-03-11', 'bench', 'runner-1', `${bob.address}.json`)}: /settings/seed is ` +
        `${other}, not the round's seed ${fixtureSeed('sr-demo', '2026-03-11')} (round.json /seed): it was ` +
        'measured with other inputs and block orders',
    ]);
  });

  it('rejects a duplicate key in index.json and in a round file, with its pointer', async () => {
    const staging = join(root, 'staging', '2026-03-13');
    await writeRoundFixture(staging, 'sr-demo', '2026-03-13', [bob.address]);
    await addRoundFiles(results, '2026-03-13', staging);
    const bench = join(results, '2026-03-13', 'bench', 'runner-1', 'baseline.json');
    await writeFile(bench, (await readFile(bench, 'utf8')).replace('"valid": true', '"valid": false, "valid": true'));
    const pending = (await verifyResults(results, trusted())).rounds.at(-1)!;
    expect(pending.status).toBe('fail');
    expect(pending.problems.join('\n')).toMatch(/baseline\.json: \/valid is a duplicate key "valid" at line \d+/);
    const index = join(results, 'index.json');
    await writeFile(index, (await readFile(index, 'utf8')).replace('"version": 1', '"version": 1, "version": 1'));
    const report = await verifyResults(results, trusted());
    expect(report.problems[0]).toMatch(/index\.json: \/version is a duplicate key "version" at line \d+/);
  });

  it('fails an edited leaderboard and reports unknown files beside the rounds', async () => {
    await writeLeaderboard(results);
    expect((await verifyResults(results, trusted())).ok).toBe(true); // regenerated bytes match
    const readme = join(results, 'README.md');
    await writeFile(readme, (await readFile(readme, 'utf8')).replace('| 2026-03-12 |', '| 2026-03-12 (best ever) |'));
    await writeFile(join(results, 'notes.txt'), 'trust me\n');
    await mkdir(join(results, 'weights-log', '2026-03-20'), { recursive: true });
    await writeFile(join(results, 'weights-log', '2026-03-20', 'weights-check-1.json'), '{}\n');
    const report = await verifyResults(results, trusted());
    expect(report.ok).toBe(false);
    const text = report.problems.join('\n');
    expect(text).toMatch(
      new RegExp(`README\\.md: differs from the README\\.md that \`podium leaderboard\` derives from the indexed rounds \\(line \\d+ is ".*best ever.*", expected ".*"\\): it was edited, or not regenerated`),
    );
    expect(text).toContain(`${join(results, 'notes.txt')}: unknown file: results/<contest>/ holds only index.json, README.md, history.svg, ratios.svg, round folders`);
    expect(text).toContain(
      `${join(results, 'weights-log', '2026-03-20', 'weights-check-1.json')}: a follow-up record of round 2026-03-20, which has no entry in index.json`,
    );
    expect(text).toMatch(/weights-check-1\.json: \/\$schema must be .*weights-check\.schema\.json/);
  });

  it('fails rounds whose weights extrinsic the chain shows sent by another key, or not at all', async () => {
    const chainSigners = new Map([
      ['2026-03-11', [{ what: '/extrinsicHash 0xab in block 0xcd', signer: null, problem: 'the block holds no extrinsic with this hash' }]],
      ['2026-03-12', [{ what: '/extrinsicHash 0xef in block 0x01', signer: bob.address }]],
    ]);
    const report = await verifyResults(results, trusted({ chainSigners }));
    expect(report.rounds.map((r) => r.status)).toEqual(['ok', 'fail', 'fail']);
    expect(report.onChain).toBe(0);
    expect(formatReport(report).at(-1)).toContain('; on chain: 0 weights extrinsic(s) sent by the validator');
    expect(report.rounds[1]?.problems).toEqual([
      `${join(results, '2026-03-11', 'weights.json')}: /extrinsicHash 0xab in block 0xcd: on chain, the block holds no extrinsic with this hash`,
    ]);
    expect(report.rounds[2]?.problems).toEqual([
      `${join(results, '2026-03-12', 'weights.json')}: /extrinsicHash 0xef in block 0x01 was sent on chain by ${bob.address}, not the validator ${alice.address}`,
    ]);
  });
});
