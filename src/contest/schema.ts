/**
 * The contest definition: `contests/<id>/contest.json`. Every field of docs/design.md's "Contest
 * definition", with defaults documented in the schema. Types come from here via `Static`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Artifact, Defaulted, Document, Slug, StringEnum } from '../schemas/builders.js';
import { MEASURES, THRESHOLD_MEASURES } from '../tasks/measures.js';
import { TASK_IDS } from '../tasks/registry.js';
import { DATASET_NAMES } from '../tasks/datasets.js';
import { PipelineSpec } from './pipeline-schema.js';

const ElementType = StringEnum(
  ['float32', 'float16', 'float64', 'int8', 'uint8', 'int32', 'int64', 'bool'],
  { description: 'ONNX tensor element type' },
);

const TensorSignature = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    elementType: ElementType,
    shape: Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1 })]), {
      description: 'dimensions: a positive integer for a fixed size, a name for a free one',
    }),
  },
  { additionalProperties: false },
);

const Baseline = Type.Object(
  {
    model: Artifact,
    io: Type.Object(
      {
        inputs: Type.Array(TensorSignature, { minItems: 1 }),
        outputs: Type.Array(TensorSignature, { minItems: 1 }),
      },
      {
        additionalProperties: false,
        description: 'IO signature every submission must match: names, element types, ranks',
      },
    ),
  },
  { additionalProperties: false },
);

const IndexRange = Type.Object(
  {
    from: Type.Integer({ minimum: 0, description: 'first index (inclusive)' }),
    to: Type.Integer({ minimum: 1, description: 'end index (exclusive)' }),
  },
  { additionalProperties: false },
);

const InputSource = Type.Union([
  Type.Object(
    {
      type: Type.Literal('directory'),
      path: Type.String({
        pattern: '^(?!/)(?!.*\\.\\.)[A-Za-z0-9._/-]+$',
        description: 'folder inside the contest folder (relative, no "..")',
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('archive'),
      archive: Artifact,
    },
    { additionalProperties: false, description: 'a pinned archive of evaluation inputs' },
  ),
  Type.Object(
    {
      type: Type.Literal('prompts'),
      prompts: Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description: 'the prompt vocabulary; each sample draws one from the round seed',
      }),
    },
    {
      additionalProperties: false,
      description: 'pipeline contests: prompts and initial noise are drawn from the round seed',
    },
  ),
  Type.Object(
    {
      type: Type.Literal('dataset'),
      name: StringEnum(DATASET_NAMES, { description: 'a labelled dataset podium ships' }),
      split: Type.Object(
        { train: IndexRange, evaluation: IndexRange },
        {
          additionalProperties: false,
          description:
            'items by index: the training part (the baseline was trained on it) and the evaluation part rounds draw from; they must not overlap',
        },
      ),
    },
    {
      additionalProperties: false,
      description:
        'a labelled dataset: rounds draw evaluation items, labels never enter the sandbox',
    },
  ),
]);

const Inputs = Type.Object(
  {
    source: InputSource,
    samplesPerRound: Type.Integer({ minimum: 1, maximum: 10_000 }),
    crop: Type.Optional(
      Type.Object(
        {
          width: Type.Integer({ minimum: 1 }),
          height: Type.Integer({ minimum: 1 }),
        },
        {
          additionalProperties: false,
          description:
            'image-crop tasks: each sample is a crop of this size at a position drawn from the round seed',
        },
      ),
    ),
    valueScale: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'pixel values are fed as value/255*valueScale (255 keeps 0..255)',
      }),
      255,
    ),
    layout: Defaulted(StringEnum(['NHWC', 'NCHW']), 'NHWC'),
    groundTruth: Type.Optional(
      Type.Object(
        {
          scale: Type.Integer({
            minimum: 2,
            maximum: 8,
            description:
              'each crop is the ground truth; the model is fed it downscaled by this factor (bicubic, antialiased)',
          }),
          trainingPath: Type.String({
            minLength: 1,
            description:
              'folder of the contest holding the images miners may train on; no evaluation image may have the same pixels as one of them',
          }),
        },
        {
          additionalProperties: false,
          description:
            'ground-truth tasks: how inputs are made from the evaluation images, and the disjoint training part',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'evaluation inputs: which files, how many per round, and how the round seed varies them',
  },
);

const SessionOptions = Type.Object(
  {
    intraOpNumThreads: Defaulted(Type.Integer({ minimum: 0 }), 1),
    interOpNumThreads: Defaulted(Type.Integer({ minimum: 0 }), 1),
    graphOptimizationLevel: Defaulted(StringEnum(['disabled', 'basic', 'extended', 'all']), 'all'),
    executionMode: Defaulted(StringEnum(['sequential', 'parallel']), 'sequential'),
    enableCpuMemArena: Defaulted(Type.Boolean(), true),
    enableMemPattern: Defaulted(Type.Boolean(), true),
  },
  {
    additionalProperties: false,
    description: 'onnxruntime session options, pinned: they change timings',
  },
);

const Runner = Type.Object(
  {
    label: Slug,
    device: Type.String({
      minLength: 1,
      description: 'required device name, e.g. "NVIDIA GeForce RTX 4090", or "cpu"',
    }),
    executionProvider: StringEnum(['cuda', 'cpu']),
    session: Defaulted(SessionOptions, {}),
    residentSubmissions: Defaulted(
      Type.Integer({
        minimum: 1,
        description:
          'submissions loaded at a time beside the baseline: they are measured in groups of this size, each group interleaved with the same baseline session (docs/adr/0155-resident-groups.md); size it to the runner memory, e.g. 1 for SDXL-sized models on a 24 GB card',
      }),
      8,
    ),
  },
  { additionalProperties: false },
);

const GraphLimits = Type.Object(
  {
    nodes: Defaulted(
      Type.Integer({
        minimum: 1,
        description: 'most nodes, all graphs together (subgraphs and functions included)',
      }),
      50_000,
    ),
    depth: Defaulted(
      Type.Integer({ minimum: 1, description: 'longest chain of nodes in any one graph' }),
      10_000,
    ),
    initializers: Defaulted(
      Type.Integer({ minimum: 1, description: 'most initializers, sparse ones included' }),
      50_000,
    ),
  },
  {
    additionalProperties: false,
    description:
      'graph-size limits checked before a model is decoded or loaded (docs/adr/0112-graph-size-limits.md)',
  },
);

const Limits = Type.Object(
  {
    artifactBytes: Type.Integer({ minimum: 1 }),
    loadSeconds: Defaulted(Type.Number({ exclusiveMinimum: 0 }), 240),
    sampleTimeoutFactor: Defaulted(
      Type.Number({
        exclusiveMinimum: 1,
        description: 'per-sample timeout as a multiple of the baseline mean',
      }),
      2,
    ),
    memoryBytes: Type.Integer({ minimum: 1, description: 'peak memory of the benchmark child' }),
    parameters: Type.Optional(
      Type.Integer({ minimum: 1, description: 'maximum parameter count, Constant nodes included' }),
    ),
    graph: Defaulted(GraphLimits, {}),
    unknownOperators: Defaulted(
      StringEnum(['reject', 'ignore'], {
        description:
          'an operator FLOPs counting does not know: reject the model at inspection, or ignore it (counted as 0 and listed; refused when FLOPs are scored)',
      }),
      'reject',
    ),
    operators: Defaulted(
      Type.Object(
        {
          domains: Defaulted(
            Type.Array(Type.String(), {
              uniqueItems: true,
              description: 'allowed operator domains; "" is the default ONNX domain',
            }),
            ['', 'ai.onnx'],
          ),
          ops: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              uniqueItems: true,
              description: 'if present, the only operator types allowed',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      {},
    ),
  },
  { additionalProperties: false },
);

const Precision = Type.Object(
  {
    halfWidth: Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description:
        "the speed ratio's interval half-width needed, relative to the ratio (0.01 = ±1 %)",
    }),
    maxSeconds: Type.Number({
      exclusiveMinimum: 0,
      description: 'measuring time allowed per live submission before stopping short',
    }),
    looks: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 20,
        description:
          'pre-declared looks at minSamples × 2^k pairs (default 8); each interval is taken at confidence 1 − (1 − c)/looks (docs/adr/0140)',
      }),
    ),
    aaSeconds: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description:
          'length of the A/A check (baseline against itself) that estimates noise (default 5)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Throughput under load (src/bench/load.ts, docs/adr/0175): MLPerf-style closed-loop load. */
