// Fast pooling kernels. Per-axis tap ranges (`axisTaps`) are computed once, so the inner loops
// have no bounds checks:
// - max pooling walks each window over its in-range taps only, with a contiguous inner loop when
//   the width is not dilated, and records the argmax so that the backward is a scatter;
// - average pooling is separable — a box sum is a sum along W, then H, then D — so each axis costs
//   kernel adds per output instead of the kernel volume; its backward is the transposed chain.
// Windows are lifted to [D, H, W] (see _pool_window.ts). Check-free: the public functions validate.

import type { AvgDivisor } from "./_pool_reference.ts";
import { type AxisTaps, axisTaps, type PoolWindow } from "./_pool_window.ts";
import type { FloatArray } from "./tensor.ts";
import { gemmBackend } from "./_gemm.ts";
import { maxPoolWasm, maxPoolWasmCovers } from "./_wasm/pool_wasm.ts";
import { maxPoolThreads, poolThreadsCovers } from "./_wasm/pool_threads.ts";
import { teamSize, threadSetting } from "./_threads/pool.ts";

/**
 * Max pooling with argmax; same winner rule and output as `maxPoolReference`. Without `indices`
 * only the values are computed. Float32 1-D/2-D windows run on the WebAssembly kernel when the
 * backend is wasm (see `setGemmBackend`), everything else in the loops below.
 */
export function maxPoolFast(
  x: FloatArray,
  w: PoolWindow,
  out: FloatArray,
  indices?: Int32Array,
): void {
  if (
    x instanceof Float32Array && out instanceof Float32Array && gemmBackend() === "wasm" &&
    maxPoolWasmCovers(w)
  ) {
    const threads = threadSetting() > 1 && poolThreadsCovers(w) ? teamSize() : 1;
    if (threads > 1 && maxPoolThreads(x, w, out, indices, threads)) return;
    if (maxPoolWasm(x, w, out, indices)) return;
  }
  const [, H, W] = w.inSize, [oD, oH, oW] = w.outSize, [dD, dH, dW] = w.dilation;
  const td = axisTaps(w, 0), th = axisTaps(w, 1), tw = axisTaps(w, 2);
  let o = 0;
  for (let p = 0; p < w.planes; p++) {
    const base = p * w.inPlane;
    for (let od = 0; od < oD; od++) {
      const d0 = td.first[od], nd = td.count[od];
      for (let oh = 0; oh < oH; oh++) {
        const h0 = th.first[oh], nh = th.count[oh];
        for (let ow = 0; ow < oW; ow++, o++) {
          const w0 = tw.first[ow], nw = tw.count[ow];
          if (nd === 0 || nh === 0 || nw === 0) {
            out[o] = -Infinity;
            if (indices) indices[o] = -1;
            continue;
          }
          // Start from the first tap: then "first maximum, NaN takes over" needs one test.
          let at = (d0 * H + h0) * W + w0;
          let best = x[base + at];
          for (let i = 0, d = d0; i < nd; i++, d += dD) {
            for (let j = 0, h = h0; j < nh; j++, h += dH) {
              const row = base + (d * H + h) * W;
              if (dW === 1) {
                for (let c = row + w0, end = row + w0 + nw; c < end; c++) {
                  const v = x[c];
                  if (v > best || v !== v) {
                    best = v;
                    at = c - base;
                  }
                }
              } else {
                for (let k = 0, c = row + w0; k < nw; k++, c += dW) {
                  const v = x[c];
                  if (v > best || v !== v) {
                    best = v;
                    at = c - base;
                  }
                }
              }
            }
          }
          out[o] = best;
          if (indices) indices[o] = at;
        }
      }
    }
  }
}

/**
 * Adds each output's gradient to its argmax (skipping −1) into `gx`, in gx's precision. This
 * stays in TypeScript: it writes one element per output into the freshly allocated (zeroed)
 * gradient, while a wasm version would have to write and copy out the whole input-sized array
 * (measured no faster on W5; both are bound by allocating that array).
 */
export function scatterMaxGradient(
  gy: FloatArray,
  indices: Int32Array,
  w: PoolWindow,
  gx: FloatArray,
): void {
  if (gy instanceof Float32Array && gx instanceof Float32Array) {
    // A −1 (a window with no input) only arises when some window misses the input entirely.
    const empty = [0, 1, 2].some((axis) => axisTaps(w, axis).count.includes(0));
    if (empty) scatter32(gy, indices, w.planes, w.inPlane, w.outPlane, gx);
    else scatterFull32(gy, indices, w.planes, w.inPlane, w.outPlane, gx);
    return;
  }
  for (let p = 0, o = 0; p < w.planes; p++) {
    const base = p * w.inPlane;
    for (let j = 0; j < w.outPlane; j++, o++) {
      const at = indices[o];
      if (at >= 0) gx[base + at] += gy[o];
    }
  }
}

/** The float32 scatter, kept monomorphic (one array type per call site) for the JIT. */
function scatter32(
  gy: Float32Array,
  indices: Int32Array,
  planes: number,
  inPlane: number,
  outPlane: number,
  gx: Float32Array,
): void {
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (const end = o + outPlane; o < end; o++) {
      const at = indices[o];
      if (at >= 0) gx[base + at] += gy[o];
    }
  }
}

/**
 * The float32 scatter when every output has an argmax (no −1): no test per element, and each
 * plane addressed through its own subarray. About 2× the loop above on W5 (0.33 vs 0.69 ms for
 * 401K outputs); the test, not the memory traffic, was most of its time.
 */
