/**
 * The table of every quality measure a podium task can compute, in one place. Contest-schema
 * enums (`scoring.similarity.measure`, pareto objectives), the bench file's per-sample fields,
 * score.json's fidelity measure, the report and leaderboard columns and the generated docs all
 * derive from this table; a task lists which of these measures it computes (src/tasks/*).
 *
 * A per-sample measure is computed on every evaluation sample of a round and aggregated by its
 * mean; `threshold` says how `scoring.similarity.threshold` reads when the contest names the
 * measure: a minimum every sample must reach (`per-sample-minimum`, today's PSNR rule), or a
 * minimum of the mean as a fraction of the baseline's mean on the same inputs
 * (`fraction-of-baseline`, the accuracy floor). `interval` says how the mean's interval is
 * computed: none (the value is a point), or Wilson's score interval for a proportion of 0/1
 * per-sample outcomes, or Student's t interval of the mean of the per-input values (ground-truth
 * quality, whose samples are not 0/1). A static measure is counted from the graph without running it.
 * Pure data: no imports beyond types.
 */

/** Whether larger or smaller values are better. */
export type Direction = 'max' | 'min';

/** One measure of the table. */
export interface MeasureSpec {
  /** Name used in contest files (`similarity.measure`, objectives) and in score.json. */
  readonly name: string;
  /** The bench file's per-sample field (default: the name). */
  readonly field: string;
  /** Short human label for tables. */
  readonly title: string;
  /** Unit appended to values ('' when dimensionless). */
  readonly unit: string;
  readonly direction: Direction;
  /** The value of a perfect result, or null when there is none (a count). */
  readonly perfect: number | null;
  readonly scope: 'per-sample' | 'static';
  /** What the measure compares a model's outputs with. */
  readonly against: 'baseline' | 'labels' | 'ground-truth' | 'graph';
  /** How the contest's threshold reads for this measure; null: it cannot be a threshold. */
  readonly threshold: 'per-sample-minimum' | 'fraction-of-baseline' | null;
  /** How the interval of the aggregate is computed. */
  readonly interval: 'none' | 'wilson' | 'student-t';
  readonly description: string;
}

