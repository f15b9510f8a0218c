/** Builds one submission's entry of score.json from its assessment, evaluation and placement. */
import type { Assessed } from './assess.js';
import type { RunMeasure } from './metrics.js';
import type { Placement } from './place.js';
import type {
  MetricName,
  ScoredSubmission,
  ScoreFlag,
  ScoreRunnerResult,
} from '../documents/score.js';
import type { Evaluated } from './strategy.js';
import type { CopyOf } from './validity.js';

/** A valid submission's evaluation together with its per-runner measurements. */
export type Scored = Evaluated & { readonly measures: readonly RunMeasure[] };

/** Returns the score.json entry of one submission. */
export function assembleSubmission(
  a: Assessed,
  scored: Scored | undefined,
  placement: Placement,
  shares: ReadonlyMap<string, number>,
  flags: ScoreFlag[],
): ScoredSubmission {
  const place = placement.byHotkey.get(a.sub.hotkey);
  return {
    hotkey: a.sub.hotkey,
    uid: a.sub.uid,
    commitmentBlock: a.sub.commitment.block,
    model: { sha256: a.sub.model.sha256 },
    valid: a.valid,
    reasons: a.reasons.map((r) => ({ ...r })),
    copyOf: a.copyOf ? copyOfRecord(a.copyOf) : null,
    flags,
    runners: a.runs.map((run, i) => runnerResult(run.doc.runner.name, run, scored?.measures[i])),
    metrics: { ...(scored?.metrics ?? {}) },
    fidelity: scored ? { ...scored.fidelity } : null,
    parameters: scored?.parameters ?? null,
    flops: scored?.flops ?? null,
    score: scored?.score ?? null,
    objectives: scored?.objectives ?? null,
    earns: scored?.earns ?? false,
    rank: place?.rank ?? null,
    tieGroup: place?.tieGroup ?? null,
    position: place?.position ?? null,
    share: shares.get(a.sub.hotkey) ?? 0,
  };
}

function runnerResult(
  name: string,
  run: Assessed['runs'][number],
  measure: RunMeasure | undefined,
): ScoreRunnerResult {
  const metrics: ScoreRunnerResult['metrics'] = {};
  for (const [m, v] of measure?.metrics ?? new Map()) {
    metrics[m as MetricName] = { baseline: v.baseline, submission: v.submission, ratio: v.ratio };
  }
  return {
    name,
    valid: run.reasons.length === 0,
    pairs: run.pairs?.submission.length ?? 0,
    metrics,
    fidelity: measure ? { ...measure.fidelity } : null,
  };
}

/** The copyOf record of score.json (a near copy's matched share lives in its reason). */
function copyOfRecord(c: CopyOf): NonNullable<ScoredSubmission['copyOf']> {
  return { hotkey: c.hotkey, uid: c.uid, commitmentBlock: c.commitmentBlock, via: c.via };
}
