// Feature detection by validating tiny modules: the engine says whether it accepts 128-bit SIMD
// and relaxed SIMD, without running anything. Answers are computed once.

import { type FunctionBuilder, I32, ModuleBuilder, V128 } from "./writer.ts";

let simd: boolean | undefined;
let relaxed: boolean | undefined;

/** Whether a module with one function (i32) → v128, its body emitted by `emit`, validates. */
function probe(emit: (f: FunctionBuilder) => void): boolean {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
  const { builder } = module.addFunction([I32], [V128]);
  emit(builder);
  try {
    return WebAssembly.validate(module.encode() as BufferSource);
  } catch {
    return false;
  }
}

/** Whether 128-bit SIMD (v128 loads, splats, f32x4 arithmetic, shuffles) validates. */
export function hasSimd(): boolean {
  simd ??= probe((f) => {
    const [x] = f.params;
    f.get(x).v128Load32Splat().get(x).v128Load().shuffle32(0, 4, 1, 5).get(x).v128Load();
    f.f32x4Mul();
  });
  return simd;
}

/** Whether relaxed SIMD's f32x4.relaxed_madd validates (on top of SIMD). */
export function hasRelaxedSimd(): boolean {
  relaxed ??= hasSimd() && probe((f) => {
    const [x] = f.params;
    f.get(x).v128Load().get(x).v128Load().get(x).v128Load().f32x4RelaxedMadd();
  });
  return relaxed;
}
