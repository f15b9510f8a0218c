/**
 * Small constructors for ONNX protobuf messages (onnx-buf, @bufbuild/protobuf underneath).
 * Only fields that carry meaning are set, so the serialized bytes depend on nothing but the
 * arguments: no timestamps, no random names.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

export { TensorProto_DataType as DataType };
export type { GraphProto, ModelProto, NodeProto, TensorProto };

/** An attribute value: integer, float, string, or list of integers / floats. */
export type AttrValue =
  number | string | readonly number[] | { readonly floats: readonly number[] };

/** A graph node; attributes are written in the order given (keep it fixed). */
export function node(
  opType: string,
  name: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attrs: Record<string, AttrValue> = {},
  domain?: string,
): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    name,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    ...(domain ? { domain } : {}),
  });
}

function attribute(name: string, value: AttrValue): AttributeProto {
  const T = AttributeProto_AttributeType;
  if (typeof value === 'string') {
    return create(AttributeProtoSchema, {
      name,
      type: T.STRING,
      s: new TextEncoder().encode(value),
    });
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(value) })
      : create(AttributeProtoSchema, { name, type: T.FLOAT, f: value });
  }
  if ('floats' in value) {
    return create(AttributeProtoSchema, { name, type: T.FLOATS, floats: [...value.floats] });
  }
  return create(AttributeProtoSchema, { name, type: T.INTS, ints: value.map((v) => BigInt(v)) });
}

/** A float32 initializer stored as little-endian raw_data. */
export function floatTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): TensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return tensor(name, dims, TensorProto_DataType.FLOAT, raw);
}

/** A float16 initializer (IEEE half bit patterns) stored as little-endian raw_data. */
export function halfTensor(name: string, dims: readonly number[], bits: Uint16Array): TensorProto {
  const raw = new Uint8Array(bits.length * 2);
  const view = new DataView(raw.buffer);
  bits.forEach((v, i) => view.setUint16(i * 2, v, true));
  return tensor(name, dims, TensorProto_DataType.FLOAT16, raw);
}

function tensor(
  name: string,
  dims: readonly number[],
  dataType: TensorProto_DataType,
  rawData: Uint8Array<ArrayBuffer>,
): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map((d) => BigInt(d)), dataType, rawData });
}

/** A float32 graph input/output whose dimensions are numbers or symbolic names. */
export function floatValueInfo(name: string, dims: readonly (number | string)[]): ValueInfoProto {
  const dim = dims.map((d) =>
    create(TensorShapeProto_DimensionSchema, {
      value:
        typeof d === 'number'
          ? { case: 'dimValue', value: BigInt(d) }
          : { case: 'dimParam', value: d },
    }),
  );
  const tensorType = create(TypeProto_TensorSchema, {
    elemType: TensorProto_DataType.FLOAT,
    shape: create(TensorShapeProtoSchema, { dim }),
  });
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }),
  });
}

/** A graph: nodes must already be in topological order. */
export function graph(g: {
  readonly name: string;
  readonly node: readonly NodeProto[];
  readonly initializer: readonly TensorProto[];
  readonly input: readonly ValueInfoProto[];
  readonly output: readonly ValueInfoProto[];
}): GraphProto {
  return create(GraphProtoSchema, {
    name: g.name,
    node: [...g.node],
    initializer: [...g.initializer],
    input: [...g.input],
    output: [...g.output],
  });
}

/** Model-level settings that are not part of the graph. */
export interface ModelHeader {
  readonly irVersion: number;
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Wraps a graph into a ModelProto; metadata entries are written sorted by key. */
export function model(graph: GraphProto, header: ModelHeader): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: BigInt(header.irVersion),
    opsetImport: header.opsets.map((o) =>
      create(OperatorSetIdProtoSchema, {
        ...(o.domain ? { domain: o.domain } : {}),
        version: BigInt(o.version),
      }),
    ),
    producerName: header.producerName,
    producerVersion: header.producerVersion,
    docString: header.docString,
    graph,
    metadataProps: Object.keys(header.metadata)
      .sort()
      .map((key) => create(StringStringEntryProtoSchema, { key, value: header.metadata[key] })),
  });
}

/** Serializes a model to protobuf bytes (deterministic: fields in field-number order). */
export function serialize(m: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, m);
}
