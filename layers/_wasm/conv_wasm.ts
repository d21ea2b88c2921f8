// Float32 convolution on WebAssembly SIMD: im2col, the GEMM micro-kernel and col2im all run in
// wasm on data staged in the shared memory, so JavaScript only copies whole images in and out
// (one TypedArray.set each) and issues a few calls per tile. Per group, with M = Cout/groups
// output channels, K = Cin/groups·kD·kH·kW column rows and P positions per image:
//   forward  y = W[M×K]·cols[K×P]: W packed once per group (the A panels of ./kernel.ts), and
//            per tile of columns: im2col → rows → packed B panels → block kernel → y rows
//   dX       dcols = Wᵀ[K×M]·dY[M×P] (Wᵀ packed once per group), then col2im into the staged
//            input gradient
//   dW       dW[M×K] = Σ over tiles of dY·colsᵀ: the tile's positions are the GEMM's k, the
//            partial sums stay in C panels across tiles and the last tile writes the rows
// Columns are flat positions over a chunk of staged images, so small images share a tile and
// large ones are split (the input gradient's tiles never cross an image, so the order in which
// an image's gradient is summed does not depend on its neighbours): the column tile stays within
// CONV_TUNING.tileBytes (L2; see
// ./conv_stage.ts for the tuning and the shared staging helpers) and the staging
// within CONV_TUNING.stageBytes per side whatever the batch (at least one image), and nothing is
// allocated per call beyond the memory's growth. Two other paths come first: depthwise and other
// narrow groups go to the direct kernels (./direct_wasm.ts), and 2-D convolutions whose weights
// fit in L2 to the implicit GEMM (./implicit_wasm.ts: the same register tiles reading the staged
// image through a tap table, with col2im fused into the input gradient's write-back, so no column
// matrix is written at all). This file serves 3-D problems, large weights and short output rows;
// the tile bodies are in ./conv_tiles.ts, shared with the multi-thread drivers
// (./conv_threads.ts). With a `threads` setting above 1 and a large enough problem, every path
// hands the pass to its multi-thread driver (./direct_threads.ts, ./implicit_threads.ts,
// ./conv_threads.ts). Check-free: callers validate.

import type { ConvPlan } from "../_conv_plan.ts";
import { teamSize, threadSetting } from "../_threads/pool.ts";
import {
  align,
  convKernel,
  SLACK,
  stageImages,
  stageRows,
  unstageImages,
  writeDescriptor,
} from "./conv_stage.ts";
import {
  forwardPlan,
  forwardTile,
  inputPlan,
  inputTile,
  inputTiles,
  packForwardWeights,
  packInputWeights,
  weightPlan,
  weightTile,
  weightTiles,
} from "./conv_tiles.ts";
import {
  convBackwardInputThreads,
  convBackwardWeightThreads,
  convForwardThreads,
  convThreadsCovers,
} from "./conv_threads.ts";
import {
  directBackwardInput,
  directBackwardWeight,
  directCovers,
  directForward,
} from "./direct_wasm.ts";
import { MAX_BYTES, reserve } from "./engine.ts";
import {
  directBackwardInputThreads,
  directBackwardWeightThreads,
  directForwardThreads,
  directThreadsCovers,
} from "./direct_threads.ts";
import {
  implicitBackwardInput,
  implicitBackwardWeight,
  implicitCovers,
  implicitForward,
} from "./implicit_wasm.ts";
import { gemmKernel } from "./gemm_wasm.ts";
import {
  implicitBackwardInputThreads,
  implicitBackwardWeightThreads,
  implicitForwardThreads,
  implicitThreadsCovers,
} from "./implicit_threads.ts";
import { DESCRIPTOR_BYTES } from "./conv_kernel.ts";
import { convFitsWasm } from "./fits.ts";

/**
 * The threads a pass may use: the ready team when the `threads` setting allows more than one and
 * the problem is worth it (`worth`), else 1 (the single-thread path, on the plain memory).
 */
