// General matrix multiply, the fast path's one compute primitive:
//   C[m×n] (+)= A[m×k] · B[k×n]
// A and B are addressed through row and column strides, so a transposed operand is just swapped
// strides: A(i, p) = a[aOffset + i·aRowStride + p·aColStride]. C is row-major with leading
// dimension ldc. Kernels here are check-free: callers validate at the public boundary.
//
// This file is the dispatcher. float32 operands go to the WebAssembly SIMD kernel
// (./_wasm/gemm_wasm.ts) where the engine validates SIMD, float64 and mixed operands (and
// engines without SIMD) to the register-blocked TypeScript kernel (./_gemm_ts.ts). Products too
// small to repay moving operands into wasm memory also take the TypeScript kernel under "auto".

import type { Impl } from "./_impl.ts";
import type { FloatArray } from "./tensor.ts";
import { gemmReference } from "./_gemm_reference.ts";
import { gemmTs } from "./_gemm_ts.ts";
import { gemmWasm, wasmGemmAvailable } from "./_wasm/gemm_wasm.ts";
import { gemmThreads, gemmThreadsCovers } from "./_wasm/gemm_threads.ts";
import { teamSize, threadSetting } from "./_threads/pool.ts";

/** A strided matrix operand. */
export interface MatrixView {
  data: FloatArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** A GEMM implementation for float32 operands. */
export type GemmBackend = "wasm" | "ts";

/** Below this many multiply-adds (m·n·k) "auto" keeps float32 work in TypeScript. */
const WASM_MIN_WORK = 6144;

let requested: GemmBackend | "auto" = "auto";

/**
 * Chooses the float32 backend: "wasm" (WebAssembly SIMD), "ts" (TypeScript), or "auto" (wasm
 * when available, TypeScript for tiny products). Float64 always runs in TypeScript. The fast
 * convolution and max-pool kernels follow the same switch ("ts" runs their TypeScript loops),
 * so the conformance suite can run the whole fast path on either backend.
 * @throws {RangeError} For an unknown backend, or "wasm" when the engine lacks SIMD.
 */
export function setGemmBackend(backend: GemmBackend | "auto"): void {
  if (backend !== "wasm" && backend !== "ts" && backend !== "auto") {
    throw new RangeError(
      `Cannot set gemm backend: backend must be "wasm", "ts" or "auto", got ${String(backend)}`,
    );
  }
  if (backend === "wasm" && !wasmGemmAvailable()) {
    throw new RangeError(
      'Cannot set gemm backend: "wasm" needs WebAssembly SIMD, which this engine does not validate',
    );
  }
  requested = backend;
}

/** The backend float32 products of non-trivial size run on under the current setting. */
export function gemmBackend(): GemmBackend {
  if (requested !== "auto") return requested;
  return wasmGemmAvailable() ? "wasm" : "ts";
}

/**
 * C = A·B (accumulate = false) or C += A·B (accumulate = true). Float32 arrays are computed in
 * float32, float64 arrays in float64. NaN and infinities propagate (no zero-skipping).
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: FloatArray,
  cOffset: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) {
      for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
    }
    return;
  }
  if (
    c instanceof Float32Array && a.data instanceof Float32Array &&
    b.data instanceof Float32Array && useWasm(m * n * k)
  ) {
    // Large products go to the threads when the `threads` setting and the ready workers allow.
    const threads = gemmThreadsCovers(m, n, k, threadSetting()) ? teamSize() : 1;
    if (
      threads > 1 && gemmThreadsCovers(m, n, k, threads) &&
      gemmThreads(m, n, k, a, b, c, cOffset, ldc, accumulate, threads)
    ) return;
    gemmWasm(m, n, k, a, b, c, cOffset, ldc, accumulate);
  } else {
    gemmTs(m, n, k, a, b, c, cOffset, ldc, accumulate);
  }
}

function useWasm(work: number): boolean {
  if (requested === "auto") return work >= WASM_MIN_WORK && wasmGemmAvailable();
  return requested === "wasm";
}

/** The signature shared by `gemm` and the reference path's `gemmReference`. */
export type GemmFunction = typeof gemm;

/**
 * The matrix product of an implementation: the fast path's `gemm` (WebAssembly SIMD or the
 * blocked TypeScript kernel), or the reference path's definitional float64 loop
 * (`./_gemm_reference.ts`). Ops built on GEMM (Linear, ONNX Gemm and MatMul) choose here.
 */
export function gemmFor(impl: Impl): GemmFunction {
  return impl === "reference" ? gemmReference : gemm;
}
