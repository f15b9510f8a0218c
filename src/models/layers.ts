/**
 * Reading a TF.js "layers-model" (model.json + weight shards) into a small, checked graph of the
 * layers the ESRGAN/RDN super-resolution models and podium's MNIST CNNs use. Anything outside
 * that subset is refused with a ModelSourceError naming the layer and the unsupported setting,
 * never guessed at.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelSourceError } from './errors.js';

/** One float32 weight tensor, as stored by TF.js (row-major, TF layout). */
export interface Weight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The layers the converter understands; every one names its inputs by layer name. */
export type Layer =
  | {
      readonly kind: 'input';
      readonly name: string;
      readonly channels: number;
      /** [height, width] when the source fixes them, else null (any size) */
      readonly size?: readonly [number, number] | null;
    }
  | {
      readonly kind: 'conv';
      readonly name: string;
      readonly input: string;
      readonly kernel: Weight;
      readonly bias: Weight | null;
      readonly padding: 'same' | 'valid';
      readonly relu: boolean;
    }
  | { readonly kind: 'relu'; readonly name: string; readonly input: string }
  | { readonly kind: 'concat'; readonly name: string; readonly inputs: readonly string[] }
  | { readonly kind: 'add'; readonly name: string; readonly inputs: readonly string[] }
  | { readonly kind: 'upsample'; readonly name: string; readonly input: string; readonly size: 2 }
  /** MaxPooling2D 2×2, stride 2, "valid" */
  | { readonly kind: 'pool'; readonly name: string; readonly input: string }
  /** Flatten of an NHWC tensor in NHWC order */
  | { readonly kind: 'flatten'; readonly name: string; readonly input: string }
  | {
      readonly kind: 'dense';
      readonly name: string;
      readonly input: string;
      /** [in, out] */
      readonly kernel: Weight;
      readonly bias: Weight | null;
      readonly activation: 'linear' | 'relu' | 'softmax';
    };

/** A parsed layers model: layers in topological order, its single input and output. */
export interface LayersModel {
  readonly file: string;
  readonly layers: readonly Layer[];
  readonly input: string;
  readonly output: string;
  /** Every weight, in manifest order (the order of the bytes in the shards). */
  readonly weights: readonly Weight[];
}

interface RawLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown>;
  inbound_nodes?: unknown;
}

interface RawModel {
  format?: string;
  modelTopology?: {
    model_config?: {
      class_name?: string;
      config?: { layers?: RawLayer[]; input_layers?: unknown; output_layers?: unknown };
    };
  };
  weightsManifest?: {
    paths: string[];
    weights: { name: string; shape: number[]; dtype: string }[];
  }[];
}

/**
 * Reads `model.json` and its weight shards. Returns the checked graph; throws ModelSourceError
 * when the file is not a functional layers model of the supported layers, or the shards do not
 * hold exactly the bytes the manifest describes.
 */
export async function readLayersModel(file: string): Promise<LayersModel> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as RawModel;
  const config = raw.modelTopology?.model_config;
  // keras writes "Functional", TF.js' own tf.model() "Model": the same functional format
  const functional = config?.class_name === 'Functional' || config?.class_name === 'Model';
  if (raw.format !== 'layers-model' || !functional || !config.config) {
    throw new ModelSourceError(file, 'is not a TF.js functional layers-model');
  }
  const weights = await readWeights(file, raw);
  const byName = new Map(weights.map((w) => [w.name, w]));
  const layers = (config.config.layers ?? []).map((l) => toLayer(file, l, byName));
  return {
    file,
    layers,
    input: singleEndpoint(file, config.config.input_layers, 'input_layers'),
    output: singleEndpoint(file, config.config.output_layers, 'output_layers'),
    weights,
  };
}

async function readWeights(file: string, raw: RawModel): Promise<Weight[]> {
  const weights: Weight[] = [];
  for (const group of raw.weightsManifest ?? []) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(dirname(file), p))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32') {
        throw new ModelSourceError(
          file,
          `weight ${spec.name} has dtype ${spec.dtype}, not float32`,
        );
      }
      const count = spec.shape.reduce((a, b) => a * b, 1);
      if (offset + count * 4 > bytes.length) {
        throw new ModelSourceError(file, `weight ${spec.name} runs past the end of its shards`);
      }
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = bytes.readFloatLE(offset + i * 4);
      weights.push({ name: spec.name, shape: [...spec.shape], values });
      offset += count * 4;
    }
    if (offset !== bytes.length) {
      throw new ModelSourceError(file, `shards hold ${bytes.length} bytes, manifest ${offset}`);
    }
  }
  return weights;
}

function singleEndpoint(file: string, value: unknown, field: string): string {
  const list = value as [string, number, number][] | undefined;
  const only = list?.length === 1 ? list[0] : undefined;
  if (!only || only[1] !== 0 || only[2] !== 0) {
    throw new ModelSourceError(file, `${field} must name exactly one layer output`);
  }
  return only[0];
}

function inboundNames(file: string, layer: RawLayer): string[] {
  const nodes = layer.inbound_nodes as [string, number, number, unknown][][] | undefined;
  if (!nodes || nodes.length !== 1 || !nodes[0]) {
    throw new ModelSourceError(file, `layer ${layer.config.name} must be called exactly once`);
  }
  return nodes[0].map(([name, node, tensor]) => {
    if (node !== 0 || tensor !== 0) {
      throw new ModelSourceError(file, `layer ${layer.config.name}: shared layers unsupported`);
    }
    return name;
  });
}

