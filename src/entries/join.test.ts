import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommitment } from '../chain/commitment.js';
import { loadContest, type Contest } from '../contest/load.js';
import { validateDocument } from '../schemas/validate.js';
import { schemaId } from '../schemas/builders.js';
import { signingMessage } from './sign.js';
import { entriesAtCutoff } from './history.js';
import { joinEntries, type CommitmentAtCutoff, type JoinInput } from './join.js';
import { devKey, entryBytes, signedEntry, unsignedEntry } from './testing.js';
import { RoundSchema } from '../documents/round.js';

const CUTOFF = new Date('2025-06-01T19:00:00Z');
const SHA = (c: string) => c.repeat(64);
const K = Object.fromEntries(
  [
    'Alice',
    'Bob',
    'Charlie',
    'Dave',
    'Eve',
    'Ferdie',
    'Grace',
    'Heidi',
    'Ivan',
    'Judy',
    'Mallory',
    'Oscar',
  ].map((n) => [n, devKey(n)]),
);
const addr = (n: string) => (K[n] as ReturnType<typeof devKey>).address;
const path = (n: string) => `contests/sr-x2-demo/entries/${addr(n)}.json`;

let repo: string;
let contest: Contest;
let input: JoinInput;

function git(args: string[], date?: string): void {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo };
  execFileSync('git', ['-C', repo, ...args], {
    env: date ? { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : env,
    stdio: 'ignore',
  });
}

async function put(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(join(repo, file)), { recursive: true });
  await writeFile(join(repo, file), bytes);
}

function entryOf(name: string, sha256: string) {
  return signedEntry(K[name] as ReturnType<typeof devKey>, {
    model: { url: `https://models.example.org/${name}.onnx`, sha256, bytes: 1000 },
  });
}

function commitment(name: string, text: string, block: number): CommitmentAtCutoff {
  return { hotkey: addr(name), block, text, parsed: parseCommitment(text) };
}

