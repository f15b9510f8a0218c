/**
 * The classifier layers of the converter (MaxPooling2D, Flatten, Dense), emitted into an NCHW
 * graph: MaxPool 2×2/2; Flatten as Transpose back to NHWC + Flatten(axis 1), so the features
 * are in Keras' channels_last order and a following Dense kernel [in, out] is used unchanged;
 * Dense as Gemm (+ Relu or Softmax(axis 1)).
 */
import { ModelSourceError } from './errors.js';
import type { Layer } from './layers.js';
import { node, type NodeProto } from './onnx.js';

/** What a classifier layer needs from the converter's state. */
export interface ClassifierContext {
  readonly file: string;
  readonly nodes: NodeProto[];
  readonly channels: Map<string, number>;
  readonly sizes: Map<string, readonly [number, number]>;
  tensorOf(layer: string): string;
  channelsOf(layer: string): number;
  /** adds a float32 weight, returns the tensor name */
  addWeight(name: string, dims: readonly number[], values: Float32Array): string;
}

type ClassifierLayer = Extract<Layer, { kind: 'pool' | 'flatten' | 'dense' }>;

/** Emits one classifier layer whose output tensor is `out`; throws ModelSourceError on misfit. */
export function emitClassifierLayer(
  b: ClassifierContext,
  layer: ClassifierLayer,
  out: string,
): void {
  const input = b.tensorOf(layer.input);
  const size = b.sizes.get(layer.input);
  switch (layer.kind) {
    case 'pool':
      b.nodes.push(
        node('MaxPool', layer.name, [input], [out], { kernel_shape: [2, 2], strides: [2, 2] }),
      );
      b.channels.set(layer.name, b.channelsOf(layer.input));
      if (size) b.sizes.set(layer.name, [Math.floor(size[0] / 2), Math.floor(size[1] / 2)]);
      return;
    case 'flatten': {
      if (!size)
        throw new ModelSourceError(b.file, `Flatten ${layer.name} needs a fixed input size`);
      const nhwc = `${layer.name}/nhwc`;
      b.nodes.push(
        node('Transpose', `${layer.name}/to_nhwc`, [input], [nhwc], { perm: [0, 2, 3, 1] }),
      );
      b.nodes.push(node('Flatten', layer.name, [nhwc], [out], { axis: 1 }));
      b.channels.set(layer.name, size[0] * size[1] * b.channelsOf(layer.input));
      return;
    }
    case 'dense':
      emitDense(b, layer as Extract<Layer, { kind: 'dense' }>, input, out);
  }
}

function emitDense(
  b: ClassifierContext,
  layer: Extract<Layer, { kind: 'dense' }>,
  input: string,
  out: string,
): void {
  const [nin, nout] = layer.kernel.shape as [number, number];
  if (b.channelsOf(layer.input) !== nin) {
    throw new ModelSourceError(
      b.file,
      `Dense ${layer.name}: kernel expects ${nin} inputs, layer ${layer.input} gives ${b.channelsOf(layer.input)}`,
    );
  }
  const inputs = [input, b.addWeight(`${layer.name}/kernel`, [nin, nout], layer.kernel.values)];
  if (layer.bias) inputs.push(b.addWeight(`${layer.name}/bias`, [nout], layer.bias.values));
  const act = layer.activation;
  const gemmOut = act === 'linear' ? out : `${layer.name}/preact`;
  b.nodes.push(node('Gemm', layer.name, inputs, [gemmOut]));
  if (act === 'relu') b.nodes.push(node('Relu', `${layer.name}/relu`, [gemmOut], [out]));
  if (act === 'softmax') {
    b.nodes.push(node('Softmax', `${layer.name}/softmax`, [gemmOut], [out], { axis: 1 }));
  }
  b.channels.set(layer.name, nout);
}
