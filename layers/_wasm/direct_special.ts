// Geometry-specialised direct correlations: the correlate of ./direct_kernel.ts with its tap
// tables baked into the code. For one geometry every output plane has the same taps — the same
// byte offsets from its row, weights at the same positions of its own weight list — so the module
// emitted for that geometry has no table to read and no loop over taps: each block of V output
// vectors is a straight run of `splat weight; V × (load at a constant offset; multiply-add)`.
// Depthwise convolutions have 9 to 49 taps per row: the generic kernel spends more on reading
// its table and looping than on arithmetic there. Modules are cached per geometry (a training
// loop repeats a few shapes); the driver keeps specs with long tables (CONV_TUNING.
// directSpecialTaps) on the generic kernel.
//
// run(planes, inAt, outAt, wAt): for output plane P < planes, input group ⌊P / perGroup⌋ (at
// inAt + group·inGroupBytes), weights at wAt + P·wPlaneBytes, output at outAt + P·outPlaneBytes;
// output row i has row class (c0 + i) mod classes and reads from input row block
// rowBlock0 + ⌊(c0 + i) / classes⌋ (inRowStep bytes apart); each of its segments is a row of
// `vectors` vectors, written as blocks of blockVectors and one shorter block (or, interleaved,
// two segments' sums merged into 2·vectors vectors of alternate columns). A row's last block may
// write past it (into cells written later, or slack) and read past the input it needs.

import { addTo, forRange, i32Locals } from "./emit.ts";
import { type FunctionBuilder, I32, ModuleBuilder, V128 } from "./writer.ts";
import { MAX_PAGES, plainContext, type WasmContext } from "./engine.ts";
import { withSharedMemory } from "./writer.ts";

/** One tap: byte offset from the row block's base (≥ 0) and weight index in the plane's list. */
export interface Tap {
  offset: number;
  weight: number;
}

/** Everything static about one geometry's correlation. */
export interface CorrelateSpec {
  classes: number;
  segments: number;
  rows: number;
  /** Row class of output row 0. */
  c0: number;
  /** Input row block of output row 0, bytes from the group base. */
  rowStart: number;
  vectors: number;
  blockVectors: number;
  outPlaneBytes: number;
  outRowBytes: number;
  segmentBytes: number;
  inGroupBytes: number;
  inRowStep: number;
  perGroup: number;
  wPlaneBytes: number;
  /** Taps per (class · segments + segment). */
  tables: Tap[][];
  /**
   * Two segments written interleaved instead of side by side: segment 0 gives the even, segment
   * 1 the odd columns of each block (blocks of `blockVectors` pairs: 4·blockVectors columns per
   * segment read, 8·blockVectors written). For a W stride 2 input gradient written compact.
   */
  interleave: boolean;
  relaxed: boolean;
}

interface SpecialExports {
  run: (planes: number, inAt: number, outAt: number, wAt: number) => void;
}

/** Per context (plain, shared: each thread has its own instances), the modules by spec. */
const caches = new WeakMap<WasmContext, Map<string, SpecialExports>>();
const CACHE_SIZE = 32;

/**
 * The specialised module for `spec` on `ctx`'s memory, emitted on first use and kept (LRU of
 * CACHE_SIZE per context; not WasmContext.instance, which keeps every module it made).
 */
export function specialCorrelate(
  spec: CorrelateSpec,
  ctx: WasmContext = plainContext(),
): SpecialExports {
  let cache = caches.get(ctx);
  if (cache === undefined) caches.set(ctx, cache = new Map());
  const key = JSON.stringify(spec);
  let found = cache.get(key);
  if (found) {
    cache.delete(key);
  } else {
    const bytes = ctx.shared ? withSharedMemory(buildSpecial(spec)) : buildSpecial(spec);
    const module = new WebAssembly.Module(bytes as BufferSource);
    found = new WebAssembly.Instance(module, { env: { memory: ctx.memory } })
      .exports as unknown as SpecialExports;
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, found);
  return found;
}

function buildSpecial(spec: CorrelateSpec): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages: MAX_PAGES });
  emitRun(module.addFunction([I32, I32, I32, I32], [], "run").builder, spec);
  return module.encode();
}

