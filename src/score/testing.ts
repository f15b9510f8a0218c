/**
 * Test and benchmark support for scoring: a contest, a round and bench documents built over the
 * real schemas and validated with ajv, so a fixture that drifts from the schema fails loudly.
 * Not used by podium itself.
 */
import { createHash } from 'node:crypto';
import { BenchSchema, type BenchDocument } from '../documents/bench.js';
import type { Contest } from '../contest/load.js';
import { ContestSchema, type ContestDocument } from '../contest/schema.js';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson } from '../json/canonical.js';
import { checkDocument, writeDocument, writeFileAtomic } from '../json/file.js';
import { RoundSchema, type RoundDocument } from '../documents/round.js';
import { schemaId } from '../schemas/builders.js';
import { validateDocument } from '../schemas/validate.js';
import { contestFileSha256 } from '../contest/hash.js';

/** Well-known dev addresses (//Alice … //Ferdie), ss58 prefix 42: names in docs/scoring.md. */
export const DEV_HOTKEYS = {
  alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  dave: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  eve: '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
  ferdie: '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL',
} as const;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A hotkey-shaped string for synthetic submission `i` (matches the ss58 pattern only). */
export function syntheticHotkey(i: number): string {
  const digest = createHash('sha256').update(`hotkey-${i}`).digest();
  let out = '5';
  for (let k = 0; out.length < 48; k++) out += BASE58[digest[k % 32]! % 58];
  return out;
}

