/**
 * The operators static cost counting knows, each a rule from its inputs' facts and attributes
 * to its outputs' facts and its FLOPs (the rules are listed in docs/cost-counting.md). A rule
 * returns null when its inputs and attributes do not determine the output shape.
 */
import type { NodeProto } from 'onnx-buf';
import type { Attributes } from './cost-shape.js';
import {
  axisOf,
  broadcast,
  elements,
  tensorFact,
  windowOf,
  windowOutput,
  type TensorFact,
} from './cost-shape.js';

/** What a rule sees: the node, its attributes and its inputs (undefined: optional, omitted). */
export interface RuleInput {
  readonly node: NodeProto;
  readonly attrs: Attributes;
  readonly inputs: readonly (TensorFact | undefined)[];
}

/** A rule's answer: one fact per output the node names, and the node's FLOPs. */
export interface RuleOutput {
  readonly outputs: readonly TensorFact[];
  readonly flops: number;
}

type Rule = (n: RuleInput) => RuleOutput | null;

const first = (n: RuleInput): TensorFact | undefined => n.inputs[0];
const same = (dims: readonly number[], count: number): TensorFact[] =>
  Array.from({ length: count }, () => ({ dims }));

/** Output like input 0; `perElement` FLOPs per output element. */
const elementwise =
  (perElement: number): Rule =>
  (n) => {
    const x = first(n);
    return x ? { outputs: [{ dims: x.dims }], flops: perElement * elements(x.dims) } : null;
  };

/** Output like input 0 carrying its values; no arithmetic. */
const passThrough: Rule = (n) => {
  const x = first(n);
  return x ? { outputs: same(x.dims, n.node.output.length).map(() => x), flops: 0 } : null;
};

/** Broadcast of all inputs; (inputs − 1) FLOPs per output element. */
const broadcasting: Rule = (n) => {
  const present = n.inputs.filter((i): i is TensorFact => i !== undefined);
  const dims = present.length > 0 ? broadcast(present.map((i) => i.dims)) : null;
  return dims ? { outputs: [{ dims }], flops: (present.length - 1) * elements(dims) } : null;
};

const conv: Rule = (n) => {
  const [x, w, b] = n.inputs;
  if (!x || !w || x.dims.length < 3 || w.dims.length !== x.dims.length) return null;
  const [batch, cin, ...spatial] = x.dims as [number, number, ...number[]];
  const [cout, cinPerGroup, ...kernel] = w.dims as [number, number, ...number[]];
  const group = n.attrs.int('group', 1);
  if (cin % group !== 0 || cin / group !== cinPerGroup || cout % group !== 0) return null;
  const out = windowOutput(spatial, windowOf(n.attrs, n.attrs.ints('kernel_shape') ?? kernel));
  if (!out) return null;
  const positions = batch * cout * elements(out);
  const flops = 2 * positions * cinPerGroup * elements(kernel) + (b ? positions : 0);
  return { outputs: [{ dims: [batch, cout, ...out] }], flops };
};

const pool: Rule = (n) => {
  const x = first(n);
  const kernel = n.attrs.ints('kernel_shape');
  if (!x || !kernel || x.dims.length !== kernel.length + 2) return null;
  const [batch, channels, ...spatial] = x.dims as [number, number, ...number[]];
  const out = windowOutput(spatial, windowOf(n.attrs, kernel));
  if (!out) return null;
  const dims = [batch, channels, ...out];
  return { outputs: same(dims, n.node.output.length), flops: elements(dims) * elements(kernel) };
};

const globalPool: Rule = (n) => {
  const x = first(n);
  if (!x || x.dims.length < 3) return null;
  const [batch, channels, ...spatial] = x.dims as [number, number, ...number[]];
  return {
    outputs: [{ dims: [batch, channels, ...spatial.map(() => 1)] }],
    flops: elements(x.dims),
  };
};

const gemm: Rule = (n) => {
  const [a, b, c] = n.inputs;
  if (!a || !b || a.dims.length !== 2 || b.dims.length !== 2) return null;
  const [m, k] = (n.attrs.int('transA', 0) ? [...a.dims].reverse() : a.dims) as [number, number];
  const [k2, cols] = (n.attrs.int('transB', 0) ? [...b.dims].reverse() : b.dims) as [
    number,
    number,
  ];
  if (k !== k2) return null;
  return { outputs: [{ dims: [m, cols] }], flops: 2 * m * cols * k + (c ? m * cols : 0) };
};

