// General matrix multiply, the fast path's one compute primitive:
//   C[m×n] (+)= A[m×k] · B[k×n]
// A and B are addressed through row and column strides, so a transposed operand is just swapped
// strides: A(i, p) = a[aOffset + i·aRowStride + p·aColStride]. C is row-major with leading
// dimension ldc. Kernels here are check-free: callers validate at the public boundary.

import type { FloatArray } from "./tensor.ts";

/** A strided matrix operand. */
export interface MatrixView {
  data: FloatArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

let packedB: FloatArray = new Float32Array(0);

/**
 * C = A·B (accumulate = false) or C += A·B (accumulate = true). Float32 arrays accumulate in
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
  if (!accumulate) {
    for (let i = 0; i < m; i++) c.fill(0, cOffset + i * ldc, cOffset + i * ldc + n);
  }
  if (m === 0 || n === 0 || k === 0) return;
  // Make B row-contiguous so the inner loop walks memory linearly.
  let bData = b.data, bOff = b.offset, ldb = b.rowStride;
  if (b.colStride !== 1) {
    const need = k * n;
    if (packedB.length < need || packedB.constructor !== b.data.constructor) {
      packedB = b.data instanceof Float64Array ? new Float64Array(need) : new Float32Array(need);
    }
    for (let p = 0; p < k; p++) {
      const src = b.offset + p * b.rowStride;
      for (let j = 0; j < n; j++) packedB[p * n + j] = b.data[src + j * b.colStride];
    }
    bData = packedB;
    bOff = 0;
    ldb = n;
  }
  const aData = a.data, ars = a.rowStride, acs = a.colStride;
  for (let i = 0; i < m; i++) {
    const cRow = cOffset + i * ldc;
    const aRow = a.offset + i * ars;
    for (let p = 0; p < k; p++) {
      const aip = aData[aRow + p * acs];
      const bRow = bOff + p * ldb;
      for (let j = 0; j < n; j++) c[cRow + j] += aip * bData[bRow + j];
    }
  }
}
