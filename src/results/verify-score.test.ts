import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contestFileSha256 } from '../contest/hash.js';
import { BenchSchema, type BenchDocument } from '../documents/bench.js';
import { RoundSchema } from '../documents/round.js';
import { WeightsSchema, type WeightsDocument } from '../documents/weights.js';
import { canonicalJson } from '../json/canonical.js';
import { combineContests, quantiseCombined, type Combined, type ContestPart } from '../subnet/combine.js';
import { writeDocument } from '../json/file.js';
import { writeLeaderboard } from '../leaderboard/write.js';
import { writeScore } from '../score/files.js';
import { DEV_HOTKEYS, ROUND_ID, testBench, testContest, testRound, timings } from '../score/testing.js';
import { schemaId } from '../schemas/builders.js';
import { roundFileRecords } from './files.js';
import { acceptIndex, readIndex, signRound } from './index.js';
import { sha256Hex, signEntry } from './sign.js';
import { devKeyPair, seeded } from './testing.js';
import { formatReport, scoreRerun, verifyResults, type VerifyOptions } from './verify.js';
import { addRoundFiles } from './write.js';

let root: string;
let contests: string;
let alice: KeyringPair;
let bob: KeyringPair;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-verify-score-'));
  contests = join(root, 'contests');
  await mkdir(join(contests, 'score-test', 'inputs'), { recursive: true });
  await writeFile(join(contests, 'score-test', 'contest.json'), canonicalJson(testContest()));
  alice = await devKeyPair('Alice');
  bob = await devKeyPair('Bob');
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The auditor: the validator known from outside the folder, and the contest the round froze. */
function audit(options: VerifyOptions = {}): VerifyOptions {
  return { validator: alice.address, validatorFrom: '--validator', scoreCheck: scoreRerun(contests), ...options };
}

/** The weights.json publish writes for `roundDir`'s score.json (a dry run: no chain here). */
async function weightsFor(roundDir: string, validator: string): Promise<WeightsDocument> {
  const score = await readFile(join(roundDir, 'score.json'));
  const { u16 } = (JSON.parse(score.toString('utf8')) as { weights: { u16: Record<string, number> } }).weights;
  const uids: Record<string, number> = { [DEV_HOTKEYS.bob]: 1, [DEV_HOTKEYS.charlie]: 2 };
  const earned = Object.entries(u16).filter(([, value]) => value > 0);
  const max = Math.max(...earned.map(([, value]) => value)); // publish max-normalises to 65535
  const sent = earned
    .map(([hotkey, value]) => ({ uid: uids[hotkey]!, hotkey, value: Math.round((value / max) * 65535) }))
    .sort((a, b) => a.uid - b.uid);
  return {
    $schema: schemaId('weights'),
    version: 1,
    netuid: 1,
    validator,
    validatorUid: 0,
    status: 'dry-run',
    versionKey: 1,
    source: { path: `results/score-test/${ROUND_ID}/score.json`, sha256: sha256Hex(score) },
    mappedAt: { number: 1000, hash: `0x${'3'.repeat(64)}` },
    weights: sent,
    dropped: [],
    block: null,
    extrinsicHash: null,
    readBack: null,
    skipped: null,
    commitReveal: null,
    call: null,
    producer: { podiumVersion: '0.1.0', podiumCommit: null },
  };
}

/** The second contest on the netuid: no round yet, so its share goes to the fallback uid 0. */
const OTHER = 'other-test';
const SHARE = 0.6;
const UIDS: Record<string, number> = { [DEV_HOTKEYS.alice]: 0, [DEV_HOTKEYS.bob]: 1, [DEV_HOTKEYS.charlie]: 2 };

/** This contest's share, the overlap rule and OTHER's latest score (default: none). */
interface SubnetShape {
  readonly share?: number;
  readonly overlap?: 'sum' | 'largest';
  readonly other?: { round: string; normalised: Record<string, number> } | null;
}

/**
 * The weights.json a subnet publish writes into `roundDir` (src/round/subnet-publish.ts, a dry
 * run): this contest's score.json combined with OTHER's empty part, quantised with Alice's
 * hotkey at the fallback uid 0, mapped to uids. `edit` changes the combination before the sums
 * and the vector are derived from it, as a forger who keeps the document self-consistent would.
 */