function toLayer(file: string, raw: RawLayer, weights: Map<string, Weight>): Layer {
  const c = raw.config;
  const name = String(c.name);
  const refuse = (why: string): never => {
    throw new ModelSourceError(file, `layer ${name} (${raw.class_name}): ${why}`);
  };
  const one = (): string => {
    const inputs = inboundNames(file, raw);
    return inputs.length === 1 && inputs[0] !== undefined ? inputs[0] : refuse('needs one input');
  };
  switch (raw.class_name) {
    case 'InputLayer': {
      const shape = c.batch_input_shape as (number | null)[];
      const [, h, w, channels] = shape;
      if (shape.length !== 4 || typeof channels !== 'number') refuse('input must be NHWC');
      const size = typeof h === 'number' && typeof w === 'number' ? ([h, w] as const) : null;
      return { kind: 'input', name, channels: channels as number, size };
    }
    case 'Conv2D':
      return toConv(name, c, one(), weights, refuse);
    case 'Activation':
      if (c.activation !== 'relu') refuse(`activation ${String(c.activation)}`);
      return { kind: 'relu', name, input: one() };
    case 'Concatenate':
      if (c.axis !== 3 && c.axis !== -1) refuse(`concat axis ${String(c.axis)}`);
      return { kind: 'concat', name, inputs: inboundNames(file, raw) };
    case 'Add':
      return { kind: 'add', name, inputs: inboundNames(file, raw) };
    case 'UpSampling2D': {
      const size = c.size as number[];
      if (size[0] !== 2 || size[1] !== 2 || c.interpolation !== 'nearest') {
        refuse(`only size [2,2] nearest is supported`);
      }
      if (c.data_format !== 'channels_last') refuse('data_format must be channels_last');
      return { kind: 'upsample', name, input: one(), size: 2 };
    }
    case 'MaxPooling2D':
      return toPool(name, c, one(), refuse);
    case 'Flatten':
      if (c.data_format !== undefined && c.data_format !== 'channels_last')
        refuse('data_format must be channels_last');
      return { kind: 'flatten', name, input: one() };
    case 'Dense':
      return toDense(name, c, one(), weights, refuse);
    default:
      return refuse('unsupported layer class');
  }
}

function toPool(
  name: string,
  c: Record<string, unknown>,
  input: string,
  refuse: (why: string) => never,
): Layer {
  const twos = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((x) => x === 2);
  if (!twos(c.pool_size) || (c.strides !== null && !twos(c.strides)))
    refuse('only pool_size [2,2] with strides [2,2] is supported');
  if (c.padding !== 'valid') refuse(`padding ${String(c.padding)}`);
  if (c.data_format !== 'channels_last') refuse('data_format must be channels_last');
  return { kind: 'pool', name, input };
}

function toDense(
  name: string,
  c: Record<string, unknown>,
  input: string,
  weights: Map<string, Weight>,
  refuse: (why: string) => never,
): Layer {
  const activation = c.activation;
  if (activation !== 'linear' && activation !== 'relu' && activation !== 'softmax')
    refuse(`activation ${String(activation)}`);
  const kernel = weights.get(`${name}/kernel`) ?? refuse('kernel weight missing');
  if (kernel.shape.length !== 2 || kernel.shape[1] !== c.units) refuse('kernel not [in, units]');
  const bias = c.use_bias === true ? (weights.get(`${name}/bias`) ?? refuse('bias missing')) : null;
  return {
    kind: 'dense',
    name,
    input,
    kernel,
    bias,
    activation: activation as 'linear' | 'relu' | 'softmax',
  };
}

function toConv(
  name: string,
  c: Record<string, unknown>,
  input: string,
  weights: Map<string, Weight>,
  refuse: (why: string) => never,
): Layer {
  const ones = (v: unknown) => Array.isArray(v) && v.every((x) => x === 1);
  if (!ones(c.strides) || !ones(c.dilation_rate)) refuse('strides and dilation must be 1');
  if (c.groups !== undefined && c.groups !== 1) refuse('grouped convolution');
  if (c.data_format !== 'channels_last') refuse('data_format must be channels_last');
  if (c.padding !== 'same' && c.padding !== 'valid') refuse(`padding ${String(c.padding)}`);
  if (c.activation !== 'linear' && c.activation !== 'relu')
    refuse(`activation ${String(c.activation)}`);
  const kernel = weights.get(`${name}/kernel`) ?? refuse('kernel weight missing');
  const [kh, kw] = kernel.shape;
  if (kernel.shape.length !== 4 || kh === undefined || kw === undefined) refuse('kernel not HWIO');
  if (c.padding === 'same' && ((kh as number) % 2 === 0 || (kw as number) % 2 === 0)) {
    refuse('"same" padding needs odd kernel sizes');
  }
  const bias = c.use_bias === true ? (weights.get(`${name}/bias`) ?? refuse('bias missing')) : null;
  return {
    kind: 'conv',
    name,
    input,
    kernel,
    bias,
    padding: c.padding as 'same' | 'valid',
    relu: c.activation === 'relu',
  };
}
