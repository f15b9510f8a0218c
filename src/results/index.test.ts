import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { DocumentError } from '../json/errors.js';
import { ResultsError } from './errors.js';
import { acceptIndex, readIndex, signRound } from './index.js';
import { entryHash, sha256Hex } from './sign.js';
import { devKeyPair, writeRoundFixture } from './testing.js';
import { addRoundFiles } from './write.js';

let root: string;
let results: string;
let alice: KeyringPair;
let bob: KeyringPair;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-results-'));
  results = join(root, 'results', 'sr-demo');
  alice = await devKeyPair('Alice');
  bob = await devKeyPair('Bob');
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function staged(round: string, hotkeys = [bob.address]): Promise<string> {
  return writeRoundFixture(join(root, 'staging', round), 'sr-demo', round, hotkeys);
}

async function addAndIndex(round: string): Promise<void> {
  await addRoundFiles(results, round, await staged(round));
  await acceptIndex(results, (await signRound(results, round, alice)).index);
}

describe('addRoundFiles', () => {
  it('writes every file of a round as canonical JSON and reports what it wrote', async () => {
    const from = await staged('2026-03-10');
    const result = await addRoundFiles(results, '2026-03-10', from);
    expect(result.written).toEqual([
      `bench/runner-1/${bob.address}.json`,
      'bench/runner-1/baseline.json',
      'round.json',
    ]);
    const copied = await readFile(join(results, '2026-03-10', 'round.json'), 'utf8');
    expect(copied).toBe(await readFile(join(from, 'round.json'), 'utf8'));
  });

  it('is a no-op when the same round is added again', async () => {
    const from = await staged('2026-03-10');
    await addRoundFiles(results, '2026-03-10', from);
    const again = await addRoundFiles(results, '2026-03-10', from);
    expect(again.written).toEqual([]);
    expect(again.unchanged).toHaveLength(3);
  });

  it('refuses different content for an existing file, naming the file and the JSON pointer', async () => {
    await addRoundFiles(results, '2026-03-10', await staged('2026-03-10'));
    const other = await staged('2026-03-10-b');
    // Same round, but a bench file with other timings.
    const file = join(other, 'bench', 'runner-1', 'baseline.json');
    const text = (await readFile(file, 'utf8')).replace('2026-03-10-b', '2026-03-10');
    await writeFile(file, text.replace('10.25', '11.25'));
    await rm(join(other, 'round.json'));
    await rm(join(other, 'bench', 'runner-1', `${bob.address}.json`));
    const error = await addRoundFiles(results, '2026-03-10', other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsError);
    expect((error as Error).message).toContain('2026-03-10/bench/runner-1/baseline.json');
    expect((error as Error).message).toContain('/samples/ms/1 is 10.25 here, 11.25 in the new file');
  });

  it('refuses files whose round differs from their folder, naming each file', async () => {
    const from = await staged('2026-03-11');
    const error = await addRoundFiles(results, '2026-03-10', from).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    const messages = (error as AggregateError).errors.map((e: DocumentError) => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /bench\/runner-1\/baseline\.json: \/round must be the round folder "2026-03-10" \(got "2026-03-11"\)/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/round\.json: \/id must be the round folder "2026-03-10"/),
    );
    expect(messages).toHaveLength(3);
  });

  it('refuses a file that has no place in a round folder', async () => {
    const from = await staged('2026-03-10');
    await writeFile(join(from, 'notes.json'), '{}\n');
    await expect(addRoundFiles(results, '2026-03-10', from)).rejects.toThrow(
      /notes\.json: \/ has no place in a round folder/,
    );
  });

  it('refuses to add files to a round that is already indexed', async () => {
    await addAndIndex('2026-03-10');
    const extra = await staged('2026-03-10', [bob.address, alice.address]);
    await expect(addRoundFiles(results, '2026-03-10', extra)).rejects.toThrow(
      /already (indexed|exists)/,
    );
  });

  it('refuses a round older than the last indexed round', async () => {
    await addAndIndex('2026-03-10');
    await expect(addRoundFiles(results, '2026-03-09', await staged('2026-03-09'))).rejects.toThrow(
      /round 2026-03-09 is older than the last indexed round 2026-03-10/,
    );
  });
});