const Load = Type.Object(
  {
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 1024,
      description:
        'queries in flight at once (closed loop: a query is issued as soon as one completes)',
    }),
    streams: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 64,
        description:
          'execution streams: isolated children with a session each, serving concurrency / streams of the queries in flight; streams × intraOpNumThreads must fit the CPUs the runner gives the measured children',
      }),
      1,
    ),
    batching: Defaulted(
      StringEnum(['dynamic', 'none'], {
        description:
          'dynamic: a stream runs every query waiting for it as one batch (needs a free first dimension on every input and output); none: one query per run',
      }),
      'none',
    ),
    latencyBoundMs: Type.Number({
      exclusiveMinimum: 0,
      description: 'the latency bound: the percentile of query latencies must not exceed it',
    }),
    percentile: Defaulted(
      Type.Number({
        exclusiveMinimum: 0.5,
        exclusiveMaximum: 1,
        description: 'which percentile of query latency the bound applies to (0.99: p99)',
      }),
      0.99,
    ),
    windowQueries: Defaulted(
      Type.Integer({
        minimum: 1,
        description:
          'queries per timed window; one window per model per interleaved round, windows pair with the baseline for the throughput interval',
      }),
      64,
    ),
    minQueries: Defaulted(
      Type.Integer({ minimum: 1, description: 'MLPerf minimum query count per model' }),
      1024,
    ),
    minSeconds: Defaulted(
      Type.Number({ minimum: 0, description: 'MLPerf minimum duration under load per model' }),
      10,
    ),
    earlyStopping: Defaulted(
      Type.Number({
        exclusiveMinimum: 0.5,
        exclusiveMaximum: 1,
        description:
          'confidence at which the share of queries over the bound is decided early: a model whose share exceeds 1 − percentile at this confidence is stopped and refused; when every model is decided, measuring stops after minSeconds even short of minQueries',
      }),
      0.95,
    ),
    verifyQueries: Defaulted(
      Type.Integer({
        minimum: 1,
        description:
          'queries of the first window, drawn from the seed, whose outputs under load are compared with the baseline outputs for the same inputs',
      }),
      16,
    ),
  },
  { additionalProperties: false },
);

