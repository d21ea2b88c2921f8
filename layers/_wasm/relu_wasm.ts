// Float32 ReLU and its gradient on WebAssembly SIMD. The JavaScript bit-mask loops of ../relu.ts
// run at about 1.3 ns per element here, the allocation of the result aside; four lanes per
// instruction plus two TypedArray copies per chunk take a fraction of that (LeNet-5's 221K-element
// ReLU: see the README's training profile). The lanes compute exactly the JavaScript rule:
//   relu          y  = x < 0 ? 0 : x   (f32x4.lt is false for NaN and −0, which pass unchanged)
//   reluBackward  dx = x <= 0 ? 0 : g  (f32x4.le is false for NaN, which lets g through)
// Chunks of CHUNK floats are staged at fixed offsets of the plain memory; a chunk's length is
// rounded up to whole vectors, and the lanes past its end are computed but never copied out.
// Check-free: callers validate.

import { MAX_PAGES, plainContext, reserve } from "./engine.ts";
import { I32, ModuleBuilder } from "./writer.ts";
import { forRange } from "./emit.ts";

/** Floats per staged chunk: three 256 KiB arrays stay in L2. */
const CHUNK = 1 << 16;
const X_AT = 0, G_AT = CHUNK * 4, OUT_AT = 2 * CHUNK * 4;

interface ReluExports {
  relu: (x: number, y: number, bytes: number) => void;
  reluBackward: (x: number, g: number, dx: number, bytes: number) => void;
}

function buildReluModule(maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  {
    const f = module.addFunction([I32, I32, I32], [], "relu").builder;
    const [x, y, bytes] = f.params, i = f.local(I32);
    forRange(f, i, 0, bytes, 16, () => {
      f.get(y).get(i).i32Add();
      f.get(x).get(i).i32Add().v128Load(0, 0);
      f.get(x).get(i).i32Add().v128Load(0, 0).f32Const(0).f32x4Splat().f32x4Lt();
      f.v128Andnot().v128Store(0, 0);
    });
  }
  {
    const f = module.addFunction([I32, I32, I32, I32], [], "reluBackward").builder;
    const [x, g, dx, bytes] = f.params, i = f.local(I32);
    forRange(f, i, 0, bytes, 16, () => {
      f.get(dx).get(i).i32Add();
      f.get(g).get(i).i32Add().v128Load(0, 0);
      f.get(x).get(i).i32Add().v128Load(0, 0).f32Const(0).f32x4Splat().f32x4Le();
      f.v128Andnot().v128Store(0, 0);
    });
  }
  return module.encode();
}

function kernel(): ReluExports {
  return plainContext().instance(
    "relu",
    () => buildReluModule(MAX_PAGES),
  ) as unknown as ReluExports;
}

const vectorBytes = (count: number): number => Math.ceil(count / 4) * 16;

/** y = relu(x), elementwise (same lengths). */
export function reluWasm(x: Float32Array, y: Float32Array): void {
  const k = kernel();
  const mem = reserve(3 * CHUNK * 4, "relu");
  for (let at = 0; at < x.length; at += CHUNK) {
    const count = Math.min(CHUNK, x.length - at);
    mem.set(x.subarray(at, at + count), X_AT >> 2);
    k.relu(X_AT, OUT_AT, vectorBytes(count));
    y.set(mem.subarray(OUT_AT >> 2, (OUT_AT >> 2) + count), at);
  }
}

/** dx = x <= 0 ? 0 : g, elementwise (same lengths). */
export function reluBackwardWasm(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const k = kernel();
  const mem = reserve(3 * CHUNK * 4, "reluBackward");
  for (let at = 0; at < x.length; at += CHUNK) {
    const count = Math.min(CHUNK, x.length - at);
    mem.set(x.subarray(at, at + count), X_AT >> 2);
    mem.set(g.subarray(at, at + count), G_AT >> 2);
    k.reluBackward(X_AT, G_AT, OUT_AT, vectorBytes(count));
    dx.set(mem.subarray(OUT_AT >> 2, (OUT_AT >> 2) + count), at);
  }
}
