/**
 * `bench/<runner>/<hotkey>.json` and `bench/<runner>/baseline.json`: everything one runner
 * measured for one model in one round. Raw samples are kept so that anyone can recompute the
 * summary and the paired bootstrap in score.json.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Artifact, Document, Sha256, Slug, StringEnum } from '../schemas/builders.js';
import { Hash32, RoundId, Ss58 } from './round.js';
import { MEASURES, THRESHOLD_MEASURES } from '../tasks/measures.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

const Signature = Type.Object(
  {
    name: Type.String(),
    elementType: Type.String(),
    shape: Type.Array(Type.Union([Type.Integer(), Type.String()])),
  },
  { additionalProperties: false },
);

const Reason = Type.Object(
  {
    code: Type.String({
      pattern: '^[a-z][a-z0-9-]*$',
      description: 'machine-readable reason code',
    }),
    message: Type.String({
      minLength: 1,
      description: 'what happened, naming the sample or field',
    }),
  },
  { additionalProperties: false },
);

const TensorSketch = Type.Object(
  {
    elements: Type.Integer({ minimum: 1 }),
    norm: Type.Number({ exclusiveMinimum: 0, description: 'L2 norm of the values' }),
    projections: Type.Array(Type.Number(), {
      minItems: 8,
      maxItems: 8,
      description: 'random ±1 projections of the values divided by the norm',
    }),
  },
  { additionalProperties: false },
);

const Inspection = Type.Object(
  {
    opset: Nullable(Type.Integer({ minimum: 1 })),
    ops: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), {
      description: 'operator histogram keyed "domain:OpType" ("" domain written as "ai.onnx")',
    }),
    parameters: Nullable(
      Type.Integer({ minimum: 0, description: 'initializers + Constant tensors' }),
    ),
    flops: Nullable(
      Type.Integer({
        minimum: 0,
        description: 'FLOPs of one inference counted from the graph (docs/cost-counting.md)',
      }),
    ),
    unknownOperators: Type.Array(Type.String(), {
      description:
        'operators ("domain:OpType") FLOPs counting does not know: the count leaves them out',
    }),
    weightsSha256: Nullable(Sha256),
    tensorSketches: Type.Optional(
      Type.Array(TensorSketch, {
        description:
          'rounding-insensitive per-tensor fingerprints for near-copy detection (docs/adr/0113-copy-fingerprints.md)',
      }),
    ),
    inputs: Type.Array(Signature),
    outputs: Type.Array(Signature),
  },
  { additionalProperties: false },
);

type PerSampleField = Extract<(typeof MEASURES)[number], { scope: 'per-sample' }>['field'];
const optionalNumber = (description: string) =>
  Type.Optional(Nullable(Type.Number({ description })));

const FidelitySample = Type.Object(
  {
    input: Type.Integer({ minimum: 0 }),
    ...(Object.fromEntries(
      MEASURES.filter((m) => m.scope === 'per-sample').map((m) => [
        m.field,
        optionalNumber(m.description),
      ]),
    ) as Record<PerSampleField, ReturnType<typeof optionalNumber>>),
  },
  {
    additionalProperties: false,
    description: "the task's measures on one input, by field (src/tasks/measures.ts)",
  },
);

const PrecisionRecord = Type.Object(
  {
    target: Type.Number({ description: "the contest's half-width target, relative to the ratio" }),
    confidence: Type.Number({ description: 'per-look confidence, 1 − (1 − c)/looks' }),
    looks: Type.Integer({ minimum: 1, description: 'looks declared' }),
    looksTaken: Type.Integer({ minimum: 0 }),
    halfWidth: Nullable(
      Type.Number({ description: 'relative half-width at the last look (null: never looked)' }),
    ),
    pairs: Type.Integer({ minimum: 0, description: 'pairs with the baseline at the last look' }),
    seconds: Type.Number({ minimum: 0, description: 'measuring time until the stop' }),
    reached: Type.Boolean(),
    stopped: StringEnum(['reached', 'cap', 'looks'], {
      description:
        'reached: every live submission met the target at a look; cap: the time cap came first; looks: the last declared look came first',
    }),
    aa: Nullable(
      Type.Object(
        {
          halfWidth: Type.Number(),
          pairs: Type.Integer({ minimum: 0 }),
          seconds: Type.Number({ minimum: 0 }),
          projectedHalfWidth: Type.Number({
            description: 'the half-width the cap would reach at this noise (∝ 1/√pairs)',
          }),
        },
        { additionalProperties: false, description: 'the A/A check (baseline only)' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'sequential measurement to the contest precision (docs/adr/0140)',
  },
);

const ThroughputRecord = Type.Object(
  {
    concurrency: Type.Integer({ minimum: 1 }),
    streams: Type.Integer({ minimum: 1 }),
    batching: StringEnum(['dynamic', 'none']),
    latencyBoundMs: Type.Number({ exclusiveMinimum: 0 }),
    percentile: Type.Number(),
    queries: Type.Integer({ minimum: 0, description: 'queries completed under load' }),
    seconds: Type.Number({ minimum: 0, description: 'time under load (sum of the windows)' }),
    samplesPerSecond: Nullable(Type.Number({ minimum: 0 })),
    latencyMs: Nullable(
      Type.Object(
        { p50: Type.Number(), percentile: Type.Number(), max: Type.Number() },
        {
          additionalProperties: false,
          description: 'query latency (issue to completion) over every query',
        },
      ),
    ),
    overBound: Type.Integer({ minimum: 0, description: 'queries slower than the bound' }),
    meetsBound: Type.Boolean(),
    meanBatch: Nullable(Type.Number({ description: 'mean queries per run' })),
    stopped: StringEnum(['minimum', 'decided-early', 'failed-early', 'failed'], {
      description:
        'minimum: minQueries and minSeconds reached; decided-early: every model decided at the early-stopping confidence after minSeconds; failed-early: this model over the bound at that confidence; failed: stopped by an error',
    }),
    verified: Type.Object(
      {
        queries: Type.Array(Type.Integer({ minimum: 0 }), {
          description: 'positions in the query stream whose outputs under load were judged',
        }),
        measure: StringEnum(THRESHOLD_MEASURES),
        worst: Nullable(Type.Number()),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description:
      'throughput under load (docs/adr/0175); samples then hold one entry per window: ms = window time / queries (ms per sample under load)',
  },
);

export const BenchSchema = Document(
  'bench',
  1,
  {
    contest: Type.Object({ id: Slug, sha256: Sha256 }, { additionalProperties: false }),
    round: RoundId,
    runner: Type.Object(
      { name: Type.String({ minLength: 1 }), label: Slug },
      { additionalProperties: false },
    ),
    subject: Type.Object(
      {
        role: StringEnum(['baseline', 'submission']),
        hotkey: Nullable(Ss58),
        uid: Nullable(Type.Integer({ minimum: 0, maximum: 65535 })),
        model: Artifact,
      },
      { additionalProperties: false },
    ),
    settings: Type.Object(
      {
        executionProvider: StringEnum(['cuda', 'cpu']),
        session: Type.Record(
          Type.String(),
          Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        ),
        warmupRuns: Type.Integer({ minimum: 0 }),
        minSamples: Type.Integer({ minimum: 1 }),
        minSeconds: Type.Number({ minimum: 0 }),
        blockSize: Type.Integer({ minimum: 1 }),
        loadTimeoutMs: Type.Number({ exclusiveMinimum: 0 }),
        sampleTimeoutMs: Nullable(Type.Number({ exclusiveMinimum: 0 })),
        memoryLimitBytes: Type.Integer({ minimum: 1 }),
        inputs: Type.Integer({ minimum: 1, description: 'evaluation samples in this round' }),
        inputsSha256: Type.Optional(
          Type.String({
            pattern: '^[0-9a-f]{64}$',
            description:
              'sha256 over every input tensor of the round (name, type, dims, bytes): runners ' +
              'that drew the same inputs from the seed agree on it',
          }),
        ),
        seed: Hash32,
        residentSubmissions: Type.Optional(
          Type.Integer({
            minimum: 1,
            description: 'submissions loaded at a time beside the baseline (docs/adr/0155)',
          }),
        ),
      },
      { additionalProperties: false, description: 'every setting that changes the numbers' },
    ),
    environment: Type.Object(
      {
        device: Type.String(),
        driver: Nullable(Type.String()),
        cpu: Type.String(),
        cores: Type.Integer({ minimum: 1 }),
        os: Type.String(),
        node: Type.String(),
        onnxruntime: Type.String(),
        podiumVersion: Type.String(),
        podiumCommit: Nullable(Type.String()),
        isolation: StringEnum(['netns', 'none']),
        tuning: Type.Optional(
          Type.Object(
            {
              measuredCpus: Nullable(
                Type.String({ description: 'taskset CPU list of the children' }),
              ),
              podiumCpus: Nullable(Type.String({ description: "podium's own CPU list" })),
              nice: Type.Integer({ description: 'niceness the children started with' }),
              notes: Type.Array(Type.String(), {
                description: 'what could not be applied, and why',
              }),
            },
            {
              additionalProperties: false,
              description: 'noise reduction applied (src/bench/tuning.ts)',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    inspection: Nullable(Inspection),
    load: Type.Object(
      {
        sessionMs: Nullable(Type.Number({ minimum: 0 })),
        firstInferenceMs: Nullable(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false },
    ),
    group: Type.Optional(
      Type.Object(
        {
          index: Type.Integer({ minimum: 0, description: 'the resident group, in run order' }),
          firstBlock: Type.Integer({ minimum: 0 }),
          blocks: Type.Integer({
            minimum: 0,
            description:
              "blocks firstBlock … firstBlock + blocks − 1: the baseline's blocks this submission pairs with",
          }),
        },
        {
          additionalProperties: false,
          description:
            'the group of submissions measured while this one was loaded (submissions only; docs/adr/0155)',
        },
      ),
    ),
    samples: Type.Object(
      {
        input: Type.Array(Type.Integer({ minimum: 0 })),
        block: Type.Array(Type.Integer({ minimum: 0 })),
        ms: Type.Array(Type.Number({ minimum: 0 })),
      },
      {
        additionalProperties: false,
        description: 'every timed run, in order: sample k ran input[k] in round-robin block[k]',
      },
    ),
    summary: Nullable(
      Type.Object(
        {
          count: Type.Integer({ minimum: 1 }),
          meanMs: Type.Number(),
          p50Ms: Type.Number(),
          p90Ms: Type.Number(),
          p99Ms: Type.Number(),
          stdevMs: Type.Number(),
          relStdev: Type.Number(),
        },
        { additionalProperties: false },
      ),
    ),
    memory: Type.Object(
      {
        peakRssBytes: Nullable(Type.Integer({ minimum: 0 })),
        gpuMemoryBytes: Nullable(Type.Integer({ minimum: 0 })),
      },
      { additionalProperties: false, description: 'null when not measurable, never 0' },
    ),
    energy: Type.Object(
      {
        joulesPerSample: Nullable(Type.Number({ minimum: 0 })),
        averageWatts: Nullable(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false, description: 'null without a GPU power meter' },
    ),
    fidelity: Nullable(
      Type.Object(
        {
          measure: StringEnum(THRESHOLD_MEASURES),
          rule: StringEnum(['per-sample-minimum', 'fraction-of-baseline'], {
            description:
              'per-sample-minimum: every input reaches the threshold; fraction-of-baseline: the mean reaches threshold × baselineMean',
          }),
          threshold: Type.Number(),
          perSample: Type.Array(FidelitySample),
          worst: Type.Object(
            { input: Type.Integer({ minimum: 0 }), value: Type.Number() },
            { additionalProperties: false },
          ),
          mean: Type.Number({ description: 'mean of the measure over the inputs' }),
          baselineMean: Nullable(
            Type.Number({ description: "the baseline's mean on the same inputs (fraction rule)" }),
          ),
          passed: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    outputs: Nullable(
      Type.Object(
        {
          sha256: Type.Array(Sha256, {
            description: "sha256 of each input's raw output tensor, by input index",
          }),
        },
        { additionalProperties: false },
      ),
    ),
    precision: Type.Optional(Nullable(PrecisionRecord)),
    throughput: Type.Optional(Nullable(ThroughputRecord)),
    roles: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          {
            meanMs: Type.Number({ minimum: 0 }),
            p50Ms: Type.Number({ minimum: 0 }),
            share: Type.Number({
              minimum: 0,
              description: "the role's mean over the end-to-end mean of the same runs",
            }),
          },
          { additionalProperties: false },
        ),
        {
          description:
            'pipelines: time in each role per timed image (docs/pipelines.md); absent for single graphs',
        },
      ),
    ),
    valid: Type.Boolean(),
    reasons: Type.Array(Reason),
  },
  'One model measured on one runner in one round: raw timings, summary, memory, fidelity, validity.',
);

export type BenchDocument = Static<typeof BenchSchema>;
export type BenchReason = Static<typeof Reason>;
export type ThroughputRecord = Static<typeof ThroughputRecord>;

/** A runner name as a folder name: lower case, runs of other characters turned into "-". */
export function runnerSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 63) || 'runner';
}
