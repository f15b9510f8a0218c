/**
 * Test helpers for the results tests: a small but schema-valid round (round.json and bench
 * files for a baseline and one submission per hotkey), written the way podium writes them.
 * Not used by podium itself. Figures in these files are fixture values, not measurements.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { BenchSchema, type BenchDocument } from '../documents/bench.js';
import { writeDocument } from '../json/file.js';
import { RoundSchema, type RoundDocument } from '../documents/round.js';
import { schemaId } from '../schemas/builders.js';
import { roundSeedText } from '../documents/seed.js';
import { git } from './git.js';
import { sha256Hex } from './sign.js';

/** A dev keypair (`//Alice`, `//Bob`…), sr25519, ss58 prefix 42; waits for the crypto wasm. */
export async function devKeyPair(name: string): Promise<KeyringPair> {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//${name}`);
}

const CONTEST_SHA = 'c'.repeat(64);
const CUTOFF_HASH = `0x${'1'.repeat(64)}`;

/** The seed of a fixture round: what the cutoff block hash gives (ADR 0062), as collect writes it. */
export function fixtureSeed(contest: string, round: string, blockHash = CUTOFF_HASH): string {
  return `0x${sha256Hex(roundSeedText(contest, round, blockHash))}`;
}

/**
 * `round` (from testRound or by hand) and its bench files re-seeded as collect and the benchmark
 * seed them: round.seed from the cutoff block hash, every bench file's settings.seed = round.seed.
 */
export function seeded<R extends { contest: { id: string }; id: string; cutoff: { blockHash: string }; seed: string }>(
  round: R,
): R {
  return { ...round, seed: fixtureSeed(round.contest.id, round.id, round.cutoff.blockHash) };
}
const MODEL = { url: 'https://models.example.org/m.onnx', sha256: 'a'.repeat(64), bytes: 1000 };

/** A valid round.json for `round` of `contest` with one submission per hotkey. */
export function roundDocument(contest: string, round: string, hotkeys: string[]): RoundDocument {
  return {
    $schema: schemaId('round'),
    version: 1,
    contest: { id: contest, sha256: CONTEST_SHA },
    id: round,
    cutoff: {
      instant: `${round.slice(0, 10)}T19:00:00.000Z`,
      block: 100,
      blockHash: CUTOFF_HASH,
      blockTimestampMs: 1_700_000_000_000,
    },
    seed: fixtureSeed(contest, round),
    submissions: hotkeys.map((hotkey, uid) => ({
      uid: uid + 1,
      hotkey,
      model: { ...MODEL, sha256: String(uid + 1).repeat(64).slice(0, 64) },
      commitment: { block: 50 + uid, text: `podium/1 ${contest} ${'a'.repeat(64)}` },
      entry: null,
    })),
    rejected: [],
    producer: { podiumVersion: '0.1.0', podiumCommit: null },
  };
}

/** A valid bench document for the baseline (hotkey null) or a submission, with fixed timings. */
export function benchDocument(
  contest: string,
  round: string,
  runner: string,
  hotkey: string | null,
  ms: number[],
): BenchDocument {
  return {
    $schema: schemaId('bench'),
    version: 1,
    contest: { id: contest, sha256: CONTEST_SHA },
    round,
    runner: { name: runner, label: 'cpu-demo' },
    subject: { role: hotkey === null ? 'baseline' : 'submission', hotkey, uid: null, model: MODEL },
    settings: {
      executionProvider: 'cpu',
      session: { intraOpNumThreads: 1 },
      warmupRuns: 1,
      minSamples: ms.length,
      minSeconds: 0,
      blockSize: 1,
      loadTimeoutMs: 60_000,
      sampleTimeoutMs: null,
      memoryLimitBytes: 1 << 30,
      inputs: ms.length,
      seed: fixtureSeed(contest, round),
    },
    environment: {
      device: 'cpu',
      driver: null,
      cpu: 'fixture',
      cores: 2,
      os: 'linux',
      node: 'v20',
      onnxruntime: '1.30.0',
      podiumVersion: '0.1.0',
      podiumCommit: null,
      isolation: 'none',
    },
    inspection: null,
    load: { sessionMs: 10, firstInferenceMs: 5 },
    samples: { input: ms.map((_, i) => i), block: ms.map((_, i) => i), ms },
    summary: null,
    memory: { peakRssBytes: null, gpuMemoryBytes: null },
    energy: { joulesPerSample: null, averageWatts: null },
    fidelity: null,
    outputs: null,
    valid: true,
    reasons: [],
  };
}

/**
 * Writes a round folder (round.json, bench/<runner>/baseline.json and one bench file per
 * hotkey) under `dir`, laid out as collect + benchmark leave it. Returns `dir`.
 */
export async function writeRoundFixture(
  dir: string,
  contest: string,
  round: string,
  hotkeys: string[],
  runner = 'runner-1',
): Promise<string> {
  await writeDocument(join(dir, 'round.json'), RoundSchema, roundDocument(contest, round, hotkeys));
  const bench = join(dir, 'bench', runner);
  const baseline = benchDocument(contest, round, runner, null, [10.5, 10.25, 10.75]);
  await writeDocument(join(bench, 'baseline.json'), BenchSchema, baseline);
  for (const hotkey of hotkeys) {
    const doc = benchDocument(contest, round, runner, hotkey, [5.5, 5.25, 5.75]);
    await writeDocument(join(bench, `${hotkey}.json`), BenchSchema, doc);
  }
  return dir;
}

/** A bare remote with one initial commit on `main`, and a way to clone it. */
export interface GitFixture {
  readonly remote: string;
  /** Clones the remote into `<root>/<name>` with a committer identity; returns the path. */
  clone(name: string): Promise<string>;
}

/** Creates `<root>/remote.git` (bare) holding a README on `main`. */
export async function makeGitFixture(root: string): Promise<GitFixture> {
  const remote = join(root, 'remote.git');
  await git(root, ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  const clone = async (name: string): Promise<string> => {
    const dir = join(root, name);
    await git(root, ['clone', '--quiet', remote, dir]);
    await git(dir, ['config', 'user.name', `test ${name}`]);
    await git(dir, ['config', 'user.email', `${name}@example.org`]);
    await git(dir, ['checkout', '--quiet', '-B', 'main']);
    return dir;
  };
  const seed = await clone('seed');
  await writeFile(join(seed, 'README.md'), 'results\n');
  await git(seed, ['add', 'README.md']);
  await git(seed, ['commit', '--quiet', '-m', 'initial']);
  await git(seed, ['push', '--quiet', 'origin', 'HEAD:main']);
  return { remote, clone };
}

/**
 * Installs a pre-push hook in `clone` that runs `command` (sh) from `other` before the push goes
 * out: a real concurrent pusher. With `once`, it fires on the first push only.
 */
export async function raceBeforePush(
  clone: string,
  other: string,
  command: string,
  once = true,
): Promise<void> {
  const hook = join(clone, '.git', 'hooks', 'pre-push');
  const guard = once ? `[ -e "$0.done" ] && exit 0\ntouch "$0.done"\n` : '';
  const body = `#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\n${guard}cd '${other}' && ${command} >&2\nexit 0\n`;
  await writeFile(hook, body);
  await chmod(hook, 0o755);
}
