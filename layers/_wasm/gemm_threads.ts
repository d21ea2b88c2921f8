// The float32 GEMM on several threads: the calling thread stages A and B (and C when
// accumulating) into the shared memory, every thread runs the single-thread loop nest
// (./gemm_wasm.ts `gemmOn`) on column panels of C (row panels when C is taller than wide) with
// its own scratch region, and the calling thread copies C out. Each element of C is computed by
// one thread exactly as on one thread — the k blocking depends on k alone — so the result has
// the same bits for any thread count. Check-free: `gemm` in ../_gemm.ts decides and validates.

import type { MatrixView } from "../_gemm.ts";
import type { Job, Task } from "../_threads/job.ts";
import { runParallel } from "../_threads/pool.ts";
import { THREAD_TUNING } from "../_threads/tuning.ts";
import { MAX_BYTES, sharedContext } from "./engine.ts";
import { gemmKernel, gemmOn, gemmRelaxed, gemmScratchBytes } from "./gemm_wasm.ts";
import { MR, NR, planGemm } from "./plan.ts";

/** Narrowest panel a unit takes (columns or rows): keeps the repeated packing of the other operand small. */
const MIN_PANEL = 64;

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Parameter words of a job. */
const enum P {
  M,
  N,
  K,
  Accumulate,
  /** 0: units are column panels of C; 1: row panels. */
  Rows,
  Unit,
  Units,
  A,
  ARow,
  ACol,
  B,
  BRow,
  BCol,
  C,
  Scratch,
  ScratchBytes,
  Count,
}

/** Units of a product on `threads` threads: panel width (a multiple of NR or MR) and count. */
function split(
  m: number,
  n: number,
  threads: number,
): { rows: boolean; unit: number; units: number } {
  const rows = m > n;
  const extent = rows ? m : n, step = rows ? MR : NR;
  // Two units per thread balance a busy machine; never below MIN_PANEL.
  const wanted = Math.max(1, Math.min(threads * 2, Math.floor(extent / MIN_PANEL)));
  const unit = Math.ceil(Math.ceil(extent / wanted) / step) * step;
  return { rows, unit, units: Math.ceil(extent / unit) };
}

/** Whether the product is worth threads on a team of `threads`. */
export function gemmThreadsCovers(m: number, n: number, k: number, threads: number): boolean {
  return threads > 1 && m * n * k >= THREAD_TUNING.gemmMinWork && split(m, n, threads).units > 1;
}

/**
 * C[m×n] (+)= A·B on float32 operands on `threads` threads (see `gemmThreadsCovers`). Same
 * contract as `gemmWasm`. Returns false, doing nothing, when the staging would not fit.
 */
export function gemmThreads(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  ldc: number,
  accumulate: boolean,
  threads: number,
): boolean {
  const { rows, unit, units } = split(m, n, threads);
  const aTransposed = a.rowStride === 1 && a.colStride !== 1;
  const bTransposed = b.rowStride === 1 && b.colStride !== 1;
  // Staged operands keep the orientation of the caller's, so the loop nest packs them the same.
  const aAt = 0;
  const bAt = align(aAt + m * k * 4);
  const cAt = align(bAt + k * n * 4);
  const scratchAt = align(cAt + m * n * 4);
  const scratch = align(
    rows
      ? gemmScratchBytes(unit, n, k, b, accumulate)
      : gemmScratchBytes(m, unit, k, b, accumulate),
  );
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "gemm");
  const params = new Array<number>(P.Count);
  params[P.M] = m;
  params[P.N] = n;
  params[P.K] = k;
  params[P.Accumulate] = accumulate ? 1 : 0;
  params[P.Rows] = rows ? 1 : 0;
  params[P.Unit] = unit;
  params[P.Units] = units;
  params[P.A] = aAt >> 2;
  params[P.ARow] = aTransposed ? 1 : k;
  params[P.ACol] = aTransposed ? m : 1;
  params[P.B] = bAt >> 2;
  params[P.BRow] = bTransposed ? 1 : n;
  params[P.BCol] = bTransposed ? k : 1;
  params[P.C] = cAt >> 2;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  runParallel(GEMM_TASK, threads, params, gemmRelaxed(), () => {
    if (aTransposed) stage(mem, aAt >> 2, a, k, m, a.colStride, 1);
    else stage(mem, aAt >> 2, a, m, k, a.rowStride, a.colStride);
    if (bTransposed) stage(mem, bAt >> 2, b, n, k, b.colStride, 1);
    else stage(mem, bAt >> 2, b, k, n, b.rowStride, b.colStride);
    if (accumulate) {
      for (let i = 0; i < m; i++) {
        mem.set(c.subarray(cOffset + i * ldc, cOffset + i * ldc + n), (cAt >> 2) + i * n);
      }
    }
  });
  for (let i = 0; i < m; i++) {
    c.set(mem.subarray((cAt >> 2) + i * n, (cAt >> 2) + (i + 1) * n), cOffset + i * ldc);
  }
  return true;
}

/** Copies the rows × cols matrix X(x, y) = view[x·xStride + y·yStride] to `at` as dense rows. */
function stage(
  mem: Float32Array,
  at: number,
  view: MatrixView,
  rows: number,
  cols: number,
  xStride: number,
  yStride: number,
): void {
  const data = view.data;
  for (let x = 0; x < rows; x++) {
    const from = view.offset + x * xStride, to = at + x * cols;
    if (yStride === 1) mem.set(data.subarray(from, from + cols), to);
    else for (let y = 0; y < cols; y++) mem[to + y] = data[from + y * yStride];
  }
}

function run(job: Job): void {
  const q = job.params;
  const m = q[P.M], n = q[P.N], k = q[P.K], accumulate = q[P.Accumulate] === 1;
  const rows = q[P.Rows] === 1, unit = q[P.Unit], units = q[P.Units];
  const kernel = gemmKernel(job.ctx, job.relaxed);
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  job.ready(1);
  const mem = job.ctx.floats();
  const a: MatrixView = { data: mem, offset: q[P.A], rowStride: q[P.ARow], colStride: q[P.ACol] };
  const b: MatrixView = { data: mem, offset: q[P.B], rowStride: q[P.BRow], colStride: q[P.BCol] };
  const bTransposed = b.rowStride === 1 && b.colStride !== 1;
  for (let u = job.claim(); u < units; u = job.claim()) {
    const from = u * unit, count = Math.min(unit, (rows ? m : n) - from);
    if (rows) {
      const av = { ...a, offset: a.offset + from * a.rowStride };
      const plan = planGemm(count, n, k, accumulate, bTransposed);
      gemmOn(kernel, mem, base, plan, av, b, mem, q[P.C] + from * n, n);
    } else {
      const bv = { ...b, offset: b.offset + from * b.colStride };
      const plan = planGemm(m, count, k, accumulate, bTransposed);
      gemmOn(kernel, mem, base, plan, a, bv, mem, q[P.C] + from, n);
    }
  }
}

/** The job: column or row panels of C. */
export const GEMM_TASK: Task = { id: 0, name: "gemm", run };
