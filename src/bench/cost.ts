/**
 * Static cost of an ONNX model: parameters and FLOPs, counted from the graph without running
 * it, for concrete input dims. Rules (docs/cost-counting.md has them with examples):
 *
 * - **Parameters** = elements of every stored tensor (initializers, sparse initializer values,
 *   Constant node values, list attributes of Constant nodes), the same sum as inspection's
 *   `parameters`. Shape tensors (e.g. a Reshape target) count too.
 * - **FLOPs**, one multiply-add = 2: Conv 2·(Cin/group)·∏kernel·N·Cout·∏out (+ N·Cout·∏out
 *   for a bias); Gemm 2·M·N·K (+ M·N with C; alpha and beta are free); MatMul 2·batch·M·N·K;
 *   MaxPool/AveragePool ∏kernel per output element; GlobalAverage/MaxPool one per input
 *   element; unary elementwise (Relu, Sigmoid, Tanh, Clip, …) 1 per output element; n-ary
 *   elementwise (Add, Sub, Mul, Div, …) n − 1 per output element after broadcasting;
 *   Softmax/LogSoftmax 3 per element (exp, sum, divide); BatchNormalization 2 per element
 *   (folded scale and shift). Data movement (Reshape, Flatten, Transpose, Concat, Squeeze,
 *   Unsqueeze, Identity, Cast, Dropout, Constant, Shape, DepthToSpace, SpaceToDepth) and
 *   Resize/Upsample (any mode: shape only) are 0.
 * - An operator counting does not know (or from another domain) never throws: its nodes are
 *   listed in `unknown` with reason `unsupported-op` and its outputs' shapes become unknown. A
 *   known operator whose input shape is unknown, or whose inputs and attributes do not fix its
 *   output, is listed with reason `shape-unknown` and propagates the same way. `flops` then
 *   sums only the counted nodes (a lower bound) and `complete` is false.
 */
import type { GraphProto, ModelProto } from 'onnx-buf';
import { RULES, type RuleOutput } from './cost-ops.js';
import { Attributes, tensorFact, type TensorFact } from './cost-shape.js';
import { storedTensors } from './onnx-read.js';

/** FLOPs and node count of one operator type. */
export interface OpCost {
  readonly count: number;
  readonly flops: number;
}

/** Why nodes could not be counted. */
export type UncountedReason = 'unsupported-op' | 'shape-unknown';

/** Nodes of one operator that were not counted. */
export interface Uncounted {
  /** op type; `domain:op` outside the default domain */
  readonly op: string;
  readonly nodes: number;
  readonly reason: UncountedReason;
}

/** The static cost of a model. */
export interface CostReport {
  readonly parameters: number;
  /** sum over the counted nodes */
  readonly flops: number;
  /** counted nodes per op type (default domain) */
  readonly byOp: Record<string, OpCost>;
  /** nodes not counted, sorted by op then reason; empty when every node was counted */
  readonly unknown: Uncounted[];
  /** true when every node was counted (`unknown` is empty) */
  readonly complete: boolean;
}

/** How the graph's inputs get concrete dims. */
export interface CostBindings {
  /** a value for each symbolic dim (dim_param) by name, e.g. `{ batch: 1 }` */
  readonly dims?: Readonly<Record<string, number>>;
  /** full dims of an input by name; replaces what the graph declares for it */
  readonly inputs?: Readonly<Record<string, readonly number[]>>;
}

/** The op types counting knows (default ONNX domain), sorted. */
export const COUNTED_OPS: readonly string[] = Object.keys(RULES).sort();

/** A binding that contradicts the graph (wrong rank or a fixed dim changed). */
export class CostBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostBindingError';
  }
}

/**
 * Counts parameters and FLOPs of `model`'s main graph for the input dims `bindings` gives
 * (declared fixed dims are used as they are). Returns the report; throws CostBindingError only
 * when a binding contradicts the graph's declared inputs. Never throws for an operator.
 */
