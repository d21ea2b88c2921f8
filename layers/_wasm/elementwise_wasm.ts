// Float32 elementwise kernels on WebAssembly SIMD: ReLU and the clamp family (ONNX Clip,
// hardtanh, ReLU6) with their gradients. The JavaScript loops of ../relu.ts and ../_clamp.ts run
// at 1.3 ns (ReLU's bit masks) to 6 ns (clamp's data-dependent branches, which mispredict on
// activations of mixed sign) per element here; four lanes per instruction plus two TypedArray
// copies per chunk take a fraction of that — clamp was 42% of MobileNet-v2's forward+backward
// time (ReLU6 is Clip there) before it moved here. The lanes compute exactly the JavaScript rules:
//   relu           y  = x < 0 ? 0 : x       (lt is false for NaN and −0, which pass unchanged)
//   reluBackward   dx = x <= 0 ? 0 : g      (le is false for NaN, which lets g through)
//   clamp          v = x < min ? min : x; y = v > max ? max : v   (NaN and −0 pass)
//   clampOpen      dx = min < x && x < max ? g : 0    (0 at NaN)
//   clampClosed    dx = min <= x && x <= max ? g : 0  (0 at NaN)
//   clampBoundSums Σ g where x ≥ max (or, bounds crossed, x is not NaN), else Σ g where x ≤ min:
//                  ../_clamp.ts openBoundGradients, summed in float64 in four running lanes
// The bounds are float32, as in PyTorch's kernels and ../_clamp.ts's float32 loops.
// Chunks of CHUNK floats are staged at fixed offsets of the plain memory; a chunk's length is
// rounded up to whole vectors, and the lanes past its end are computed but never copied out.
// Check-free: callers validate.

import { forRange } from "./emit.ts";
import { MAX_PAGES, plainContext, reserve } from "./engine.ts";
import {
  F32,
  type FunctionBuilder,
  I32,
  type Local,
  ModuleBuilder,
  V128,
  type ValType,
} from "./writer.ts";

/** Floats per staged chunk: three 256 KiB arrays stay in L2. */
const CHUNK = 1 << 16;
const X_AT = 0, G_AT = CHUNK * 4, OUT_AT = 2 * CHUNK * 4;

interface ElementwiseExports {
  relu: (x: number, y: number, bytes: number) => void;
  reluBackward: (x: number, g: number, dx: number, bytes: number) => void;
  clamp: (x: number, y: number, bytes: number, min: number, max: number) => void;
  clampOpen: (x: number, g: number, dx: number, bytes: number, min: number, max: number) => void;
  clampClosed: (x: number, g: number, dx: number, bytes: number, min: number, max: number) => void;
  clampBoundSums: (
    x: number,
    g: number,
    bytes: number,
    min: number,
    max: number,
    flags: number,
    acc: number,
  ) => void;
}

/** clampBoundSums' flags. */
const HAS_MIN = 1, HAS_MAX = 2, CROSSED = 4;

/**
 * Emits `name(x, [g,] out, bytes[, min, max])`: for each 16-byte vector at offset i, `body`
 * pushes the vector to store at out + i, given loaders of x's and g's vectors and the splatted
 * bounds.
 */
function emit(
  module: ModuleBuilder,
  name: string,
  gradient: boolean,
  bounded: boolean,
  body: (f: FunctionBuilder, load: { x: () => void; g: () => void }, lo: Local, hi: Local) => void,
): void {
  const params: ValType[] = gradient ? [I32, I32, I32, I32] : [I32, I32, I32];
  if (bounded) params.push(F32, F32);
  const f = module.addFunction(params, [], name).builder;
  const [x, second, third, fourth] = f.params;
  const g = gradient ? second : undefined;
  const out = gradient ? third : second, bytes = gradient ? fourth : third;
  const i = f.local(I32), lo = f.local(V128), hi = f.local(V128);
  if (bounded) {
    const [min, max] = f.params.slice(-2);
    f.get(min).f32x4Splat().set(lo);
    f.get(max).f32x4Splat().set(hi);
  }
  const at = (base: Local) => () => f.get(base).get(i).i32Add().v128Load(0, 0);
  forRange(f, i, 0, bytes, 16, () => {
    f.get(out).get(i).i32Add();
    body(f, { x: at(x), g: g === undefined ? () => {} : at(g) }, lo, hi);
    f.v128Store(0, 0);
  });
}

