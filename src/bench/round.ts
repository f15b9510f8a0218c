/**
 * Benchmarking a frozen round on one runner: read round.json, check it belongs to the contest
 * checked out here, take this runner's shard of the submissions, measure them with the
 * baseline, and write `<outDir>/baseline.json` and `<outDir>/<hotkey>.json`.
 */
import { join } from 'node:path';
import { loadContest, type Contest } from '../contest/load.js';
import { readDocument, writeDocument } from '../json/file.js';
import { RoundSchema, type RoundSubmission } from '../documents/round.js';
import { BenchError } from './errors.js';
import { benchmarkModels, type RunOptions, type Subject } from './run.js';
import { BenchSchema, runnerSlug, type BenchDocument } from '../documents/bench.js';
import { contestFileSha256 } from '../contest/hash.js';

/** Which part of the submissions this runner measures: those at positions ≡ index (mod count). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Options of benchmarkRound. */
export interface RoundOptions extends RunOptions {
  /** Folder for this runner's bench files (e.g. results/<contest>/<round>/bench/<runner>). */
  readonly outDir: string;
  /** Default { index: 0, count: 1 }: every submission. */
  readonly shard?: Shard;
}

/** What benchmarkRound wrote. */
export interface RoundResult {
  readonly contest: Contest;
  readonly outDir: string;
  readonly files: readonly string[];
  readonly documents: readonly BenchDocument[];
}

/** The submissions of `shard`, in round.json order. Throws RangeError for a bad shard. */
export function shardSubmissions<T>(submissions: readonly T[], shard: Shard): T[] {
  if (!Number.isInteger(shard.count) || shard.count < 1)
    throw new RangeError(`bad shard count ${shard.count}`);
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new RangeError(`shard index ${shard.index} is not in 0..${shard.count - 1}`);
  }
  return submissions.filter((_, i) => i % shard.count === shard.index);
}

/**
 * Benchmarks this runner's shard of `roundFile` against the contest in `contestDir` and
 * writes the bench files. Returns what was written. Throws BenchError (round of another
 * contest, contest changed since the round, runner/isolation/baseline failures) or
 * DocumentError (bad round.json).
 */
export async function benchmarkRound(
  roundFile: string,
  contestDir: string,
  options: RoundOptions,
): Promise<RoundResult> {
  const round = await readDocument(roundFile, RoundSchema);
  const loaded = await loadContest(contestDir);
  if (round.contest.id !== loaded.contest.id) {
    throw new BenchError(
      'round-mismatch',
      `${roundFile} is a round of ${round.contest.id}, not ${loaded.contest.id}`,
    );
  }
  const sha = await contestFileSha256(loaded.file);
  if (sha !== round.contest.sha256) {
    throw new BenchError(
      'round-mismatch',
      `${loaded.file} has sha256 ${sha}, but the round froze ${round.contest.sha256}: check out the ` +
        'contest as of the round before benchmarking it',
    );
  }
  const mine = shardSubmissions(round.submissions, options.shard ?? { index: 0, count: 1 });
  const subjects: Subject[] = [
    { role: 'baseline', hotkey: null, uid: null, model: loaded.contest.baseline.model },
    ...mine.map((s: RoundSubmission): Subject => ({
      role: 'submission',
      hotkey: s.hotkey,
      uid: s.uid,
      model: s.model,
    })),
  ];
  const runnerName = runnerSlug(options.runnerName ?? process.env.RUNNER_NAME ?? 'local');
  const documents = await benchmarkModels(
    loaded,
    { id: round.id, seed: round.seed, contestSha256: round.contest.sha256 },
    subjects,
    { ...options, runnerName },
  );
  const files: string[] = [];
  for (const doc of documents) {
    const file = join(options.outDir, `${doc.subject.hotkey ?? 'baseline'}.json`);
    await writeDocument(file, BenchSchema, doc);
    files.push(file);
  }
  return { contest: loaded.contest, outDir: options.outDir, files, documents };
}
