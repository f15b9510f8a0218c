/**
 * The digits pipeline's three graphs from plain MLP weights: the label encoder (one-hot prompt
 * → condition vector), the denoiser (latent, condition, timestep embedding → predicted noise)
 * and the decoder (latent → 784 pixels in 0..1). Each is MatMul/Add/activation nodes written
 * with src/models/onnx.ts, so the bytes depend only on the weights and the options.
 */
import { toHalfBits } from '../models/half.js';
import {
  floatTensor,
  floatValueInfo,
  graph,
  halfTensor,
  model,
  node,
  serialize,
  DataType,
  type NodeProto,
  type TensorProto,
} from '../models/onnx.js';

/** One dense layer: y = act(x · w + b), `w` row-major [inputs, units]. */
export interface DenseWeights {
  readonly inputs: number;
  readonly units: number;
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly act: 'relu' | 'sigmoid' | 'linear';
}

/** The trained weights of the three roles. */
export interface DigitsWeights {
  readonly encoder: readonly DenseWeights[];
  readonly denoiser: readonly DenseWeights[];
  readonly decoder: readonly DenseWeights[];
}

/** Shapes of the digits pipeline (the contest's role IO). */
export const DIGITS = { classes: 10, cond: 32, latent: 16, time: 16, pixels: 784 } as const;

/** How a graph's weights are stored. */
export interface GraphOptions {
  /** float16: FLOAT16 initializers, each followed by a Cast to float32 */
  readonly weights: 'float32' | 'float16';
}

const OPSET = 17;
const IR_VERSION = 8;

function dense(
  layers: readonly DenseWeights[],
  input: string,
  output: string,
  prefix: string,
  options: GraphOptions,
): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const weight = (name: string, dims: number[], values: Float32Array): string => {
    if (options.weights === 'float32') {
      initializers.push(floatTensor(name, dims, values));
      return name;
    }
    initializers.push(halfTensor(`${name}_f16`, dims, Uint16Array.from(values, toHalfBits)));
    nodes.push(node('Cast', `${name}_cast`, [`${name}_f16`], [name], { to: DataType.FLOAT }));
    return name;
  };
  let x = input;
  layers.forEach((l, i) => {
    const p = `${prefix}${i}`;
    const w = weight(`${p}_w`, [l.inputs, l.units], l.w);
    const b = weight(`${p}_b`, [l.units], l.b);
    const last = i === layers.length - 1;
    const mm = `${p}_mm`;
    const sum = l.act === 'linear' && last ? output : `${p}_sum`;
    nodes.push(node('MatMul', `${p}_matmul`, [x, w], [mm]));
    nodes.push(node('Add', `${p}_add`, [mm, b], [sum]));
    x = sum;
    if (l.act !== 'linear') {
      const out = last ? output : `${p}_act`;
      nodes.push(node(l.act === 'relu' ? 'Relu' : 'Sigmoid', `${p}_${l.act}`, [sum], [out]));
      x = out;
    }
  });
  return { nodes, initializers };
}

function wrap(
  name: string,
  parts: { nodes: NodeProto[]; initializers: TensorProto[] },
  inputs: [string, number][],
  outputs: [string, number][],
): Uint8Array {
  const g = graph({
    name,
    node: parts.nodes,
    initializer: parts.initializers,
    input: inputs.map(([n, w]) => floatValueInfo(n, [1, w])),
    output: outputs.map(([n, w]) => floatValueInfo(n, [1, w])),
  });
  return serialize(
    model(g, {
      irVersion: IR_VERSION,
      opsets: [{ domain: '', version: OPSET }],
      producerName: 'podium',
      producerVersion: '1',
      docString: `podium digits pipeline: ${name}`,
      metadata: {},
    }),
  );
}

/** The label encoder: `prompt` [1,10] one-hot → `cond` [1,32]. */
export function encoderGraph(w: DigitsWeights, options: GraphOptions): Uint8Array {
  return wrap(
    'encoder',
    dense(w.encoder, 'prompt', 'cond', 'enc', options),
    [['prompt', DIGITS.classes]],
    [['cond', DIGITS.cond]],
  );
}

/** The denoiser: `latent` [1,16], `cond` [1,32], `time` [1,16] → `eps` [1,16]. */
export function denoiserGraph(w: DigitsWeights, options: GraphOptions): Uint8Array {
  const body = dense(w.denoiser, 'features', 'eps', 'den', options);
  body.nodes.unshift(
    node('Concat', 'den_concat', ['latent', 'cond', 'time'], ['features'], { axis: 1 }),
  );
  return wrap(
    'denoiser',
    body,
    [
      ['latent', DIGITS.latent],
      ['cond', DIGITS.cond],
      ['time', DIGITS.time],
    ],
    [['eps', DIGITS.latent]],
  );
}

/** The decoder: `latent` [1,16] → `pixels` [1,784] in 0..1. */
export function decoderGraph(w: DigitsWeights, options: GraphOptions): Uint8Array {
  return wrap(
    'decoder',
    dense(w.decoder, 'latent', 'pixels', 'dec', options),
    [['latent', DIGITS.latent]],
    [['pixels', DIGITS.pixels]],
  );
}
