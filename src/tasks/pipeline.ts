/**
 * generation-pipeline: a submission is an archive of several graphs (roles) that a TypeScript
 * driver runs inside the isolated child — for `latent-ddim`: encode the prompt, run the
 * denoiser for the manifest's number of DDIM steps, decode (src/pipeline/driver.ts). Each
 * sample is a prompt and an initial noise drawn from the round seed; the output is the image.
 * Fidelity per sample: the contest's weighted sum of SSIM against the baseline's image for the
 * same prompt and noise and the cosine of an independent classifier's class probabilities for
 * the two images (EdgeMaxxing's 0.65 × SSIM + 0.35 × CLIP with mnist-cnn standing in for CLIP),
 * and, over the round, the share of images the classifier reads as their prompt must reach a
 * fraction of the baseline's share (docs/pipelines.md, ADR 0184).
 */
import type { Contest } from '../contest/load.js';
import type { Problem } from '../json/errors.js';
import { ssim, type Image8 } from './compare.js';
import type { Sample, SampleValues, Task } from './types.js';
import type { WireTensor } from '../bench/child/protocol.js';
import type * as InspectModule from '../pipeline/inspect.js';
import type * as ClassifierModule from '../pipeline/classifier.js';

/** The name of the tensor `annotate` adds to each sample's outputs: the classifier's scores. */
export const CLASSIFIER_OUTPUT = 'podium.classifier';

const LATENT_DDIM_ROLES = ['encoder', 'denoiser', 'decoder'];

/**
 * The runner-side modules of this task (archive inspection, the classifier run in the parent):
 * they reach measuring code (src/bench), so they are named by variable: a bundle of the pure
 * task table (scoring, the browser verifier: test/layering.test.ts) leaves them out, and only a
 * runner, which calls `inspect` and `annotate`, ever loads them.
 */
const RUNNER_SIDE = {
  inspect: '../pipeline/inspect.js',
  classifier: '../pipeline/classifier.js',
} as const;

export const generationPipeline: Task = {
  id: 'generation-pipeline',
  title: 'Generation pipelines timed end to end',
  summary:
    'A submission is one archive of several graphs (roles) and a manifest of knobs; a TypeScript driver runs them in the isolated child for each prompt and initial noise drawn from the round seed. ' +
    "Each image is compared with the baseline's for the same prompt and noise (SSIM and the cosine of an independent classifier's scores, weighted), and the share read as its prompt must reach a fraction of the baseline's.",
  measures: ['pipelineSimilarity', 'promptAgreement', 'ssim'],
  judgesBaseline: true,
  check: pipelineRules,
  async drawInputs(loaded, seed) {
    const { drawPipelineInputs } = await import('../pipeline/prompts.js');
    const c = loaded.contest;
    const prompts = c.inputs.source.type === 'prompts' ? c.inputs.source.prompts : [];
    const [promptSig, noiseSig] = c.baseline.io.inputs;
    const latent = Number(noiseSig!.shape.at(-1));
    return drawPipelineInputs(seed, c.inputs.samplesPerRound, prompts.length, latent).map(
      (x, index): Sample => ({
        index,
        source: `prompt "${prompts[x.prompt]}"`,
        left: 0,
        top: 0,
        label: x.prompt,
        feeds: [
          { name: promptSig!.name, type: 'float32', dims: [1, prompts.length], data: x.onehot },
          { name: noiseSig!.name, type: 'float32', dims: [1, latent], data: x.noise },
        ],
      }),
    );
  },
  async inspect(path, contest) {
    const { inspectPipeline } = (await import(RUNNER_SIDE.inspect)) as typeof InspectModule;
    return inspectPipeline(path, contest);
  },
  async annotate(loaded, outputs) {
    const { classifierFor } = (await import(RUNNER_SIDE.classifier)) as typeof ClassifierModule;
    const classifier = await classifierFor(loaded);
    const name = loaded.contest.baseline.io.outputs[0]!.name;
    const side = loaded.contest.pipeline!.imageSide;
    const images = outputs.map((o) => imageOf(o, name).data as Float32Array);
    const scores = await classifier.classify(images, side);
    return outputs.map((o, i) => [
      ...o,
      { name: CLASSIFIER_OUTPUT, type: 'float32', dims: [1, scores[i]!.length], data: scores[i]! },
    ]);
  },
  floors: (c) => [
    { measure: 'promptAgreement', threshold: c.pipeline?.fidelity.promptAgreement ?? 1 },
  ],
  judge({ contest, samples, baseline, outputs }): SampleValues[] {
    const f = contest.pipeline!.fidelity;
    const name = contest.baseline.io.outputs[0]!.name;
    const side = contest.pipeline!.imageSide;
    return outputs.map((o, i) => {
      const s = ssim(
        image8(imageOf(baseline[i] ?? [], name), side),
        image8(imageOf(o, name), side),
      );
      const mine = imageOf(o, CLASSIFIER_OUTPUT).data;
      const theirs = imageOf(baseline[i] ?? [], CLASSIFIER_OUTPUT).data;
      const cos = cosine(mine, theirs);
      const label = samples[i]?.label;
      if (label === null || label === undefined) throw new Error(`input ${i} has no prompt`);
      return {
        pipelineSimilarity: round6(f.ssimWeight * s + f.semanticWeight * cos),
        promptAgreement: argmax(mine) === label ? 1 : 0,
        ssim: round6(s),
      };
    });
  },
};