function team(worth: boolean): number {
  return worth && threadSetting() > 1 ? teamSize() : 1;
}

/**
 * y = conv(x, w) + bias on float32, overwriting y. Returns false, doing nothing, when the staging
 * would not fit in the wasm memory cap (a single enormous image): the caller falls back.
 */
export function convForwardWasm(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
): boolean {
  if (!convFitsWasm(p)) return false;
  if (directCovers(p)) {
    const threads = team(directThreadsCovers(p));
    if (threads > 1 && directForwardThreads(p, x, w, bias, y, threads)) return true;
    if (directForward(p, x, w, bias, y)) return true;
  }
  if (implicitCovers(p)) {
    const threads = team(implicitThreadsCovers(p));
    if (threads > 1 && implicitForwardThreads(p, x, w, bias, y, threads)) return true;
    if (implicitForward(p, x, w, bias, y)) return true;
  }
  const threads = team(convThreadsCovers(p));
  if (threads > 1 && convForwardThreads(p, x, w, bias, y, threads)) return true;
  const gk = gemmKernel(), ck = convKernel();
  const f = forwardPlan(p);
  const { s } = f;
  const { m, k, nb } = s;
  const P = s.p;
  // Layout: descriptor | bias | packed A | staged A | scratch | staged x | staged y.
  const biasAt = align(DESCRIPTOR_BYTES);
  const aPack = align(biasAt + p.outChannels * 4);
  const aStage = align(aPack + f.aPackBytes);
  const base = align(aStage + f.aStageBytes);
  const xStage = align(base + f.scratchBytes);
  const yStage = align(xStage + nb * s.imageBytes + SLACK);
  if (yStage + nb * m * P * 4 > MAX_BYTES) return false;
  const mem = reserve(yStage + nb * m * P * 4, "conv forward");
  if (f.panelMode) writeDescriptor(p, s, f.bPanelBytes, p.outH * f.bPanelBytes);
  else writeDescriptor(p, s);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  const slabX = s.cinG * s.inPlane, totalX = p.inChannels * s.inPlane;
  const slabY = m * P, totalY = p.outChannels * P;

  for (let g = 0; g < p.groups; g++) {
    stageRows(mem, aStage, f.aLd, w, g * m, m, k);
    packForwardWeights(gk, f, aStage, aPack);
    const groupBias = bias === undefined ? -1 : biasAt + g * m * 4;
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageImages(mem, xStage, x, n0, images, g, slabX, totalX);
      const total = images * P;
      for (let j0 = 0; j0 < total; j0 += f.cols) {
        const count = Math.min(f.cols, total - j0);
        forwardTile(gk, ck, f, 0, aPack, base, xStage, yStage, j0, count, groupBias);
      }
      unstageImages(mem, yStage, y, n0, images, g, slabY, totalY);
    }
  }
  return true;
}

/** dx = ∂L/∂x from dy and w on float32, overwriting dx; false when it would not fit. */
export function convBackwardInputWasm(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
): boolean {
  if (!convFitsWasm(p)) return false;
  if (directCovers(p)) {
    const threads = team(directThreadsCovers(p));
    if (threads > 1 && directBackwardInputThreads(p, dy, w, dx, threads)) return true;
    if (directBackwardInput(p, dy, w, dx)) return true;
  }
  if (implicitCovers(p)) {
    const threads = team(implicitThreadsCovers(p));
    if (threads > 1 && implicitBackwardInputThreads(p, dy, w, dx, threads)) return true;
    if (implicitBackwardInput(p, dy, w, dx)) return true;
  }
  const threads = team(convThreadsCovers(p));
  if (threads > 1 && convBackwardInputThreads(p, dy, w, dx, threads)) return true;
  const gk = gemmKernel(), ck = convKernel();
  const f = inputPlan(p);
  const { s } = f;
  const { m, k, nb } = s;
  const P = s.p;
  const aPack = align(DESCRIPTOR_BYTES);
  const aStage = align(aPack + f.aPackBytes);
  const base = align(aStage + f.aStageBytes);
  const dyStage = align(base + f.scratchBytes);
  const dxStage = align(dyStage + nb * m * P * 4);
  if (dxStage + nb * s.imageBytes + SLACK > MAX_BYTES) return false;
  const mem = reserve(dxStage + nb * s.imageBytes + SLACK, "conv input gradient");
  writeDescriptor(p, s);
  const slabX = s.cinG * s.inPlane, totalX = p.inChannels * s.inPlane;
  const slabY = m * P, totalY = p.outChannels * P;

  for (let g = 0; g < p.groups; g++) {
    stageRows(mem, aStage, f.aLd, w, g * m, m, k);
    packInputWeights(gk, f, aStage, aPack);
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageImages(mem, dyStage, dy, n0, images, g, slabY, totalY);
      mem.fill(0, dxStage >> 2, (dxStage >> 2) + images * slabX);
      inputTiles(images, P, f.cols, (j0, count) => {
        inputTile(gk, ck, f, 0, aPack, base, dyStage, dxStage, j0, count);
      });
      unstageImages(mem, dxStage, dx, n0, images, g, slabX, totalX);
    }
  }
  return true;
}