function buildElementwiseModule(maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  const zero = (f: FunctionBuilder) => f.f32Const(0).f32x4Splat();
  emit(module, "relu", false, false, (f, load) => {
    load.x();
    load.x();
    zero(f).f32x4Lt();
    f.v128Andnot(); // x & ~(x < 0)
  });
  emit(module, "reluBackward", true, false, (f, load) => {
    load.g();
    load.x();
    zero(f).f32x4Le();
    f.v128Andnot(); // g & ~(x <= 0)
  });
  emit(module, "clamp", false, true, (f, load, lo, hi) => {
    const v = f.local(V128);
    // v = bitselect(min, x, x < min); y = bitselect(max, v, v > max)
    f.get(lo);
    load.x();
    load.x();
    f.get(lo).f32x4Lt().v128Bitselect().set(v);
    f.get(hi).get(v).get(v).get(hi).f32x4Gt().v128Bitselect();
  });
  for (const [name, closed] of [["clampOpen", false], ["clampClosed", true]] as const) {
    emit(module, name, true, true, (f, load, lo, hi) => {
      const compare = () => closed ? f.f32x4Le() : f.f32x4Lt();
      load.g();
      f.get(lo);
      load.x();
      compare(); // min < x (or ≤)
      load.x();
      f.get(hi);
      compare(); // x < max (or ≤)
      f.v128And().v128And();
    });
  }
  emitBoundSums(module);
  return module.encode();
}

/**
 * clampBoundSums(x, g, bytes, min, max, flags, acc): adds the masked g lanes, promoted to f64,
 * into the four f64x2 accumulators at acc (max low/high lanes, then min low/high), in place.
 */
function emitBoundSums(module: ModuleBuilder): void {
  const f = module.addFunction([I32, I32, I32, F32, F32, I32, I32], [], "clampBoundSums").builder;
  const [x, g, bytes, min, max, flags, acc] = f.params;
  const i = f.local(I32), lo = f.local(V128), hi = f.local(V128);
  const [minOn, maxOn, crossed, xv, gv, mMax, mMin] = Array.from(
    { length: 7 },
    () => f.local(V128),
  );
  const sums = Array.from({ length: 4 }, () => f.local(V128));
  const flag = (bit: number, to: Local) => {
    // All ones where the flag is set: 0 − (flags >> k & 1), splatted.
    f.i32Const(0).get(flags).i32Const(bit).i32And().i32Const(0).i32Ne().i32Sub();
    f.i32x4Splat().set(to);
  };
  f.get(min).f32x4Splat().set(lo);
  f.get(max).f32x4Splat().set(hi);
  flag(HAS_MIN, minOn);
  flag(HAS_MAX, maxOn);
  flag(CROSSED, crossed);
  sums.forEach((s, k) => f.get(acc).v128Load(16 * k, 0).set(s));
  const add = (sum: Local, masked: Local, high: boolean) => {
    f.get(sum).get(masked);
    if (high) f.get(masked).shuffle32(2, 3, 0, 1);
    f.f64x2PromoteLowF32x4().f64x2Add().set(sum);
  };
  forRange(f, i, 0, bytes, 16, () => {
    f.get(x).get(i).i32Add().v128Load(0, 0).set(xv);
    f.get(g).get(i).i32Add().v128Load(0, 0).set(gv);
    // mMax = maxOn & (x ≥ max | crossed & x == x); mMin = minOn & (x ≤ min) & ~mMax.
    f.get(xv).get(hi).f32x4Ge();
    f.get(xv).get(xv).f32x4Eq().get(crossed).v128And().v128Or();
    f.get(maxOn).v128And().set(mMax);
    f.get(xv).get(lo).f32x4Le().get(mMax).v128Andnot().get(minOn).v128And().set(mMin);
    f.get(gv).get(mMax).v128And().set(mMax);
    f.get(gv).get(mMin).v128And().set(mMin);
    add(sums[0], mMax, false);
    add(sums[1], mMax, true);
    add(sums[2], mMin, false);
    add(sums[3], mMin, true);
  });
  sums.forEach((s, k) => f.get(acc).get(s).v128Store(16 * k, 0));
}