/** Lower-case hex sha256 of a label: stable fake artifact and weights hashes. */
export function fakeSha(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

export const CONTEST_ID = 'score-test';
export const ROUND_ID = '2025-03-01';
export const SEED = `0x${'5e'.repeat(32)}`;
const CONTEST_SHA = fakeSha('contest');
export const BASELINE_SHA = fakeSha('baseline');

type ScoringOverrides = Partial<Omit<ContestDocument['scoring'], 'weights'>> & {
  weights?: Partial<ContestDocument['scoring']['weights']>;
};

/** A schema-valid contest (defaults filled) with the given metrics and scoring overrides. */
export function testContest(
  metrics: ContestDocument['metrics'] = [{ name: 'latency', weight: 1 }],
  scoring: ScoringOverrides = {},
): Contest {
  const { weights, ...rest } = scoring;
  const data = {
    $schema: schemaId('contest'),
    version: 1,
    id: CONTEST_ID,
    title: 'Scoring test contest',
    task: 'image-super-resolution',
    baseline: {
      model: { url: 'https://models.example.org/base.onnx', sha256: BASELINE_SHA, bytes: 1000 },
      io: {
        inputs: [{ name: 'x', elementType: 'float32', shape: [1, 'h', 'w', 3] }],
        outputs: [{ name: 'y', elementType: 'float32', shape: [1, 'h2', 'w2', 3] }],
      },
    },
    inputs: {
      source: { type: 'directory', path: 'inputs' }, // never read: scoring needs no inputs
      samplesPerRound: 4,
      crop: { width: 4, height: 4 },
    },
    runner: { label: 'cpu-test', device: 'cpu', executionProvider: 'cpu' },
    limits: { artifactBytes: 1_000_000, memoryBytes: 2 ** 31 },
    metrics,
    scoring: {
      strategy: 'speed-at-parity',
      similarity: { measure: 'psnr', threshold: 30 },
      bootstrapResamples: 1000,
      ...rest,
      weights: { scheme: 'winner-takes-most', fallbackUid: 0, ...weights },
    },
    schedule: { cadence: 'daily', cutoff: '12:00', timeZone: 'UTC' },
    chain: { netuid: 1, endpoint: 'local' },
  };
  return checkDocument('test contest.json', data, ContestSchema);
}

/**
 * A schema-valid labelled-classification contest: MNIST-shaped IO, the dataset source, an
 * accuracy floor of `threshold` × the baseline, and the scoring overrides (pareto objectives…).
 */
export function testLabelledContest(scoring: ScoringOverrides = {}, threshold = 0.97): Contest {
  const sr = testContest([{ name: 'latency', weight: 1 }], scoring);
  const data = structuredClone(sr) as unknown as Record<string, unknown> & {
    inputs: Record<string, unknown>;
    scoring: Record<string, unknown>;
  };
  data.task = 'labelled-classification';
  data.baseline = {
    ...(sr.baseline as object),
    io: {
      inputs: [{ name: 'image', elementType: 'float32', shape: [1, 28, 28, 1] }],
      outputs: [{ name: 'probabilities', elementType: 'float32', shape: [1, 10] }],
    },
  };
  data.inputs = {
    source: {
      type: 'dataset',
      name: 'mnist',
      split: { train: { from: 0, to: 8000 }, evaluation: { from: 8000, to: 10000 } },
    },
    samplesPerRound: 400,
    valueScale: 1,
    layout: 'NHWC',
  };
  data.scoring = { ...data.scoring, similarity: { measure: 'accuracy', threshold } };
  return checkDocument('test labelled contest.json', data, ContestSchema);
}

/** One submission of the test round. */
export interface TestSubmission {
  hotkey: string;
  uid: number;
  block: number;
  /** Artifact label (hashed); defaults to the hotkey. */
  artifact?: string;
}

/** A schema-valid round.json holding `submissions`. */
export function testRound(
  submissions: readonly TestSubmission[],
  options: { seed?: string; id?: string; rejected?: RoundDocument['rejected'] } = {},
): RoundDocument {
  const doc: RoundDocument = {
    $schema: schemaId('round'),
    version: 1,
    contest: { id: CONTEST_ID, sha256: CONTEST_SHA },
    id: options.id ?? ROUND_ID,
    cutoff: {
      instant: '2025-03-01T12:00:00Z',
      block: 1000,
      blockHash: options.seed ?? SEED,
      blockTimestampMs: 1_740_830_400_000,
    },
    seed: options.seed ?? SEED,
    submissions: submissions.map((s) => ({
      uid: s.uid,
      hotkey: s.hotkey,
      model: {
        url: `https://models.example.org/${s.uid}.onnx`,
        sha256: fakeSha(s.artifact ?? s.hotkey),
        bytes: 900,
      },
      commitment: {
        block: s.block,
        text: `podium/1 ${CONTEST_ID} ${fakeSha(s.artifact ?? s.hotkey)}`,
      },
      entry: null,
    })),
    rejected: options.rejected ?? [],
    producer: { podiumVersion: '0.1.0', podiumCommit: null },
  };
  return validated(RoundSchema, doc);
}

/** What a test says about one model measured on one runner. */
export interface TestBench {
  runner?: string;
  /** Omit for the baseline. */
  hotkey?: string;
  uid?: number;
  /** Artifact label (hashed); defaults to the hotkey, or the baseline's sha. */
  artifact?: string;
  /** Timings; sample k runs input k mod inputs in block floor(k / inputs). */
  ms: readonly number[];
  inputs?: number;
  loadMs?: number | null;
  peakRssBytes?: number | null;
  gpuMemoryBytes?: number | null;
  joulesPerSample?: number | null;
  /** Per-input PSNR; a number applies to every input. */
  psnr?: number | readonly number[];
  parameters?: number | null;
  /** FLOPs from the inspection (default null: not counted). */
  flops?: number | null;
  /**
   * Labelled tasks: inputs 0 … correct − 1 are classified right, the rest wrong; the fidelity
   * block is then an accuracy block (for the baseline too) instead of PSNR.
   */
  correct?: number;
  weights?: string;
  /** Per-tensor sketches recorded at inspection (real ones come from inspectModel). */
  sketches?: NonNullable<BenchDocument['inspection']>['tensorSketches'];
  /** Output hash label per input; a string applies the label to every input. */
  outputs?: string | readonly string[] | null;
  valid?: boolean;
  round?: string;
}

/** A schema-valid bench document for one model on one runner. */
export function testBench(t: TestBench): BenchDocument {
  const inputs = t.inputs ?? 4;
  const role = t.hotkey === undefined ? 'baseline' : 'submission';
  const psnr = typeof t.psnr === 'number' || t.psnr === undefined ? null : t.psnr;
  const perInput = (k: number) => (psnr ? psnr[k]! : ((t.psnr as number | undefined) ?? 45));
  const labels = typeof t.outputs === 'string' ? null : t.outputs;
  const worst = Math.min(...Array.from({ length: inputs }, (_, k) => perInput(k)));
  const valid = t.valid ?? (role === 'baseline' || t.correct !== undefined || worst >= 30);
  const doc: BenchDocument = {
    $schema: schemaId('bench'),
    version: 1,
    contest: { id: CONTEST_ID, sha256: CONTEST_SHA },
    round: t.round ?? ROUND_ID,
    runner: { name: t.runner ?? 'runner-a', label: 'cpu-test' },
    subject: {
      role,
      hotkey: t.hotkey ?? null,
      uid: t.uid ?? null,
      model: {
        url: 'https://models.example.org/m.onnx',
        sha256: role === 'baseline' ? BASELINE_SHA : fakeSha(t.artifact ?? t.hotkey!),
        bytes: 900,
      },
    },
    settings: {
      executionProvider: 'cpu',
      session: { intraOpNumThreads: 1 },
      warmupRuns: 1,
      minSamples: 2,
      minSeconds: 0,
      blockSize: 1,
      loadTimeoutMs: 60_000,
      sampleTimeoutMs: null,
      memoryLimitBytes: 2 ** 31,
      inputs,
      seed: SEED,
    },
    environment: {
      device: 'cpu',
      driver: null,
      cpu: 'test cpu',
      cores: 2,
      os: 'linux',
      node: '20',
      onnxruntime: '1.20.0',
      podiumVersion: '0.1.0',
      podiumCommit: null,
      isolation: 'none',
    },
    inspection: {
      opset: 17,
      ops: { 'ai.onnx:Add': 1 },
      parameters: t.parameters === undefined ? 1000 : t.parameters,
      flops: t.flops ?? null,
      unknownOperators: [],
      weightsSha256: fakeSha(t.weights ?? `weights-of-${t.artifact ?? t.hotkey ?? 'baseline'}`),
      ...(t.sketches ? { tensorSketches: t.sketches.map((x) => ({ ...x })) } : {}),
      inputs: [],
      outputs: [],
    },
    load: { sessionMs: t.loadMs === undefined ? 100 : t.loadMs, firstInferenceMs: 5 },
    samples: {
      input: t.ms.map((_, k) => k % inputs),
      block: t.ms.map((_, k) => Math.floor(k / inputs)),
      ms: [...t.ms],
    },
    summary: null,
    memory: {
      peakRssBytes: t.peakRssBytes === undefined ? 100_000_000 : t.peakRssBytes,
      gpuMemoryBytes: t.gpuMemoryBytes === undefined ? null : t.gpuMemoryBytes,
    },
    energy: { joulesPerSample: t.joulesPerSample ?? null, averageWatts: null },
    fidelity:
      t.correct !== undefined
        ? accuracyBlock(inputs, t.correct)
        : role === 'baseline'
          ? null
          : {
              measure: 'psnr',
              rule: 'per-sample-minimum',
              threshold: 30,
              perSample: Array.from({ length: inputs }, (_, k) => ({
                input: k,
                psnr: perInput(k),
                ssim: null,
                cosine: null,
                maxAbsError: 0.01,
              })),
              worst: { input: 0, value: worst },
              mean:
                Array.from({ length: inputs }, (_, k) => perInput(k)).reduce((a, b) => a + b, 0) /
                inputs,
              baselineMean: null,
              passed: worst >= 30,
            },
    outputs:
      t.outputs === null
        ? null
        : {
            sha256: Array.from({ length: inputs }, (_, k) =>
              fakeSha(
                labels
                  ? labels[k]!
                  : `${(t.outputs as string | undefined) ?? t.hotkey ?? 'baseline'}-out-${k}`,
              ),
            ),
          },
    valid,
    reasons: valid ? [] : [{ code: 'failed', message: 'the benchmark judged this model invalid' }],
  };
  return validated(BenchSchema, doc);
}

/** A bench fidelity block of the accuracy measure: the first `correct` of `inputs` right. */
function accuracyBlock(inputs: number, correct: number): BenchDocument['fidelity'] {
  const perSample = Array.from({ length: inputs }, (_, k) => ({
    input: k,
    accuracy: k < correct ? 1 : 0,
  }));
  return {
    measure: 'accuracy',
    rule: 'fraction-of-baseline',
    threshold: 0.97,
    perSample,
    worst: { input: correct < inputs ? correct : 0, value: correct < inputs ? 0 : 1 },
    mean: correct / inputs,
    baselineMean: null,
    passed: true,
  };
}

function validated<T>(schema: typeof RoundSchema | typeof BenchSchema, doc: T): T {
  const problems = validateDocument(schema, doc);
  if (problems.length > 0) {
    throw new Error(`test ${schema.title} is not schema-valid: ${JSON.stringify(problems)}`);
  }
  return doc;
}

/** Timings around `mean` ms with a deterministic ±`spread` wobble, `n` samples. */
export function timings(mean: number, n: number, spread = 0.05, phase = 0): number[] {
  return Array.from({ length: n }, (_, k) => mean * (1 + spread * Math.sin(1.7 * k + phase)));
}

/**
 * Writes `<root>/contests/score-test/contest.json` (once) and a round folder
 * `<root>/results/score-test/<id>` with round.json and the bench files of a baseline, alice
 * (30 % faster) and bob (10 % slower). Returns the round folder.
 */
export async function writeTestRound(root: string, id = ROUND_ID): Promise<string> {
  const contestFile = join(root, 'contests', CONTEST_ID, 'contest.json');
  await writeFileAtomic(contestFile, canonicalJson(testContest()));
  await mkdir(join(dirname(contestFile), 'inputs'), { recursive: true });
  const sha = await contestFileSha256(contestFile);
  const withSha = <T extends { contest: { sha256: string } }>(doc: T): T => ({
    ...doc,
    contest: { ...doc.contest, sha256: sha },
  });
  const dir = join(root, 'results', CONTEST_ID, id);
  const base = timings(10, 16);
  const subs = [
    { hotkey: DEV_HOTKEYS.alice, uid: 1, block: 1 },
    { hotkey: DEV_HOTKEYS.bob, uid: 2, block: 2 },
  ];
  await writeDocument(join(dir, 'round.json'), RoundSchema, withSha(testRound(subs, { id })));
  const bench = [
    testBench({ ms: base, round: id }),
    testBench({ ...subs[0]!, ms: base.map((v) => v * 0.7), round: id }),
    testBench({ ...subs[1]!, ms: base.map((v) => v * 1.1), round: id }),
  ];
  for (const doc of bench) {
    const name = doc.subject.hotkey ?? 'baseline';
    await writeDocument(
      join(dir, 'bench', doc.runner.name, `${name}.json`),
      BenchSchema,
      withSha(doc),
    );
  }
  return dir;
}
