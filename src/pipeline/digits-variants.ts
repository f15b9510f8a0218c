/**
 * The digits pipeline part of the model catalogue: the baseline archive (the pinned fixture's
 * three graphs and a manifest at BASELINE_STEPS) and the demo's submissions, each with the
 * outcome the pipeline contest tests — fewer steps, an fp16 denoiser, a broken graph in one
 * role, a member escaping the folder, a member over the size cap. Pure functions of the
 * fixture bytes; archives are deterministic ustar (tar-write.ts).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { schemaId } from '../schemas/builders.js';
import { denoiserGraph, type DenseWeights, type DigitsWeights } from './digits-graphs.js';
import { BASELINE_STEPS, DIGITS_FILES } from './digits-fixture.js';
import type { DriverRole } from './driver.js';
import { MANIFEST } from './manifest.js';
import { tarFiles } from './tar-write.js';

/** The catalogue names of the digits pipeline archives, baseline first. */
export const DIGITS_MODEL_NAMES = [
  'digits-pipeline',
  'digits-pipeline-fewer-steps',
  'digits-pipeline-fp16',
  'digits-pipeline-broken-decoder',
  'digits-pipeline-escape',
  'digits-pipeline-oversized',
] as const;
export type DigitsModelName = (typeof DIGITS_MODEL_NAMES)[number];

/** DDIM steps of the fewer-steps submission. */
export const FEWER_STEPS = 8;
/** Share of the decoder's bytes the broken submission keeps. */
export const BROKEN_FRACTION = 0.5;
/** Size of the oversized submission's extra member: one byte over the demo contest's cap. */
export const OVERSIZED_BYTES = 1_048_577;

type Graphs = Readonly<Record<DriverRole, Uint8Array>>;

/** One archive of the catalogue. */
export interface DigitsRecipe {
  readonly name: DigitsModelName;
  readonly role: 'baseline' | 'faster' | 'fp16' | 'corrupt' | 'unsafe-archive';
  readonly description: string;
  build(graphs: Graphs): Uint8Array;
}

function manifest(
  steps: number,
  files: Readonly<Record<DriverRole, string>> = DIGITS_FILES,
): Uint8Array {
  const doc = {
    $schema: schemaId('pipeline-manifest'),
    version: 1,
    graphs: (['encoder', 'denoiser', 'decoder'] as const).map((role) => ({
      role,
      file: files[role],
    })),
    knobs: { steps },
  };
  return new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
}

function archive(graphs: Graphs, steps: number, extra: [string, Uint8Array][] = []): Uint8Array {
  return tarFiles([
    [MANIFEST, manifest(steps)],
    ...(Object.entries(DIGITS_FILES) as [DriverRole, string][]).map(
      ([role, file]) => [file, graphs[role]] as const,
    ),
    ...extra,
  ]);
}

/** The dense layers of a graph written by digits-graphs.ts, read back from its initializers. */
export function denseLayers(
  bytes: Uint8Array,
  prefix: string,
  acts: readonly DenseWeights['act'][],
): DenseWeights[] {
  const init = new Map(
    fromBinary(ModelProtoSchema, bytes).graph!.initializer.map((t) => [t.name, t]),
  );
  const floats = (name: string) => {
    const t = init.get(name);
    if (!t) throw new Error(`graph has no initializer ${name}`);
    const raw = t.rawData;
    return {
      dims: t.dims.map(Number),
      data: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)),
    };
  };
  return acts.map((act, i) => {
    const w = floats(`${prefix}${i}_w`);
    return {
      inputs: w.dims[0]!,
      units: w.dims[1]!,
      w: w.data,
      b: floats(`${prefix}${i}_b`).data,
      act,
    };
  });
}

function fp16Denoiser(graphs: Graphs): Uint8Array {
  const weights: DigitsWeights = {
    encoder: [],
    denoiser: denseLayers(graphs.denoiser, 'den', ['relu', 'relu', 'linear']),
    decoder: [],
  };
  return denoiserGraph(weights, { weights: 'float16' });
}

const BASE = `the digits pipeline fixture (fixtures/models/digits-pipeline/, scripts/train-digits-pipeline.ts)`;

/** Every digits archive, baseline first. */
export const DIGITS_RECIPES: readonly DigitsRecipe[] = [
  {
    name: 'digits-pipeline',
    role: 'baseline',
    description: `${BASE}: label encoder, MLP denoiser and decoder in one archive with a manifest at ${BASELINE_STEPS} DDIM steps; the pipeline contest's baseline`,
    build: (g) => archive(g, BASELINE_STEPS),
  },
  {
    name: 'digits-pipeline-fewer-steps',
    role: 'faster',
    description: `the baseline's graphs at ${FEWER_STEPS} DDIM steps instead of ${BASELINE_STEPS}: faster; whether it passes is decided by fidelity`,
    build: (g) => archive(g, FEWER_STEPS),
  },
  {
    name: 'digits-pipeline-fp16',
    role: 'fp16',
    description:
      'the baseline with its denoiser weights stored as float16 (Cast to float32 in the graph): faithful, about the baseline speed',
    build: (g) => archive({ ...g, denoiser: fp16Denoiser(g) }, BASELINE_STEPS),
  },
  {
    name: 'digits-pipeline-broken-decoder',
    role: 'corrupt',
    description: `the baseline with its decoder graph cut to ${BROKEN_FRACTION * 100} % of its bytes: refused at inspection, role decoder named`,
    build: (g) =>
      archive(
        { ...g, decoder: g.decoder.slice(0, Math.floor(g.decoder.length * BROKEN_FRACTION)) },
        BASELINE_STEPS,
      ),
  },
  {
    name: 'digits-pipeline-escape',
    role: 'unsafe-archive',
    description:
      'the baseline archive plus a member named "../escape.onnx": refused before anything is written out',
    build: (g) => archive(g, BASELINE_STEPS, [['../escape.onnx', g.decoder]]),
  },
  {
    name: 'digits-pipeline-oversized',
    role: 'unsafe-archive',
    description: `the baseline archive plus a ${OVERSIZED_BYTES}-byte member, over the demo contest's per-member cap: refused before it is read`,
    build: (g) => archive(g, BASELINE_STEPS, [['padding.bin', new Uint8Array(OVERSIZED_BYTES)]]),
  },
];
