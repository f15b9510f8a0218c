import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyringPair } from '@polkadot/keyring/types';
import { canonicalJson } from '../json/canonical.js';
import { acceptIndex, readIndex, signRound } from './index.js';
import type { ResultsIndexDocument } from '../documents/results-index.js';
import { entryHash, signEntry } from './sign.js';
import { devKeyPair, writeRoundFixture } from './testing.js';
import { formatReport, verifyResults } from './verify.js';
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

async function editIndex(edit: (index: ResultsIndexDocument) => void): Promise<void> {
  const index = await readIndex(results);
  edit(index);
  await writeFile(join(results, 'index.json'), canonicalJson(index));
}

async function problems(options = {}): Promise<string> {
  const report = await verifyResults(results, options);
  expect(report.ok).toBe(false);
  return formatReport(report).join('\n');
}

describe('verifyResults', () => {
  it('passes an untouched folder, one line per round, and never calls the missing score re-run passed', async () => {
    const report = await verifyResults(results);
    expect(report.ok).toBe(true);
    expect(report.rounds.map((r) => [r.round, r.status, r.score])).toEqual(
      ROUNDS.map((r) => [r, 'ok', 'not available']),
    );
    const lines = formatReport(report);
    expect(lines).toHaveLength(ROUNDS.length + 1);
    expect(lines[0]).toMatch(/^ok {4}2026-03-10 {2}3 file\(s\).*score re-run: not available$/);
    expect(lines.join('\n')).not.toMatch(/score re-run: passed/);
    expect(lines.at(-1)).toMatch(/score re-run not available for 3 round\(s\), not counted as passed/);
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
    expect((await verifyResults(results)).ok).toBe(true); // undetectable without an anchor
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
      `/entries/2/signature/signer is ${bob.address}, expected the validator ${alice.address}`,
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
    const report = await verifyResults(results, { validator: bob.address });
    expect(report.rounds.every((r) => r.status === 'fail')).toBe(true);
    expect(report.rounds[0]?.problems[0]).toContain(`expected the validator ${bob.address}`);
  });

  it('reports a committed round awaiting its index entry as pending, not failed', async () => {
    const staging = join(root, 'staging', '2026-03-13');
    await writeRoundFixture(staging, 'sr-demo', '2026-03-13', [bob.address]);
    await addRoundFiles(results, '2026-03-13', staging);
    const report = await verifyResults(results);
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
    const report = await verifyResults(results);
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
});
