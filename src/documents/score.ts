/**
 * `score.json`: the result of scoring one round — every submission's metrics, ratios with
 * intervals, fidelity, validity, rank and tie group, the round's own shares, and the weight
 * vector by hotkey. A pure function of round.json, the bench files and earlier score files
 * (docs/scoring.md); computed numbers carry 6 significant digits.
 */
import { Type, type Static, type TOptional, type TSchema } from '@sinclair/typebox';
import { Document, Sha256, Slug, StringEnum } from '../schemas/builders.js';
import { Hash32, RoundId, Ss58 } from './round.js';
import { METRIC_NAMES, OBJECTIVE_NAMES, STRATEGIES } from '../contest/schema.js';
import { THRESHOLD_MEASURES } from '../tasks/measures.js';

export { METRIC_NAMES, OBJECTIVE_NAMES } from '../contest/schema.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

/** Metric names a score can carry (the contest's `metrics[].name`). */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Objective names a pareto contest can declare. */
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

const Uid = Type.Integer({ minimum: 0, maximum: 65535 });
const U16 = Type.Integer({ minimum: 0, maximum: 65535 });
/** An object keyed by hotkey (ss58), nothing else allowed. */
const ByHotkey = <T extends Parameters<typeof Type.Record>[1]>(t: T, description: string) =>
  Type.Record(Ss58, t, { additionalProperties: false, description });

const Code = Type.String({ pattern: '^[a-z][a-z0-9-]*$', description: 'machine-readable code' });

const Interval = Type.Object(
  {
    point: Type.Number({ description: 'estimate from all paired samples' }),
    lower: Type.Number({ description: 'lower bound of the bootstrap interval' }),
    upper: Type.Number({ description: 'upper bound of the bootstrap interval' }),
  },
  { additionalProperties: false },
);

const RunnerMetric = Type.Object(
  {
    baseline: Type.Number({ description: "the runner's baseline value (ms, bytes or J)" }),
    submission: Type.Number({ description: "the submission's value on the same runner" }),
    ratio: Interval,
  },
  {
    additionalProperties: false,
    description: 'baseline / submission: above 1 is better; latency intervals are bootstrapped',
  },
);

const metricRecord = <T extends TSchema>(t: T) =>
  Type.Object(
    Object.fromEntries(METRIC_NAMES.map((m) => [m, Type.Optional(t)])) as unknown as Record<
      MetricName,
      TOptional<T>
    >,
    { additionalProperties: false, description: 'by metric name; only the metrics scored' },
  );

const Fidelity = Type.Object(
  {
    measure: StringEnum(THRESHOLD_MEASURES),
    mean: Type.Number({ description: 'mean of the per-sample values of the measure' }),
    worst: Type.Number({ description: 'lowest per-sample value of the measure' }),
  },
  { additionalProperties: false },
);

const RunnerResult = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    valid: Type.Boolean(),
    pairs: Type.Integer({ minimum: 0, description: 'samples paired with the baseline' }),
    metrics: metricRecord(RunnerMetric),
    fidelity: Nullable(Fidelity),
  },
  { additionalProperties: false },
);

const Reason = Type.Object(
  { code: Code, message: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

const Flag = Type.Object(
  {
    code: Code,
    message: Type.String({ minLength: 1 }),
    hotkeys: Type.Array(Ss58, { description: 'the other submissions involved' }),
  },
  { additionalProperties: false },
);

const Objective = Type.Object(
  {
    name: StringEnum(OBJECTIVE_NAMES),
    direction: StringEnum(['min', 'max']),
    value: Interval,
  },
  {
    additionalProperties: false,
    description:
      'measured metrics as baseline/submission ratios; parameters as a count; fidelity as the mean measure',
  },
);

const Submission = Type.Object(
  {
    hotkey: Ss58,
    uid: Uid,
    commitmentBlock: Type.Integer({ minimum: 0 }),
    model: Type.Object({ sha256: Sha256 }, { additionalProperties: false }),
    valid: Type.Boolean(),
    reasons: Type.Array(Reason, { description: 'why the submission is invalid (empty if valid)' }),
    copyOf: Nullable(
      Type.Object(
        {
          hotkey: Ss58,
          uid: Uid,
          commitmentBlock: Type.Integer({ minimum: 0 }),
          via: StringEnum(['artifact', 'weights', 'near-weights']),
        },
        { additionalProperties: false },
      ),
    ),
    flags: Type.Array(Flag, { description: 'for review by a person; they do not change weights' }),
    runners: Type.Array(RunnerResult),
    metrics: metricRecord(Interval),
    fidelity: Nullable(
      Type.Object(
        {
          measure: StringEnum(THRESHOLD_MEASURES),
          mean: Type.Number(),
          lower: Type.Number({
            description: "lower bound of the mean's interval (the mean when the measure has none)",
          }),
          upper: Type.Number({ description: "upper bound of the mean's interval" }),
          worst: Type.Number(),
          factor: Type.Number({ description: 'fidelity factor in the score (1 when unused)' }),
        },
        { additionalProperties: false },
      ),
    ),
    parameters: Nullable(Type.Integer({ minimum: 0 })),
    flops: Nullable(
      Type.Integer({ minimum: 0, description: 'FLOPs of one inference, counted from the graph' }),
    ),
    score: Nullable(Interval),
    objectives: Nullable(Type.Array(Objective)),
    earns: Type.Boolean({ description: 'valid and better than the baseline beyond noise' }),
    rank: Nullable(
      Type.Integer({ minimum: 1, description: '1 + submissions better beyond noise' }),
    ),
    tieGroup: Nullable(Type.Integer({ minimum: 1, description: 'dense index of the rank' })),
    position: Nullable(
      Type.Integer({ minimum: 0, description: 'place in the full order (rank, tie-breaker)' }),
    ),
    share: Type.Number({ minimum: 0, maximum: 1, description: "this round's share" }),
  },
  { additionalProperties: false },
);

const RunnerBaseline = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    model: Nullable(Type.Object({ sha256: Sha256 }, { additionalProperties: false })),
    valid: Type.Boolean({ description: 'a usable baseline was measured on this runner' }),
    samples: Type.Integer({ minimum: 0 }),
    latencyMs: Nullable(Type.Number()),
    submissions: Type.Integer({ minimum: 0, description: 'submissions measured on this runner' }),
  },
  { additionalProperties: false },
);