async function subnetWeightsFor(
  roundDir: string,
  edit: (parts: ContestPart[]) => ContestPart[] = (parts) => parts,
  { share = SHARE, overlap = 'sum', other = null }: SubnetShape = {},
): Promise<WeightsDocument> {
  const bytes = await readFile(join(roundDir, 'score.json'));
  const score = JSON.parse(bytes.toString('utf8')) as { weights: { normalised: Record<string, number> } };
  const honest = combineContests({
    contests: [
      { id: 'score-test', share, maxRoundAgeHours: 48, latest: { round: ROUND_ID, cutoffMs: 0, normalised: score.weights.normalised } },
      { id: OTHER, share: 1 - share, maxRoundAgeHours: 48, latest: other && { ...other, cutoffMs: 0 } },
    ],
    overlap,
    nowMs: 0,
  });
  const parts = edit([...honest.contests]);
  const byHotkey: Record<string, number> = {};
  for (const p of parts) for (const [h, v] of Object.entries(p.parts)) byHotkey[h] = (byHotkey[h] ?? 0) + v;
  const combined: Combined = { contests: parts, byHotkey, fallback: parts.reduce((s, p) => s + p.toFallback, 0) };
  const u16 = quantiseCombined(combined, DEV_HOTKEYS.alice);
  const sent = Object.entries(u16)
    .map(([hotkey, value]) => ({ uid: UIDS[hotkey]!, hotkey, value }))
    .sort((a, b) => a.uid - b.uid);
  const file = 'subnets/1.json';
  const base = await weightsFor(roundDir, alice.address);
  const scoreSource = { path: `results/score-test/${ROUND_ID}/score.json`, sha256: sha256Hex(bytes) };
  return {
    ...base,
    source: { path: file, sha256: '5'.repeat(64) },
    weights: sent,
    subnet: {
      file,
      sha256: '5'.repeat(64),
      fallbackUid: 0,
      overlap,
      contests: parts.map((p) => ({
        ...p,
        source:
          p.id === 'score-test'
            ? scoreSource
            : p.round === null
              ? null
              : { path: `results/${OTHER}/${p.round}/score.json`, sha256: 'a'.repeat(64) },
      })),
      byHotkey: combined.byHotkey,
      fallback: combined.fallback,
    },
  };
}

/** A signed round whose weights.json is a subnet publish; `edit` as in subnetWeightsFor. */
async function subnetRound(
  name: string,
  edit?: (parts: ContestPart[]) => ContestPart[],
  after?: (doc: WeightsDocument) => WeightsDocument,
  shape?: SubnetShape,
): Promise<{ results: string; weights: string; doc: WeightsDocument }> {
  let doc: WeightsDocument | undefined;
  const results = await signedRound(name, async (staging) => {
    doc = await subnetWeightsFor(staging, edit, shape);
    if (after) doc = after(doc);
    await writeDocument(join(staging, 'weights.json'), WeightsSchema, doc);
  });
  return { results, weights: join(results, ROUND_ID, 'weights.json'), doc: doc! };
}

/** Bob 2× faster than the baseline, Charlie as slow; round and bench files seeded by the cutoff. */
async function writeBench(dir: string, sha: string, fast: string, slow: string): Promise<void> {
  const withRound = <T extends { contest: { sha256: string } }>(doc: T): T => ({
    ...doc,
    contest: { ...doc.contest, sha256: sha },
  });
  const round = seeded(
    withRound(
      testRound([
        { hotkey: DEV_HOTKEYS.bob, uid: 1, block: 10 },
        { hotkey: DEV_HOTKEYS.charlie, uid: 2, block: 11 },
      ]),
    ),
  );
  await writeDocument(join(dir, 'round.json'), RoundSchema, round);
  const bench = (doc: BenchDocument): BenchDocument => ({
    ...withRound(doc),
    settings: { ...doc.settings, seed: round.seed },
  });
  const at = join(dir, 'bench', 'runner-a');
  await writeDocument(join(at, 'baseline.json'), BenchSchema, bench(testBench({ ms: timings(10, 24) })));
  const uid: Record<string, number> = { [DEV_HOTKEYS.bob]: 1, [DEV_HOTKEYS.charlie]: 2 };
  for (const [hotkey, mean] of [
    [fast, 5],
    [slow, 10],
  ] as const) {
    const doc = testBench({ hotkey, uid: uid[hotkey]!, ms: timings(mean, 24, 0.05, 1) });
    await writeDocument(join(at, `${hotkey}.json`), BenchSchema, bench(doc));
  }
}