const Measurement = Type.Object(
  {
    warmupRuns: Defaulted(Type.Integer({ minimum: 0 }), 3),
    minSamples: Defaulted(Type.Integer({ minimum: 2 }), 50),
    minSeconds: Defaulted(Type.Number({ minimum: 0 }), 10),
    blockSize: Defaulted(
      Type.Integer({
        minimum: 1,
        description: 'samples per model per interleaved round-robin block',
      }),
      1,
    ),
    determinism: Defaulted(
      Type.Object(
        {
          auditInputs: Defaulted(Type.Integer({ minimum: 0 }), 2),
          maxAbsDiff: Defaulted(Type.Number({ minimum: 0 }), 0),
        },
        {
          additionalProperties: false,
          description:
            'timed runs of the first auditInputs inputs (cycles 0, 1, 2, 4, …) must reproduce the accuracy pass within maxAbsDiff',
        },
      ),
      {},
    ),
    precision: Defaulted(
      Type.Union([Precision, Type.Null()], {
        description:
          'measure until every submission reaches this precision or the cap (null: stop on minSamples and minSeconds)',
      }),
      null,
    ),
    load: Type.Optional(
      Type.Object(Load.properties, {
        additionalProperties: false,
        description:
          'throughput under load (tasks that measure under load only): sustained samples/s at a latency bound, instead of one-at-a-time timing',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'settings that change numbers, recorded with every result',
  },
);

/** What the harness measures for every model (the contest's `metrics[].name`). */
export const METRIC_NAMES = ['latency', 'loadTime', 'memory', 'gpuMemory', 'energy'] as const;
const METRICS = METRIC_NAMES;
const MetricName = StringEnum(METRICS);
/** Pareto objectives: measured metrics, the fidelity measure's mean, or any measure of the table. */
export const OBJECTIVE_NAMES = [
  ...METRIC_NAMES,
  'fidelity',
  ...MEASURES.map((m) => m.name),
] as const;
const OBJECTIVES = OBJECTIVE_NAMES;

const Similarity = Type.Object(
  {
    measure: StringEnum(THRESHOLD_MEASURES, {
      description: "one of the task's measures (docs/tasks.md); its rule reads the threshold",
    }),
    threshold: Type.Number({
      description:
        "per-sample-minimum measures (psnr, ssim…): the minimum on every sample; fraction-of-baseline measures (accuracy, psnrTruth, ssimTruth): the minimum mean as a fraction of the baseline's on the same inputs",
    }),
  },
  { additionalProperties: false },
);

const Objective = Type.Object(
  {
    metric: StringEnum(OBJECTIVES),
    direction: StringEnum(['min', 'max']),
  },
  { additionalProperties: false },
);

const WeightsPolicy = Type.Object(
  {
    scheme: StringEnum(['winner-takes-most', 'ema'], {
      description:
        'how round shares combine across rounds: a window of recent rounds weighted by decay^age (winner-takes-most), or an exponential moving average carried in score.json (ema)',
    }),
    decay: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description:
          'winner-takes-most: weight of a round of age a is decay^a; ema: weight of the current round (alpha)',
      }),
      0.5,
    ),
    historyRounds: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 365,
        description: 'winner-takes-most: rounds in the window, the current one included',
      }),
      7,
    ),
    positionDecay: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'within a round, the earner placed p-th (from 0) gets positionDecay^p before normalising (0.2: the winner gets about 80 %)',
      }),
      0.2,
    ),
    fallbackUid: Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'uid that receives all weight when no submission earns any',
    }),
  },
  { additionalProperties: false },
);

