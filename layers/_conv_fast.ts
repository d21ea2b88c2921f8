// The fast convolution: im2col + GEMM per (batch item, group), tiled over output positions so the
// column buffer never exceeds COLUMN_BUDGET_BYTES whatever the batch or image size. A 1×1,
// stride-1, unpadded convolution reads the input directly as its column matrix. Per group, with
// K = Cin/groups · kD·kH·kW rows and P output positions:
//   y  = W[Cout/g × K] · cols[K × P]
//   dW = Σ_n dY[Cout/g × P] · colsᵀ, accumulated tile by tile
//   dX = col2im(Wᵀ[K × Cout/g] · dY)
// Float32 data runs on the WebAssembly kernels (./_wasm/conv_wasm.ts: the same scheme with im2col,
// col2im and packing in wasm, plus direct kernels for depthwise and narrow groups) when the GEMM
// backend is wasm; the TypeScript loops below serve float64, the "ts" backend, engines without
// SIMD and problems too large for the wasm memory cap. Check-free: callers validate.

import type { ConvPlan } from "./_conv_plan.ts";
import { gemm, gemmBackend, type MatrixView } from "./_gemm.ts";
import {
  convBackwardInputWasm,
  convBackwardWeightWasm,
  convForwardWasm,
} from "./_wasm/conv_wasm.ts";
import { col2im, im2col } from "./_im2col.ts";
import type { FloatArray } from "./tensor.ts";

/** Upper bound on the column buffer, in bytes (one tile of im2col output). */
export const COLUMN_BUDGET_BYTES = 4 * 1024 * 1024;

// Reused between calls: grown on demand, never inside a loop.
let columns32 = new Float32Array(0);
let columns64 = new Float64Array(0);

function columns(like: FloatArray, size: number): FloatArray {
  if (like instanceof Float64Array) {
    if (columns64.length < size) columns64 = new Float64Array(size);
    return columns64;
  }
  if (columns32.length < size) columns32 = new Float32Array(size);
  return columns32;
}

/** Output positions per tile: as many as fit the budget with `rows` column rows, at least 1. */
function tileWidth(rows: number, positions: number, bytesPerElement: number): number {
  const fit = Math.floor(COLUMN_BUDGET_BYTES / (rows * bytesPerElement));
  return Math.max(1, Math.min(positions, fit));
}

/** Whether the input itself is the column matrix: 1×1 kernel, stride 1, no padding. */
function isPointwise(p: ConvPlan): boolean {
  return p.kD === 1 && p.kH === 1 && p.kW === 1 && p.sD === 1 && p.sH === 1 && p.sW === 1 &&
    p.pD === 0 && p.pH === 0 && p.pW === 0 && p.outD === p.inD && p.outH === p.inH &&
    p.outW === p.inW;
}

/**
 * Float32 data goes to the WebAssembly kernels when the GEMM backend is wasm (the default where
 * SIMD validates); float64, or the "ts" backend, runs the TypeScript loops below.
 */
function useWasm(data: FloatArray): boolean {
  return data instanceof Float32Array && gemmBackend() === "wasm";
}

function view(data: FloatArray, rowStride: number, colStride: number): MatrixView {
  return { data, offset: 0, rowStride, colStride };
}

/** y = conv(x, w) + bias, overwriting `y`. */
export function forwardFast(
  p: ConvPlan,
  x: FloatArray,
  w: FloatArray,
  bias: FloatArray | undefined,
  y: FloatArray,
): void {
  if (
    useWasm(x) && y instanceof Float32Array &&
    convForwardWasm(p, x as Float32Array, w as Float32Array, bias as Float32Array | undefined, y)
  ) return;
  const cinG = p.inChannels / p.groups, coutG = p.outChannels / p.groups;
  const K = cinG * p.kD * p.kH * p.kW, P = p.outD * p.outH * p.outW;
  const inPlane = p.inD * p.inH * p.inW;
  const pointwise = isPointwise(p);
  const tile = pointwise ? P : tileWidth(K, P, x.BYTES_PER_ELEMENT);
  const cols = pointwise ? x : columns(x, K * tile);
  const a = view(w, K, 1);
  const b = view(cols, tile, 1);
  for (let n = 0; n < p.batch; n++) {
    for (let g = 0; g < p.groups; g++) {
      const xOffset = (n * p.inChannels + g * cinG) * inPlane;
      const yOffset = (n * p.outChannels + g * coutG) * P;
      a.offset = g * coutG * K;
      if (bias !== undefined) {
        for (let j = 0; j < coutG; j++) {
          y.fill(bias[g * coutG + j], yOffset + j * P, yOffset + (j + 1) * P);
        }
      }
      for (let p0 = 0; p0 < P; p0 += tile) {
        const count = Math.min(tile, P - p0);
        if (pointwise) {
          b.offset = xOffset;
        } else {
          im2col(p, cinG, x, xOffset, p0, count, cols);
          b.rowStride = count;
        }
        gemm(coutG, count, K, a, b, y, yOffset + p0, P, bias !== undefined);
      }
    }
  }
}