function kernel(): ElementwiseExports {
  return plainContext().instance(
    "elementwise",
    () => buildElementwiseModule(MAX_PAGES),
  ) as unknown as ElementwiseExports;
}

const vectorBytes = (count: number): number => Math.ceil(count / 4) * 16;

/**
 * Runs `call(bytes)` on each chunk of x staged at X_AT (and of g at G_AT when given), copying the
 * chunk's results from OUT_AT into `out`.
 */
function staged(
  x: Float32Array,
  g: Float32Array | undefined,
  out: Float32Array,
  op: string,
  call: (bytes: number) => void,
): void {
  const mem = reserve(3 * CHUNK * 4, op);
  for (let at = 0; at < x.length; at += CHUNK) {
    const count = Math.min(CHUNK, x.length - at);
    mem.set(x.subarray(at, at + count), X_AT >> 2);
    if (g !== undefined) mem.set(g.subarray(at, at + count), G_AT >> 2);
    call(vectorBytes(count));
    out.set(mem.subarray(OUT_AT >> 2, (OUT_AT >> 2) + count), at);
  }
}

/**
 * The bound gradients of ../_clamp.ts `openBoundGradients` on float32 data (float32 bounds; an
 * absent bound is ±Infinity): Σ g where x ≥ max (or, max < min, wherever x is not NaN), else Σ g
 * where x ≤ min, each in float64 over four lanes added in a fixed order.
 */
export function clampBoundSumsWasm(
  x: Float32Array,
  g: Float32Array,
  min: number,
  max: number,
): { min: number; max: number } {
  const k = kernel();
  const accAt = OUT_AT, mem = reserve(OUT_AT + 64, "clamp bound gradients");
  const doubles = new Float64Array(mem.buffer, accAt, 8);
  doubles.fill(0);
  const hasMin = min !== -Infinity, hasMax = max !== Infinity;
  const flags = (hasMin ? HAS_MIN : 0) | (hasMax ? HAS_MAX : 0) |
    (hasMin && hasMax && max < min ? CROSSED : 0);
  for (let at = 0; at < x.length; at += CHUNK) {
    const count = Math.min(CHUNK, x.length - at), bytes = vectorBytes(count);
    mem.set(x.subarray(at, at + count), X_AT >> 2);
    mem.set(g.subarray(at, at + count), G_AT >> 2);
    // The lanes past the chunk's end must add nothing.
    mem.fill(0, (G_AT >> 2) + count, (G_AT + bytes) >> 2);
    k.clampBoundSums(X_AT, G_AT, bytes, min, max, flags, accAt);
  }
  return {
    max: (doubles[0] + doubles[1]) + (doubles[2] + doubles[3]),
    min: (doubles[4] + doubles[5]) + (doubles[6] + doubles[7]),
  };
}

/** y = relu(x), elementwise (same lengths). */
export function reluWasm(x: Float32Array, y: Float32Array): void {
  const k = kernel();
  staged(x, undefined, y, "relu", (bytes) => k.relu(X_AT, OUT_AT, bytes));
}

/** dx = x <= 0 ? 0 : g, elementwise (same lengths). */
export function reluBackwardWasm(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const k = kernel();
  staged(x, g, dx, "reluBackward", (bytes) => k.reluBackward(X_AT, G_AT, OUT_AT, bytes));
}

/** y = clamp(x, min, max) (see the header), with the bounds rounded to float32. */
export function clampWasm(x: Float32Array, y: Float32Array, min: number, max: number): void {
  const k = kernel();
  staged(x, undefined, y, "clamp", (bytes) => k.clamp(X_AT, OUT_AT, bytes, min, max));
}

/** dx = min < x < max ? g : 0, or with ≤ when `closed` (float32 bounds). */
export function clampGradientWasm(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  min: number,
  max: number,
  closed: boolean,
): void {
  const k = kernel();
  const run = closed ? k.clampClosed : k.clampOpen;
  staged(x, g, dx, "clamp gradient", (bytes) => run(X_AT, G_AT, OUT_AT, bytes, min, max));
}
