/**
 * TF.js layers model → ONNX. The ONNX model keeps TF.js's NHWC float32 interface and computes
 * in NCHW inside, with a Transpose at each end: for the RDN super-resolution models input `LR`
 * [1,height,width,3] → output `SR` [1,height_x2,width_x2,3]; for a classifier ending in Dense
 * (the MNIST CNNs) input [1,H,W,C] (fixed by the source) → output [1,units], its Flatten
 * transposing back to NHWC order first. Names and order follow the source's layer order, so
 * the bytes depend only on the source and the options.
 */
import { ModelSourceError } from './errors.js';
import type { Layer, LayersModel } from './layers.js';
import {
  floatTensor,
  floatValueInfo,
  graph,
  halfTensor,
  model,
  node,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from './onnx.js';
import { toHalfBits } from './half.js';
import { emitClassifierLayer, type ClassifierContext } from './convert-classifier.js';
import { hwioToOihw } from './layout.js';

/**
 * Bumped whenever the converter's output bytes change for the same source and options.
 * Written as the model's producer_version and into the manifest; caches built by another
 * converter version are rebuilt.
 */
export const CONVERTER_VERSION = '1';

/** Default-domain opset the models import. */
export const OPSET = 17;
/** ONNX IR version written into the models (the one that goes with opset 17). */
export const IR_VERSION = 8;

/** How a model is derived from its source; every field changes the bytes. */
export interface ConvertOptions {
  /** graph name, also the model's doc string prefix */
  readonly name: string;
  readonly docString: string;
  /** float16 stores weights as FLOAT16 initializers followed by Cast to float32 */
  readonly weights: 'float32' | 'float16';
  /** exact-identity convolutions inserted after one layer's output (to slow a model down) */
  readonly slowdown: {
    readonly after: string;
    readonly convs: number;
    readonly kernel: number;
  } | null;
  /** replaces the upsampling Resize by an operator from a custom domain */
  readonly customUpsample: { readonly domain: string; readonly opType: string } | null;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Plain conversion options for a model named `name`. */
export function plainOptions(
  name: string,
  docString: string,
  metadata: Record<string, string>,
): ConvertOptions {
  return { name, docString, weights: 'float32', slowdown: null, customUpsample: null, metadata };
}

interface Builder {
  readonly nodes: NodeProto[];
  readonly initializers: TensorProto[];
  /** layer name → the NCHW tensor that now carries its output */
  readonly tensors: Map<string, string>;
  /** layer name → channel count (features, after a Flatten or Dense) */
  readonly channels: Map<string, number>;
  /** layer name → [height, width] when known (fixed-size inputs) */
  readonly sizes: Map<string, readonly [number, number]>;
  readonly options: ConvertOptions;
  readonly file: string;
}

/**
 * Converts a parsed layers model. Returns the ModelProto; throws ModelSourceError when a layer
 * refers to an unknown input or the channel counts do not fit together.
 */
export function convertLayers(src: LayersModel, options: ConvertOptions): ModelProto {
  const b: Builder = {
    nodes: [],
    initializers: [],
    tensors: new Map(),
    channels: new Map(),
    sizes: new Map(),
    options,
    file: src.file,
  };
  for (const layer of src.layers) {
    emitLayer(b, layer, src);
    if (options.slowdown?.after === layer.name) emitSlowdown(b, layer.name, options.slowdown);
  }
  if (options.slowdown && !b.tensors.has(options.slowdown.after)) {
    throw new ModelSourceError(src.file, `slowdown: no layer ${options.slowdown.after}`);
  }
  const vector = isVector(src);
  const out = tensorOf(b, src.output);
  if (!vector) {
    b.nodes.push(
      node('Transpose', `${src.output}/to_nhwc`, [out], [src.output], { perm: [0, 2, 3, 1] }),
    );
  }
  const inChannels = b.channels.get(src.input) ?? 3;
  const outChannels = b.channels.get(src.output) ?? 3;
  const inSize = b.sizes.get(src.input);
  const g = {
    name: options.name,
    node: b.nodes,
    initializer: b.initializers,
    input: [floatValueInfo(src.input, [1, ...(inSize ?? ['height', 'width']), inChannels])],
    output: [
      floatValueInfo(
        src.output,
        vector ? [1, outChannels] : [1, 'height_x2', 'width_x2', outChannels],
      ),
    ],
  };
  const opsets = [{ domain: '', version: OPSET }];
  if (options.customUpsample) opsets.push({ domain: options.customUpsample.domain, version: 1 });
  return model(graph(g), {
    irVersion: IR_VERSION,
    opsets,
    producerName: 'podium',
    producerVersion: CONVERTER_VERSION,
    docString: options.docString,
    metadata: options.metadata,
  });
}

/** Whether the model's output is a feature vector (a Dense or Flatten layer). */
function isVector(src: LayersModel): boolean {
  const last = src.layers.find((l) => l.name === src.output);
  return last?.kind === 'dense' || last?.kind === 'flatten';
}

function tensorOf(b: Builder, layer: string): string {
  const t = b.tensors.get(layer);
  if (t === undefined)
    throw new ModelSourceError(b.file, `layer ${layer} is used before it is defined`);
  return t;
}

function channelsOf(b: Builder, layer: string): number {
  tensorOf(b, layer);
  return b.channels.get(layer) as number;
}

function emitLayer(b: Builder, layer: Layer, src: LayersModel): void {
  const name = layer.name;
  const out = name === src.output && !isVector(src) ? `${name}_nchw` : name;
  switch (layer.kind) {
    case 'input':
      b.nodes.push(
        node('Transpose', `${name}/to_nchw`, [name], [`${name}_nchw`], { perm: [0, 3, 1, 2] }),
      );
      b.tensors.set(name, `${name}_nchw`);
      b.channels.set(name, layer.channels);
      if (layer.size) b.sizes.set(name, layer.size);
      return;
    case 'pool':
    case 'flatten':
    case 'dense':
      emitClassifierLayer(classifierContext(b), layer, out);
      break;
    case 'conv':
      emitConv(b, layer, out);
      break;
    case 'relu': {
      b.nodes.push(node('Relu', name, [tensorOf(b, layer.input)], [out]));
      b.channels.set(name, channelsOf(b, layer.input));
      const size = b.sizes.get(layer.input);
      if (size) b.sizes.set(name, size);
      break;
    }
    case 'concat':
      b.nodes.push(
        node(
          'Concat',
          name,
          layer.inputs.map((i) => tensorOf(b, i)),
          [out],
          { axis: 1 },
        ),
      );
      b.channels.set(
        name,
        layer.inputs.reduce((sum, i) => sum + channelsOf(b, i), 0),
      );
      break;
    case 'add':
      emitAdd(b, name, layer.inputs, out);
      break;
    case 'upsample':
      emitUpsample(b, name, tensorOf(b, layer.input), out);
      b.channels.set(name, channelsOf(b, layer.input));
      break;
  }
  b.tensors.set(name, out);
}

function classifierContext(b: Builder): ClassifierContext {
  return {
    file: b.file,
    nodes: b.nodes,
    channels: b.channels,
    sizes: b.sizes,
    tensorOf: (layer) => tensorOf(b, layer),
    channelsOf: (layer) => channelsOf(b, layer),
    addWeight: (name, dims, values) => addWeight(b, name, dims, values),
  };
}

function emitAdd(b: Builder, name: string, inputs: readonly string[], out: string): void {
  const [first, ...rest] = inputs;
  if (first === undefined || rest.length === 0)
    throw new ModelSourceError(b.file, `Add ${name} needs ≥ 2 inputs`);
  const c = channelsOf(b, first);
  if (rest.some((i) => channelsOf(b, i) !== c))
    throw new ModelSourceError(b.file, `Add ${name}: channel mismatch`);
  let acc = tensorOf(b, first);
  rest.forEach((input, i) => {
    const target = i === rest.length - 1 ? out : `${name}/sum${i}`;
    b.nodes.push(
      node(
        'Add',
        i === rest.length - 1 ? name : `${name}/sum${i}`,
        [acc, tensorOf(b, input)],
        [target],
      ),
    );
    acc = target;
  });
  b.channels.set(name, c);
}

function emitUpsample(b: Builder, name: string, input: string, out: string): void {
  const custom = b.options.customUpsample;
  if (custom) {
    b.nodes.push(node(custom.opType, name, [input], [out], { scale: 2 }, custom.domain));
    return;
  }
  const scales = `${name}/scales`;
  b.initializers.push(floatTensor(scales, [4], new Float32Array([1, 1, 2, 2])));
  b.nodes.push(
    node('Resize', name, [input, '', scales], [out], {
      coordinate_transformation_mode: 'asymmetric',
      mode: 'nearest',
      nearest_mode: 'floor',
    }),
  );
}

function emitConv(b: Builder, layer: Extract<Layer, { kind: 'conv' }>, out: string): void {
  const [kh, kw, cin, cout] = layer.kernel.shape as [number, number, number, number];
  if (channelsOf(b, layer.input) !== cin) {
    throw new ModelSourceError(b.file, `Conv ${layer.name}: kernel expects ${cin} input channels`);
  }
  const inputs = [
    tensorOf(b, layer.input),
    addWeight(b, `${layer.name}/kernel`, [cout, cin, kh, kw], hwioToOihw(layer.kernel)),
  ];
  if (layer.bias) inputs.push(addWeight(b, `${layer.name}/bias`, [cout], layer.bias.values));
  const ph = layer.padding === 'same' ? (kh - 1) / 2 : 0;
  const pw = layer.padding === 'same' ? (kw - 1) / 2 : 0;
  const convOut = layer.relu ? `${layer.name}/preact` : out;
  b.nodes.push(
    node('Conv', layer.name, inputs, [convOut], {
      dilations: [1, 1],
      group: 1,
      kernel_shape: [kh, kw],
      pads: [ph, pw, ph, pw],
      strides: [1, 1],
    }),
  );
  if (layer.relu) b.nodes.push(node('Relu', `${layer.name}/relu`, [convOut], [out]));
  b.channels.set(layer.name, cout);
  const size = b.sizes.get(layer.input);
  if (size) {
    const shrink = layer.padding === 'same' ? [0, 0] : [kh - 1, kw - 1];
    b.sizes.set(layer.name, [size[0] - (shrink[0] as number), size[1] - (shrink[1] as number)]);
  }
}

/**
 * Adds a float32 weight as an initializer (or a FLOAT16 initializer plus a Cast to float32,
 * the Cast placed first in the graph). Returns the float32 tensor name.
 */
function addWeight(
  b: Builder,
  name: string,
  dims: readonly number[],
  values: Float32Array,
): string {
  if (b.options.weights === 'float32') {
    b.initializers.push(floatTensor(name, dims, values));
    return name;
  }
  const half = `${name}_fp16`;
  b.initializers.push(halfTensor(half, dims, Uint16Array.from(values, toHalfBits)));
  const firstNonCast = b.nodes.findIndex((n) => n.opType !== 'Cast');
  const cast = node('Cast', `${name}/cast`, [half], [name], { to: 1 });
  b.nodes.splice(firstNonCast === -1 ? b.nodes.length : firstNonCast, 0, cast);
  return name;
}

/**
 * Inserts `convs` convolutions whose kernel is the identity (1 at the centre tap of each
 * channel's own filter, 0 elsewhere; zero bias) after `after`. Each output element is one
 * product x·1 plus exact zeros, so the result equals the input bit for bit; the work is real.
 */
function emitSlowdown(b: Builder, after: string, s: NonNullable<ConvertOptions['slowdown']>): void {
  const c = channelsOf(b, after);
  const k = s.kernel;
  if (k % 2 !== 1 || s.convs < 1)
    throw new ModelSourceError(b.file, 'slowdown needs an odd kernel and ≥ 1 conv');
  const kernel = new Float32Array(c * c * k * k);
  const centre = (k * k - 1) / 2;
  for (let o = 0; o < c; o++) kernel[(o * c + o) * k * k + centre] = 1;
  const kname = addWeight(b, 'slowdown/identity_kernel', [c, c, k, k], kernel);
  const bname = addWeight(b, 'slowdown/zero_bias', [c], new Float32Array(c));
  const p = (k - 1) / 2;
  let x = tensorOf(b, after);
  for (let i = 0; i < s.convs; i++) {
    const y = `slowdown/identity_${i}`;
    b.nodes.push(
      node('Conv', y, [x, kname, bname], [y], {
        dilations: [1, 1],
        group: 1,
        kernel_shape: [k, k],
        pads: [p, p, p, p],
        strides: [1, 1],
      }),
    );
    x = y;
  }
  b.tensors.set(after, x);
}
