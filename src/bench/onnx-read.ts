/**
 * Reading facts out of a parsed ONNX ModelProto: IO signatures, every node (subgraphs and local
 * functions included), every stored tensor (initializers, Constant attributes — tensor, sparse and
 * list forms — sparse initializers), canonical tensor bytes. Pure functions over onnx-buf
 * messages; nothing here runs a model.
 */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType as A,
  TensorProto_DataLocation,
  TensorProto_DataType as D,
  type GraphProto,
  type ModelProto,
  TensorProtoSchema,
  type NodeProto,
  type SparseTensorProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

/** A graph input or output as the contest describes one. */
export interface IoSignature {
  readonly name: string;
  readonly elementType: string;
  readonly shape: (number | string)[];
}

const TYPE_NAMES: Partial<Record<number, string>> = {
  [D.FLOAT]: 'float32',
  [D.FLOAT16]: 'float16',
  [D.DOUBLE]: 'float64',
  [D.BFLOAT16]: 'bfloat16',
  [D.INT8]: 'int8',
  [D.UINT8]: 'uint8',
  [D.INT16]: 'int16',
  [D.UINT16]: 'uint16',
  [D.INT32]: 'int32',
  [D.UINT32]: 'uint32',
  [D.INT64]: 'int64',
  [D.UINT64]: 'uint64',
  [D.BOOL]: 'bool',
  [D.STRING]: 'string',
};

/** The contest's name for an ONNX element type ("float32"…), or `type<N>` for exotic ones. */
export function elementTypeName(code: number): string {
  return TYPE_NAMES[code] ?? `type${code}`;
}

/** The graph's real inputs (initializers listed as inputs excluded) and outputs. */
export function signatures(graph: GraphProto): { inputs: IoSignature[]; outputs: IoSignature[] } {
  const stored = new Set(graph.initializer.map((t) => t.name));
  return {
    inputs: graph.input.filter((v) => !stored.has(v.name)).map(signature),
    outputs: graph.output.map(signature),
  };
}

function signature(v: ValueInfoProto): IoSignature {
  const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
  const shape = (t?.shape?.dim ?? []).map((d, i) => {
    if (d.value.case === 'dimValue') return Number(d.value.value);
    if (d.value.case === 'dimParam' && d.value.value !== '') return d.value.value;
    return `d${i}`;
  });
  return {
    name: v.name,
    elementType: t ? elementTypeName(t.elemType) : 'non-tensor',
    shape,
  };
}

/** Every node of the model: main graph, nested subgraphs (If/Loop/Scan) and local functions. */
export function allNodes(model: ModelProto): NodeProto[] {
  const out: NodeProto[] = [];
  if (model.graph) collectNodes(model.graph, out);
  for (const fn of model.functions) for (const n of fn.node) visitNode(n, out);
  return out;
}

function collectNodes(graph: GraphProto, out: NodeProto[]): void {
  for (const n of graph.node) visitNode(n, out);
}

function visitNode(n: NodeProto, out: NodeProto[]): void {
  out.push(n);
  for (const a of n.attribute) {
    if (a.g) collectNodes(a.g, out);
    for (const g of a.graphs) collectNodes(g, out);
  }
}

/** Every graph of the model, main graph first, then nested subgraphs. */
export function allGraphs(model: ModelProto): GraphProto[] {
  const out: GraphProto[] = [];
  const visit = (g: GraphProto): void => {
    out.push(g);
    for (const n of g.node) {
      for (const a of n.attribute) {
        if (a.g) visit(a.g);
        for (const sub of a.graphs) visit(sub);
      }
    }
  };
  if (model.graph) visit(model.graph);
  return out;
}

/**
 * A stored tensor and how many parameters it holds. For a sparse tensor `tensor` is its values
 * and `sparse` the whole message (densified for fingerprints); list-valued Constant attributes
 * appear as the 1-D (or scalar) tensor they define: FLOAT for value_float(s), INT64 for
 * value_int(s).
 */
export interface StoredTensor {
  readonly tensor: TensorProto;
  readonly count: number;
  readonly sparse?: SparseTensorProto;
}

/**
 * Every tensor the model stores: initializers, sparse initializers, and the values of Constant
 * nodes (tensor, sparse, and list attributes), in all graphs and functions.
 */
export function storedTensors(model: ModelProto): { tensors: StoredTensor[] } {
  const tensors: StoredTensor[] = [];
  const sparse = (s: SparseTensorProto) => {
    if (s.values) tensors.push({ tensor: s.values, count: elementCount(s.values.dims), sparse: s });
  };
  for (const g of allGraphs(model)) {
    for (const t of g.initializer) tensors.push({ tensor: t, count: elementCount(t.dims) });
    for (const s of g.sparseInitializer) sparse(s);
  }
  for (const n of allNodes(model)) {
    if (n.opType !== 'Constant') continue;
    for (const a of n.attribute) {
      if (a.t) tensors.push({ tensor: a.t, count: elementCount(a.t.dims) });
      if (a.sparseTensor) sparse(a.sparseTensor);
      const list = listTensor(a.type, a.floats, a.ints, a.f, a.i);
      if (list)
        tensors.push({ tensor: list, count: list.floatData.length + list.int64Data.length });
    }
  }
  return { tensors };
}

function listTensor(
  type: A,
  floats: readonly number[],
  ints: readonly bigint[],
  f: number,
  i: bigint,
): TensorProto | null {
  if (type === A.FLOATS)
    return create(TensorProtoSchema, {
      dataType: D.FLOAT,
      dims: [BigInt(floats.length)],
      floatData: [...floats],
    });
  if (type === A.INTS)
    return create(TensorProtoSchema, {
      dataType: D.INT64,
      dims: [BigInt(ints.length)],
      int64Data: [...ints],
    });
  if (type === A.FLOAT) return create(TensorProtoSchema, { dataType: D.FLOAT, floatData: [f] });
  if (type === A.INT) return create(TensorProtoSchema, { dataType: D.INT64, int64Data: [i] });
  return null;
}

