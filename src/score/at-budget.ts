/**
 * quality-at-budget (docs/scoring.md, ADR 0171, 0172): the best quality — the contest's
 * similarity measure, judged against ground truth or labels — among the submissions whose
 * latency stays within the contest's budget relative to the baseline measured in the same
 * interleaved run. Quality is compared pairwise on the same inputs (the mean per-input
 * difference with its Student's t interval), and the earlier commitment has an advantage: a
 * later submission counts as better than an earlier one (and than the baseline, which comes
 * first of all) only when the lower bound of their difference exceeds the declared margin.
 * Pure functions of the evaluated submissions.
 */
import type { Contest } from '../contest/load.js';
import { formatMeasure } from '../tasks/measures.js';
import type { ScoreFlag, ScoreInterval } from '../documents/score.js';
import { sig } from './format.js';
import { meanInterval } from './student-t.js';

/** A submission's latency against the budget. */
export interface BudgetCheck {
  /** Submission latency / baseline latency (1 / the speed ratio's point). */
  readonly timeRatio: number;
  /** The budget with the contest's noise floor added: within when timeRatio ≤ limit. */
  readonly limit: number;
  readonly within: boolean;
}

/** A paired difference of quality, a − b, over the inputs both were judged on. */
export interface Paired extends ScoreInterval {
  readonly inputs: number;
}

/** What quality-at-budget adds to a submission's evaluation. */
export interface AtBudget {
  /** The quality measure per evaluation input (mean over runners). */
  readonly perInput: ReadonlyMap<number, number>;
  readonly budget: BudgetCheck;
  /** Quality over the baseline's on the same inputs. */
  readonly overBaseline: Paired;
}

/** The budget and margin a contest declares (the loader refuses a missing budget). */
export function budgetOf(contest: Contest): { latency: number; margin: number } {
  return {
    latency: contest.scoring.budget?.latency ?? 1,
    margin: contest.scoring.earlierAdvantage?.margin ?? 0,
  };
}

/** Checks a speed ratio (baseline / submission latency) against the contest's budget. */
export function checkBudget(speed: ScoreInterval, contest: Contest): BudgetCheck {
  const timeRatio = sig(1 / speed.point);
  const limit = sig(budgetOf(contest).latency * (1 + contest.scoring.noiseFloor));
  return { timeRatio, limit, within: timeRatio <= limit };
}

/**
 * The mean of a − b over the inputs both hold, with its two-sided `confidence` Student's t
 * interval. Throws RangeError when they share no input.
 */
export function pairedDifference(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
  confidence: number,
): Paired {
  const d: number[] = [];
  for (const [input, v] of a) {
    const w = b.get(input);
    if (w !== undefined) d.push(v - w);
  }
  const t = meanInterval(d, confidence);
  return { point: sig(t.mean), lower: sig(t.lower), upper: sig(t.upper), inputs: d.length };
}

/**
 * True when `a` ranks above `b`: the lower bound of a − b exceeds `margin` when `a` committed
 * later than `b`, and 0 when it committed earlier.
 */
export function clears(a: AtBudget, b: AtBudget, aLater: boolean, contest: Contest): boolean {
  const d = pairedDifference(a.perInput, b.perInput, contest.scoring.confidence);
  return d.lower > (aLater ? budgetOf(contest).margin : 0);
}

/** Earns: within budget, and better than the baseline by more than the margin. */
export function earnsAtBudget(x: AtBudget, contest: Contest): boolean {
  return x.budget.within && x.overBaseline.lower > budgetOf(contest).margin;
}

/** One placed or measured submission, in priority (commitment) order. */
export interface Contender {
  readonly hotkey: string;
  readonly uid: number;
  readonly block: number;
  readonly atBudget: AtBudget;
}

/**
 * The flags quality-at-budget writes into score.json, per hotkey: `latency-budget` (the time
 * ratio against the budget), `quality-gain` (the paired gain over the baseline against the
 * margin), and `earlier-advantage` for every earlier submission within budget that a later one
 * is not ranked above although the earlier one is not better beyond noise either — the pairs
 * the earlier commitment decided. `contenders` must be in priority order.
 */
export function atBudgetFlags(
  contenders: readonly Contender[],
  contest: Contest,
): Map<string, ScoreFlag[]> {
  const { latency, margin } = budgetOf(contest);
  const measure = contest.scoring.similarity.measure;
  const confidence = contest.scoring.confidence;
  const f = (v: number) => formatMeasure(measure, v, 3);
  const signed = (v: number) => (v >= 0 ? `+${f(v)}` : f(v));
  const band = (d: Paired) => `${signed(d.point)} [${f(d.lower)}, ${f(d.upper)}]`;
  const out = new Map<string, ScoreFlag[]>();
  contenders.forEach((c, i) => {
    const { budget, overBaseline } = c.atBudget;
    const flags: ScoreFlag[] = [
      {
        code: 'latency-budget',
        message: `${budget.timeRatio.toFixed(2)}× the baseline's latency: ${budget.within ? 'within' : 'over'} the budget of ${latency}× (${budget.limit.toFixed(2)}× with the noise floor)`,
        hotkeys: [],
      },
      {
        code: 'quality-gain',
        message: `${measure} ${band(overBaseline)} over the baseline on ${overBaseline.inputs} inputs; earning needs a lower bound above ${f(margin)}`,
        hotkeys: [],
      },
    ];
    if (budget.within) {
      for (const e of contenders.slice(0, i)) {
        if (!e.atBudget.budget.within) continue;
        if (clears(c.atBudget, e.atBudget, true, contest)) continue;
        if (clears(e.atBudget, c.atBudget, false, contest)) continue;
        const d = pairedDifference(c.atBudget.perInput, e.atBudget.perInput, confidence);
        flags.push({
          code: 'earlier-advantage',
          message: `not ranked above uid ${e.uid} (committed earlier, block ${e.block}): ${measure} ${band(d)} over it, needs a lower bound above the ${f(margin)} margin`,
          hotkeys: [e.hotkey],
        });
      }
    }
    out.set(c.hotkey, flags);
  });
  return out;
}
