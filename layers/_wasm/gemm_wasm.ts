// The float32 GEMM on WebAssembly SIMD. TypeScript moves operands into the one shared
// WebAssembly.Memory and runs the GotoBLAS loop nest; the emitted module (./kernel.ts) packs the
// panels and runs the register-blocked micro-kernel. Loop nest, outermost first:
//   jc over column blocks              partial sums of C(rows × nc) live in NR-column panels
//   r0 over row chunks                  (only when rows·nc would exceed the C budget)
//   k0 over k super-blocks              stage A and pack B for this k range
//   pc over k blocks of ≤ KC            packed B block: kc × nc
//   ic over row blocks of MC            packed A block: mc × kc (L2)
//   kernel: per NR-column B panel (L1), per MR-row A panel: an MR×NR tile in registers; the
//           last k block writes finished rows, which are copied out with one set() each.
// Block sizes and the memory layout come from ./plan.ts. When all of packed A is small it is
// packed once and kept, and B goes by in column blocks small enough to stay in L2 between being
// packed and being used (the skinny products of convolutions).
// Staging copies use TypedArray.set along whichever axis is contiguous in the caller's array
// (plain and transposed operands both have one), so they run at memcpy speed; only general
// strides are gathered element by element.

import type { MatrixView } from "../_gemm.ts";
import { buildKernelModule, type KernelExports } from "./kernel.ts";
import { hasRelaxedSimd, hasSimd } from "./detect.ts";
import { B_CHUNK, MC, MR, NR, type Plan, planGemm } from "./plan.ts";
import { MAX_PAGES, plainContext, type WasmContext } from "./engine.ts";

let engineRelaxed: boolean | undefined;

/** Whether this engine can run the WebAssembly kernel (SIMD validates). */
export function wasmGemmAvailable(): boolean {
  return hasSimd();
}

/**
 * The kernel variant in use: relaxed FMA where the engine validates relaxed SIMD, else plain
 * mul + add. `forceVariant` rebuilds with the given one (tests run both).
 */
export function wasmGemmVariant(forceVariant?: "relaxed-simd" | "simd"): "relaxed-simd" | "simd" {
  if (forceVariant !== undefined) {
    const relaxed = forceVariant === "relaxed-simd";
    if (relaxed && !hasRelaxedSimd()) {
      throw new RangeError("Cannot use relaxed-simd gemm: the engine does not validate it");
    }
    engineRelaxed = relaxed;
  }
  return (engineRelaxed ?? hasRelaxedSimd()) ? "relaxed-simd" : "simd";
}

/** Whether the GEMM kernel in use is the relaxed-SIMD variant (see `wasmGemmVariant`). */
export function gemmRelaxed(): boolean {
  engineRelaxed ??= hasRelaxedSimd();
  return engineRelaxed;
}

/**
 * The GEMM kernel module of the variant in use, instantiated once per context, lazily and
 * synchronously (small modules may compile on the main thread). The convolution drivers use its
 * packing and block functions too. `relaxed` picks the variant explicitly (workers follow the
 * calling thread's).
 */
export function gemmKernel(
  ctx: WasmContext = plainContext(),
  relaxed: boolean = gemmRelaxed(),
): KernelExports {
  return ctx.instance(
    relaxed ? "gemm-relaxed" : "gemm",
    () => buildKernelModule({ mr: MR, nr: NR, unroll: 8, relaxed }, MAX_PAGES),
  ) as unknown as KernelExports;
}

/**
 * C[m×n] (+)= A·B on float32 operands with the WebAssembly kernel. Same contract as `gemm` in
 * ../_gemm.ts, which handles m, n or k = 0 before calling here.
 */
export function gemmWasm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  ldc: number,
  accumulate: boolean,
): void {
  const ctx = plainContext();
  const plan = planGemm(m, n, k, accumulate, b.rowStride === 1 && b.colStride !== 1);
  gemmOn(gemmKernel(ctx), ctx.reserve(plan.end, "gemm"), 0, plan, a, b, c, cOffset, ldc);
}