/**
 * A scored round recorded as the round workflow records it: files committed, weights.json,
 * the entry signed by the validator (Alice) and the leaderboard regenerated. `tamper` edits the
 * staged folder first.
 */
async function signedRound(name: string, tamper?: (staging: string) => Promise<void>): Promise<string> {
  const sha = await contestFileSha256(join(contests, 'score-test', 'contest.json'));
  const staging = join(root, name, 'staging', ROUND_ID);
  await writeBench(staging, sha, DEV_HOTKEYS.bob, DEV_HOTKEYS.charlie);
  await writeScore(staging, { contestDir: join(contests, 'score-test') });
  await writeDocument(join(staging, 'weights.json'), WeightsSchema, await weightsFor(staging, alice.address));
  if (tamper) await tamper(staging);
  const results = join(root, name, 'results', 'score-test');
  await addRoundFiles(results, ROUND_ID, staging);
  await acceptIndex(results, (await signRound(results, ROUND_ID, alice)).index);
  await writeLeaderboard(results);
  return results;
}

/** The attack on the whole index: every entry signed again, end to end, by `key`. */
async function resignAll(results: string, key: KeyringPair): Promise<void> {
  const index = await readIndex(results);
  let previous: string | null = null;
  const entries = [];
  for (const { round } of index.entries) {
    const files = await roundFileRecords(join(results, round));
    const { entry } = signEntry({ contest: index.contest, round, files, previous }, key);
    entries.push(entry);
    previous = entry.hash;
  }
  await writeFile(join(results, 'index.json'), canonicalJson({ ...index, entries }));
}

