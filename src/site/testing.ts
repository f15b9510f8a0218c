/**
 * Test and benchmark support for the results site: a headless Chromium from the npm package
 * @sparticuz/chromium (its binary ships inside the package, so `npm ci` is the whole set-up)
 * driven by puppeteer-core, with background networking off. Not used by podium itself.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';
import { contestFileSha256 } from '../contest/hash.js';
import { BenchSchema } from '../documents/bench.js';
import { RoundSchema } from '../documents/round.js';
import { canonicalJson } from '../json/canonical.js';
import { writeDocument, writeFileAtomic } from '../json/file.js';
import { acceptIndex, signRound } from '../results/index.js';
import { writeLeaderboard } from '../leaderboard/write.js';
import { devKeyPair, seeded } from '../results/testing.js';
import { writeScore } from '../score/files.js';
import {
  CONTEST_ID,
  DEV_HOTKEYS,
  syntheticHotkey,
  testBench,
  testContest,
  testRound,
  timings,
} from '../score/testing.js';

/** Launches the headless browser; close it when done. `protocolTimeout` 0: wait as long as needed. */
export async function launchBrowser(options: { protocolTimeout?: number } = {}): Promise<Browser> {
  return puppeteer.launch({
    ...options,
    executablePath: await chromium.executablePath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      '--metrics-recording-only',
      '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
    ],
  });
}

/** Options of writeResultsFixture. */
export interface FixtureOptions {
  readonly rounds: number;
  readonly submissions: number;
  /** Timed samples per model (default 16). */
  readonly samples?: number;
}

/** Where writeResultsFixture put things. */
export interface ResultsFixture {
  readonly results: string;
  readonly contests: string;
  readonly rounds: readonly string[];
}

/**
 * Writes `<root>/contests/score-test/` and `<root>/results/score-test/` holding `rounds` rounds of
 * `submissions` submissions each, built from real components: bench files over the real schemas,
 * score.json computed by the scoring code, each round signed into the index with the dev key
 * //Alice through signRound and acceptIndex. Submission i is (1 − i / (2n))× the baseline's time.
 */
export async function writeResultsFixture(
  root: string,
  options: FixtureOptions,
): Promise<ResultsFixture> {
  const contests = join(root, 'contests');
  const contestFile = join(contests, CONTEST_ID, 'contest.json');
  await writeFileAtomic(contestFile, canonicalJson(testContest()));
  await mkdir(join(contests, CONTEST_ID, 'inputs'), { recursive: true });
  const sha = await contestFileSha256(contestFile);
  const withSha = <T extends { contest: { sha256: string } }>(doc: T): T => ({
    ...doc,
    contest: { ...doc.contest, sha256: sha },
  });
  const results = join(root, 'results', CONTEST_ID);
  const key = await devKeyPair('Alice');
  const n = options.samples ?? 16;
  const rounds: string[] = [];
  const subs = Array.from({ length: options.submissions }, (_, i) => ({
    hotkey: i < 2 ? [DEV_HOTKEYS.bob, DEV_HOTKEYS.charlie][i]! : syntheticHotkey(i),
    uid: i + 1,
    block: 10 + i,
  }));
  for (let k = 0; k < options.rounds; k++) {
    const id = new Date(Date.UTC(2025, 2, 1 + k)).toISOString().slice(0, 10);
    const dir = join(results, id);
    const round = seeded(withSha(testRound(subs, { id })));
    await writeDocument(join(dir, 'round.json'), RoundSchema, round);
    // Measured with the round's seed, as the benchmark does (verify checks it, ADR 0062).
    const withSeed = <T extends { settings: { seed: string } }>(doc: T): T => ({
      ...doc,
      settings: { ...doc.settings, seed: round.seed },
    });
    const base = timings(10, n, 0.05, k);
    const bench = join(dir, 'bench', 'runner-a');
    await writeDocument(
      join(bench, 'baseline.json'),
      BenchSchema,
      withSeed(withSha(testBench({ ms: base, round: id }))),
    );
    for (const [i, s] of subs.entries()) {
      const ms = base.map((v) => v * (1 - i / (2 * subs.length)));
      await writeDocument(
        join(bench, `${s.hotkey}.json`),
        BenchSchema,
        withSeed(withSha(testBench({ ...s, ms, round: id }))),
      );
    }
    await writeScore(dir, { contestDir: join(contests, CONTEST_ID) });
    await acceptIndex(results, (await signRound(results, id, key)).index);
    await writeLeaderboard(results); // as the record job does, beside the index
    rounds.push(id);
  }
  return { results, contests, rounds };
}