/** Bytes of scratch `gemmOn` needs for this product (from byte `base` on). */
export function gemmScratchBytes(
  m: number,
  n: number,
  k: number,
  b: MatrixView,
  accumulate: boolean,
): number {
  return planGemm(m, n, k, accumulate, b.rowStride === 1 && b.colStride !== 1).end;
}

/**
 * The GEMM loop nest on the memory `mem` of a context whose scratch starts at byte `base` (the
 * plan's offsets are relative to it). Operands may live anywhere, the memory itself included:
 * the multi-threaded GEMM (./gemm_threads.ts) runs this on column or row panels of operands it
 * staged in the shared memory.
 */
export function gemmOn(
  kernel: KernelExports,
  mem: Float32Array,
  base: number,
  basePlan: Plan,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  ldc: number,
): void {
  const { m, n, k, accumulate } = basePlan;
  const plan = base === 0 ? basePlan : shifted(basePlan, base);
  const { kcMax, ncMax, rowsMax, rowsPad, ksMax, ksLd, resident, aPanelBytes, aBlockBytes } = plan;
  const { bPanelBytes, bBlockBytes, cPanelBytes, aPack, bPack, cBuf, aStage, cRows } = plan;
  // Staged A is rows along k, or along i for a transposed A (rowStride 1).
  const aTransposed = a.rowStride === 1 && a.colStride !== 1;
  const icBlocks = Math.ceil(rowsMax / MC);

  for (let jc = 0; jc < n; jc += ncMax) {
    const nc = Math.min(ncMax, n - jc);
    const nPanels = Math.ceil(nc / NR);
    for (let r0 = 0; r0 < m; r0 += rowsMax) {
      const rows = Math.min(rowsMax, m - r0);
      if (accumulate) {
        stageRows(mem, cRows >> 2, ncMax, c, cOffset, r0, jc, rows, nc, ldc, 1);
        kernel.packB(cRows, ncMax * 4, rows, nPanels, cBuf, cPanelBytes);
      }
      for (let k0 = 0; k0 < k; k0 += ksMax) {
        const ks = Math.min(ksMax, k - k0);
        // Packed B depends only on (jc, k0): with one super-block it serves every row chunk.
        if (r0 === 0 || ksMax < k) packSuperBlockB(kernel, mem, plan, b, k0, ks, jc, nc);
        // A resident A was packed in the first column block.
        const packA = !resident || jc === 0;
        if (packA && aTransposed) {
          stageRows(mem, aStage >> 2, rowsPad, a.data, a.offset, k0, r0, ks, rows, a.colStride, 1);
        } else if (packA) {
          stageRows(
            mem,
            aStage >> 2,
            ksLd,
            a.data,
            a.offset,
            r0,
            k0,
            rows,
            ks,
            a.rowStride,
            a.colStride,
          );
        }
        for (let pc = 0, t = 0; pc < ks; pc += kcMax, t++) {
          const kc = Math.min(kcMax, ks - pc);
          const bAt = bPack + t * bBlockBytes;
          const add = accumulate || k0 + pc > 0 ? 1 : 0;
          // The last k block writes finished rows, copied out while they are still in cache;
          // earlier ones keep partial sums in the C panels.
          const last = k0 + pc + kc === k;
          for (let ic = 0; ic < rows; ic += MC) {
            const mc = Math.min(MC, rows - ic);
            const mPanels = Math.ceil(mc / MR);
            const aAt = resident ? aPack + (t * icBlocks + ic / MC) * aBlockBytes : aPack;
            if (packA && aTransposed) {
              kernel.packAT(
                aStage + (pc * rowsPad + ic) * 4,
                rowsPad * 4,
                kc,
                mPanels,
                aAt,
                aPanelBytes,
              );
            } else if (packA) {
              kernel.packA(aStage + (ic * ksLd + pc) * 4, ksLd * 4, kc, mPanels, aAt, aPanelBytes);
            }
            const cIn = cBuf + ic * NR * 4;
            if (!last) {
              kernel.block(
                nPanels,
                mc,
                kc,
                aAt,
                aPanelBytes,
                bAt,
                bPanelBytes,
                cIn,
                cPanelBytes,
                cIn,
                NR * 4,
                cPanelBytes,
                add,
              );
              continue;
            }
            kernel.block(
              nPanels,
              mc,
              kc,
              aAt,
              aPanelBytes,
              bAt,
              bPanelBytes,
              cIn,
              cPanelBytes,
              cRows,
              ncMax * 4,
              NR * 4,
              add,
            );
            for (let i = 0; i < mc; i++) {
              const from = (cRows >> 2) + i * ncMax;
              c.set(mem.subarray(from, from + nc), cOffset + (r0 + ic + i) * ldc + jc);
            }
          }
        }
      }
    }
  }
}