describe('the score re-run in verify', () => {
  it('passes a round whose committed score.json is what scoring computes', async () => {
    const results = await signedRound('honest');
    const report = await verifyResults(results, audit());
    expect(formatReport(report).join('\n')).not.toMatch(/FAIL|NOT RUN/);
    expect(report.ok).toBe(true);
    expect(formatReport(report)[0]).toMatch(/^ok {4}2025-03-01 .*score re-run: passed$/);
  });

  it('fails a validly signed round whose score.json was not computed from its bench files', async () => {
    const results = await signedRound('dishonest', async (staging) => {
      const file = join(staging, 'score.json');
      const doc = JSON.parse(await readFile(file, 'utf8')) as { weights: { u16: Record<string, number> } };
      doc.weights.u16[DEV_HOTKEYS.bob] = 12345;
      await writeFile(file, canonicalJson(doc));
      await writeDocument(join(staging, 'weights.json'), WeightsSchema, await weightsFor(staging, alice.address));
    });
    const report = await verifyResults(results, audit());
    expect(report.ok).toBe(false);
    const text = formatReport(report).join('\n');
    expect(text).toMatch(/^FAIL {2}2025-03-01 .*score re-run: failed/m);
    expect(text).toContain(
      `score.json: re-run differs from the recomputed score at /weights/u16/${DEV_HOTKEYS.bob} (committed 12345, recomputed 65535)`,
    );
  });

  it('fails a round re-scored to move the weights and re-signed end to end by another key, weights.json still naming the validator', async () => {
    const results = await signedRound('rescored');
    // The hostile mirror: Charlie's bench file now shows the fast model, Bob's the slow one; the
    // score is recomputed from them (so the re-run passes), the index re-signed by Bob's key and
    // the leaderboard regenerated. weights.json is left as the validator published it.
    const sha = await contestFileSha256(join(contests, 'score-test', 'contest.json'));
    const round = join(results, ROUND_ID);
    await writeBench(round, sha, DEV_HOTKEYS.charlie, DEV_HOTKEYS.bob);
    await writeScore(round, { contestDir: join(contests, 'score-test') });
    await resignAll(results, bob);
    await writeLeaderboard(results);
    const weights = join(round, 'weights.json');

    const report = await verifyResults(results, audit());
    expect(report.ok).toBe(false);
    expect(report.rounds[0]?.problems).toEqual([
      `${join(results, 'index.json')}: /entries/0/signature/signer is ${bob.address}, expected the validator ` +
        `${alice.address} (--validator): the entry was signed by another key`,
      `${weights}: /validator is ${alice.address}, but the index entry is signed by ${bob.address}`,
      `${weights}: /weights sends ${DEV_HOTKEYS.charlie} nothing, but score.json's weights give it 65535 (u16 65535, max-normalised)`,
      `${weights}: /weights sends ${DEV_HOTKEYS.bob} 65535, but score.json gives it no weight`,
      expect.stringMatching(
        new RegExp(
          `^${weights.replaceAll('/', '\\/')}: \\/source\\/sha256 is [0-9a-f]{64}, but the index records score\\.json as [0-9a-f]{64}: the weights were not set from this score$`,
        ),
      ),
    ]);

    // The whole folder made consistent: weights.json rewritten for Bob and the new score, then
    // everything re-signed. Only a validator named outside the folder can tell.
    await writeDocument(weights, WeightsSchema, await weightsFor(round, bob.address));
    await resignAll(results, bob);
    const unanchored = await verifyResults(results, audit({ validator: undefined }));
    expect(unanchored.rounds.map((r) => [r.status, r.score, r.problems])).toEqual([['ok', 'passed', []]]);
    expect(unanchored.ok).toBe(false);
    expect(unanchored.problems).toEqual([
      expect.stringMatching(/index\.json: no trusted validator hotkey: the entries are signed by 5FHne\w+, and a signature only shows who wrote the index/),
    ]);
    const anchored = await verifyResults(results, audit());
    expect(anchored.rounds[0]?.problems).toEqual([
      `${join(results, 'index.json')}: /entries/0/signature/signer is ${bob.address}, expected the validator ` +
        `${alice.address} (--validator): the entry was signed by another key`,
      `${weights}: /validator is ${bob.address}, expected the validator ${alice.address}`,
    ]);
  });

  it("fails a round signed by the validator whose weights.json was set from another score", async () => {
    const results = await signedRound('other-source', async (staging) => {
      const doc = await weightsFor(staging, alice.address);
      await writeDocument(join(staging, 'weights.json'), WeightsSchema, {
        ...doc,
        source: { path: `results/score-test/2025-02-28/score.json`, sha256: 'e'.repeat(64) },
      });
    });
    const problems = (await verifyResults(results, audit())).rounds[0]?.problems ?? [];
    const weights = join(results, ROUND_ID, 'weights.json');
    expect(problems).toContain(
      `${weights}: /source/path is "results/score-test/2025-02-28/score.json", not this round's ${ROUND_ID}/score.json`,
    );
    expect(problems).toContainEqual(expect.stringMatching(/\/source\/sha256 is e{64}, but the index records score\.json as [0-9a-f]{64}/));
  });

  it('fails a round signed by the validator whose weights.json sent another vector than its score.json', async () => {
    const results = await signedRound('other-vector', async (staging) => {
      const doc = await weightsFor(staging, alice.address);
      expect(doc.weights).toEqual([{ uid: 1, hotkey: DEV_HOTKEYS.bob, value: 65535 }]);
      await writeDocument(join(staging, 'weights.json'), WeightsSchema, {
        ...doc,
        weights: [{ uid: 2, hotkey: DEV_HOTKEYS.charlie, value: 65535 }],
      });
    });
    const weights = join(results, ROUND_ID, 'weights.json');
    expect((await verifyResults(results, audit())).rounds[0]?.problems).toEqual([
      `${weights}: /weights sends ${DEV_HOTKEYS.bob} nothing, but score.json's weights give it 65535 (u16 65535, max-normalised)`,
      `${weights}: /weights sends ${DEV_HOTKEYS.charlie} 65535, but score.json gives it no weight`,
    ]);
  });

  it('fails a signed round turned back into a pending one by dropping its entry and weights.json, unless the run names it', async () => {
    const results = await signedRound('unsigned');
    await rm(join(results, ROUND_ID, 'weights.json'));
    await writeFile(join(results, 'index.json'), canonicalJson({ ...(await readIndex(results)), entries: [] }));
    await writeLeaderboard(results); // regenerated to match the shortened index
    const report = await verifyResults(results, audit());
    expect(report.ok).toBe(false);
    expect(report.rounds[0]?.problems).toEqual([
      `${join(results, ROUND_ID)}: holds score.json but has no entry in index.json: a scored round is ` +
        'signed by the record job of the run that scored it, so its entry was removed (unless this ' +
        `is the round the current run is writing: pass --pending ${ROUND_ID})`,
    ]);
    const writing = await verifyResults(results, audit({ pending: [ROUND_ID] }));
    expect(writing.rounds.map((r) => [r.round, r.status])).toEqual([[ROUND_ID, 'pending']]);
    expect(writing.ok).toBe(true);
  });

  it('fails, never passes, when the contest file is not the one the round froze, saying what to pass; --skip score passes it as skipped', async () => {
    const results = await signedRound('moved');
    const other = join(root, 'other-contests');
    await mkdir(join(other, 'score-test'), { recursive: true });
    const changed = { ...testContest(), title: 'renamed since the round' };
    await writeFile(join(other, 'score-test', 'contest.json'), canonicalJson(changed));
    const report = await verifyResults(results, audit({ scoreCheck: scoreRerun(other) }));
    expect(report.rounds[0]?.score).toBe('not available');
    expect(report.ok).toBe(false);
    expect(report.incomplete[0]).toMatch(
      new RegExp(
        `the round froze [0-9a-f]{64}: check out the contest as of the round; to run it, write the contest as of the round's commit into a folder and pass it: ` +
          `mkdir -p /tmp/c/score-test && git show "\\$\\(git log -1 --format=%H -- ${join(results, ROUND_ID, 'round.json').replaceAll('/', '\\/')}\\)":contests/score-test/contest.json > /tmp/c/score-test/contest.json, then --contests /tmp/c\\); ` +
          'give it the contest the round froze, or pass --skip score$',
      ),
    );
    const skipped = await verifyResults(results, audit({ scoreCheck: undefined, skip: ['score'] }));
    expect(skipped.ok).toBe(true);
    expect(skipped.rounds[0]?.score).toBe('skipped');
  });
});

