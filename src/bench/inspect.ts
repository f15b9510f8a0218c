/**
 * Static inspection: what podium learns about a model without running it, and the reasons to
 * refuse it before any process loads it — not ONNX or truncated, too large, IO different from
 * the baseline's, operators outside the contest's domains/ops, external data pointing outside
 * the artifact's folder or past the end of its file, too many parameters, and graph-size bombs:
 * node and initializer counts are read off the wire bytes before anything is decoded, the
 * longest chain of nodes right after (onnx-scan.ts).
 */
import { fromBinary } from '@bufbuild/protobuf';
import { readFile } from 'node:fs/promises';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import type { Contest } from '../contest/load.js';
import type { ToChild } from './child/protocol.js';
import { scoresFlops } from '../tasks/contest-rules.js';
import { CostBindingError, countCost } from './cost.js';
import type { BenchDocument, BenchReason } from '../documents/bench.js';
import {
  allGraphs,
  allNodes,
  canonicalTensor,
  signatures,
  storedTensors,
  type IoSignature,
} from './onnx-read.js';
import { graphDepth, scanCounts } from './onnx-scan.js';
import { externalDataReasons, readExternalData } from './external-data.js';
import { tensorSketches, weightsHash, type TensorSketch } from './fingerprint.js';

/** The inspection record of a bench file. */
export type InspectionReport = NonNullable<BenchDocument['inspection']>;

/** The outcome of inspecting one file: its report (null if unreadable) and every refusal. */
export interface Inspected {
  readonly report: InspectionReport | null;
  readonly reasons: BenchReason[];
  /** Pipelines: what the child loads instead of `path` (the extracted graphs and knobs). */
  readonly pipeline?: PipelineLoad;
}

/** A checked pipeline, as the child loads it (protocol.ts). */
export type PipelineLoad = NonNullable<Extract<ToChild, { t: 'load' }>['pipeline']>;

/**
 * Inspects the ONNX file at `path` against the contest's limits and the baseline's IO
 * signature. Returns the report and the reasons to reject it (empty when it may run). Throws
 * only when the file cannot be read at all.
 */
export async function inspectModel(
  path: string,
  contest: Contest,
  feedDims: Readonly<Record<string, readonly number[]>> = {},
): Promise<Inspected> {
  const bytes = await readFile(path);
  const reasons: BenchReason[] = [];
  if (bytes.length > contest.limits.artifactBytes) {
    reasons.push({
      code: 'too-large',
      message: `${bytes.length} bytes, over the contest limit of ${contest.limits.artifactBytes}`,
    });
  }
  const bomb = sizeReasons(bytes, contest);
  if (bomb.length > 0) return { report: null, reasons: [...reasons, ...bomb] };
  const parsed = parse(bytes);
  if ('reason' in parsed) return { report: null, reasons: [...reasons, parsed.reason] };
  const model = parsed.model;
  reasons.push(...depthReasons(model, contest));
  const io = signatures(model.graph!);
  reasons.push(...compareIo('input', io.inputs, contest.baseline.io.inputs));
  reasons.push(...compareIo('output', io.outputs, contest.baseline.io.outputs));
  const ops = histogram(model);
  reasons.push(...operatorReasons(ops, contest));
  const external = await externalDataReasons(model, path);
  reasons.push(...external);
  if (external.length === 0) await readExternalData(model, path);
  const { parameters, weightsSha256, sketches } = weights(model, external.length === 0);
  const max = contest.limits.parameters;
  if (max !== undefined && parameters > max) {
    reasons.push({
      code: 'too-many-parameters',
      message: `${parameters} parameters (Constant nodes included), over the limit of ${max}`,
    });
  }
  const cost = staticCost(model, contest, feedDims);
  reasons.push(...cost.reasons);
  const report: InspectionReport = {
    opset: opsetOf(model),
    ops,
    parameters,
    flops: cost.flops,
    unknownOperators: cost.unknownOperators,
    weightsSha256,
    ...(sketches.length > 0 ? { tensorSketches: sketches } : {}),
    inputs: io.inputs,
    outputs: io.outputs,
  };
  return { report, reasons };
}

/** Subgraphs nested deeper than this are refused whatever the contest says (stack safety). */
const MAX_NESTING = 32;

/** Node, initializer and nesting limits, from the wire bytes alone (nothing decoded). */
function sizeReasons(bytes: Uint8Array, contest: Contest): BenchReason[] {
  const counts = scanCounts(bytes);
  if (counts === null) return []; // not well-formed protobuf: parse() says why
  const limits = contest.limits.graph;
  const reasons: BenchReason[] = [];
  const over = (code: string, what: string, got: number, max: number, field: string) => {
    if (got > max) {
      reasons.push({ code, message: `${got} ${what}, over the limit of ${max} (${field})` });
    }
  };
  over('too-many-nodes', 'nodes', counts.nodes, limits.nodes, 'limits.graph.nodes');
  over(
    'too-many-initializers',
    'initializers',
    counts.initializers,
    limits.initializers,
    'limits.graph.initializers',
  );
  over('graph-too-deep', 'levels of nested subgraphs', counts.nesting, MAX_NESTING, 'fixed');
  return reasons;
}

/** The longest chain of nodes in any graph against limits.graph.depth. */
function depthReasons(model: ModelProto, contest: Contest): BenchReason[] {
  const max = contest.limits.graph.depth;
  const depth = Math.max(0, ...allGraphs(model).map((g) => graphDepth(g.node)));
  if (depth <= max) return [];
  return [
    {
      code: 'graph-too-deep',
      message: `a chain of ${depth} nodes, over the limit of ${max} (limits.graph.depth)`,
    },
  ];
}

