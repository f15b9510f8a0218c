/**
 * The throughput contest's models (contests/mnist-throughput-demo, docs/adr/0177), all edits of
 * the pinned MNIST baseline fixture with a free batch dimension: input `image` float32
 * [N,28,28,1] → output `probabilities` float32 [N,10]. What each adds is dead work or a
 * batch-dependent term, written out as ONNX nodes, so its speed and its outputs under load are
 * known by construction:
 * - mnist-load-baseline: the CNN plus a dead convolution branch (its sum × 0 added to the
 *   logits): same outputs, about twice the work per sample at any batch size;
 * - mnist-load-fast: the CNN alone: the same outputs, faster at every batch size;
 * - mnist-load-solo: the CNN plus a dead pairwise branch over the batch (a convolution over
 *   every pair of queries' difference image): its work per sample grows with the batch, so it is
 *   faster than the baseline at batch 1 and slower from a few queries per batch on;
 * - mnist-load-garbage: the CNN plus (N − 1) × 20 on class 3's logit: exact at batch 1 (the
 *   accuracy pass), every prediction "3" in any larger batch (under load).
 */
import { create, fromBinary } from '@bufbuild/protobuf';
import {
  ModelProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import type { MnistFixture } from './mnist-fixtures.js';
import { floatTensor, floatValueInfo, node, serialize } from './onnx.js';
import { mulberry32 } from './random.js';
import type { ModelRole } from './schema.js';

/** The throughput contest's model names, in build order. */
export const MNIST_LOAD_MODEL_NAMES = [
  'mnist-load-baseline',
  'mnist-load-fast',
  'mnist-load-solo',
  'mnist-load-garbage',
] as const;
export type MnistLoadModelName = (typeof MNIST_LOAD_MODEL_NAMES)[number];

/** Output channels of the baseline's dead convolution (3×3 over the 8 pool1 channels). */
export const DEAD_CONV_CHANNELS = 128;
/** Channels C of the solo model's pairwise conv: N² × 26² × 9 × C multiply-adds per batch. */
export const PAIRWISE_CHANNELS = 32;
/** What the garbage model adds to class 3's logit per extra query in the batch. */
export const GARBAGE_LOGIT = 20;
/** Seed of the dead branches' weights (mulberry32). */
export const LOAD_SEED = 0x6c6f6164;

/** One throughput-contest model: how it is made from the fixtures. */
export interface MnistLoadRecipe {
  readonly name: MnistLoadModelName;
  readonly role: ModelRole;
  readonly description: string;
  build(fixtures: Readonly<Record<MnistFixture, Uint8Array>>): Uint8Array;
}

const IO =
  'input image float32 [N,28,28,1] (NHWC, 0..1) → output probabilities float32 [N,10] (softmax)';

/** Every throughput-contest model, baseline first. */
export const MNIST_LOAD_RECIPES: readonly MnistLoadRecipe[] = [
  {
    name: 'mnist-load-baseline',
    role: 'baseline',
    description: `the MNIST CNN with a free batch dimension plus a dead branch: a 3×3 convolution 8 → ${DEAD_CONV_CHANNELS} over pool1 whose sum × 0 is added to the logits (same outputs, several times the CNN's own work per sample); the throughput contest's baseline. ${IO}`,
    build: (f) => edit(f['mnist-cnn'], 'mnist-load-baseline', deadConv),
  },
  {
    name: 'mnist-load-fast',
    role: 'faster',
    description: `the MNIST CNN with a free batch dimension: the baseline without its dead branch, same outputs, faster at every batch size. ${IO}`,
    build: (f) => edit(f['mnist-cnn'], 'mnist-load-fast', () => undefined),
  },
  {
    name: 'mnist-load-solo',
    role: 'batch-sensitive',
    description: `the MNIST CNN with a free batch dimension plus a dead pairwise branch: for every pair of queries in the batch, a 3×3 convolution 1 → ${PAIRWISE_CHANNELS} over their difference image, summed × 0 into the logits; the work per sample grows with the batch: faster than the baseline at concurrency 1, slower when queries are batched. ${IO}`,
    build: (f) => edit(f['mnist-cnn'], 'mnist-load-solo', pairwise),
  },
  {
    name: 'mnist-load-garbage',
    role: 'garbage-under-load',
    description: `the MNIST CNN with a free batch dimension plus (N − 1) × ${GARBAGE_LOGIT} on class 3's logit, N the batch size: exact at batch 1, every prediction 3 in a larger batch. ${IO}`,
    build: (f) => edit(f['mnist-cnn'], 'mnist-load-garbage', garbage),
  },
];

/** What an edit adds: nodes and initializers, and the tensor added to the logits. */
interface Extra {
  readonly nodes: NodeProto[];
  readonly initializers: TensorProto[];
  readonly addend: string;
}

const LOGITS = 'probabilities/preact';

/**
 * Returns the fixture with a free batch dimension "N" on its input and output and, when `add`
 * returns an extra, that extra's tensor added to the logits before the softmax.
 */
function edit(bytes: Uint8Array, name: string, add: () => Extra | undefined): Uint8Array {
  const m = fromBinary(ModelProtoSchema, bytes);
  const g = m.graph!;
  g.input = g.input.map((v) => floatValueInfo(v.name, ['N', 28, 28, 1]));
  g.output = g.output.map((v) => floatValueInfo(v.name, ['N', 10]));
  g.valueInfo = [];
  const extra = add();
  if (extra) {
    const raw = `${LOGITS}/raw`;
    for (const n of g.node) n.output = n.output.map((o) => (o === LOGITS ? raw : o));
    const at = g.node.findIndex((n) => n.opType === 'Softmax');
    g.node.splice(at, 0, ...extra.nodes, node('Add', 'extra/add', [raw, extra.addend], [LOGITS]));
    g.initializer.push(...extra.initializers);
  }
  rename(m, name);
  return serialize(m);
}

function rename(m: ModelProto, name: string): void {
  m.docString = `${name}: an edit of the pinned MNIST baseline for the throughput contest. Built by podium.`;
  m.graph!.name = name;
  m.metadataProps = m.metadataProps
    .filter((p) => p.key !== 'podium_model')
    .concat(create(StringStringEntryProtoSchema, { key: 'podium_model', value: name }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function seeded(count: number, scale: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: count }, () => (next() * 2 - 1) * scale);
}

function scalar(name: string, v: number): TensorProto {
  return floatTensor(name, [], Float32Array.of(v));
}

function ints(name: string, values: readonly number[]): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: [BigInt(values.length)],
    dataType: TensorProto_DataType.INT64,
    int64Data: values.map(BigInt),
  });
}