/** Dense tensors larger than this many bytes keep their sparse form in fingerprints. */
const DENSIFY_MAX_BYTES = 1 << 28;

/**
 * The tensor as fingerprints see it — element type, dense dims, little-endian raw bytes —
 * whatever field, attribute or sparse form it was stored in. External data must have been read
 * into `rawData` first. Returns null for a sparse tensor too large to densify (over 256 MiB).
 */
export function canonicalTensor(
  stored: StoredTensor,
): { dataType: number; dims: number[]; bytes: Uint8Array } | null {
  const t = stored.tensor;
  const s = stored.sparse;
  if (!s) return { dataType: t.dataType, dims: t.dims.map(Number), bytes: canonicalBytes(t) };
  const width = elementBytes(t.dataType);
  const dims = s.dims.map(Number);
  const total = elementCount(s.dims);
  if (width === null || total * width > DENSIFY_MAX_BYTES || !s.indices) return null;
  const dense = new Uint8Array(total * width);
  const values = canonicalBytes(t);
  const indices = integers(s.indices);
  const rank = indices.length === stored.count ? 1 : dims.length;
  for (let k = 0; k < stored.count; k++) {
    let at = 0;
    if (rank === 1) at = indices[k] ?? -1;
    else for (let r = 0; r < rank; r++) at = at * (dims[r] ?? 1) + (indices[k * rank + r] ?? 0);
    if (at < 0 || at >= total) return null;
    dense.set(values.subarray(k * width, (k + 1) * width), at * width);
  }
  return { dataType: t.dataType, dims, bytes: dense };
}

function integers(t: TensorProto): number[] {
  if (t.int64Data.length > 0) return t.int64Data.map(Number);
  const raw = canonicalBytes(t);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const width = t.dataType === D.INT32 ? 4 : 8;
  return Array.from({ length: raw.byteLength / width }, (_, i) =>
    width === 4 ? view.getInt32(i * 4, true) : Number(view.getBigInt64(i * 8, true)),
  );
}

function elementCount(dims: readonly bigint[]): number {
  return dims.reduce((n, d) => n * Number(d), 1);
}

/** External-data locations a tensor points at (empty when its data is inline). */
export function externalLocations(t: TensorProto): string[] {
  if (t.dataLocation !== TensorProto_DataLocation.EXTERNAL && t.externalData.length === 0) {
    return [];
  }
  const location = t.externalData.find((e) => e.key === 'location')?.value;
  return [location ?? ''];
}

const ELEMENT_BYTES: Partial<Record<number, number>> = {
  [D.FLOAT]: 4,
  [D.UINT8]: 1,
  [D.INT8]: 1,
  [D.UINT16]: 2,
  [D.INT16]: 2,
  [D.INT32]: 4,
  [D.INT64]: 8,
  [D.BOOL]: 1,
  [D.FLOAT16]: 2,
  [D.DOUBLE]: 8,
  [D.UINT32]: 4,
  [D.UINT64]: 8,
  [D.COMPLEX64]: 8,
  [D.COMPLEX128]: 16,
  [D.BFLOAT16]: 2,
};

/** Bytes per element of a fixed-width ONNX type, or null (strings, sub-byte types). */
export function elementBytes(dataType: number): number | null {
  return ELEMENT_BYTES[dataType] ?? null;
}

/** An external-data entry's value (`offset`, `length`, …), or undefined when absent. */
export function externalValue(t: TensorProto, key: string): string | undefined {
  return t.externalData.find((e) => e.key === key)?.value;
}

const BYTE_WIDTH: Partial<Record<number, number>> = {
  [D.INT8]: 1,
  [D.UINT8]: 1,
  [D.BOOL]: 1,
  [D.INT16]: 2,
  [D.UINT16]: 2,
  [D.FLOAT16]: 2,
  [D.BFLOAT16]: 2,
  [D.INT32]: 4,
};

/**
 * The tensor's values as little-endian raw bytes (ONNX raw_data form), whichever field they
 * were stored in, so that re-encoding the same weights does not change their hash.
 */
export function canonicalBytes(t: TensorProto): Uint8Array {
  if (t.rawData.length > 0) return t.rawData;
  if (t.floatData.length > 0) return new Uint8Array(Float32Array.from(t.floatData).buffer);
  if (t.doubleData.length > 0) return new Uint8Array(Float64Array.from(t.doubleData).buffer);
  if (t.int64Data.length > 0) return new Uint8Array(BigInt64Array.from(t.int64Data).buffer);
  if (t.uint64Data.length > 0) {
    if (t.dataType === D.UINT32)
      return new Uint8Array(Uint32Array.from(t.uint64Data, Number).buffer);
    return new Uint8Array(BigUint64Array.from(t.uint64Data).buffer);
  }
  if (t.int32Data.length > 0) {
    const width = BYTE_WIDTH[t.dataType] ?? 4;
    const out = new Uint8Array(t.int32Data.length * width);
    const view = new DataView(out.buffer);
    t.int32Data.forEach((v, i) => {
      if (width === 1) view.setUint8(i, v & 0xff);
      else if (width === 2) view.setUint16(i * 2, v & 0xffff, true);
      else view.setInt32(i * 4, v, true);
    });
    return out;
  }
  const parts = t.stringData.flatMap((s) => [Uint8Array.of(s.length & 0xff), s]);
  return Buffer.concat(parts);
}
