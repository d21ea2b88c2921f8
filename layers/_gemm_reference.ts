// The reference path's matrix product: the definition, C(i, j) (+)= Σ_p A(i, p)·B(p, j), one
// plain loop nest summing every element in float64 in index order, rounded once into C. It never
// calls the WebAssembly or the register-blocked kernel of the fast path (./_gemm.ts), so a
// Gemm/MatMul/Linear golden checked on the reference path is checked by independent code.

import type { MatrixView } from "./_gemm.ts";
import type { FloatArray } from "./tensor.ts";

/** C = A·B (accumulate = false) or C += A·B; same operand convention as `gemm` in `_gemm.ts`. */
export function gemmReference(
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
  for (let i = 0; i < m; i++) {
    const aRow = a.offset + i * a.rowStride;
    for (let j = 0; j < n; j++) {
      const bCol = b.offset + j * b.colStride;
      let sum = accumulate ? c[cOffset + i * ldc + j] : 0;
      for (let p = 0; p < k; p++) {
        sum += a.data[aRow + p * a.colStride] * b.data[bCol + p * b.rowStride];
      }
      c[cOffset + i * ldc + j] = sum;
    }
  }
}