export function countCost(model: ModelProto, bindings: CostBindings = {}): CostReport {
  const graph = model.graph;
  const facts = new Map<string, TensorFact | null>();
  if (graph) bindInputs(graph, bindings, facts);
  const byOp: Record<string, OpCost> = {};
  const uncounted = new Map<string, Uncounted>();
  const skip = (op: string, reason: UncountedReason, outputs: readonly string[]) => {
    const key = `${op}\u0000${reason}`;
    const prev = uncounted.get(key);
    uncounted.set(key, { op, reason, nodes: (prev?.nodes ?? 0) + 1 });
    for (const o of outputs) if (o !== '') facts.set(o, null);
  };
  for (const node of graph?.node ?? []) {
    const domain = node.domain === 'ai.onnx' ? '' : node.domain;
    const op = domain === '' ? node.opType : `${domain}:${node.opType}`;
    const rule = domain === '' ? RULES[node.opType] : undefined;
    if (!rule) {
      skip(op, 'unsupported-op', node.output);
      continue;
    }
    const inputs = node.input.map((name) => (name === '' ? undefined : (facts.get(name) ?? null)));
    let result: RuleOutput | null = null;
    if (inputs.every((i) => i !== null)) {
      try {
        result = rule({
          node,
          attrs: new Attributes(node),
          inputs: inputs as (TensorFact | undefined)[],
        });
      } catch {
        result = null;
      }
    }
    if (!result || result.outputs.length < node.output.filter((o) => o !== '').length) {
      skip(op, 'shape-unknown', node.output);
      continue;
    }
    node.output.forEach((o, i) => o !== '' && facts.set(o, result.outputs[i] as TensorFact));
    const prev = byOp[op] ?? { count: 0, flops: 0 };
    byOp[op] = { count: prev.count + 1, flops: prev.flops + result.flops };
  }
  const unknown = [...uncounted.values()].sort(
    (a, b) => a.op.localeCompare(b.op) || a.reason.localeCompare(b.reason),
  );
  const flops = Object.values(byOp).reduce((s, c) => s + c.flops, 0);
  return {
    parameters: parameterCount(model),
    flops,
    byOp,
    unknown,
    complete: unknown.length === 0,
  };
}

/** Elements of every stored tensor, Constant list values included (inspection's `parameters`). */
export function parameterCount(model: ModelProto): number {
  return storedTensors(model).tensors.reduce((n, t) => n + t.count, 0);
}

function bindInputs(
  graph: GraphProto,
  bindings: CostBindings,
  facts: Map<string, TensorFact | null>,
): void {
  for (const t of graph.initializer) facts.set(t.name, tensorFact(t));
  for (const v of graph.input) {
    if (facts.has(v.name)) continue;
    const type = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
    const declared = (type?.shape?.dim ?? []).map((d) => {
      if (d.value.case === 'dimValue') return Number(d.value.value);
      if (d.value.case === 'dimParam') return bindings.dims?.[d.value.value];
      return undefined;
    });
    const given = bindings.inputs?.[v.name];
    if (given) {
      checkGiven(v.name, given, type?.shape ? declared : undefined, graph);
      facts.set(v.name, { dims: [...given] });
    } else {
      const known = type?.shape && declared.every((d) => d !== undefined && d > 0);
      facts.set(v.name, known ? { dims: declared as number[] } : null);
    }
  }
  for (const name of Object.keys(bindings.inputs ?? {})) {
    if (!graph.input.some((v) => v.name === name)) {
      throw new CostBindingError(`cost bindings: inputs/${name}: the graph has no input ${name}`);
    }
  }
}

function checkGiven(
  name: string,
  given: readonly number[],
  declared: readonly (number | undefined)[] | undefined,
  graph: GraphProto,
): void {
  const at = `cost bindings: inputs/${name}`;
  if (given.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new CostBindingError(`${at}: dims must be positive integers (got [${given.join(', ')}])`);
  }
  if (!declared) return;
  if (declared.length !== given.length) {
    throw new CostBindingError(
      `${at}: rank ${given.length}, but graph ${graph.name} declares rank ${declared.length}`,
    );
  }
  const fixed = graph.input.find((v) => v.name === name)?.type;
  const dims = fixed?.value.case === 'tensorType' ? (fixed.value.value.shape?.dim ?? []) : [];
  dims.forEach((d, i) => {
    if (d.value.case === 'dimValue' && Number(d.value.value) !== given[i]) {
      throw new CostBindingError(
        `${at}/${i}: ${given[i]}, but the graph fixes dimension ${i} to ${d.value.value}`,
      );
    }
  });
}
