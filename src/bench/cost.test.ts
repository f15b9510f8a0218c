import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import {
  TensorProtoSchema,
  TensorProto_DataType,
  type NodeProto,
  type TensorProto,
} from 'onnx-buf';
import {
  floatTensor,
  floatValueInfo,
  graph,
  model,
  node,
  type ModelProto,
} from '../models/onnx.js';
import { fromBinary } from '@bufbuild/protobuf';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ModelProtoSchema } from 'onnx-buf';
import { COUNTED_OPS, CostBindingError, countCost } from './cost.js';
import { inspectModel } from './inspect.js';
import { tempContest } from './testing/contest.js';

const ints = (name: string, values: number[]): TensorProto =>
  create(TensorProtoSchema, {
    name,
    dims: [BigInt(values.length)],
    dataType: TensorProto_DataType.INT64,
    int64Data: values.map(BigInt),
  });

const weights = (name: string, dims: number[]): TensorProto =>
  floatTensor(name, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)));

/** A one-input model: `x` with `dims`, the nodes in order, the last node's output as output. */
function build(
  dims: (number | string)[],
  nodes: NodeProto[],
  initializers: TensorProto[] = [],
  opset = 17,
): ModelProto {
  const last = nodes.at(-1)?.output[0] ?? 'x';
  return model(
    graph({
      name: 't',
      node: nodes,
      initializer: initializers,
      input: [floatValueInfo('x', dims)],
      output: [floatValueInfo(last, [])],
    }),
    {
      irVersion: 8,
      opsets: [{ domain: '', version: opset }],
      producerName: 'test',
      producerVersion: '0',
      docString: '',
      metadata: {},
    },
  );
}