function scatterFull32(
  gy: Float32Array,
  indices: Int32Array,
  planes: number,
  inPlane: number,
  outPlane: number,
  gx: Float32Array,
): void {
  for (let p = 0, o = 0; p < planes; p++) {
    const plane = gx.subarray(p * inPlane, (p + 1) * inPlane);
    for (const end = o + outPlane; o < end; o++) plane[indices[o]] += gy[o];
  }
}

/** An axis that pooling leaves unchanged (kernel 1, stride 1, hence no padding). */
function isIdentity(w: PoolWindow, axis: number): boolean {
  return w.kernel[axis] === 1 && w.stride[axis] === 1;
}

/**
 * dst[a, o, i] = Σ_t src[a, first[o] + t·step, i] over t < count[o], for a < outer, i < inner,
 * with src laid out [outer, n, inner] and dst [outer, outN, inner].
 */
function sumAxis(
  src: FloatArray,
  outer: number,
  n: number,
  inner: number,
  taps: AxisTaps,
  step: number,
  dst: Float64Array,
): void {
  const outN = taps.first.length;
  for (let a = 0; a < outer; a++) {
    const sBase = a * n * inner, dBase = a * outN * inner;
    for (let o = 0; o < outN; o++) {
      const f = taps.first[o], c = taps.count[o], dRow = dBase + o * inner;
      if (inner === 1) {
        let s = 0;
        for (let t = 0, j = sBase + f; t < c; t++, j += step) s += src[j];
        dst[dRow] = s;
        continue;
      }
      for (let t = 0; t < c; t++) {
        const sRow = sBase + (f + t * step) * inner;
        for (let i = 0; i < inner; i++) dst[dRow + i] += src[sRow + i];
      }
    }
  }
}

/** The transpose of `sumAxis`: dst[a, first[o] + t·step, i] += src[a, o, i]. */
function spreadAxis(
  src: Float64Array,
  outer: number,
  n: number,
  inner: number,
  taps: AxisTaps,
  step: number,
  dst: Float64Array,
): void {
  const outN = taps.first.length;
  for (let a = 0; a < outer; a++) {
    const sBase = a * outN * inner, dBase = a * n * inner;
    for (let o = 0; o < outN; o++) {
      const f = taps.first[o], c = taps.count[o], sRow = sBase + o * inner;
      for (let t = 0; t < c; t++) {
        const dRow = dBase + (f + t * step) * inner;
        for (let i = 0; i < inner; i++) dst[dRow + i] += src[sRow + i];
      }
    }
  }
}

/**
 * Divisor of every output window, [oD, oH, oW] row-major; 0 marks a window without input
 * elements (its output and gradient are 0, as in PyTorch). Both counts are products of per-axis
 * counts because the window is a box.
 */
function divisors(
  taps: readonly AxisTaps[],
  w: PoolWindow,
  divisor: AvgDivisor,
): Float64Array {
  const [oD, oH, oW] = w.outSize;
  const result = new Float64Array(w.outPlane);
  const pick = (t: AxisTaps, o: number): number =>
    divisor.countIncludePad ? t.padded[o] : t.count[o];
  for (let od = 0, i = 0; od < oD; od++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++, i++) {
        const real = taps[0].count[od] * taps[1].count[oh] * taps[2].count[ow];
        result[i] = real === 0
          ? 0
          : divisor.divisorOverride ?? pick(taps[0], od) * pick(taps[1], oh) * pick(taps[2], ow);
      }
    }
  }
  return result;
}

/** Average pooling by separable box sums (W, then H, then D); equal to the reference up to rounding. */
export function avgPoolFast(
  x: FloatArray,
  w: PoolWindow,
  divisor: AvgDivisor,
  out: FloatArray,
): void {
  const taps = [0, 1, 2].map((axis) => axisTaps(w, axis));
  const dims = [w.planes, ...w.inSize];
  let current: FloatArray = x;
  for (let axis = 2; axis >= 0; axis--) {
    if (isIdentity(w, axis)) continue;
    const outer = dims.slice(0, axis + 1).reduce((a, b) => a * b, 1);
    const inner = dims.slice(axis + 2).reduce((a, b) => a * b, 1);
    const next = new Float64Array(outer * w.outSize[axis] * inner);
    sumAxis(current, outer, dims[axis + 1], inner, taps[axis], w.dilation[axis], next);
    current = next;
    dims[axis + 1] = w.outSize[axis];
  }
  const div = divisors(taps, w, divisor);
  for (let p = 0, o = 0; p < w.planes; p++) {
    for (let j = 0; j < w.outPlane; j++, o++) {
      out[o] = div[j] === 0 ? 0 : current[o] / div[j];
    }
  }
}

/** Average-pool input gradient: gradOutput / divisor spread back along D, then H, then W. */
export function avgPoolBackwardFast(
  gy: FloatArray,
  w: PoolWindow,
  divisor: AvgDivisor,
  gx: FloatArray,
): void {
  const taps = [0, 1, 2].map((axis) => axisTaps(w, axis));
  const div = divisors(taps, w, divisor);
  let current = new Float64Array(w.planes * w.outPlane);
  for (let p = 0, o = 0; p < w.planes; p++) {
    for (let j = 0; j < w.outPlane; j++, o++) current[o] = div[j] === 0 ? 0 : gy[o] / div[j];
  }
  const dims = [w.planes, ...w.outSize];
  for (let axis = 0; axis < 3; axis++) {
    if (isIdentity(w, axis)) continue;
    const outer = dims.slice(0, axis + 1).reduce((a, b) => a * b, 1);
    const inner = dims.slice(axis + 2).reduce((a, b) => a * b, 1);
    const next = new Float64Array(outer * w.inSize[axis] * inner);
    spreadAxis(current, outer, w.inSize[axis], inner, taps[axis], w.dilation[axis], next);
    current = next;
    dims[axis + 1] = w.inSize[axis];
  }
  gx.set(current);
}