/** How a round ranks submissions (docs/scoring.md). */
export const STRATEGIES = ['speed-at-parity', 'pareto', 'quality-at-budget'] as const;

const Budget = Type.Object(
  {
    latency: Type.Number({
      exclusiveMinimum: 0,
      description:
        "quality-at-budget: the most latency allowed, as a multiple of the baseline's measured in the same interleaved run (1 = no slower than the baseline)",
    }),
  },
  {
    additionalProperties: false,
    description: 'quality-at-budget only (required there): the latency budget',
  },
);

const EarlierAdvantage = Type.Object(
  {
    margin: Type.Number({
      minimum: 0,
      description:
        "quality-at-budget: a later submission ranks above an earlier one (or earns over the baseline) only when its quality's paired lower bound beats the other's by more than this, in the quality measure's unit",
    }),
  },
  {
    additionalProperties: false,
    description: 'quality-at-budget only (default margin 0): the earlier-block advantage',
  },
);

const Scoring = Type.Object(
  {
    strategy: StringEnum(STRATEGIES),
    budget: Type.Optional(Budget),
    earlierAdvantage: Type.Optional(EarlierAdvantage),
    similarity: Similarity,
    fidelityExponent: Defaulted(
      Type.Number({
        minimum: 0,
        description: '0 ignores fidelity in the score; >0 multiplies by a fidelity factor',
      }),
      0,
    ),
    objectives: Type.Optional(Type.Array(Objective, { minItems: 1, description: 'pareto only' })),
    tieBreaker: Defaulted(
      StringEnum(['commitment-block', ...OBJECTIVES], {
        description:
          'orders submissions of equal rank: the earlier commitment, or the better value of a metric (then the earlier commitment)',
      }),
      'commitment-block',
    ),
    confidence: Defaulted(Type.Number({ exclusiveMinimum: 0.5, exclusiveMaximum: 1 }), 0.95),
    noiseFloor: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 0.5,
        description:
          'a measured ratio counts as better (worse) than the baseline only beyond 1 + f (1 − f): covers between-process effects the paired bootstrap cannot see; size it from the A/A benchmark',
      }),
      0.03,
    ),
    bootstrapResamples: Defaulted(Type.Integer({ minimum: 100, maximum: 100_000 }), 2000),
    weights: WeightsPolicy,
  },
  { additionalProperties: false },
);

const Metric = Type.Object(
  {
    name: MetricName,
    weight: Type.Number({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);

const Schedule = Type.Object(
  {
    cadence: StringEnum(['daily', 'weekly']),
    weekday: Type.Optional(StringEnum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
    cutoff: Type.String({
      pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
      description: 'local time of day, HH:MM',
    }),
    timeZone: Type.String({ format: 'iana-time-zone', description: 'IANA time zone' }),
    opens: Type.Optional(
      Type.String({ format: 'date', description: 'first day entries are accepted (YYYY-MM-DD)' }),
    ),
    closes: Type.Optional(
      Type.String({ format: 'date', description: 'last day entries are accepted (YYYY-MM-DD)' }),
    ),
  },
  { additionalProperties: false },
);

const Chain = Type.Object(
  {
    netuid: Type.Integer({ minimum: 0, maximum: 65535 }),
    endpoint: Type.String({
      pattern: '^[a-z0-9-]+$',
      description: 'endpoint name resolved from the validator configuration (e.g. "local")',
    }),
  },
  { additionalProperties: false },
);

export const ContestSchema = Document(
  'contest',
  1,
  {
    id: Slug,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    task: StringEnum(TASK_IDS, { description: 'the kind of contest (docs/tasks.md)' }),
    baseline: Baseline,
    pipeline: Type.Optional(PipelineSpec),
    inputs: Inputs,
    runner: Runner,
    limits: Limits,
    measurement: Defaulted(Measurement, {}),
    metrics: Type.Array(Metric, { minItems: 1 }),
    scoring: Scoring,
    schedule: Schedule,
    chain: Chain,
    demo: Defaulted(
      Type.Boolean({
        description:
          "a demo contest (local chain, CPU): the round workflow skips it unless the repository variable PODIUM_RUN_DEMO_CONTESTS is 'true'",
      }),
      false,
    ),
  },
  'A podium contest: baseline, inputs, runner, limits, metrics, scoring, schedule and chain.',
);

/** A contest file as written (defaults may be omitted in the file, the type has them). */
export type ContestDocument = Static<typeof ContestSchema>;