function imageOf(outputs: readonly WireTensor[], name: string): WireTensor {
  const t = outputs.find((x) => x.name === name);
  if (!t) throw new Error(`output ${name} is missing`);
  return t;
}

/** The [1, side, side, 1] image in 0..1 as 8 bits. */
function image8(t: WireTensor, side: number): Image8 {
  if (t.data.length !== side * side) {
    throw new Error(`output ${t.name} has shape [${t.dims}], expected [1, ${side}, ${side}, 1]`);
  }
  const data = new Uint8Array(side * side);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.min(255, Math.max(0, Math.round(Number(t.data[i]) * 255)));
  }
  return { width: side, height: side, channels: 1, data };
}

function cosine(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

function argmax(v: ArrayLike<number | bigint>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Number(v[i]) > Number(v[best])) best = i;
  return best;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function problem(pointer: string, message: string, value?: unknown): Problem {
  return { pointer, rule: 'task-pipeline', message, ...(value !== undefined ? { value } : {}) };
}

/** The contest rules of a pipeline contest the schema cannot express. */
function pipelineRules(c: Contest): Problem[] {
  const p = c.pipeline;
  if (!p) return [problem('/pipeline', `is required for task ${c.task}`)];
  const problems: Problem[] = [];
  const roles = p.roles.map((r) => r.role);
  if (new Set(roles).size !== roles.length)
    problems.push(problem('/pipeline/roles', 'names a role twice', roles));
  if (c.inputs.source.type !== 'prompts') {
    problems.push(
      problem('/inputs/source/type', `must be "prompts" for task ${c.task}`, c.inputs.source.type),
    );
  }
  const w = p.fidelity.ssimWeight + p.fidelity.semanticWeight;
  if (Math.abs(w - 1) > 1e-9) {
    problems.push(problem('/pipeline/fidelity', 'ssimWeight + semanticWeight must be 1', w));
  }
  if (c.scoring.similarity.measure !== 'pipelineSimilarity') {
    problems.push(
      problem(
        '/scoring/similarity/measure',
        `must be "pipelineSimilarity" for task ${c.task}`,
        c.scoring.similarity.measure,
      ),
    );
  }
  for (const [i, k] of p.knobs.entries()) {
    if (k.type === 'integer' && !(k.minimum <= k.baseline && k.baseline <= k.maximum)) {
      problems.push(problem(`/pipeline/knobs/${i}`, `baseline must lie in [minimum, maximum]`, k));
    }
    if (k.type === 'choice' && !k.values.includes(k.baseline)) {
      problems.push(problem(`/pipeline/knobs/${i}/baseline`, 'must be one of values', k.baseline));
    }
  }
  if (p.driver !== 'latent-ddim') return problems;
  if (roles.join() !== LATENT_DDIM_ROLES.join()) {
    problems.push(
      problem(
        '/pipeline/roles',
        `must be ${LATENT_DDIM_ROLES.join(', ')} for driver latent-ddim`,
        roles,
      ),
    );
  }
  if (!p.knobs.some((k) => k.name === 'steps' && k.type === 'integer')) {
    problems.push(
      problem('/pipeline/knobs', 'must declare the integer knob "steps" for driver latent-ddim'),
    );
  }
  const prompts = c.inputs.source.type === 'prompts' ? c.inputs.source.prompts.length : 0;
  const ins = c.baseline.io.inputs;
  const outs = c.baseline.io.outputs;
  const side = p.imageSide;
  if (ins.length !== 2 || ins[0]!.shape.join() !== `1,${prompts}` || ins[1]!.shape.length !== 2) {
    problems.push(
      problem(
        '/baseline/io/inputs',
        `must be the one-hot prompt [1, ${prompts}] then the noise [1, latent]`,
        ins.map((s) => s.shape),
      ),
    );
  }
  if (outs.length !== 1 || outs[0]!.shape.join() !== `1,${side},${side},1`) {
    problems.push(
      problem(
        '/baseline/io/outputs',
        `must be one image [1, ${side}, ${side}, 1]`,
        outs.map((s) => s.shape),
      ),
    );
  }
  return problems;
}
