/**
 * Judging a model's kept outputs against the baseline's: non-finite values, then the contest's
 * similarity measure on every sample, the worst sample named. Pure functions.
 */
import type { Contest } from '../contest/load.js';
import type { WireTensor } from './child/protocol.js';
import { ModelRejection } from './errors.js';
import { compareSample, firstNonFinite, type OutputKind } from './fidelity.js';
import type { Sample } from './inputs.js';
import type { BenchDocument } from '../documents/bench.js';

/** The fidelity block of a bench file. */
export type Fidelity = NonNullable<BenchDocument['fidelity']>;

/** A human name for sample `i`: "input 3 (clouds.png at 12,40)". */
export function sampleName(samples: readonly Sample[], i: number): string {
  const s = samples[i];
  return s?.source ? `input ${i} (${s.source} at ${s.left},${s.top})` : `input ${i}`;
}

/** How the contest's outputs are read. */
export function outputKind(contest: Contest): OutputKind {
  if (contest.task === 'image-super-resolution') {
    return { kind: 'image', layout: contest.inputs.layout, valueScale: contest.inputs.valueScale };
  }
  return { kind: 'tensor', top1: contest.task === 'image-classification' };
}

/** The rejection for the first NaN/Infinity in `outputs`, or null when all are finite. */
export function nonFinite(
  outputs: readonly (readonly WireTensor[])[],
  samples: readonly Sample[],
): ModelRejection | null {
  for (let i = 0; i < outputs.length; i++) {
    for (const t of outputs[i] ?? []) {
      const at = firstNonFinite(t);
      if (at >= 0) {
        return new ModelRejection(
          'non-finite-output',
          `${sampleName(samples, i)}: output ${t.name} holds NaN or Infinity (element ${at})`,
        );
      }
    }
  }
  return null;
}

/**
 * Compares a submission's outputs with the baseline's, sample by sample, on the contest's
 * measure. Returns the fidelity record and, when any sample is below the threshold (or an
 * output is missing or misshapen), the rejection naming the worst sample.
 */
export function judgeFidelity(
  contest: Contest,
  base: readonly (readonly WireTensor[])[],
  sub: readonly (readonly WireTensor[])[],
  samples: readonly Sample[],
): { fidelity: Fidelity | null; rejection: ModelRejection | null } {
  const { measure, threshold } = contest.scoring.similarity;
  const how = outputKind(contest);
  const perSample: Fidelity['perSample'] = [];
  try {
    base.forEach((b, i) => perSample.push({ input: i, ...compareSample(b, sub[i] ?? [], how) }));
  } catch (err) {
    const rejection = new ModelRejection('output-mismatch', (err as Error).message);
    return { fidelity: null, rejection };
  }
  const key = measure === 'top1' ? 'top1Agreement' : measure;
  let worst = { input: 0, value: Infinity };
  for (const p of perSample) {
    const value = p[key];
    if (value === null) {
      const rejection = new ModelRejection(
        'fidelity',
        `measure ${measure} does not apply to this contest's outputs`,
      );
      return { fidelity: null, rejection };
    }
    if (value < worst.value) worst = { input: p.input, value };
  }
  const passed = worst.value >= threshold;
  const fidelity: Fidelity = { measure, threshold, perSample, worst, passed };
  const unit = measure === 'psnr' ? ' dB' : '';
  const rejection = passed
    ? null
    : new ModelRejection(
        'fidelity',
        `${sampleName(samples, worst.input)}: ${measure} ${worst.value}${unit} is below the ` +
          `threshold ${threshold}${unit}`,
      );
  return { fidelity, rejection };
}
