/**
 * Test support: the edits a copier makes to someone else's real model without changing what it
 * computes — weights moved into Constant nodes (tensor and list forms), sparse initializers,
 * external data — and the edits that change almost nothing (one weight nudged by one ULP, values
 * shuffled within each tensor). Each returns new model bytes; external data is written beside.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType as A,
  ModelProtoSchema,
  NodeProtoSchema,
  SparseTensorProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType as D,
  type ModelProto,
  type TensorProto,
} from 'onnx-buf';
import { mulberry32 } from '../../models/random.js';
import { canonicalBytes } from '../onnx-read.js';

/** Where one initializer goes. */
export type Storage = 'constant' | 'constant-list' | 'sparse' | 'external';

function floatsOf(t: TensorProto): Float32Array {
  const raw = new Uint8Array(canonicalBytes(t)); // a copy (Buffer#slice would be a view)
  return new Float32Array(raw.buffer, 0, raw.byteLength / 4);
}

function constantNode(
  output: string,
  attribute: ReturnType<typeof create<typeof AttributeProtoSchema>>,
) {
  return create(NodeProtoSchema, {
    opType: 'Constant',
    output: [output],
    name: output,
    attribute: [attribute],
  });
}

/**
 * Moves initializers to the storage `plan` names (by initializer name; others stay). External
 * tensors go into `<dir>/weights.bin`, after 64 bytes of padding. Returns the model bytes.
 */
export async function restore(
  bytes: Uint8Array,
  plan: (name: string, t: TensorProto) => Storage | null,
  dir: string,
): Promise<Uint8Array> {
  const model = fromBinary(ModelProtoSchema, bytes);
  const graph = model.graph!;
  const kept: TensorProto[] = [];
  const constants = [];
  const external: Uint8Array[] = [new Uint8Array(64)];
  let offset = 64;
  for (const t of graph.initializer) {
    const where = plan(t.name, t);
    if (where === null) kept.push(t);
    else if (where === 'constant') {
      constants.push(
        constantNode(
          t.name,
          create(AttributeProtoSchema, { name: 'value', type: A.TENSOR, t: { ...t, name: '' } }),
        ),
      );
    } else if (where === 'constant-list') {
      if (t.dims.length !== 1) throw new Error(`${t.name}: value_floats holds 1-D tensors only`);
      constants.push(
        constantNode(
          t.name,
          create(AttributeProtoSchema, {
            name: 'value_floats',
            type: A.FLOATS,
            floats: [...floatsOf(t)],
          }),
        ),
      );
    } else if (where === 'sparse') {
      const values = floatsOf(t);
      const at = [...values.keys()].filter((i) => values[i] !== 0);
      graph.sparseInitializer.push(
        create(SparseTensorProtoSchema, {
          values: create(TensorProtoSchema, {
            name: t.name,
            dataType: D.FLOAT,
            dims: [BigInt(at.length)],
            floatData: at.map((i) => values[i]!),
          }),
          indices: create(TensorProtoSchema, {
            dataType: D.INT64,
            dims: [BigInt(at.length)],
            int64Data: at.map(BigInt),
          }),
          dims: t.dims,
        }),
      );
    } else {
      const raw = canonicalBytes(t);
      const entry = (key: string, value: string) =>
        create(StringStringEntryProtoSchema, { key, value });
      kept.push(
        create(TensorProtoSchema, {
          name: t.name,
          dataType: t.dataType,
          dims: t.dims,
          dataLocation: TensorProto_DataLocation.EXTERNAL,
          externalData: [
            entry('location', 'weights.bin'),
            entry('offset', String(offset)),
            entry('length', String(raw.length)),
          ],
        }),
      );
      external.push(raw);
      offset += raw.length;
    }
  }
  graph.initializer = kept;
  graph.node = [...constants, ...graph.node];
  if (external.length > 1) await writeFile(join(dir, 'weights.bin'), Buffer.concat(external));
  return toBinary(ModelProtoSchema, model);
}

/** The model with float element `index` of initializer `name` moved by `ulps` units in the last place. */
export function nudge(bytes: Uint8Array, name: string, index: number, ulps = 1): Uint8Array {
  return edit(bytes, (model) => {
    const t = model.graph!.initializer.find((x) => x.name === name);
    if (!t) throw new Error(`no initializer ${name}`);
    const values = floatsOf(t);
    new Uint32Array(values.buffer)[index]! += ulps;
    setFloats(t, values);
  });
}

/** The model with every float initializer's values shuffled (seeded): same shapes and norms. */
export function shuffled(bytes: Uint8Array, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return edit(bytes, (model) => {
    for (const t of model.graph!.initializer) {
      if (t.dataType !== D.FLOAT) continue;
      const values = floatsOf(t);
      for (let i = values.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [values[i], values[j]] = [values[j]!, values[i]!];
      }
      setFloats(t, values);
    }
  });
}

function setFloats(t: TensorProto, values: Float32Array): void {
  t.floatData = [];
  t.rawData = new Uint8Array(values.byteLength);
  t.rawData.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

function edit(bytes: Uint8Array, change: (m: ModelProto) => void): Uint8Array {
  const model = fromBinary(ModelProtoSchema, bytes);
  change(model);
  return toBinary(ModelProtoSchema, model);
}
