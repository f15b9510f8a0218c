/**
 * scoreRound: the one function from a round's frozen inputs to score.json. Pure and
 * deterministic — the same inputs, in any order, give the same bytes (docs/scoring.md).
 */
import { schemaId } from '../schemas/builders.js';
import { assembleSubmission, type Scored } from './assemble.js';
import { assess, runnerContexts, type Assessed, type RunnerContext } from './assess.js';
import type { Pairs } from './bootstrap.js';
import { ScoreInputError } from './errors.js';
import { byCodeUnit, sig } from './format.js';
import { byPriority, groupBench, pastRounds, type Bench, type ScoreInputs } from './inputs.js';
import { measureRun, neededMetrics, usableMetrics, type RunnerModels } from './metrics.js';
import { placeSubmissions, type Placement } from './place.js';
import { PRNG_DESCRIPTION } from './prng.js';
import type { ScoreDocument, ScoreFlag } from '../documents/score.js';
import { isMetric, isStatic } from './objective-kind.js';
import { planStrategy, type Plan } from './plan.js';
import { aggregateMeasure, perInput, type Aggregate } from './quality.js';
import {
  combineMeasures,
  evaluateAtBudget,
  evaluatePareto,
  evaluateParity,
  objectiveMeasure,
} from './strategy.js';
import { atBudgetFlags, budgetOf } from './at-budget.js';
import { findCopies, identicalOutputs, weightsHashes, type IdenticalOutputs } from './validity.js';
import { sketchesByHotkey } from './near-copy.js';
import { computeWeights, positionalShares } from './weights.js';

/**
 * Scores one round. Returns the score document (validate and write it with writeDocument).
 * Throws ScoreInputError when the inputs do not belong together (see inputs.ts).
 */
export function scoreRound(inputs: ScoreInputs): ScoreDocument {
  const { contest, round } = inputs;
  const past = pastRounds(round, inputs.history);
  const { runners, assessed, plan, evaluated, placement } = evaluateRound(inputs);
  const earners = placement.order.filter((h) => evaluated.get(h)!.earns);
  const shares = positionalShares(earners, contest.scoring.weights.positionDecay);
  const priority = priorityOf(assessed);
  const copied = new Set(assessed.filter((a) => a.copyOf !== null).map((a) => a.sub.hotkey));
  const review = identicalOutputs(
    runners.map((r) => r.bench),
    copied,
    priority,
  );
  const weights = computeWeights(contest.scoring.weights, {
    round: round.id,
    shares,
    past,
    present: assessed.map((a) => a.sub.hotkey),
    zeroed: zeroedHotkeys(inputs, assessed),
  });
  const budgetFlags = atBudgetFlags(
    assessed.flatMap((a) => {
      const x = evaluated.get(a.sub.hotkey)?.atBudget;
      return x
        ? [{ hotkey: a.sub.hotkey, uid: a.sub.uid, block: a.sub.commitment.block, atBudget: x }]
        : [];
    }),
    contest,
  );
  const submissions = orderForOutput(assessed, placement, priority).map((a) =>
    assembleSubmission(a, evaluated.get(a.sub.hotkey), placement, shares, [
      ...flagsFor(a, review),
      ...(budgetFlags.get(a.sub.hotkey) ?? []),
    ]),
  );
  return {
    $schema: schemaId('score'),
    version: 1,
    contest: { id: round.contest.id, sha256: round.contest.sha256 },
    round: round.id,
    seed: round.seed,
    method: methodOf(contest, plan),
    runners: runners.map(runnerSummary),
    submissions,
    ties: placement.ties,
    review: review.map((g) => ({
      code: 'identical-outputs',
      hotkeys: g.hotkeys,
      runners: g.runners,
      message: `outputs identical on every sample on ${g.runners.join(', ')}`,
    })),
    weights,
  };
}