describe('verify of a subnet publish (several contests on one netuid)', () => {
  it('passes a round whose weights.json combines its score.json with another contest as subnet publish does', async () => {
    const { results, doc } = await subnetRound('subnet-honest');
    // Bob earns all of score-test: 0.6 of the vector; OTHER's 0.4 goes to Alice at the fallback uid.
    expect(doc.subnet?.contests.map((c) => [c.id, c.status, c.parts, c.toFallback])).toEqual([
      ['score-test', 'scored', { [DEV_HOTKEYS.bob]: SHARE }, 0],
      [OTHER, 'no-round', {}, 0.4],
    ]);
    expect(doc.weights).toEqual([
      { uid: 0, hotkey: DEV_HOTKEYS.alice, value: Math.floor((0.4 / SHARE) * 65535 + 0.5) },
      { uid: 1, hotkey: DEV_HOTKEYS.bob, value: 65535 },
    ]);
    const report = await verifyResults(results, audit());
    expect(report.rounds.map((r) => [r.status, r.score, r.problems])).toEqual([['ok', 'passed', []]]);
    expect(report.ok).toBe(true);
  });

  it('passes an overlap "largest" publish in which this contest\'s earner keeps its larger part elsewhere', async () => {
    const shape = { share: 0.3, overlap: 'largest', other: { round: '2025-03-02', normalised: { [DEV_HOTKEYS.bob]: 1 } } } as const;
    const { results, doc } = await subnetRound('subnet-largest', undefined, undefined, shape);
    // Bob's 0.3 here loses to his 0.7 in OTHER: this part sends its whole share to the fallback uid.
    expect(doc.subnet?.contests.map((c) => [c.id, c.status, c.parts, c.toFallback])).toEqual([
      ['score-test', 'scored', {}, 0.3],
      [OTHER, 'scored', { [DEV_HOTKEYS.bob]: 0.7 }, 0],
    ]);
    const report = await verifyResults(results, audit());
    expect(report.rounds.map((r) => [r.status, r.score, r.problems])).toEqual([['ok', 'passed', []]]);
  });

  it("fails a part edited to give this contest's share to another hotkey, sums and vector made to match", async () => {
    const { results, weights } = await subnetRound('subnet-parts', (parts) =>
      parts.map((p) => (p.id === 'score-test' ? { ...p, parts: { [DEV_HOTKEYS.charlie]: SHARE } } : p)),
    );
    const where = `${weights}: /subnet/contests/0/parts`;
    expect((await verifyResults(results, audit())).rounds[0]?.problems).toEqual([
      `${where}/${DEV_HOTKEYS.bob} is absent, but this round's score.json gives it ${SHARE} (share ${SHARE} · normalised weight)`,
      `${where}/${DEV_HOTKEYS.charlie} is ${SHARE}, but this round's score.json gives it 0 (share ${SHARE} · normalised weight)`,
    ]);
  });

  it("fails a part whose earners were moved to the fallback uid, sums and vector made to match", async () => {
    const { results, weights } = await subnetRound('subnet-to-fallback', (parts) =>
      parts.map((p) => (p.id === 'score-test' ? { ...p, parts: {}, toFallback: SHARE } : p)),
    );
    const where = `${weights}: /subnet/contests/0`;
    expect((await verifyResults(results, audit())).rounds[0]?.problems).toEqual([
      `${where}/parts/${DEV_HOTKEYS.bob} is absent, but this round's score.json gives it ${SHARE} (share ${SHARE} · normalised weight)`,
      `${where}/toFallback is ${SHARE}, but this round's score.json makes it 0`,
    ]);
  });

  it("fails a vector re-weighted while the parts are left as published", async () => {
    const { results, weights } = await subnetRound('subnet-vector', undefined, (doc) => ({
      ...doc,
      weights: doc.weights.map((w) => (w.hotkey === DEV_HOTKEYS.alice ? { ...w, value: 65535 } : w)),
    }));
    const fair = Math.floor((0.4 / SHARE) * 65535 + 0.5);
    expect((await verifyResults(results, audit())).rounds[0]?.problems).toEqual([
      `${weights}: /weights sends ${DEV_HOTKEYS.alice} 65535, but the subnet's combined parts give it ${fair} (u16 ${fair}, max-normalised)`,
    ]);
  });

  it("fails a part whose source is not the score.json the index records", async () => {
    const { results, weights } = await subnetRound('subnet-source', undefined, (doc) => ({
      ...doc,
      subnet: {
        ...doc.subnet!,
        contests: doc.subnet!.contests.map((c, i) =>
          i === 0 ? { ...c, source: { ...c.source!, sha256: 'e'.repeat(64) } } : c,
        ),
      },
    }));
    const sha = (await readIndex(results)).entries[0]!.files.find((f) => f.path === 'score.json')!.sha256;
    expect((await verifyResults(results, audit())).rounds[0]?.problems).toEqual([
      `${weights}: /subnet/contests/0/source/sha256 is ${'e'.repeat(64)}, but the index records score.json as ${sha}: the weights were not set from this score`,
    ]);
  });

  it("fails a part naming another round, and a subnet publish with no part for this contest", async () => {
    const other = await subnetRound('subnet-round', (parts) =>
      parts.map((p) => (p.id === 'score-test' ? { ...p, round: '2025-02-28' } : p)),
    );
    expect((await verifyResults(other.results, audit())).rounds[0]?.problems).toEqual([
      `${other.weights}: /subnet/contests/0/round is 2025-02-28, not this round ${ROUND_ID}`,
    ]);
    const none = await subnetRound('subnet-none', (parts) => parts.filter((p) => p.id !== 'score-test'));
    expect((await verifyResults(none.results, audit())).rounds[0]?.problems).toEqual([
      `${none.weights}: /subnet/contests has no part for contest score-test`,
    ]);
  });
});