/**
 * dw = ∂L/∂w from x and dy on float32, overwriting dw (false when it would not fit): dW[M×K] =
 * Σ over tiles of dY·colsᵀ, with the partial sums kept in C panels across tiles and the last
 * tile writing finished rows. The tile's positions are the GEMM's k; dY rows are packed as A and
 * the column rows, which run along positions, as transposed B.
 */
export function convBackwardWeightWasm(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): boolean {
  if (!convFitsWasm(p)) return false;
  if (directCovers(p)) {
    const threads = team(directThreadsCovers(p));
    if (threads > 1 && directBackwardWeightThreads(p, x, dy, dw, threads)) return true;
    if (directBackwardWeight(p, x, dy, dw)) return true;
  }
  if (implicitCovers(p)) {
    const threads = team(implicitThreadsCovers(p));
    if (threads > 1 && implicitBackwardWeightThreads(p, x, dy, dw, threads)) return true;
    if (implicitBackwardWeight(p, x, dy, dw)) return true;
  }
  const threads = team(convThreadsCovers(p));
  if (threads > 1 && convBackwardWeightThreads(p, x, dy, dw, threads)) return true;
  const gk = gemmKernel(), ck = convKernel();
  const f = weightPlan(p);
  const { s } = f;
  const { m, k, nb } = s;
  const P = s.p;
  const base = align(DESCRIPTOR_BYTES);
  const xStage = align(base + f.scratchBytes);
  const dyStage = align(xStage + nb * s.imageBytes + SLACK);
  if (dyStage + nb * m * P * 4 > MAX_BYTES) return false;
  const mem = reserve(dyStage + nb * m * P * 4, "conv weight gradient");
  writeDescriptor(p, s);
  const slabX = s.cinG * s.inPlane, totalX = p.inChannels * s.inPlane;
  const slabY = m * P, totalY = p.outChannels * P;
  const kLd = f.nPanels * 8;

  for (let g = 0; g < p.groups; g++) {
    // The tiles run chunk by chunk; a chunk is staged before its first tile.
    let staged = -1;
    weightTiles(p.batch, f, (j0, count, first, last) => {
      const n0 = Math.floor(j0 / P / nb) * nb;
      if (n0 !== staged) {
        const images = Math.min(nb, p.batch - n0);
        stageImages(mem, xStage, x, n0, images, g, slabX, totalX);
        stageImages(mem, dyStage, dy, n0, images, g, slabY, totalY);
        staged = n0;
      }
      weightTile(gk, ck, f, 0, base, xStage, dyStage, k, j0 - n0 * P, count, first, last);
    });
    for (let i = 0; i < m; i++) {
      const from = ((base + f.dwRows) >> 2) + i * kLd;
      dw.set(mem.subarray(from, from + k), (g * m + i) * k);
    }
  }
  return true;
}