const matMul: Rule = (n) => {
  const [a, b] = n.inputs;
  if (!a || !b || a.dims.length === 0 || b.dims.length === 0) return null;
  const aa = a.dims.length === 1 ? [1, ...a.dims] : [...a.dims];
  const bb = b.dims.length === 1 ? [...b.dims, 1] : [...b.dims];
  const [m, k] = aa.slice(-2) as [number, number];
  const [k2, cols] = bb.slice(-2) as [number, number];
  const batch = broadcast([aa.slice(0, -2), bb.slice(0, -2)]);
  if (k !== k2 || !batch) return null;
  const dims = [
    ...batch,
    ...(a.dims.length === 1 ? [] : [m]),
    ...(b.dims.length === 1 ? [] : [cols]),
  ];
  return { outputs: [{ dims }], flops: 2 * elements(batch) * m * cols * k };
};

const flatten: Rule = (n) => {
  const x = first(n);
  const axis = x && axisOf(n.attrs.int('axis', 1), x.dims.length + 1);
  if (!x || axis === null || axis === undefined) return null;
  return {
    outputs: [{ dims: [elements(x.dims.slice(0, axis)), elements(x.dims.slice(axis))] }],
    flops: 0,
  };
};

const reshape: Rule = (n) => {
  const [x, shape] = n.inputs;
  const target = shape?.values;
  if (!x || !target) return null;
  const allowZero = n.attrs.int('allowzero', 0) === 1;
  const dims = target.map((d, i) => (d === 0 && !allowZero ? (x.dims[i] ?? NaN) : d));
  const known = elements(dims.filter((d) => d !== -1));
  const inferred = dims.map((d) => (d === -1 ? elements(x.dims) / known : d));
  if (dims.filter((d) => d === -1).length > 1) return null;
  if (
    !inferred.every((d) => Number.isInteger(d) && d >= 0) ||
    elements(inferred) !== elements(x.dims)
  )
    return null;
  return { outputs: [{ dims: inferred, ...(x.values ? { values: x.values } : {}) }], flops: 0 };
};