/** The plan with every region moved up by `base` bytes. */
function shifted(plan: Plan, base: number): Plan {
  return {
    ...plan,
    aPack: plan.aPack + base,
    bPack: plan.bPack + base,
    cBuf: plan.cBuf + base,
    aStage: plan.aStage + base,
    bStage: plan.bStage + base,
    cRows: plan.cRows + base,
    end: plan.end + base,
  };
}

/**
 * Packs B(k0..k0+ks, jc..jc+nc) into NR-column panels for every k block of the super-block
 * (block t at bPack + t·bBlockBytes), staging a few rows at a time so each staged chunk is packed
 * while it is still in cache. A transposed B (rowStride 1) is staged one panel of NR columns at
 * a time, each column a long contiguous run along k.
 */
function packSuperBlockB(
  kernel: KernelExports,
  mem: Float32Array,
  plan: Plan,
  b: MatrixView,
  k0: number,
  ks: number,
  jc: number,
  nc: number,
): void {
  const { kcMax, ncMax, ksLd, bPanelBytes, bBlockBytes, bPack, bStage } = plan;
  const nPanels = Math.ceil(nc / NR);
  if (plan.bTransposed) {
    for (let q = 0; q < nPanels; q++) {
      const cols = Math.min(NR, nc - q * NR);
      stageRows(
        mem,
        bStage >> 2,
        ksLd,
        b.data,
        b.offset,
        jc + q * NR,
        k0,
        cols,
        ks,
        b.colStride,
        1,
      );
      for (let pc = 0, to = bPack + q * bPanelBytes; pc < ks; pc += kcMax, to += bBlockBytes) {
        kernel.packBT(bStage + pc * 4, ksLd * 4, Math.min(kcMax, ks - pc), 1, to, bPanelBytes);
      }
    }
    return;
  }
  for (let p = 0; p < ks;) {
    const block = Math.floor(p / kcMax);
    const rows = Math.min(B_CHUNK, (block + 1) * kcMax - p, ks - p);
    stageRows(
      mem,
      bStage >> 2,
      ncMax,
      b.data,
      b.offset,
      k0 + p,
      jc,
      rows,
      nc,
      b.rowStride,
      b.colStride,
    );
    const to = bPack + block * bBlockBytes + (p - block * kcMax) * NR * 4;
    kernel.packB(bStage, ncMax * 4, rows, nPanels, to, bPanelBytes);
    p += rows;
  }
}

/**
 * Copies the x0.., y0.. corner (xs × ys) of a strided matrix X(x, y) = data[offset + x·xStride +
 * y·yStride] into memory as rows along y: X(x0 + x, y0 + y) lands at base + x·ld + y. One set()
 * per row when rows are contiguous (yStride 1), an element gather otherwise.
 */
function stageRows(
  mem: Float32Array,
  base: number,
  ld: number,
  data: Float32Array | Float64Array,
  offset: number,
  x0: number,
  y0: number,
  xs: number,
  ys: number,
  xStride: number,
  yStride: number,
): void {
  for (let x = 0; x < xs; x++) {
    const from = offset + (x0 + x) * xStride + y0 * yStride;
    const to = base + x * ld;
    if (yStride === 1) mem.set(data.subarray(from, from + ys), to);
    else for (let y = 0; y < ys; y++) mem[to + y] = data[from + y * yStride];
  }
}
