/**
 * What scoring reads, and the checks that the pieces belong together: every bench file is of
 * this contest and round, at most one baseline and one file per hotkey per runner, and every
 * submission's bench file names a hotkey of round.json. Violations are pipeline bugs, not miner
 * faults, so they throw ScoreInputError instead of being scored.
 */
import type { BenchDocument } from '../documents/bench.js';
import type { Contest } from '../contest/load.js';
import type { Frozen } from '../json/file.js';
import type { RoundDocument, RoundSubmission } from '../documents/round.js';
import { ScoreInputError } from './errors.js';
import { byCodeUnit } from './format.js';
import type { ScoreDocument } from '../documents/score.js';

export type Bench = Frozen<BenchDocument>;
export type Round = Frozen<RoundDocument>;
export type Submission = Frozen<RoundSubmission>;
export type PastScore = Frozen<ScoreDocument>;

/** Everything scoreRound reads: the contest, round.json, all bench files, earlier score files. */
export interface ScoreInputs {
  readonly contest: Contest;
  readonly round: Round;
  /** Bench files of every runner, in any order. */
  readonly bench: readonly Bench[];
  /** Earlier rounds' score files, in any order; later or other-contest rounds are refused. */
  readonly history: readonly PastScore[];
}

/** The bench files of one runner. */
export interface RunnerBench {
  readonly name: string;
  readonly baseline: Bench | null;
  readonly submissions: ReadonlyMap<string, Bench>;
}

/** Returns the bench files grouped by runner (sorted by name); throws ScoreInputError. */
export function groupBench(round: Round, bench: readonly Bench[]): RunnerBench[] {
  const hotkeys = new Set(round.submissions.map((s) => s.hotkey));
  const runners = new Map<string, { baseline: Bench | null; submissions: Map<string, Bench> }>();
  for (const doc of bench) {
    const where = describe(doc);
    checkBelongs(round, doc, where);
    let runner = runners.get(doc.runner.name);
    if (!runner) {
      runner = { baseline: null, submissions: new Map() };
      runners.set(doc.runner.name, runner);
    }
    if (doc.subject.role === 'baseline') {
      if (runner.baseline) throw new ScoreInputError(`${where}: a second baseline on this runner`);
      runner.baseline = doc;
      continue;
    }
    const hotkey = doc.subject.hotkey;
    if (hotkey === null) throw new ScoreInputError(`${where}: a submission without a hotkey`);
    if (!hotkeys.has(hotkey)) {
      throw new ScoreInputError(`${where}: hotkey ${hotkey} is not a submission of round.json`);
    }
    if (runner.submissions.has(hotkey)) {
      throw new ScoreInputError(`${where}: a second bench file for ${hotkey} on this runner`);
    }
    runner.submissions.set(hotkey, doc);
  }
  return [...runners.entries()]
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([name, r]) => ({ name, ...r }));
}

function checkBelongs(round: Round, doc: Bench, where: string): void {
  if (doc.contest.id !== round.contest.id || doc.round !== round.id) {
    throw new ScoreInputError(
      `${where}: belongs to ${doc.contest.id}/${doc.round}, not ${round.contest.id}/${round.id}`,
    );
  }
  if (doc.contest.sha256 !== round.contest.sha256) {
    throw new ScoreInputError(
      `${where}: measured against contest ${doc.contest.sha256}, the round froze ${round.contest.sha256}`,
    );
  }
  const { input, block, ms } = doc.samples;
  if (input.length !== ms.length || block.length !== ms.length) {
    throw new ScoreInputError(
      `${where}: samples.input, samples.block and samples.ms differ in length (${input.length}, ${block.length}, ${ms.length})`,
    );
  }
}

/** Names a bench file the way it is stored: bench/<runner>/<hotkey or baseline>.json. */
export function describe(doc: Bench): string {
  const who = doc.subject.role === 'baseline' ? 'baseline' : (doc.subject.hotkey ?? '?');
  return `bench/${doc.runner.name}/${who}.json`;
}

/** Returns the earlier rounds of this contest, most recent first; throws on duplicates. */
export function pastRounds(round: Round, history: readonly PastScore[]): PastScore[] {
  const seen = new Set<string>();
  for (const past of history) {
    if (past.contest.id !== round.contest.id) {
      throw new ScoreInputError(
        `history: round ${past.round} is of contest ${past.contest.id}, not ${round.contest.id}`,
      );
    }
    if (past.round >= round.id) {
      throw new ScoreInputError(`history: round ${past.round} is not earlier than ${round.id}`);
    }
    if (seen.has(past.round)) throw new ScoreInputError(`history: round ${past.round} twice`);
    seen.add(past.round);
  }
  return [...history].sort((a, b) => byCodeUnit(b.round, a.round));
}

/** Orders submissions by priority: earlier commitment block, then lower uid, then hotkey. */
export function byPriority(a: Submission, b: Submission): number {
  return a.commitment.block - b.commitment.block || a.uid - b.uid || byCodeUnit(a.hotkey, b.hotkey);
}