const transpose: Rule = (n) => {
  const x = first(n);
  if (!x) return null;
  const perm = n.attrs.ints('perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i);
  if (perm.length !== x.dims.length) return null;
  return { outputs: [{ dims: perm.map((p) => x.dims[p] as number) }], flops: 0 };
};

const concat: Rule = (n) => {
  const parts = n.inputs.filter((i): i is TensorFact => i !== undefined);
  const rank = parts[0]?.dims.length ?? 0;
  const axis = axisOf(n.attrs.int('axis', 0), rank);
  if (parts.length === 0 || axis === null || parts.some((p) => p.dims.length !== rank)) return null;
  const dims = [...(parts[0] as TensorFact).dims];
  dims[axis] = parts.reduce((s, p) => s + (p.dims[axis] as number), 0);
  const values =
    rank === 1 && parts.every((p) => p.values) ? parts.flatMap((p) => p.values ?? []) : undefined;
  return { outputs: [{ dims, ...(values ? { values } : {}) }], flops: 0 };
};

const constant: Rule = (n) => {
  const a = n.node.attribute[0];
  if (!a) return null;
  const dims = (fact: TensorFact) => ({ outputs: [fact], flops: 0 });
  if (a.t) return dims(tensorFact(a.t));
  if (a.sparseTensor) return dims({ dims: a.sparseTensor.dims.map(Number) });
  if (a.name === 'value_float') return dims({ dims: [], values: [a.f] });
  if (a.name === 'value_int') return dims({ dims: [], values: [Number(a.i)] });
  if (a.name === 'value_floats') return dims({ dims: [a.floats.length], values: [...a.floats] });
  if (a.name === 'value_ints') return dims({ dims: [a.ints.length], values: a.ints.map(Number) });
  return null;
};

/** Axes from the attribute (opset < 13) or input 1 (opset ≥ 13), normalized for `rank`. */
function axesOf(n: RuleInput, rank: number): number[] | null | undefined {
  const raw = n.attrs.ints('axes') ?? n.inputs[1]?.values;
  if (raw === undefined) return n.inputs[1] ? null : undefined;
  const axes = raw.map((a) => axisOf(a, rank));
  return axes.every((a) => a !== null) ? (axes as number[]) : null;
}

const squeeze: Rule = (n) => {
  const x = first(n);
  if (!x) return null;
  const axes = axesOf(n, x.dims.length);
  if (axes === null) return null;
  const drop = axes ?? x.dims.flatMap((d, i) => (d === 1 ? [i] : []));
  if (drop.some((a) => x.dims[a] !== 1)) return null;
  const dims = x.dims.filter((_, i) => !drop.includes(i));
  return { outputs: [{ dims, ...(x.values ? { values: x.values } : {}) }], flops: 0 };
};

const unsqueeze: Rule = (n) => {
  const x = first(n);
  if (!x) return null;
  const rank = x.dims.length + (n.attrs.ints('axes') ?? n.inputs[1]?.values ?? []).length;
  const axes = axesOf(n, rank);
  if (!axes) return null;
  const rest = [...x.dims];
  const dims = Array.from({ length: rank }, (_, i) =>
    axes.includes(i) ? 1 : (rest.shift() as number),
  );
  return { outputs: [{ dims, ...(x.values ? { values: x.values } : {}) }], flops: 0 };
};

const depthToSpace: Rule = (n) => {
  const x = first(n);
  const b = n.attrs.int('blocksize', 0);
  if (!x || x.dims.length !== 4 || b < 1) return null;
  const [batch, c, h, w] = x.dims as [number, number, number, number];
  if (c % (b * b) !== 0) return null;
  return { outputs: [{ dims: [batch, c / (b * b), h * b, w * b] }], flops: 0 };
};

const spaceToDepth: Rule = (n) => {
  const x = first(n);
  const b = n.attrs.int('blocksize', 0);
  if (!x || x.dims.length !== 4 || b < 1) return null;
  const [batch, c, h, w] = x.dims as [number, number, number, number];
  if (h % b !== 0 || w % b !== 0) return null;
  return { outputs: [{ dims: [batch, c * b * b, h / b, w / b] }], flops: 0 };
};

/** Resize (X, roi, scales, sizes) and Upsample (X, scales): output dims only, 0 FLOPs. */
const resize: Rule = (n) => {
  const x = first(n);
  if (!x) return null;
  const scales = n.node.opType === 'Upsample' ? n.inputs[1] : n.inputs[2];
  const sizes = n.inputs[3]?.values;
  const byScale = scales?.values?.length === x.dims.length ? scales.values : undefined;
  const dims = sizes ?? byScale?.map((s, i) => Math.floor((x.dims[i] as number) * s));
  if (!dims || dims.length !== x.dims.length) return null;
  return { outputs: [{ dims }], flops: 0 };
};

const shape: Rule = (n) => {
  const x = first(n);
  if (!x) return null;
  const r = x.dims.length;
  const start = axisOf(Math.max(-r, Math.min(r, n.attrs.int('start', 0))), r + 1) ?? 0;
  const endRaw = n.attrs.int('end', r);
  const end = Math.max(0, Math.min(r, endRaw < 0 ? endRaw + r : endRaw));
  const values = x.dims.slice(start, end);
  return { outputs: [{ dims: [values.length], values }], flops: 0 };
};

const batchNorm: Rule = (n) => {
  const x = first(n);
  if (!x || x.dims.length < 2) return null;
  const c = x.dims[1] as number;
  const outputs = n.node.output.map((_, i) => ({ dims: i === 0 ? x.dims : [c] }));
  return { outputs, flops: 2 * elements(x.dims) };
};

const dropout: Rule = (n) => {
  const x = first(n);
  return x ? { outputs: same(x.dims, n.node.output.length), flops: 0 } : null;
};

const UNARY = [
  'Relu',
  'LeakyRelu',
  'Sigmoid',
  'Tanh',
  'Clip',
  'Elu',
  'Selu',
  'HardSigmoid',
  'HardSwish',
  'Softplus',
  'Exp',
  'Log',
  'Sqrt',
  'Abs',
  'Neg',
  'Erf',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
] as const;
const BINARY = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'PRelu', 'Max', 'Min', 'Sum'] as const;

/** Every operator of the default ONNX domain that counting knows, with its rule. */
export const RULES: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries(UNARY.map((op) => [op, elementwise(1)])),
  ...Object.fromEntries(BINARY.map((op) => [op, broadcasting])),
  Conv: conv,
  Gemm: gemm,
  MatMul: matMul,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Softmax: elementwise(3),
  LogSoftmax: elementwise(3),
  BatchNormalization: batchNorm,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Identity: passThrough,
  Cast: passThrough,
  Dropout: dropout,
  Constant: constant,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
  Resize: resize,
  Upsample: resize,
  Shape: shape,
};