/** Validity, the plan, every valid submission's evaluation and the placement. */
function evaluateRound(inputs: ScoreInputs) {
  const { contest, round } = inputs;
  checkUniqueHotkeys(inputs);
  const runners = runnerContexts(groupBench(round, inputs.bench), round, contest);
  const subs = [...round.submissions].sort(byPriority);
  const benches = runners.map((r) => r.bench);
  const copies = findCopies(
    subs,
    weightsHashes(benches),
    { sha256: contest.baseline.model.sha256, weights: baselineWeights(runners) },
    sketchesByHotkey(benches),
  );
  const needed = neededMetrics(contest);
  const assessed = subs.map((s) =>
    assess(s, runners, copies.get(s.hotkey), contest, needed.includes('latency')),
  );
  const usable = usableMetrics(needed, scoredModels(runners, assessed));
  const plan = planStrategy(contest, usable, assessed, runners);
  const evaluated = evaluateAll(assessed, plan, contest);
  const placement = placeSubmissions(contest, assessed, evaluated);
  return { runners, assessed, plan, evaluated, placement };
}

function methodOf(contest: ScoreInputs['contest'], plan: Plan): ScoreDocument['method'] {
  return {
    version: 1,
    strategy: contest.scoring.strategy,
    confidence: contest.scoring.confidence,
    resamples: contest.scoring.bootstrapResamples,
    significantDigits: 6,
    prng: PRNG_DESCRIPTION,
    metrics: plan.exponents.map((e) => ({ ...e })),
    excluded: plan.excluded,
    objectives: plan.objectives?.map((o) => ({ ...o })) ?? null,
    similarity: { ...contest.scoring.similarity },
    fidelityExponent: contest.scoring.fidelityExponent,
    noiseFloor: contest.scoring.noiseFloor,
    tieBreaker: contest.scoring.tieBreaker,
    ...(contest.scoring.strategy === 'quality-at-budget' ? { budget: budgetOf(contest) } : {}),
  };
}

function checkUniqueHotkeys(inputs: ScoreInputs): void {
  const seen = new Set<string>();
  for (const s of inputs.round.submissions) {
    if (seen.has(s.hotkey)) {
      throw new ScoreInputError(`round.json: hotkey ${s.hotkey} has two submissions`);
    }
    seen.add(s.hotkey);
  }
}

function baselineWeights(runners: readonly RunnerContext[]): Set<string> {
  const out = new Set<string>();
  for (const r of runners) {
    const w = r.bench.baseline?.inspection?.weightsSha256;
    if (w) out.add(w);
  }
  return out;
}

/** Runners with a usable baseline and at least one valid submission, for the metric check. */
function scoredModels(
  runners: readonly RunnerContext[],
  assessed: readonly Assessed[],
): RunnerModels[] {
  const valid = new Set(assessed.filter((a) => a.valid).map((a) => a.sub.hotkey));
  return runners
    .filter((r) => r.problem === null)
    .map((r) => ({
      runner: r.bench.name,
      baseline: r.bench.baseline!,
      submissions: [...r.bench.submissions]
        .filter(([h]) => valid.has(h))
        .sort(([a], [b]) => byCodeUnit(a, b)),
    }))
    .filter((r) => r.submissions.length > 0);
}

function evaluateAll(
  assessed: readonly Assessed[],
  plan: Plan,
  contest: ScoreInputs['contest'],
): Map<string, Scored> {
  const out = new Map<string, Scored>();
  if (plan.included.includes('latency')) prepareBootstraps(assessed);
  for (const a of assessed) {
    if (!a.valid) continue;
    const measures = a.runs.map((run) =>
      measureRun(
        run.doc,
        run.runner.bench.baseline!,
        run.pairs,
        run.runner.boot,
        plan.included,
        contest,
      ),
    );
    const counts = {
      parameters: firstCount(a, (d) => d.inspection?.parameters),
      flops: firstCount(a, (d) => d.inspection?.flops),
    };
    const quality = new Map<string, Aggregate>();
    for (const name of qualityMeasures(contest, plan)) {
      const docs = a.runs.map((r) => r.doc);
      quality.set(name, aggregateMeasure(docs, name, contest.scoring.confidence));
    }
    const base = combineMeasures(measures, plan.included, counts, quality, contest);
    const measure = contest.scoring.similarity.measure;
    const ev =
      contest.scoring.strategy === 'quality-at-budget'
        ? evaluateAtBudget(
            base,
            perInput(
              a.runs.map((r) => r.doc),
              measure,
            ),
            plan,
            contest,
          )
        : plan.objectives === null
          ? evaluateParity(base, plan.exponents, contest.scoring.noiseFloor)
          : evaluatePareto(base, plan, contest);
    out.set(a.sub.hotkey, { ...ev, measures });
  }
  return out;
}