describe('the signed index', () => {
  it('chains each entry to the previous one and signs it with the validator key', async () => {
    await addAndIndex('2026-03-10');
    await addAndIndex('2026-03-11');
    const index = await readIndex(results);
    const [first, second] = index.entries;
    expect(first?.previous).toBeNull();
    expect(second?.previous).toBe(first?.hash);
    expect(second?.signature.signer).toBe(alice.address);
    // The hash is the documented one: sha256 of compact canonical JSON of the body.
    const body = {
      contest: 'sr-demo',
      files: second?.files,
      previous: first?.hash,
      round: '2026-03-11',
      signer: alice.address,
    };
    expect(second?.hash).toBe(sha256Hex(JSON.stringify(body)));
    expect(entryHash({ ...second!, contest: 'sr-demo', signer: alice.address })).toBe(second?.hash);
    const roundJson = await readFile(join(results, '2026-03-11', 'round.json'));
    expect(second?.files.find((f) => f.path === 'round.json')?.sha256).toBe(sha256Hex(roundJson));
  });

  it('accepts the same signed index twice as a no-op', async () => {
    await addRoundFiles(results, '2026-03-10', await staged('2026-03-10'));
    const { index } = await signRound(results, '2026-03-10', alice);
    expect(await acceptIndex(results, index)).toBe('appended');
    expect(await acceptIndex(results, index)).toBe('unchanged');
    expect((await readIndex(results)).entries).toHaveLength(1);
  });

  it('refuses an entry signed on an index that has since moved on', async () => {
    await addRoundFiles(results, '2026-03-10', await staged('2026-03-10'));
    await addRoundFiles(results, '2026-03-11', await staged('2026-03-11'));
    const stale = (await signRound(results, '2026-03-11', alice)).index; // chains to nothing
    await acceptIndex(results, (await signRound(results, '2026-03-10', alice)).index);
    await expect(acceptIndex(results, stale)).rejects.toThrow(
      /new index changes entry 0|chains to nothing/,
    );
  });

  it('refuses an entry whose files changed after signing, naming the file', async () => {
    await addRoundFiles(results, '2026-03-10', await staged('2026-03-10'));
    const { index } = await signRound(results, '2026-03-10', alice);
    const file = join(results, '2026-03-10', 'bench', 'runner-1', 'baseline.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('10.75', '9.75'));
    await expect(acceptIndex(results, index)).rejects.toThrow(
      /bench\/runner-1\/baseline\.json: sha256 is [0-9a-f]{64}, the index records [0-9a-f]{64}/,
    );
  });

  it('refuses an entry whose signature is by another key than its signer', async () => {
    await addRoundFiles(results, '2026-03-10', await staged('2026-03-10'));
    const { index } = await signRound(results, '2026-03-10', alice);
    const forged = structuredClone(index);
    forged.entries[0]!.signature.signer = bob.address;
    await expect(acceptIndex(results, forged)).rejects.toThrow(/hashes to/);
  });

  it('refuses to sign a round that is not newer than the last entry', async () => {
    await addAndIndex('2026-03-10');
    await expect(signRound(results, '2026-03-10', alice)).rejects.toThrow(/not newer/);
  });
});

describe('round file placement', () => {
  it('refuses a bench file filed under another runner or another hotkey', async () => {
    const from = await staged('2026-03-10');
    const bench = join(from, 'bench', 'runner-1');
    await mkdir(join(from, 'bench', 'runner-2'));
    await rename(join(bench, 'baseline.json'), join(from, 'bench', 'runner-2', 'baseline.json'));
    await rename(join(bench, `${bob.address}.json`), join(bench, `${alice.address}.json`));
    const error = await addRoundFiles(results, '2026-03-10', from).catch((e: unknown) => e);
    const messages = (error as AggregateError).errors.map((e: Error) => e.message).join('\n');
    expect(messages).toContain(
      'runner-2/baseline.json: /runner/name must be the runner of its folder "bench/runner-2/" (its folder is "runner-1") (got "runner-1")',
    );
    expect(messages).toContain(
      `${alice.address}.json: /subject/hotkey must match the file name "${alice.address}.json" (got "${bob.address}")`,
    );
  });
});
