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