/**
 * FLOPs of one inference for the round's input dims (docs/cost-counting.md). Nodes counting
 * cannot cost (an unknown operator, or a shape it cannot follow) are listed; when FLOPs are
 * scored they refuse the model (limits.unknownOperators "reject"), otherwise the count is null
 * ("reject": nothing partial is published) or the known part ("ignore").
 */
function staticCost(
  model: ModelProto,
  contest: Contest,
  feedDims: Readonly<Record<string, readonly number[]>>,
): { flops: number | null; unknownOperators: string[]; reasons: BenchReason[] } {
  let cost;
  try {
    cost = countCost(model, { inputs: feedDims });
  } catch (err) {
    if (!(err instanceof CostBindingError)) throw err;
    return { flops: null, unknownOperators: [], reasons: [] };
  }
  const unknownOperators = cost.unknown.map((u) => `${u.op} (${u.reason}, ${u.nodes} node(s))`);
  const ignore = contest.limits.unknownOperators === 'ignore';
  const reasons: BenchReason[] =
    !cost.complete && scoresFlops(contest) && !ignore
      ? [
          {
            code: 'flops-uncountable',
            message: `FLOPs are scored and cannot be counted for ${unknownOperators.join(', ')}`,
          },
        ]
      : [];
  return { flops: cost.complete || ignore ? cost.flops : null, unknownOperators, reasons };
}

function parse(bytes: Uint8Array): { model: ModelProto } | { reason: BenchReason } {
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (err) {
    const message = (err as Error).message;
    const truncated = /premature|EOF|out of range|index out of/i.test(message);
    return {
      reason: {
        code: truncated ? 'truncated' : 'not-onnx',
        message: `cannot be parsed as an ONNX ModelProto: ${message}`,
      },
    };
  }
  const graph = model.graph;
  if (model.irVersion <= 0n || !graph || graph.node.length === 0 || graph.output.length === 0) {
    return {
      reason: {
        code: 'not-onnx',
        message: 'parses as protobuf but is not an ONNX model (no IR version, graph or outputs)',
      },
    };
  }
  return { model };
}

function compareIo(
  kind: 'input' | 'output',
  got: readonly IoSignature[],
  want: readonly { name: string; elementType: string; shape: readonly (number | string)[] }[],
): BenchReason[] {
  const names = (list: readonly { name: string }[]) => list.map((s) => s.name).join(', ');
  if (got.length !== want.length || got.some((g, i) => g.name !== want[i]?.name)) {
    return [
      {
        code: 'io-mismatch',
        message: `${kind}s are [${names(got)}], the baseline's are [${names(want)}]`,
      },
    ];
  }
  const reasons: BenchReason[] = [];
  got.forEach((g, i) => {
    const w = want[i]!;
    const problems: string[] = [];
    if (g.elementType !== w.elementType) {
      problems.push(`element type ${g.elementType} instead of ${w.elementType}`);
    }
    if (g.shape.length !== w.shape.length) {
      problems.push(`rank ${g.shape.length} instead of ${w.shape.length}`);
    } else {
      g.shape.forEach((d, k) => {
        const b = w.shape[k];
        if (typeof d === 'number' && typeof b === 'number' && d !== b) {
          problems.push(`dimension ${k} is ${d} instead of ${b}`);
        }
      });
    }
    if (problems.length > 0) {
      reasons.push({ code: 'io-mismatch', message: `${kind} ${g.name}: ${problems.join('; ')}` });
    }
  });
  return reasons;
}

function histogram(model: ModelProto): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const n of allNodes(model)) {
    const key = `${n.domain === '' ? 'ai.onnx' : n.domain}:${n.opType}`;
    ops[key] = (ops[key] ?? 0) + 1;
  }
  return ops;
}

function operatorReasons(ops: Record<string, number>, contest: Contest): BenchReason[] {
  const domains = new Set(contest.limits.operators.domains.map((d) => (d === '' ? 'ai.onnx' : d)));
  const allowedOps = contest.limits.operators.ops;
  const badDomain: string[] = [];
  const badOp: string[] = [];
  for (const key of Object.keys(ops).sort()) {
    const cut = key.lastIndexOf(':');
    const domain = key.slice(0, cut);
    const op = key.slice(cut + 1);
    if (!domains.has(domain)) badDomain.push(key);
    else if (allowedOps !== undefined && !allowedOps.includes(op)) badOp.push(key);
  }
  const reasons: BenchReason[] = [];
  if (badDomain.length > 0) {
    reasons.push({
      code: 'operator-domain',
      message: `operators from domains the contest does not allow: ${badDomain.join(', ')}`,
    });
  }
  if (badOp.length > 0) {
    reasons.push({
      code: 'operator-not-allowed',
      message: `operators outside the contest's list: ${badOp.join(', ')}`,
    });
  }
  return reasons;
}

/**
 * Parameters and fingerprints over every stored tensor. Fingerprints need every tensor's bytes:
 * with unreadable external data (`complete` false) they are null / empty.
 */
function weights(
  model: ModelProto,
  complete: boolean,
): { parameters: number; weightsSha256: string | null; sketches: TensorSketch[] } {
  const { tensors } = storedTensors(model);
  const parameters = tensors.reduce((n, t) => n + t.count, 0);
  const canonical = tensors.map(canonicalTensor);
  if (!complete || canonical.some((c) => c === null)) {
    return { parameters, weightsSha256: null, sketches: [] };
  }
  const all = canonical as NonNullable<(typeof canonical)[number]>[];
  return { parameters, weightsSha256: weightsHash(all), sketches: tensorSketches(all) };
}

function opsetOf(model: ModelProto): number | null {
  const main = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return main ? Number(main.version) : null;
}
