/**
 * Edits of serialized ONNX models that make the MNIST catalogue variants from the pinned
 * baseline fixture. Each parses the bytes, changes one thing, and re-serializes (protobuf-es
 * writes fields in field-number order, so the result depends only on the input bytes).
 */
import { create, fromBinary } from '@bufbuild/protobuf';
import {
  ModelProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  type ModelProto,
} from 'onnx-buf';
import { floatValueInfo, node, serialize } from './onnx.js';
import { seededPick } from './random.js';

function parse(bytes: Uint8Array): ModelProto {
  const m = fromBinary(ModelProtoSchema, bytes);
  if (!m.graph) throw new Error('model has no graph');
  return m;
}

/** Sets metadata `podium_model` to `name` and replaces the doc string. */
function rename(m: ModelProto, name: string, docString: string): void {
  m.docString = docString;
  m.graph!.name = name;
  m.metadataProps = m.metadataProps
    .filter((p) => p.key !== 'podium_model')
    .concat(create(StringStringEntryProtoSchema, { key: 'podium_model', value: name }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Returns the model with exactly round(fraction × N) of its N float32 initializer values
 * (all initializers concatenated in file order) set to 0, picked by a partial Fisher-Yates
 * shuffle of the indices driven by mulberry32(seed) — the rule of the ESRGAN zeroed variant.
 */
export function zeroInitializers(
  bytes: Uint8Array,
  fraction: number,
  seed: number,
  name: string,
  docString: string,
): Uint8Array {
  const m = parse(bytes);
  const floats = m.graph!.initializer.filter((t) => t.dataType === TensorProto_DataType.FLOAT);
  const views = floats.map((t) => {
    const copy = Uint8Array.from(t.rawData);
    t.rawData = copy;
    return new DataView(copy.buffer);
  });
  const sizes = views.map((v) => v.byteLength / 4);
  const total = sizes.reduce((a, b) => a + b, 0);
  for (const pick of seededPick(total, Math.round(fraction * total), seed)) {
    let k = 0;
    let at = pick;
    while (at >= (sizes[k] as number)) at -= sizes[k++] as number;
    (views[k] as DataView).setFloat32(at * 4, 0, true);
  }
  rename(m, name, docString);
  return serialize(m);
}

/**
 * Returns the model with its single input `input` taken flat: the graph input keeps its name
 * but becomes float32 [1, ∏dims], and a Reshape back to the original dims feeds the nodes
 * that read it. The computation is unchanged; only the IO signature differs.
 */
export function flattenInput(
  bytes: Uint8Array,
  input: string,
  dims: readonly number[],
  name: string,
  docString: string,
): Uint8Array {
  const m = parse(bytes);
  const g = m.graph!;
  const inner = `${input}/unflattened`;
  for (const n of g.node) n.input = n.input.map((i) => (i === input ? inner : i));
  const shape = create(TensorProtoSchema, {
    name: `${input}/shape`,
    dims: [BigInt(dims.length)],
    dataType: TensorProto_DataType.INT64,
    int64Data: dims.map(BigInt),
  });
  g.initializer.unshift(shape);
  g.node.unshift(node('Reshape', `${input}/unflatten`, [input, shape.name], [inner]));
  const flat = dims.reduce((a, b) => a * b, 1);
  g.input = g.input.map((v) => (v.name === input ? floatValueInfo(input, [1, flat]) : v));
  rename(m, name, docString);
  return serialize(m);
}
