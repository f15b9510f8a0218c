/**
 * Counting an ONNX model's nodes, stored tensors and subgraph nesting straight from the
 * protobuf wire bytes, without decoding a single message: a graph-size bomb (hundreds of
 * thousands of trivial nodes inside the byte cap) costs seconds and hundreds of MB to decode
 * and to load, and this scan refuses it first in milliseconds. Iterative (no recursion), so a
 * deeply nested model cannot exhaust the stack either.
 */

/** What the scan counts, over every graph (main, subgraphs, functions, training graphs). */
export interface WireCounts {
  readonly nodes: number;
  /** Initializers and sparse initializers of every graph. */
  readonly initializers: number;
  /** Deepest nesting of subgraphs (the main graph is 1; an If branch inside it is 2). */
  readonly nesting: number;
}

type Kind = 'model' | 'graph' | 'node' | 'attribute' | 'function' | 'training';

/** Sub-messages worth entering, by (kind, field number). */
const CHILDREN: Record<Kind, Partial<Record<number, Kind>>> = {
  model: { 7: 'graph', 20: 'training', 25: 'function' },
  training: { 1: 'graph', 2: 'graph' },
  graph: { 1: 'node' },
  node: { 5: 'attribute' },
  attribute: { 6: 'graph', 11: 'graph' },
  function: { 7: 'node' },
};

interface Frame {
  readonly kind: Kind;
  readonly start: number;
  readonly end: number;
  /** Graph nesting of the graph this message is in (0 outside any graph). */
  readonly level: number;
}

/**
 * Returns the counts of a serialized ModelProto, or null when the bytes are not well-formed
 * protobuf (the real parser then says why). Never throws.
 */
export function scanCounts(bytes: Uint8Array): WireCounts | null {
  let nodes = 0;
  let initializers = 0;
  let nesting = 0;
  const stack: Frame[] = [{ kind: 'model', start: 0, end: bytes.length, level: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    let at = frame.start;
    while (at < frame.end) {
      const tag = readVarint(bytes, at, frame.end);
      if (tag === null) return null;
      at = tag.next;
      const fieldNo = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (wire === 0) {
        const v = readVarint(bytes, at, frame.end);
        if (v === null) return null;
        at = v.next;
      } else if (wire === 1 || wire === 5) {
        at += wire === 1 ? 8 : 4;
      } else if (wire === 2) {
        const len = readVarint(bytes, at, frame.end);
        if (len === null || len.next + len.value > frame.end) return null;
        const start = len.next;
        at = start + len.value;
        if (frame.kind === 'graph' && (fieldNo === 5 || fieldNo === 15)) initializers += 1;
        const child = CHILDREN[frame.kind][fieldNo];
        if (child === undefined) continue;
        if (child === 'node') nodes += 1;
        const level = child === 'graph' ? frame.level + 1 : frame.level;
        nesting = Math.max(nesting, level);
        stack.push({ kind: child, start, end: at, level });
      } else return null;
    }
    if (at !== frame.end) return null;
  }
  return { nodes, initializers, nesting };
}

function readVarint(
  bytes: Uint8Array,
  at: number,
  end: number,
): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = at; i < end && i < at + 10; i++) {
    const b = bytes[i] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  return null;
}

/**
 * Returns the longest chain of nodes in one graph (1 for a single node, 0 for none): each
 * node's depth is 1 + the deepest node producing one of its inputs. Kahn's order, so it holds
 * for graphs stored out of topological order; nodes on a cycle are left out.
 */
export function graphDepth(
  nodes: readonly { readonly input: readonly string[]; readonly output: readonly string[] }[],
): number {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.output.forEach((o) => o !== '' && producer.set(o, i)));
  const consumers: number[][] = nodes.map(() => []);
  const waiting = nodes.map(() => 0);
  nodes.forEach((n, i) => {
    for (const x of n.input) {
      const p = producer.get(x);
      if (p === undefined || p === i) continue;
      consumers[p]!.push(i);
      waiting[i]! += 1;
    }
  });
  const depth = nodes.map(() => 1);
  const ready = nodes.flatMap((_, i) => (waiting[i] === 0 ? [i] : []));
  let deepest = 0;
  while (ready.length > 0) {
    const i = ready.pop() as number;
    deepest = Math.max(deepest, depth[i]!);
    for (const c of consumers[i]!) {
      depth[c] = Math.max(depth[c]!, depth[i]! + 1);
      if (--waiting[c]! === 0) ready.push(c);
    }
  }
  return deepest;
}