/** Sums every valid submission's resamples per runner in one batched pass (same results). */
function prepareBootstraps(assessed: readonly Assessed[]): void {
  const byRunner = new Map<RunnerContext, Pairs[]>();
  for (const a of assessed) {
    if (!a.valid) continue;
    for (const run of a.runs) {
      if (run.pairs === null) continue;
      const list = byRunner.get(run.runner);
      if (list) list.push(run.pairs);
      else byRunner.set(run.runner, [run.pairs]);
    }
  }
  for (const [runner, pairs] of byRunner) runner.boot.prepare(pairs);
}

/** The first count the submission's runners report, or null. */
function firstCount(a: Assessed, pick: (d: Bench) => number | null | undefined): number | null {
  return a.runs.map((r) => pick(r.doc) ?? null).find((v) => v !== null) ?? null;
}

/** Per-sample measures to aggregate: the fidelity measure and those pareto objectives name. */
function qualityMeasures(contest: ScoreInputs['contest'], plan: Plan): string[] {
  const names = new Set<string>([contest.scoring.similarity.measure]);
  for (const o of plan.objectives ?? []) {
    if (!isMetric(o.name) && !isStatic(o.name)) names.add(objectiveMeasure(o.name, contest));
  }
  return [...names];
}

function priorityOf(assessed: readonly Assessed[]): (a: string, b: string) => number {
  const index = new Map(assessed.map((a, i) => [a.sub.hotkey, i]));
  return (a, b) => index.get(a)! - index.get(b)!;
}

function zeroedHotkeys(inputs: ScoreInputs, assessed: readonly Assessed[]): Set<string> {
  const valid = new Set(assessed.filter((a) => a.valid).map((a) => a.sub.hotkey));
  const out = new Set(assessed.filter((a) => !a.valid).map((a) => a.sub.hotkey));
  for (const r of inputs.round.rejected)
    if (r.hotkey !== null && !valid.has(r.hotkey)) out.add(r.hotkey);
  return out;
}

function orderForOutput(
  assessed: readonly Assessed[],
  placement: Placement,
  priority: (a: string, b: string) => number,
): Assessed[] {
  const byHotkey = new Map(assessed.map((a) => [a.sub.hotkey, a]));
  const placed = placement.order.map((h) => byHotkey.get(h)!);
  const rest = assessed
    .filter((a) => !placement.byHotkey.has(a.sub.hotkey))
    .sort((a, b) => priority(a.sub.hotkey, b.sub.hotkey));
  return [...placed, ...rest];
}

function flagsFor(a: Assessed, review: readonly IdenticalOutputs[]): ScoreFlag[] {
  const identical = review
    .filter((g) => g.hotkeys.includes(a.sub.hotkey))
    .map((g) => {
      const others = g.hotkeys.filter((h) => h !== a.sub.hotkey);
      return {
        code: 'identical-outputs',
        message: `outputs identical on every sample to ${others.join(', ')} on ${g.runners.join(', ')}`,
        hotkeys: others,
      };
    });
  return [...identical, ...precisionFlags(a)];
}

/** A flag per runner whose bench stopped before this submission's interval met the target. */
function precisionFlags(a: Assessed): ScoreFlag[] {
  const pct = (x: number) => `±${sig(100 * x)} %`;
  return a.runs.flatMap((run) => {
    const p = run.doc.precision;
    if (!p || p.reached) return [];
    const reached = p.halfWidth === null ? 'no interval' : pct(p.halfWidth);
    return [
      {
        code: 'precision-not-reached',
        message: `runner ${run.doc.runner.name}: the speed ratio's interval reached ${reached} over ${p.pairs} pairs, the contest asks ${pct(p.target)} (stopped: ${p.stopped}); its interval is used as is`,
        hotkeys: [],
      },
    ];
  });
}

function runnerSummary(r: RunnerContext): ScoreDocument['runners'][number] {
  const base = r.bench.baseline;
  const ms = base?.samples.ms ?? [];
  let total = 0;
  for (const v of ms) total += v;
  return {
    name: r.bench.name,
    model: base ? { sha256: base.subject.model.sha256 } : null,
    valid: r.problem === null,
    samples: ms.length,
    latencyMs: ms.length > 0 ? sig(total / ms.length) : null,
    submissions: r.bench.submissions.size,
  };
}