function emitRun(f: FunctionBuilder, spec: CorrelateSpec): void {
  const [planes, inAt, outAt, wAt] = f.params;
  const [plane, row, cls, inGroup, inRow, wP, out, o, ip, b] = i32Locals(f, 10);
  const accCount = spec.blockVectors * (spec.interleave ? 2 : 1);
  const acc = Array.from({ length: accCount }, () => f.local(V128));
  const wv = f.local(V128);
  const full = Math.floor(spec.vectors / spec.blockVectors);
  const tail = spec.vectors - full * spec.blockVectors;

  /** acc[first + v] = Σ over `table` of weight · the vector at ip + offset + 16v, v < vectors. */
  const sums = (vectors: number, table: Tap[], first: number) => {
    for (let v = 0; v < vectors; v++) f.v128ConstF32(0, 0, 0, 0).set(acc[first + v]);
    for (const tap of table) {
      f.get(wP).v128Load32Splat(4 * tap.weight, 2).set(wv);
      for (let v = 0; v < vectors; v++) {
        const a = acc[first + v];
        if (spec.relaxed) {
          f.get(wv).get(ip).v128Load(tap.offset + 16 * v, 0).get(a).f32x4RelaxedMadd();
        } else {
          f.get(a).get(wv).get(ip).v128Load(tap.offset + 16 * v, 0).f32x4Mul().f32x4Add();
        }
        f.set(a);
      }
    }
  };
  /** `vectors` output vectors at o from input base ip with the taps of `table`. */
  const block = (vectors: number, table: Tap[]) => {
    sums(vectors, table, 0);
    for (let v = 0; v < vectors; v++) f.get(o).get(acc[v]).v128Store(16 * v, 0);
  };
  /** 2·vectors output vectors at o: even columns from `even`'s sums, odd ones from `odd`'s. */
  const pairs = (vectors: number, even: Tap[], odd: Tap[]) => {
    sums(vectors, even, 0);
    sums(vectors, odd, vectors);
    for (let v = 0; v < vectors; v++) {
      const e = acc[v], d = acc[vectors + v];
      f.get(o).get(e).get(d).shuffle32(0, 4, 1, 5).v128Store(32 * v, 0);
      f.get(o).get(e).get(d).shuffle32(2, 6, 3, 7).v128Store(32 * v + 16, 0);
    }
  };
  /** All segments of the current row for row class k. */
  const rowOf = (k: number) => {
    if (spec.interleave) {
      const even = spec.tables[2 * k], odd = spec.tables[2 * k + 1];
      f.get(out).set(o);
      f.get(inRow).set(ip);
      if (full > 0) {
        forRange(f, b, 0, full, 1, () => {
          pairs(spec.blockVectors, even, odd);
          addTo(f, o, 32 * spec.blockVectors);
          addTo(f, ip, 16 * spec.blockVectors);
        });
      }
      if (tail > 0) pairs(tail, even, odd);
      return;
    }
    for (let s = 0; s < spec.segments; s++) {
      const table = spec.tables[k * spec.segments + s];
      f.get(out).i32Const(s * spec.segmentBytes).i32Add().set(o);
      f.get(inRow).set(ip);
      if (full > 0) {
        forRange(f, b, 0, full, 1, () => {
          block(spec.blockVectors, table);
          addTo(f, o, 16 * spec.blockVectors);
          addTo(f, ip, 16 * spec.blockVectors);
        });
      }
      if (tail > 0) block(tail, table);
    }
  };

  f.get(wAt).set(wP);
  forRange(f, plane, 0, planes, 1, () => {
    if (spec.perGroup === 1) {
      f.get(plane).i32Const(spec.inGroupBytes).i32Mul().get(inAt).i32Add().set(inGroup);
    } else {
      f.get(plane).i32Const(spec.perGroup).i32DivS().i32Const(spec.inGroupBytes).i32Mul();
      f.get(inAt).i32Add().set(inGroup);
    }
    f.get(inGroup).i32Const(spec.rowStart).i32Add().set(inRow);
    f.i32Const(spec.c0).set(cls);
    f.get(plane).i32Const(spec.outPlaneBytes).i32Mul().get(outAt).i32Add().set(out);
    forRange(f, row, 0, spec.rows, 1, () => {
      if (spec.classes === 1) {
        rowOf(0);
        addTo(f, inRow, spec.inRowStep);
      } else {
        for (let k = 0; k < spec.classes; k++) {
          f.get(cls).i32Const(k).i32Eq().if();
          rowOf(k);
          f.end();
        }
        addTo(f, cls, 1);
        f.get(cls).i32Const(spec.classes).i32Eq().if();
        f.i32Const(0).set(cls);
        addTo(f, inRow, spec.inRowStep);
        f.end();
      }
      addTo(f, out, spec.outRowBytes);
    });
    addTo(f, wP, spec.wPlaneBytes);
  });
}