const Weights = Type.Object(
  {
    scheme: StringEnum(['winner-takes-most', 'ema']),
    rounds: Type.Array(RoundId, {
      description: 'rounds whose shares entered the weights, current first',
    }),
    shares: ByHotkey(
      Type.Number({ minimum: 0, maximum: 1 }),
      "this round's shares of its earners (sum 1, or empty)",
    ),
    ema: Nullable(
      ByHotkey(Type.Number({ minimum: 0 }), 'ema state after this round (ema scheme only)'),
    ),
    normalised: ByHotkey(
      Type.Number({ minimum: 0, maximum: 1 }),
      'weights across rounds, normalised to sum 1 (6 significant digits)',
    ),
    u16: ByHotkey(U16, 'the weight vector by hotkey: max 65535, 0 for invalid submissions'),
    fallback: Nullable(
      Type.Object(
        { uid: Uid, u16: Type.Literal(65535), reason: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Method = Type.Object(
  {
    version: Type.Literal(1, { description: 'version of the scoring method (docs/scoring.md)' }),
    strategy: StringEnum(STRATEGIES),
    budget: Type.Optional(
      Type.Object(
        { latency: Type.Number(), margin: Type.Number({ minimum: 0 }) },
        {
          additionalProperties: false,
          description:
            "quality-at-budget: the latency budget (× the baseline's) and the earlier-block margin",
        },
      ),
    ),
    confidence: Type.Number(),
    resamples: Type.Integer({ minimum: 1 }),
    significantDigits: Type.Literal(6),
    prng: Type.String({ minLength: 1 }),
    metrics: Type.Array(
      Type.Object(
        { name: StringEnum(METRIC_NAMES), weight: Type.Number(), exponent: Type.Number() },
        { additionalProperties: false },
      ),
      { description: 'metrics in the score, exponent = weight / sum of included weights' },
    ),
    excluded: Type.Array(
      Type.Object(
        { name: StringEnum(OBJECTIVE_NAMES), reason: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
    ),
    objectives: Nullable(
      Type.Array(
        Type.Object(
          { name: StringEnum(OBJECTIVE_NAMES), direction: StringEnum(['min', 'max']) },
          { additionalProperties: false },
        ),
      ),
    ),
    similarity: Type.Object(
      { measure: StringEnum(THRESHOLD_MEASURES), threshold: Type.Number() },
      { additionalProperties: false },
    ),
    fidelityExponent: Type.Number({ minimum: 0 }),
    noiseFloor: Type.Number({
      minimum: 0,
      description: 'earning needs a score (or measured objective) beyond 1 + noiseFloor',
    }),
    tieBreaker: Type.String(),
  },
  { additionalProperties: false },
);

export const ScoreSchema = Document(
  'score',
  1,
  {
    contest: Type.Object({ id: Slug, sha256: Sha256 }, { additionalProperties: false }),
    round: RoundId,
    seed: Hash32,
    method: Method,
    runners: Type.Array(RunnerBaseline),
    submissions: Type.Array(Submission, {
      description: 'ranked submissions in position order, then unranked ones by commitment',
    }),
    ties: Type.Array(
      Type.Object(
        { rank: Type.Integer({ minimum: 1 }), hotkeys: Type.Array(Ss58, { minItems: 2 }) },
        { additionalProperties: false },
      ),
      { description: 'every rank held by two or more submissions, members in position order' },
    ),
    review: Type.Array(
      Type.Object(
        {
          code: Code,
          hotkeys: Type.Array(Ss58, { minItems: 2 }),
          runners: Type.Array(Type.String(), { minItems: 1 }),
          message: Type.String({ minLength: 1 }),
        },
        { additionalProperties: false },
      ),
      { description: 'groups a person should look at (identical outputs on every sample)' },
    ),
    weights: Weights,
  },
  'One scored round: metrics, ratios with intervals, validity, ranks, ties and weights.',
);

export type ScoreDocument = Static<typeof ScoreSchema>;
export type ScoredSubmission = Static<typeof Submission>;
export type ScoreInterval = Static<typeof Interval>;
export type ScoreRunnerResult = Static<typeof RunnerResult>;
export type ScoreReason = Static<typeof Reason>;
export type ScoreFlag = Static<typeof Flag>;
export type ScoreObjective = Static<typeof Objective>;
export type ScoreWeights = Static<typeof Weights>;
export type ScoreMethod = Static<typeof Method>;
