/**
 * Step one of scoring: per runner, prepare the baseline; per submission, collect every reason
 * it cannot be scored (copy, no bench file, a runner's checks, too few paired samples) and pair
 * its samples with the baseline of each runner that measured it.
 */
import type { Contest } from '../contest/load.js';
import {
  RunnerBootstrap,
  pairSamples,
  prepareBaseline,
  type Pairs,
  type PreparedBaseline,
} from './bootstrap.js';
import type { Bench, Round, RunnerBench, Submission } from './inputs.js';
import type { ScoreReason } from '../documents/score.js';
import { baselineProblem, benchReasons, copyReason, type CopyOf } from './validity.js';

/** A runner with its prepared baseline (null when it cannot anchor ratios) and bootstrap. */
export interface RunnerContext {
  readonly bench: RunnerBench;
  readonly problem: string | null;
  readonly prepared: PreparedBaseline | null;
  readonly boot: RunnerBootstrap;
}

/** Prepares every runner once. */
export function runnerContexts(
  runners: readonly RunnerBench[],
  round: Round,
  contest: Contest,
): RunnerContext[] {
  return runners.map((bench) => {
    const problem = baselineProblem(bench, contest);
    return {
      bench,
      problem,
      prepared: problem === null ? prepareBaseline(bench.baseline!.samples) : null,
      boot: new RunnerBootstrap(round.seed, bench.name, contest.scoring.bootstrapResamples),
    };
  });
}

/** One submission's bench file on one runner, with its reasons and its paired samples. */
export interface Run {
  readonly runner: RunnerContext;
  readonly doc: Bench;
  readonly reasons: ScoreReason[];
  readonly pairs: Pairs | null;
}

/** One submission after the validity checks. */
export interface Assessed {
  readonly sub: Submission;
  readonly copyOf: CopyOf | null;
  readonly reasons: ScoreReason[];
  readonly runs: Run[];
  readonly valid: boolean;
}

/** Checks one submission on every runner that measured it. */
export function assess(
  sub: Submission,
  runners: readonly RunnerContext[],
  copy: CopyOf | 'baseline' | undefined,
  contest: Contest,
  needsPairs: boolean,
): Assessed {
  const runs: Run[] = [];
  for (const runner of runners) {
    const doc = runner.bench.submissions.get(sub.hotkey);
    if (doc) runs.push(checkRun(sub, doc, runner, contest, needsPairs));
  }
  const reasons: ScoreReason[] = [];
  if (copy !== undefined) reasons.push(copyReason(copy));
  if (runs.length === 0) {
    reasons.push({ code: 'not-measured', message: 'no runner measured this submission' });
  }
  for (const run of runs) reasons.push(...run.reasons);
  const copyOf = copy === undefined || copy === 'baseline' ? null : copy;
  return { sub, copyOf, reasons, runs, valid: reasons.length === 0 };
}

function checkRun(
  sub: Submission,
  doc: Bench,
  runner: RunnerContext,
  contest: Contest,
  needsPairs: boolean,
): Run {
  const reasons: ScoreReason[] = [];
  if (runner.problem !== null) reasons.push({ code: 'no-baseline', message: runner.problem });
  reasons.push(...benchReasons(doc, sub, runner.bench.baseline, contest));
  if (reasons.length > 0 || !needsPairs || runner.prepared === null) {
    return { runner, doc, reasons, pairs: null };
  }
  const pairs = pairSamples(runner.prepared, doc.samples);
  if (pairs.submission.length < 2) {
    reasons.push({
      code: 'too-few-pairs',
      message: `runner ${runner.bench.name}: ${pairs.submission.length} sample(s) pair with the baseline's (block, input), at least 2 are needed`,
    });
  }
  return { runner, doc, reasons, pairs };
}