/** dx = ∂L/∂x given dy = ∂L/∂y, overwriting `dx`. */
export function backwardInputFast(
  p: ConvPlan,
  dy: FloatArray,
  w: FloatArray,
  dx: FloatArray,
): void {
  if (
    useWasm(dy) && dx instanceof Float32Array &&
    convBackwardInputWasm(p, dy as Float32Array, w as Float32Array, dx)
  ) return;
  const cinG = p.inChannels / p.groups, coutG = p.outChannels / p.groups;
  const K = cinG * p.kD * p.kH * p.kW, P = p.outD * p.outH * p.outW;
  const inPlane = p.inD * p.inH * p.inW;
  const pointwise = isPointwise(p);
  const tile = pointwise ? P : tileWidth(K, P, dy.BYTES_PER_ELEMENT);
  const cols = pointwise ? dx : columns(dy, K * tile);
  const a = view(w, 1, K); // Wᵀ: A(r, co) = w[co·K + r]
  const b = view(dy, P, 1);
  if (!pointwise) dx.fill(0);
  for (let n = 0; n < p.batch; n++) {
    for (let g = 0; g < p.groups; g++) {
      const dxOffset = (n * p.inChannels + g * cinG) * inPlane;
      const dyOffset = (n * p.outChannels + g * coutG) * P;
      a.offset = g * coutG * K;
      for (let p0 = 0; p0 < P; p0 += tile) {
        const count = Math.min(tile, P - p0);
        b.offset = dyOffset + p0;
        if (pointwise) {
          gemm(K, count, coutG, a, b, dx, dxOffset, P, false);
        } else {
          gemm(K, count, coutG, a, b, cols, 0, count, false);
          col2im(p, cinG, cols, p0, count, dx, dxOffset);
        }
      }
    }
  }
}

/** dw = ∂L/∂w given the forward input x and dy = ∂L/∂y, overwriting `dw`. */
export function backwardWeightFast(
  p: ConvPlan,
  x: FloatArray,
  dy: FloatArray,
  dw: FloatArray,
): void {
  if (p.batch === 0) {
    // An empty batch contributes nothing; the wasm path would copy unwritten scratch rows out.
    dw.fill(0);
    return;
  }
  if (
    useWasm(x) && dw instanceof Float32Array &&
    convBackwardWeightWasm(p, x as Float32Array, dy as Float32Array, dw)
  ) return;
  const cinG = p.inChannels / p.groups, coutG = p.outChannels / p.groups;
  const K = cinG * p.kD * p.kH * p.kW, P = p.outD * p.outH * p.outW;
  const inPlane = p.inD * p.inH * p.inW;
  const pointwise = isPointwise(p);
  // Tiled even when pointwise: GEMM packs the transposed operand into a buffer of the tile's size.
  const tile = tileWidth(K, P, x.BYTES_PER_ELEMENT);
  const cols = pointwise ? x : columns(x, K * tile);
  const a = view(dy, P, 1);
  // colsᵀ: B(j, r) = cols[r·count + j]; for the pointwise case x itself, B(j, c) = x[c·P + j].
  const b = view(cols, 1, pointwise ? P : tile);
  dw.fill(0);
  for (let n = 0; n < p.batch; n++) {
    for (let g = 0; g < p.groups; g++) {
      const xOffset = (n * p.inChannels + g * cinG) * inPlane;
      const dyOffset = (n * p.outChannels + g * coutG) * P;
      for (let p0 = 0; p0 < P; p0 += tile) {
        const count = Math.min(tile, P - p0);
        a.offset = dyOffset + p0;
        if (pointwise) {
          b.offset = xOffset + p0;
        } else {
          im2col(p, cinG, x, xOffset, p0, count, cols);
          b.colStride = count;
        }
        gemm(coutG, K, count, a, b, dw, g * coutG * K, K, true);
      }
    }
  }
}
