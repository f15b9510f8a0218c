/**
 * Resample sums of many submissions at once, bit-for-bit as one running total per submission
 * would give them. Column c's sum for resample r is 0 + v[idx[r·n]] + v[idx[r·n+1]] + … in
 * draw order, each addition an IEEE-754 double addition rounded to nearest — exactly what the
 * one-column loop in bootstrap.ts computes. What changes is only that eight columns are summed
 * side by side, so eight additions wait on each index read instead of one running total
 * waiting on the previous addition.
 *
 * The kernel is a small WebAssembly function (built below, byte by byte, no toolchain): its
 * f64x2.add is the IEEE double addition in each lane, so its results equal the JavaScript
 * loop's (a test compares them bit for bit). Where WebAssembly SIMD is missing, the same
 * lanes run in JavaScript.
 */

/** Columns summed together. */
export const LANES = 8;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];

/**
 * Returns the kernel module's bytes: `sums(idx, v, out, n, resamples)` over its exported
 * memory `mem`, where idx holds n·resamples uint32 indices, v holds n rows of LANES doubles
 * and out receives resamples rows of LANES sums. Locals: 5 r, 6 j, 7 idx pointer, 8 row
 * address, 9 out pointer, 10.. the LANES/2 f64x2 accumulators.
 */
export function kernelBytes(): Uint8Array {
  const get = (i: number) => [0x20, ...uleb(i)];
  const set = (i: number) => [0x21, ...uleb(i)];
  const i32 = (v: number) => [0x41, ...sleb(v)];
  const pairs = LANES / 2;
  const acc = Array.from({ length: pairs }, (_, q) => 10 + q);
  const loopWhileBelow = (i: number, bound: number) => [
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(i), ...get(bound), 0x4f, 0x0d, 0x01], // i >= bound → break
  ];
  const step = (i: number, by: number) => [...get(i), ...i32(by), 0x6a, ...set(i)];
  const zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [
    ...[...get(0), ...set(7), ...get(2), ...set(9), ...i32(0), ...set(5)],
    ...loopWhileBelow(5, 4),
    ...acc.flatMap((a) => [...zero, ...set(a)]),
    ...[...i32(0), ...set(6)],
    ...loopWhileBelow(6, 3),
    // row = v + idx[k] · LANES · 8
    ...[...get(7), 0x28, 0x02, 0x00, ...i32(Math.log2(LANES * 8)), 0x74, ...get(1), 0x6a],
    ...set(8),
    ...acc.flatMap((a, q) => [
      ...[...get(a), ...get(8), 0xfd, 0x00, 0x04, ...uleb(16 * q)], // v128.load
      ...[0xfd, ...uleb(240), ...set(a)], // f64x2.add
    ]),
    ...[...step(7, 4), ...step(6, 1), 0x0c, 0x00, 0x0b, 0x0b],
    ...acc.flatMap((a, q) => [...get(9), ...get(a), 0xfd, 0x0b, 0x04, ...uleb(16 * q)]),
    ...[...step(9, LANES * 8), ...step(5, 1), 0x0c, 0x00, 0x0b, 0x0b, 0x0b],
  ];
  const func = [0x02, 0x05, 0x7f, ...uleb(pairs), 0x7b, ...body];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, ...name('mem'), 0x02, 0x00, ...name('sums'), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(func.length), ...func]),
  ]);
}

/** The part of the WebAssembly API used here (tsconfig has no DOM library to declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

let kernel: object | null | undefined;

function kernelModule(): object | null {
  if (kernel === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = kernelBytes();
    kernel = api?.validate(bytes) ? new api.Module(bytes) : null;
  }
  return kernel;
}

/** Returns true when this runtime runs the WebAssembly kernel (SIMD available). */
export function wasmKernelAvailable(): boolean {
  return kernelModule() !== null;
}

function instantiate(mod: object): { mem: WasmMemory; sums: Kernel } {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
  const { exports } = new api.Instance(mod, {});
  return { mem: exports.mem as WasmMemory, sums: exports.sums as Kernel };
}

type Kernel = (idx: number, v: number, out: number, n: number, resamples: number) => void;

/**
 * Returns each column's resample sums (one Float64Array of `resamples` per column) for n pairs
 * and the row-major indices `idx`. `useWasm` false forces the JavaScript lanes (for tests).
 */
export function laneSums(
  columns: readonly Float64Array[],
  idx: Uint32Array,
  n: number,
  resamples: number,
  useWasm = true,
): Float64Array[] {
  const mod = useWasm ? kernelModule() : null;
  const out: Float64Array[] = [];
  if (mod === null) {
    for (let c = 0; c < columns.length; c += LANES) {
      out.push(...jsLanes(columns.slice(c, c + LANES), idx, n, resamples));
    }
    return out;
  }
  const { mem, sums } = instantiate(mod);
  const vAt = idx.byteLength;
  const outAt = vAt + n * LANES * 8;
  mem.grow(Math.ceil((outAt + resamples * LANES * 8) / 65536));
  new Uint32Array(mem.buffer, 0, idx.length).set(idx);
  const v = new Float64Array(mem.buffer, vAt, n * LANES);
  const res = new Float64Array(mem.buffer, outAt, resamples * LANES);
  for (let c = 0; c < columns.length; c += LANES) {
    const lanes = columns.slice(c, c + LANES);
    v.fill(0);
    lanes.forEach((column, lane) => {
      for (let j = 0; j < n; j++) v[j * LANES + lane] = column[j]!;
    });
    sums(0, vAt, outAt, n, resamples);
    out.push(...lanes.map((_, lane) => strided(res, lane, resamples)));
  }
  return out;
}

function strided(res: Float64Array, lane: number, resamples: number): Float64Array {
  const column = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) column[r] = res[r * LANES + lane]!;
  return column;
}

/** The same lanes in JavaScript: eight running totals per index read. */
function jsLanes(
  columns: readonly Float64Array[],
  idx: Uint32Array,
  n: number,
  resamples: number,
): Float64Array[] {
  const v = new Float64Array(n * LANES);
  columns.forEach((column, c) => {
    for (let j = 0; j < n; j++) v[j * LANES + c] = column[j]!;
  });
  const res = new Float64Array(LANES * resamples);
  for (let r = 0, k = 0; r < resamples; r++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let j = 0; j < n; j++, k++) {
      const at = idx[k]! * LANES;
      a0 += v[at]!;
      a1 += v[at + 1]!;
      a2 += v[at + 2]!;
      a3 += v[at + 3]!;
      a4 += v[at + 4]!;
      a5 += v[at + 5]!;
      a6 += v[at + 6]!;
      a7 += v[at + 7]!;
    }
    res.set([a0, a1, a2, a3, a4, a5, a6, a7], r * LANES);
  }
  return columns.map((_, lane) => strided(res, lane, resamples));
}