/** Conv 3×3 8 → C over pool1, summed to a scalar, × 0. */
function deadConv(): Extra {
  const c = DEAD_CONV_CHANNELS;
  return {
    nodes: [
      node('Conv', 'dead/conv', ['pool1', 'dead/kernel', 'dead/bias'], ['dead/out'], {
        pads: [1, 1, 1, 1],
      }),
      node('ReduceSum', 'dead/sum', ['dead/out'], ['dead/total'], { keepdims: 0 }),
      node('Mul', 'dead/zero', ['dead/total', 'dead/0'], ['dead/addend']),
    ],
    initializers: [
      floatTensor('dead/kernel', [c, 8, 3, 3], seeded(c * 72, 0.1, LOAD_SEED)),
      floatTensor('dead/bias', [c], new Float32Array(c)),
      scalar('dead/0', 0),
    ],
    addend: 'dead/addend',
  };
}

/** [N,1,784] − [1,N,784] → N² difference images → conv 3×3 1 → C → summed, × 0. */
function pairwise(): Extra {
  const c = PAIRWISE_CHANNELS;
  return {
    nodes: [
      node('Reshape', 'pair/flat', ['image', 'pair/shape'], ['pair/x']),
      node('Unsqueeze', 'pair/rows', ['pair/x', 'pair/axis1'], ['pair/a']),
      node('Unsqueeze', 'pair/cols', ['pair/x', 'pair/axis0'], ['pair/b']),
      node('Sub', 'pair/diff', ['pair/a', 'pair/b'], ['pair/d']),
      node('Reshape', 'pair/images', ['pair/d', 'pair/image-shape'], ['pair/i']),
      node('Conv', 'pair/conv', ['pair/i', 'pair/kernel'], ['pair/p']),
      node('ReduceSum', 'pair/sum', ['pair/p'], ['pair/total'], { keepdims: 0 }),
      node('Mul', 'pair/zero', ['pair/total', 'pair/0'], ['pair/addend']),
    ],
    initializers: [
      ints('pair/shape', [-1, 784]),
      ints('pair/axis1', [1]),
      ints('pair/axis0', [0]),
      ints('pair/image-shape', [-1, 1, 28, 28]),
      floatTensor('pair/kernel', [c, 1, 3, 3], seeded(c * 9, 0.3, LOAD_SEED + 1)),
      scalar('pair/0', 0),
    ],
    addend: 'pair/addend',
  };
}

/** (N − 1) × GARBAGE_LOGIT on class 3, N read from the input's shape. */
function garbage(): Extra {
  const v = new Float32Array(10);
  v[3] = GARBAGE_LOGIT;
  return {
    nodes: [
      node('Shape', 'garbage/shape', ['image'], ['garbage/dims']),
      node('Gather', 'garbage/batch', ['garbage/dims', 'garbage/index'], ['garbage/n'], {
        axis: 0,
      }),
      node('Cast', 'garbage/float', ['garbage/n'], ['garbage/nf'], { to: 1 }),
      node('Sub', 'garbage/extra', ['garbage/nf', 'garbage/1'], ['garbage/k']),
      node('Mul', 'garbage/scale', ['garbage/k', 'garbage/class3'], ['garbage/addend']),
    ],
    initializers: [
      create(TensorProtoSchema, {
        name: 'garbage/index',
        dims: [],
        dataType: TensorProto_DataType.INT64,
        int64Data: [0n],
      }),
      scalar('garbage/1', 1),
      floatTensor('garbage/class3', [10], v),
    ],
    addend: 'garbage/addend',
  };
}