describe('counting FLOPs per operator', () => {
  it('counts a grouped, strided, padded, dilated Conv with bias by the formula', () => {
    // x [2,4,9,9], W [6, 4/2, 3, 3], group 2, stride 2, pads 1, dilation 2 (span 5):
    // out = floor((9 + 2 - 5) / 2) + 1 = 4 → y [2,6,4,4], 192 positions
    // FLOPs = 2·192·(Cin/group = 2)·9 + 192 (bias) = 6912 + 192 = 7104
    const m = build(
      [2, 4, 9, 9],
      [
        node('Conv', 'c', ['x', 'w', 'b'], ['y'], {
          group: 2,
          strides: [2, 2],
          pads: [1, 1, 1, 1],
          dilations: [2, 2],
        }),
        node('Relu', 'r', ['y'], ['z']),
      ],
      [weights('w', [6, 2, 3, 3]), weights('b', [6])],
    );
    const r = countCost(m);
    expect(r.byOp.Conv).toEqual({ count: 1, flops: 7104 });
    expect(r.byOp.Relu).toEqual({ count: 1, flops: 192 });
    expect(r).toMatchObject({ flops: 7296, parameters: 108 + 6, unknown: [], complete: true });
  });

  it('follows auto_pad SAME_UPPER (⌈in/stride⌉) and VALID', () => {
    const conv = (autoPad: string) =>
      build(
        [1, 1, 10, 7],
        [node('Conv', 'c', ['x', 'w'], ['y'], { auto_pad: autoPad, strides: [3, 2] })],
        [weights('w', [5, 1, 3, 3])],
      );
    // SAME_UPPER: [⌈10/3⌉, ⌈7/2⌉] = [4, 4]: 2·(1·9)·5·16 = 1440, no bias
    expect(countCost(conv('SAME_UPPER')).byOp.Conv?.flops).toBe(1440);
    // VALID: [⌊(10−3)/3⌋+1, ⌊(7−3)/2⌋+1] = [3, 3]: 2·9·5·9 = 810
    expect(countCost(conv('VALID')).byOp.Conv?.flops).toBe(810);
  });

  it('counts Gemm (transB, bias) and a broadcast batched MatMul', () => {
    // Gemm: A [3,20], B [7,20] transposed → [3,7]: 2·3·7·20 + 3·7 = 840 + 21 = 861
    const gemm = build(
      [3, 20],
      [node('Gemm', 'g', ['x', 'B', 'C'], ['y'], { transB: 1 })],
      [weights('B', [7, 20]), weights('C', [7])],
    );
    expect(countCost(gemm).byOp.Gemm).toEqual({ count: 1, flops: 861 });
    // MatMul: [2,1,4,5] × [3,5,6] → [2,3,4,6]: 2·(2·3)·4·6·5 = 1440
    const mm = build(
      [2, 1, 4, 5],
      [node('MatMul', 'm', ['x', 'B'], ['y'])],
      [weights('B', [3, 5, 6])],
    );
    expect(countCost(mm).byOp.MatMul?.flops).toBe(1440);
  });

  it('counts pooling by window size per output element', () => {
    // MaxPool 3×3 stride 2 ceil_mode on 8×8: ⌈(8−3)/2⌉+1 = 4 → [1,2,4,4] = 32 outputs × 9 = 288
    // AveragePool 2×2 stride 2 pads 1: ⌊(4+2−2)/2⌋+1 = 3 → [1,2,3,3] = 18 × 4 = 72
    // GlobalAveragePool reads 18 elements → 18
    const m = build(
      [1, 2, 8, 8],
      [
        node('MaxPool', 'p', ['x'], ['a'], { ceil_mode: 1, kernel_shape: [3, 3], strides: [2, 2] }),
        node('AveragePool', 'q', ['a'], ['b'], {
          kernel_shape: [2, 2],
          pads: [1, 1, 1, 1],
          strides: [2, 2],
        }),
        node('GlobalAveragePool', 'g', ['b'], ['c']),
        node('Flatten', 'f', ['c'], ['d']),
      ],
    );
    const r = countCost(m);
    expect([r.byOp.MaxPool?.flops, r.byOp.AveragePool?.flops]).toEqual([288, 72]);
    expect(r.byOp.GlobalAveragePool?.flops).toBe(18);
    expect(r.byOp.Flatten).toEqual({ count: 1, flops: 0 });
    expect(r.flops).toBe(378);
  });

  it('counts elementwise ops per output element after broadcasting, Softmax 3 and BatchNorm 2', () => {
    // x [2,3,4] = 24 elements; Add with a [4] bias broadcasts to 24 → 24
    const m = build(
      [2, 3, 4],
      [
        node('Add', 'a', ['x', 'bias'], ['a']),
        node('Sigmoid', 's', ['a'], ['b']),
        node('Mul', 'm', ['b', 'a'], ['c']),
        node('Softmax', 'sm', ['c'], ['d'], { axis: -1 }),
        node('BatchNormalization', 'bn', ['d', 'g', 'be', 'mu', 'var'], ['e']),
        node('Clip', 'cl', ['e'], ['f']),
      ],
      [weights('bias', [4]), ...['g', 'be', 'mu', 'var'].map((n) => weights(n, [3]))],
    );
    const r = countCost(m);
    expect(r.byOp).toEqual({
      Add: { count: 1, flops: 24 },
      Sigmoid: { count: 1, flops: 24 },
      Mul: { count: 1, flops: 24 },
      Softmax: { count: 1, flops: 72 },
      BatchNormalization: { count: 1, flops: 48 },
      Clip: { count: 1, flops: 24 },
    });
    expect(r.parameters).toBe(4 + 12);
  });

  it('propagates shapes through data-movement ops at 0 FLOPs', () => {
    // x [1,8,3,5] → Transpose [0,2,3,1] → [1,3,5,8] → Reshape [0,-1] → [1,120]
    // → Unsqueeze axes [2] (opset 13 input) → [1,120,1] → Squeeze axes [2] → [1,120]
    // → Concat with itself on axis 1 → [1,240] → Relu: 240 FLOPs proves the shape
    const m = build(
      [1, 8, 3, 5],
      [
        node('Transpose', 't', ['x'], ['a'], { perm: [0, 2, 3, 1] }),
        node('Reshape', 'r', ['a', 'shape'], ['b']),
        node('Unsqueeze', 'u', ['b', 'axes'], ['c']),
        node('Squeeze', 's', ['c', 'axes'], ['d']),
        node('Identity', 'i', ['d'], ['e']),
        node('Cast', 'k', ['e'], ['f'], { to: 1 }),
        node('Concat', 'cc', ['f', 'f'], ['g'], { axis: 1 }),
        node('Relu', 'relu', ['g'], ['h']),
      ],
      [ints('shape', [0, -1]), ints('axes', [2])],
    );
    const r = countCost(m);
    expect(r.unknown).toEqual([]);
    expect(r.byOp.Relu).toEqual({ count: 1, flops: 240 });
    expect(r.flops).toBe(240);
    expect(r.parameters).toBe(3);
  });

  it('propagates DepthToSpace, Resize by scales, and Constant values', () => {
    // x [1,8,2,3] → DepthToSpace 2 → [1,2,4,6] → Resize scales [1,1,2,1.5] → [1,2,8,9] = 144
    const m = build(
      [1, 8, 2, 3],
      [
        node('DepthToSpace', 'd', ['x'], ['a'], { blocksize: 2 }),
        node('Constant', 'k', [], ['scales'], { value_floats: { floats: [1, 1, 2, 1.5] } }),
        node('Resize', 'rs', ['a', '', 'scales'], ['b'], { mode: 'nearest' }),
        node('Relu', 'r', ['b'], ['c']),
      ],
    );
    const r = countCost(m);
    expect(r.byOp.Resize).toEqual({ count: 1, flops: 0 });
    expect(r.byOp.Relu?.flops).toBe(144);
    expect(r.parameters).toBe(4);
  });
});

