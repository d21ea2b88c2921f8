// The pure-TypeScript GEMM: the fallback where WebAssembly SIMD is missing, and the float64 path.
// Same blocking idea as the WebAssembly kernel, scaled to what a JIT does well with scalars:
// k blocks of KC, A packed in panels of MR rows and B in panels of NR columns (both zero-padded
// to whole panels), and a 4×4 micro-kernel whose 16 accumulators are locals, so each k step does
// 8 loads for 16 multiply-adds instead of the naive loop's 2 loads and a store per multiply-add.
// Accumulators are JS numbers (float64); float32 results are rounded when stored to C.

import type { MatrixView } from "./_gemm.ts";
import type { FloatArray } from "./tensor.ts";

const MR = 4;
const NR = 4;
/** k block: a 4-wide B panel of KC steps (4 KiB in float32) stays in L1 while A streams. */
const KC = 256;
/** Rows of an A block: MC·KC values (256 KiB in float64) stay in L2. */
const MC = 128;
/** Columns of a B block: KC·NC values (2 MiB in float64) in L2/L3. */
const NC = 1024;

// Packing scratch, one pair per element type, grown on demand and reused across calls.
const scratch = {
  f32: { a: new Float32Array(0), b: new Float32Array(0) },
  f64: { a: new Float64Array(0), b: new Float64Array(0) },
};

function buffers(data: FloatArray, aSize: number, bSize: number): { a: FloatArray; b: FloatArray } {
  if (data instanceof Float64Array) {
    const s = scratch.f64;
    if (s.a.length < aSize) s.a = new Float64Array(aSize);
    if (s.b.length < bSize) s.b = new Float64Array(bSize);
    return s;
  }
  const s = scratch.f32;
  if (s.a.length < aSize) s.a = new Float32Array(aSize);
  if (s.b.length < bSize) s.b = new Float32Array(bSize);
  return s;
}

/**
 * C[m×n] (+)= A·B with strided A and B, C row-major with leading dimension ldc. Same contract as
 * `gemm` in ./_gemm.ts, which handles m, n or k = 0 before calling here.
 */
export function gemmTs(
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
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, Math.ceil(n / NR) * NR);
  const mcMax = Math.min(MC, Math.ceil(m / MR) * MR);
  const { a: aPack, b: bPack } = buffers(c, mcMax * kcMax, kcMax * ncMax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(bPack, b, pc, kc, jc, nc);
      const add = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(aPack, a, ic, mc, pc, kc);
        macroKernel(aPack, bPack, mc, nc, kc, c, cOffset + ic * ldc + jc, ldc, add);
      }
    }
  }
}

/** Packs A(i0.., p0..) into panels of MR rows: panel t holds A(i0 + t·MR + r, p0 + p) at p·MR + r. */
function packA(
  to: FloatArray,
  a: MatrixView,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
): void {
  const data = a.data, rs = a.rowStride, cs = a.colStride;
  for (let ip = 0; ip < mc; ip += MR) {
    const base = ip * kc;
    for (let r = 0; r < MR; r++) {
      let at = base + r;
      if (ip + r < mc) {
        let from = a.offset + (i0 + ip + r) * rs + p0 * cs;
        for (let p = 0; p < kc; p++, at += MR, from += cs) to[at] = data[from];
      } else {
        for (let p = 0; p < kc; p++, at += MR) to[at] = 0;
      }
    }
  }
}

/** Packs B(p0.., j0..) into panels of NR columns: panel t holds B(p0 + p, j0 + t·NR + j) at p·NR + j. */
function packB(
  to: FloatArray,
  b: MatrixView,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
): void {
  const data = b.data, rs = b.rowStride, cs = b.colStride;
  for (let jp = 0; jp < nc; jp += NR) {
    const base = jp * kc;
    for (let j = 0; j < NR; j++) {
      let at = base + j;
      if (jp + j < nc) {
        let from = b.offset + p0 * rs + (j0 + jp + j) * cs;
        for (let p = 0; p < kc; p++, at += NR, from += rs) to[at] = data[from];
      } else {
        for (let p = 0; p < kc; p++, at += NR) to[at] = 0;
      }
    }
  }
}

/** C block (mc × nc at c[cAt], row pitch ldc) (+)= packed A block · packed B block. */
function macroKernel(
  ap: FloatArray,
  bp: FloatArray,
  mc: number,
  nc: number,
  kc: number,
  c: FloatArray,
  cAt: number,
  ldc: number,
  add: boolean,
): void {
  for (let jp = 0; jp < nc; jp += NR) {
    for (let ip = 0; ip < mc; ip += MR) {
      let ai = ip * kc, bi = jp * kc;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
        const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
        const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
        c00 += a0 * b0, c01 += a0 * b1, c02 += a0 * b2, c03 += a0 * b3;
        c10 += a1 * b0, c11 += a1 * b1, c12 += a1 * b2, c13 += a1 * b3;
        c20 += a2 * b0, c21 += a2 * b1, c22 += a2 * b2, c23 += a2 * b3;
        c30 += a3 * b0, c31 += a3 * b1, c32 += a3 * b2, c33 += a3 * b3;
      }
      const rows = Math.min(MR, mc - ip), cols = Math.min(NR, nc - jp);
      const at = cAt + ip * ldc + jp;
      if (rows === MR && cols === NR) {
        storeRow(c, at, add, c00, c01, c02, c03);
        storeRow(c, at + ldc, add, c10, c11, c12, c13);
        storeRow(c, at + 2 * ldc, add, c20, c21, c22, c23);
        storeRow(c, at + 3 * ldc, add, c30, c31, c32, c33);
      } else {
        storeEdge(c, at, cols, add, c00, c01, c02, c03);
        if (rows > 1) storeEdge(c, at + ldc, cols, add, c10, c11, c12, c13);
        if (rows > 2) storeEdge(c, at + 2 * ldc, cols, add, c20, c21, c22, c23);
        if (rows > 3) storeEdge(c, at + 3 * ldc, cols, add, c30, c31, c32, c33);
      }
    }
  }
}

function storeRow(
  c: FloatArray,
  at: number,
  add: boolean,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
): void {
  if (add) {
    c[at] += x0, c[at + 1] += x1, c[at + 2] += x2, c[at + 3] += x3;
  } else {
    c[at] = x0, c[at + 1] = x1, c[at + 2] = x2, c[at + 3] = x3;
  }
}

/** Stores the first `cols` of a tile row (right and bottom edges). */
function storeEdge(
  c: FloatArray,
  at: number,
  cols: number,
  add: boolean,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
): void {
  c[at] = add ? c[at] + x0 : x0;
  if (cols > 1) c[at + 1] = add ? c[at + 1] + x1 : x1;
  if (cols > 2) c[at + 2] = add ? c[at + 2] + x2 : x2;
  if (cols > 3) c[at + 3] = add ? c[at + 3] + x3 : x3;
}
