import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contestFileSha256 } from '../contest/hash.js';
import { canonicalJson } from '../json/canonical.js';
import { writeDocument } from '../json/file.js';
import { writeScore } from '../score/files.js';
import { DEV_HOTKEYS, ROUND_ID, testBench, testContest, testRound, timings } from '../score/testing.js';
import { acceptIndex, signRound } from './index.js';
import { devKeyPair } from './testing.js';
import { formatReport, scoreRerun, verifyResults } from './verify.js';
import { addRoundFiles } from './write.js';

let root: string;
let contests: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-verify-score-'));
  contests = join(root, 'contests');
  await mkdir(join(contests, 'score-test', 'inputs'), { recursive: true });
  await writeFile(join(contests, 'score-test', 'contest.json'), canonicalJson(testContest()));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A scored round committed and signed into `results/score-test`; `tamper` edits score.json first. */
async function signedRound(name: string, tamper?: (text: string) => string): Promise<string> {
  const sha = await contestFileSha256(join(contests, 'score-test', 'contest.json'));
  const staging = join(root, name, 'staging', ROUND_ID);
  const withSha = <T extends { contest: { sha256: string } }>(doc: T): T => ({
    ...doc,
    contest: { ...doc.contest, sha256: sha },
  });
  await writeDocument(
    join(staging, 'round.json'),
    'round',
    withSha(testRound([{ hotkey: DEV_HOTKEYS.bob, uid: 1, block: 10 }])),
  );
  const bench = join(staging, 'bench', 'runner-a');
  await writeDocument(join(bench, 'baseline.json'), 'bench', withSha(testBench({ ms: timings(10, 24) })));
  const bob = testBench({ hotkey: DEV_HOTKEYS.bob, uid: 1, ms: timings(5, 24, 0.05, 1) });
  await writeDocument(join(bench, `${DEV_HOTKEYS.bob}.json`), 'bench', withSha(bob));
  await writeScore(staging, { contestDir: join(contests, 'score-test') });
  if (tamper) {
    const file = join(staging, 'score.json');
    await writeFile(file, tamper(await readFile(file, 'utf8')));
  }
  const results = join(root, name, 'results', 'score-test');
  await addRoundFiles(results, ROUND_ID, staging);
  await acceptIndex(results, (await signRound(results, ROUND_ID, await devKeyPair('Alice'))).index);
  return results;
}

describe('the score re-run in verify', () => {
  it('passes a round whose committed score.json is what scoring computes', async () => {
    const results = await signedRound('honest');
    const report = await verifyResults(results, { scoreCheck: scoreRerun(contests) });
    expect(report.ok).toBe(true);
    expect(formatReport(report)[0]).toMatch(/^ok {4}2025-03-01 .*score re-run: passed$/);
  });

  it('fails a validly signed round whose score.json was not computed from its bench files', async () => {
    const results = await signedRound('dishonest', (text) => {
      const doc = JSON.parse(text) as { weights: { u16: Record<string, number> } };
      doc.weights.u16[DEV_HOTKEYS.bob] = 12345;
      return canonicalJson(doc);
    });
    const report = await verifyResults(results, { scoreCheck: scoreRerun(contests) });
    expect(report.ok).toBe(false);
    const text = formatReport(report).join('\n');
    expect(text).toMatch(/^FAIL {2}2025-03-01 .*score re-run: failed/m);
    expect(text).toContain(
      `score.json: re-run differs from the recomputed score at /weights/u16/${DEV_HOTKEYS.bob} (committed 12345, recomputed 65535)`,
    );
  });

  it('says "not available", never "passed", when the contest file is not the one the round froze', async () => {
    const results = await signedRound('moved');
    const other = join(root, 'other-contests');
    await mkdir(join(other, 'score-test'), { recursive: true });
    const changed = { ...testContest(), title: 'renamed since the round' };
    await writeFile(join(other, 'score-test', 'contest.json'), canonicalJson(changed));
    const report = await verifyResults(results, { scoreCheck: scoreRerun(other) });
    expect(report.rounds[0]?.score).toBe('not available');
    expect(formatReport(report)[0]).toMatch(/the round froze [0-9a-f]{64}: check out the contest as of the round/);
  });
});