/** Every measure, in the order documents and docs list them. */
export const MEASURES = [
  {
    name: 'psnr',
    field: 'psnr',
    title: 'PSNR',
    unit: 'dB',
    direction: 'max',
    perfect: 100,
    scope: 'per-sample',
    against: 'baseline',
    threshold: 'per-sample-minimum',
    interval: 'none',
    description:
      "peak signal-to-noise ratio of the 8-bit image against the baseline's, over all channels, capped at 100 dB",
  },
  {
    name: 'ssim',
    field: 'ssim',
    title: 'SSIM',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'baseline',
    threshold: 'per-sample-minimum',
    interval: 'none',
    description:
      "mean SSIM on luma (11×11 Gaussian window, σ 1.5) of the 8-bit image against the baseline's",
  },
  {
    name: 'cosine',
    field: 'cosine',
    title: 'cosine',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'baseline',
    threshold: 'per-sample-minimum',
    interval: 'none',
    description: "cosine similarity of the raw output tensor with the baseline's",
  },
  {
    name: 'maxAbsError',
    field: 'maxAbsError',
    title: 'max |error|',
    unit: '',
    direction: 'min',
    perfect: 0,
    scope: 'per-sample',
    against: 'baseline',
    threshold: null,
    interval: 'none',
    description: "largest absolute difference from the baseline's raw output (recorded only)",
  },
  {
    name: 'top1',
    field: 'top1Agreement',
    title: 'top-1 agreement',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'baseline',
    threshold: 'per-sample-minimum',
    interval: 'none',
    description: "share of rows whose arg-max class equals the baseline's",
  },
  {
    name: 'accuracy',
    field: 'accuracy',
    title: 'accuracy',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'labels',
    threshold: 'fraction-of-baseline',
    interval: 'wilson',
    description:
      'share of samples whose arg-max class equals the label (1 or 0 per sample); the threshold is a fraction of the baseline accuracy on the same inputs',
  },
  {
    name: 'psnrTruth',
    field: 'psnrTruth',
    title: 'PSNR vs truth',
    unit: 'dB',
    direction: 'max',
    perfect: 100,
    scope: 'per-sample',
    against: 'ground-truth',
    threshold: 'fraction-of-baseline',
    interval: 'student-t',
    description:
      "PSNR of the 8-bit output against the ground-truth image the input was downscaled from, over all channels, capped at 100 dB; the threshold is a fraction of the baseline's mean on the same inputs",
  },
  {
    name: 'ssimTruth',
    field: 'ssimTruth',
    title: 'SSIM vs truth',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'ground-truth',
    threshold: 'fraction-of-baseline',
    interval: 'student-t',
    description:
      "mean SSIM on luma (11×11 Gaussian window, σ 1.5) of the 8-bit output against the ground-truth image; the threshold is a fraction of the baseline's mean",
  },
  {
    name: 'pipelineSimilarity',
    field: 'pipelineSimilarity',
    title: 'similarity',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'baseline',
    threshold: 'per-sample-minimum',
    interval: 'none',
    description:
      "pipelines: the contest's weighted sum of the generated image's SSIM against the baseline's image for the same prompt and noise and the cosine of the classifier's class probabilities for the two images (EdgeMaxxing: 0.65 × SSIM + 0.35 × CLIP cosine)",
  },
  {
    name: 'promptAgreement',
    field: 'promptAgreement',
    title: 'prompt agreement',
    unit: '',
    direction: 'max',
    perfect: 1,
    scope: 'per-sample',
    against: 'labels',
    threshold: 'fraction-of-baseline',
    interval: 'wilson',
    description:
      "pipelines: 1 when the contest's classifier reads the generated image as its prompt, else 0; the threshold is a fraction of the baseline's agreement on the same prompts and noise",
  },
  {
    name: 'parameters',
    field: 'parameters',
    title: 'params',
    unit: '',
    direction: 'min',
    perfect: null,
    scope: 'static',
    against: 'graph',
    threshold: null,
    interval: 'none',
    description: 'elements of every stored tensor (initializers and Constant values)',
  },
  {
    name: 'flops',
    field: 'flops',
    title: 'FLOPs',
    unit: '',
    direction: 'min',
    perfect: null,
    scope: 'static',
    against: 'graph',
    threshold: null,
    interval: 'none',
    description:
      'floating-point operations of one inference, counted from the graph (docs/cost-counting.md)',
  },
] as const satisfies readonly MeasureSpec[];

/** A measure's name. */
export type MeasureName = (typeof MEASURES)[number]['name'];

/** Names of every measure a contest may use as its fidelity threshold. */
export const THRESHOLD_MEASURES = MEASURES.filter((m) => m.threshold !== null).map(
  (m) => m.name,
) as unknown as readonly [ThresholdMeasure, ...ThresholdMeasure[]];
export type ThresholdMeasure = Exclude<(typeof MEASURES)[number], { threshold: null }>['name'];

/** Per-sample fields of the bench file, in table order. */
export const PER_SAMPLE_FIELDS = MEASURES.filter((m) => m.scope === 'per-sample').map(
  (m) => m.field,
);

/** Static measures (counted from the graph). */
export const STATIC_MEASURES = MEASURES.filter((m) => m.scope === 'static').map((m) => m.name);

/** Returns the spec of measure `name`; throws RangeError for an unknown name (a bug). */
export function measureSpec(name: string): MeasureSpec {
  const m = MEASURES.find((x) => x.name === name);
  if (!m) throw new RangeError(`unknown measure ${name}`);
  return m;
}

/** Formats a value of measure `name` with its unit ("28.4 dB", "98.25 %"). */
export function formatMeasure(name: string, value: number, digits = 2): string {
  const m = measureSpec(name);
  if (m.name === 'accuracy') return `${(100 * value).toFixed(digits)} %`;
  if (m.scope === 'static') return compactCount(value);
  return `${value.toFixed(digits)}${m.unit ? ` ${m.unit}` : ''}`;
}

/** 1234 → "1.23 k", 4_500_000 → "4.50 M": counts as a reader takes them in. */
export function compactCount(n: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units)
    if (Math.abs(n) >= size) return `${(n / size).toFixed(2)} ${suffix}`;
  return String(n);
}