beforeAll(async () => {
  contest = (await loadContest('contests/sr-x2-demo')).contest;
  repo = await mkdtemp(join(tmpdir(), 'podium-join-'));
  git(['init', '-q', '-b', 'main']);
  for (const [name, sha] of [
    ['Alice', SHA('a')],
    ['Bob', SHA('a')],
    ['Charlie', SHA('c')],
    ['Dave', SHA('d')],
    ['Eve', SHA('e')],
    ['Ferdie', SHA('f')],
    ['Ivan', SHA('1')],
  ] as const) {
    await put(path(name), entryBytes(entryOf(name, sha)));
  }
  const grace = unsignedEntry(K.Grace as ReturnType<typeof devKey>);
  const byHeidi = (K.Heidi as ReturnType<typeof devKey>).sign(signingMessage(grace));
  await put(
    path('Grace'),
    entryBytes({ ...grace, signature: `0x${Buffer.from(byHeidi).toString('hex')}` }),
  );
  await put(path('Oscar'), entryBytes(entryOf('Heidi', SHA('9')))); // Heidi's entry under Oscar's name
  git(['add', '-A']);
  git(
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'entries'],
    '2025-06-01T18:00:00Z',
  );
  await put(path('Mallory'), entryBytes(entryOf('Mallory', SHA('b'))));
  git(['add', '-A']);
  git(
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'late'],
    '2025-06-01T19:30:00Z',
  );

  const names = Object.keys(K);
  input = {
    contest,
    cutoff: CUTOFF,
    snapshot: await entriesAtCutoff(repo, 'sr-x2-demo', CUTOFF),
    neurons: names.filter((n) => n !== 'Ferdie').map((n, uid) => ({ uid, hotkey: addr(n) })),
    commitments: [
      commitment('Alice', `podium/1 sr-x2-demo ${SHA('a')}`, 9),
      commitment('Bob', `podium/1 sr-x2-demo ${SHA('a')}`, 5),
      commitment('Dave', `podium/1 sr-x2-demo ${SHA('0')}`, 7),
      commitment('Eve', `podium/1 other-contest ${SHA('e')}`, 7),
      commitment('Ferdie', `podium/1 sr-x2-demo ${SHA('f')}`, 7),
      commitment('Ivan', 'podium/1 sr-x2-demo not-a-hash', 7),
      commitment('Judy', `podium/1 sr-x2-demo ${SHA('2')}`, 8),
      commitment('Mallory', `podium/1 sr-x2-demo ${SHA('b')}`, 8),
      commitment('Oscar', 'hello from another app', 3),
    ],
  };
});

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('joining entries at the cutoff with commitments at the cutoff block', () => {
  it('gives every entry and every commitment for the contest exactly one outcome, with a reason', () => {
    const { submissions, rejected } = joinEntries(input);
    expect(submissions.map((s) => s.hotkey)).toEqual([addr('Bob')]);
    const reasons = Object.fromEntries(
      rejected.map((r) => [Object.keys(K).find((n) => addr(n) === r.hotkey), r.reason]),
    );
    expect(reasons).toEqual({
      Alice: 'copy',
      Charlie: 'no-commitment',
      Dave: 'hash-mismatch',
      Eve: 'other-contest',
      Ferdie: 'unregistered-hotkey',
      Grace: 'invalid-signature',
      Heidi: 'file-name-mismatch',
      Ivan: 'malformed-commitment',
      Judy: 'no-entry',
      Mallory: 'no-entry',
    });
    expect(rejected).toHaveLength(10);
  });

  it('lets the earlier commitment block win an identical sha256, whatever the uid', () => {
    const { submissions, rejected } = joinEntries(input);
    const bob = submissions[0];
    expect(bob).toEqual({
      uid: 1,
      hotkey: addr('Bob'),
      model: { url: 'https://models.example.org/Bob.onnx', sha256: SHA('a'), bytes: 1000 },
      commitment: { block: 5, text: `podium/1 sr-x2-demo ${SHA('a')}` },
      entry: { path: path('Bob'), commit: input.snapshot.commit },
    });
    expect(rejected.find((r) => r.hotkey === addr('Alice'))).toEqual({
      hotkey: addr('Alice'),
      uid: 0,
      reason: 'copy',
      message:
        `model sha256 ${SHA('a')} was committed first by ${addr('Bob')} (uid 1) at block 5; ` +
        'this commitment is at block 9',
    });
  });

  it("rejects an entry that names the baseline's sha256, whatever size it declares", () => {
    const baseline = contest.baseline.model.sha256;
    const hostile = signedEntry(K.Charlie as ReturnType<typeof devKey>, {
      model: { url: 'https://models.example.org/b.onnx', sha256: baseline, bytes: 12 },
    });
    const { submissions, rejected } = joinEntries({
      ...input,
      snapshot: {
        ...input.snapshot,
        files: [{ path: path('Charlie'), bytes: entryBytes(hostile) }],
      },
      commitments: [commitment('Charlie', `podium/1 sr-x2-demo ${baseline}`, 4)],
    });
    expect(submissions).toEqual([]);
    expect(rejected).toEqual([
      {
        hotkey: addr('Charlie'),
        uid: 2,
        reason: 'contest-artifact',
        message: `${path('Charlie')} names sha256 ${baseline}, the contest's own baseline model: submit a model of your own`,
      },
    ]);
  });

  it('rejects every file that names an already-seen hotkey as a duplicate', () => {
    const files = input.snapshot.files.filter((f) => f.path === path('Charlie'));
    const twice = { ...input.snapshot, files: [...files, ...files] };
    const { rejected } = joinEntries({ ...input, snapshot: twice, commitments: [] });
    expect(rejected.map((r) => r.reason)).toEqual(['duplicate-hotkey']);
  });

  it('writes records that round.json accepts', () => {
    const { submissions, rejected } = joinEntries(input);
    const round = {
      $schema: schemaId('round'),
      version: 1,
      contest: { id: 'sr-x2-demo', sha256: SHA('0') },
      id: '2025-06-01',
      cutoff: {
        instant: CUTOFF.toISOString(),
        block: 10,
        blockHash: `0x${SHA('1')}`,
        blockTimestampMs: 1,
      },
      seed: `0x${SHA('2')}`,
      submissions,
      rejected,
      producer: { podiumVersion: '0.1.0', podiumCommit: null },
    };
    expect(validateDocument(RoundSchema, round)).toEqual([]);
  });
});
