/**
 * Tiny real ONNX models for tests, built with onnx-buf: small enough to write in a few
 * microseconds, real enough that onnxruntime loads and runs them. Test support only.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import { floatValueInfo } from '../../models/onnx.js';

/** A float32 tensor value-info with dims given as numbers (fixed) or strings (free). */
export const floatInfo = floatValueInfo;

/** A float32 initializer. */
export function floats(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    floatData: [...values],
  });
}

/** A node. */
export function op(opType: string, inputs: string[], outputs: string[], domain = ''): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    input: inputs,
    output: outputs,
    domain,
    name: outputs[0] ?? '',
  });
}

/** Serialises a single-graph model (opset 17 plus any extra domains). */
export function model(parts: {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  initializers?: TensorProto[];
  domains?: string[];
}): Uint8Array {
  const opsetImport = [
    create(OperatorSetIdProtoSchema, { domain: '', version: 17n }),
    ...(parts.domains ?? []).map((domain) =>
      create(OperatorSetIdProtoSchema, { domain, version: 1n }),
    ),
  ];
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      opsetImport,
      producerName: 'podium-test',
      graph: {
        name: 'g',
        node: parts.nodes,
        input: parts.inputs,
        output: parts.outputs,
        initializer: parts.initializers ?? [],
      },
    }),
  );
}

/** `SR = LR * scale` with the contest IO names (shape-preserving; for harness tests). */
export function scaleModel(scale = 1): Uint8Array {
  return model({
    nodes: [op('Mul', ['LR', 'k'], ['SR'])],
    inputs: [floatInfo('LR', [1, 'height', 'width', 3])],
    outputs: [floatInfo('SR', [1, 'height', 'width', 3])],
    initializers: [floats('k', [1], [scale])],
  });
}

/** Appends a protobuf varint to `out`. */
function varint(out: number[], n: number): void {
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** Appends a length-delimited protobuf field holding `body` (bytes or latin-1 text). */
function field(out: number[], no: number, body: ArrayLike<number> | string): void {
  varint(out, (no << 3) | 2);
  varint(out, body.length);
  if (typeof body === 'string') for (let i = 0; i < body.length; i++) out.push(body.charCodeAt(i));
  else for (let i = 0; i < body.length; i++) out.push(body[i] as number);
}

/**
 * A graph-size bomb: `SR = LR` through a chain of `count` Identity nodes, written straight as
 * protobuf bytes (building hundreds of thousands of messages would be slow). Optionally `extra`
 * initializers (one float each) ride along unused.
 */
export function chainModel(count: number, extra = 0): Uint8Array {
  const shell = model({
    nodes: [],
    inputs: [floatInfo('LR', [1, 'height', 'width', 3])],
    outputs: [floatInfo('SR', [1, 'height', 'width', 3])],
  });
  const graph: number[] = [];
  for (let i = 0; i < count; i++) {
    const node: number[] = [];
    field(node, 1, i === 0 ? 'LR' : `a${i}`);
    field(node, 2, i === count - 1 ? 'SR' : `a${i + 1}`);
    field(node, 4, 'Identity');
    field(graph, 1, node);
  }
  for (let i = 0; i < extra; i++) {
    field(graph, 5, toBinary(TensorProtoSchema, floats(`u${i}`, [1], [i])));
  }
  // A second graph field merges into the first (protobuf semantics): nodes are appended.
  const tail: number[] = [];
  field(tail, 7, graph);
  return Buffer.concat([shell, Uint8Array.from(tail)]);
}