describe('what counting cannot know', () => {
  it('lists an unknown op and the nodes whose shapes depend on it, and counts the rest', () => {
    const m = build(
      [1, 3, 8, 8],
      [
        node('Relu', 'r', ['x'], ['a']),
        node('FusedUpsample', 'up', ['a'], ['b'], {}, 'com.example.fast'),
        node('Conv', 'c', ['b', 'w'], ['y']),
        node('Relu', 'r2', ['y'], ['z']),
        node('NonMaxSuppression', 'nms', ['z'], ['n']),
      ],
      [weights('w', [4, 3, 3, 3])],
    );
    const r = countCost(m);
    expect(r.unknown).toEqual([
      { op: 'com.example.fast:FusedUpsample', nodes: 1, reason: 'unsupported-op' },
      { op: 'Conv', nodes: 1, reason: 'shape-unknown' },
      { op: 'NonMaxSuppression', nodes: 1, reason: 'unsupported-op' },
      { op: 'Relu', nodes: 1, reason: 'shape-unknown' },
    ]);
    expect(r.byOp).toEqual({ Relu: { count: 1, flops: 192 } });
    expect([r.flops, r.complete, r.parameters]).toEqual([192, false, 108]);
  });

  it('leaves a symbolic batch dim unknown until it is bound', () => {
    const m = build(['batch', 10], [node('Gemm', 'g', ['x', 'B'], ['y'])], [weights('B', [10, 2])]);
    expect(countCost(m).unknown).toEqual([{ op: 'Gemm', nodes: 1, reason: 'shape-unknown' }]);
    expect(countCost(m, { dims: { batch: 3 } }).byOp.Gemm?.flops).toBe(2 * 3 * 2 * 10);
    expect(countCost(m, { inputs: { x: [5, 10] } }).byOp.Gemm?.flops).toBe(2 * 5 * 2 * 10);
  });

  it('marks a node shape-unknown when its attributes do not fit its inputs, without throwing', () => {
    // W expects 5 input channels, x has 3
    const m = build(
      [1, 3, 4, 4],
      [node('Conv', 'c', ['x', 'w'], ['y'])],
      [weights('w', [2, 5, 1, 1])],
    );
    expect(countCost(m).unknown).toEqual([{ op: 'Conv', nodes: 1, reason: 'shape-unknown' }]);
  });

  it('refuses bindings that contradict the graph, naming the input and dim', () => {
    const m = build([1, 10], [node('Relu', 'r', ['x'], ['y'])]);
    expect(() => countCost(m, { inputs: { x: [2, 10] } })).toThrow(
      'cost bindings: inputs/x/0: 2, but the graph fixes dimension 0 to 1',
    );
    expect(() => countCost(m, { inputs: { x: [10] } })).toThrow(CostBindingError);
    expect(() => countCost(m, { inputs: { image: [1, 10] } })).toThrow(
      'cost bindings: inputs/image: the graph has no input image',
    );
  });

  it('knows every op the CNN contest names', () => {
    const required = [
      'Conv',
      'Gemm',
      'MatMul',
      'MaxPool',
      'AveragePool',
      'GlobalAveragePool',
      'Relu',
      'LeakyRelu',
      'Sigmoid',
      'Tanh',
      'Add',
      'Sub',
      'Mul',
      'Div',
      'Softmax',
      'Flatten',
      'Reshape',
      'Transpose',
      'BatchNormalization',
      'Concat',
      'Identity',
      'Constant',
      'Cast',
      'Clip',
      'Squeeze',
      'Unsqueeze',
      'DepthToSpace',
      'Resize',
    ];
    expect(required.filter((op) => !COUNTED_OPS.includes(op))).toEqual([]);
  });
});

describe('a real converted model', () => {
  it('counts the ESRGAN baseline completely, with the parameters inspection reports', async () => {
    const contest = await tempContest();
    const path = fileURLToPath(contest.contest.baseline.model.url);
    const m = fromBinary(ModelProtoSchema, await readFile(path));
    const r = countCost(m, { dims: { height: 16, width: 16 } });
    expect(r.unknown).toEqual([]);
    const inspected = await inspectModel(path, contest.contest);
    expect(r.parameters).toBe(inspected.report?.parameters);
    // every Conv of the RDN keeps its input's size (odd kernels, "same" pads): 16×16 before the
    // ×2 Resize, 32×32 for the last one (SR, after it); each costs 2·Cin·k²·Cout·HW + Cout·HW
    const convs = m.graph!.node.filter((n) => n.opType === 'Conv');
    const init = new Map(m.graph!.initializer.map((t) => [t.name, t.dims.map(Number)]));
    const expected = convs.reduce((sum, n) => {
      const [cout, cin, kh, kw] = init.get(n.input[1]!) as number[];
      const positions = cout! * (n.input[0] === 'UPsample' ? 32 * 32 : 16 * 16);
      return sum + 2 * positions * cin! * kh! * kw! + (n.input[2] ? positions : 0);
    }, 0);
    expect(r.byOp.Conv?.flops).toBe(expected);
    console.log(`esrgan-medium-x2 at 16×16: ${r.parameters} parameters, ${r.flops} FLOPs`);
  });
});
