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
// large ones are split: the column tile stays within CONV_TUNING.tileBytes (L2; see
// ./conv_stage.ts for the tuning and the shared staging helpers) and the staging
// within CONV_TUNING.stageBytes per side whatever the batch (at least one image), and nothing is
// allocated per call beyond the memory's growth. Two other paths come first: depthwise and other
// narrow groups go to the direct kernels (./direct_wasm.ts), and 2-D convolutions whose weights
// fit in L2 to the implicit GEMM (./implicit_wasm.ts: the same register tiles reading the staged
// image through a tap table, with col2im fused into the input gradient's write-back, so no column
// matrix is written at all). This file serves 3-D problems, large weights and short output rows.
// Check-free: callers validate.

import type { ConvPlan } from "../_conv_plan.ts";
import {
  align,
  CONV_TUNING,
  convKernel,
  kBlocks,
  moveTile,
  multiply,
  packBBlocks,
  roundUp,
  shapeOf,
  SLACK,
  stageImages,
  stageRows,
  tileColumns,
  unstageImages,
  writeDescriptor,
} from "./conv_stage.ts";
import {
  directBackwardInput,
  directBackwardWeight,
  directCovers,
  directForward,
} from "./direct_wasm.ts";
import { MAX_BYTES, reserve } from "./engine.ts";
import {
  implicitBackwardInput,
  implicitBackwardWeight,
  implicitCovers,
  implicitForward,
} from "./implicit_wasm.ts";
import { gemmKernel } from "./gemm_wasm.ts";
import { MC, MR, NR } from "./plan.ts";
import { DESCRIPTOR_BYTES } from "./conv_kernel.ts";

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
  if (directCovers(p) && directForward(p, x, w, bias, y)) return true;
  if (implicitCovers(p) && implicitForward(p, x, w, bias, y)) return true;
  const gk = gemmKernel(), ck = convKernel();
  const s = shapeOf(p);
  const { m, k, nb } = s;
  const P = s.p;
  const { kc, blocks } = kBlocks(k);
  // Panel mode: with 8 output columns (NR) an output row is one B panel row, so im2col can
  // write the packed panels itself when tiles hold whole images and k fits one block. Panels
  // get a spare k row for im2col's overshoot past the last one.
  const fit = Math.floor(CONV_TUNING.tileBytes / (k * 4));
  const panelMode = p.inD === 1 && p.kD === 1 && p.pD === 0 && p.outW === NR && blocks === 1 &&
    fit >= P;
  const cols = panelMode
    ? Math.min(nb, Math.floor(fit / P)) * P
    : tileColumns(k, s.nb * P, CONV_TUNING.tileBytes);
  const ld = cols * 4;
  const mPanels = Math.ceil(m / MR);
  const aLd = roundUp(k, 4);
  const aPanelBytes = kc * MR * 4, bPanelBytes = (panelMode ? k + 1 : kc) * NR * 4;
  const bBlockBytes = (cols / NR) * bPanelBytes;
  const cPanelBytes = mPanels * MR * NR * 4;
  // Layout: descriptor | bias | packed A | staged A | column rows | packed B | C panels | C rows |
  // staged x | staged y.
  const biasAt = align(DESCRIPTOR_BYTES);
  const aPack = align(biasAt + p.outChannels * 4);
  const aStage = align(aPack + blocks * mPanels * aPanelBytes);
  const colsAt = align(aStage + mPanels * MR * aLd * 4);
  const bPack = align(colsAt + k * ld + SLACK);
  const cBuf = align(bPack + blocks * bBlockBytes);
  const cRows = align(cBuf + (blocks > 1 ? (cols / NR) * cPanelBytes : 0));
  const xStage = align(cRows + mPanels * MR * ld);
  const yStage = align(xStage + nb * s.imageBytes + SLACK);
  if (yStage + nb * m * P * 4 > MAX_BYTES) return false;
  const mem = reserve(yStage + nb * m * P * 4, "conv forward");
  if (panelMode) writeDescriptor(p, s, bPanelBytes, p.outH * bPanelBytes);
  else writeDescriptor(p, s);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  const slabX = s.cinG * s.inPlane, totalX = p.inChannels * s.inPlane;
  const slabY = m * P, totalY = p.outChannels * P;
  const pointwise = p.kD === 1 && p.kH === 1 && p.kW === 1 && p.sD === 1 && p.sH === 1 &&
    p.sW === 1 && p.pD === 0 && p.pH === 0 && p.pW === 0 && P === s.inPlane;

  for (let g = 0; g < p.groups; g++) {
    stageRows(mem, aStage, aLd, w, g * m, m, k);
    for (let t = 0, k0 = 0; k0 < k; t++, k0 += kc) {
      const kcT = Math.min(kc, k - k0);
      gk.packA(
        aStage + k0 * 4,
        aLd * 4,
        kcT,
        mPanels,
        aPack + t * mPanels * aPanelBytes,
        aPanelBytes,
      );
    }
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageImages(mem, xStage, x, n0, images, g, slabX, totalX);
      const total = images * P;
      for (let j0 = 0; j0 < total; j0 += cols) {
        const count = Math.min(cols, total - j0);
        const panels = Math.ceil(count / NR);
        const image = Math.floor(j0 / P);
        if (pointwise && Math.floor((j0 + count - 1) / P) === image) {
          // 1×1, stride 1, no padding: the staged image's channel rows are the column rows.
          const from = xStage + image * s.imageBytes + (j0 - image * P) * 4;
          packBBlocks(gk, from, P * 4, k, kc, panels, bPack, bBlockBytes, bPanelBytes);
        } else if (panelMode) {
          ck.im2col(0, xStage, bPack, NR * 4, j0, count);
        } else {
          ck.im2col(0, xStage, colsAt, ld, j0, count);
          packBBlocks(gk, colsAt, ld, k, kc, panels, bPack, bBlockBytes, bPanelBytes);
        }
        multiply(
          gk,
          m,
          panels,
          k,
          kc,
          aPack,
          mPanels,
          aPanelBytes,
          bPack,
          bBlockBytes,
          bPanelBytes,
          cBuf,
          cPanelBytes,
          cRows,
          ld,
        );
        moveTile(ck, true, cRows, ld, yStage, j0, count, P, m);
      }
      if (bias !== undefined) {
        for (let i = 0; i < images; i++) {
          ck.addBias(yStage + i * slabY * 4, P * 4, m, P, biasAt + g * m * 4);
        }
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
  if (directCovers(p) && directBackwardInput(p, dy, w, dx)) return true;
  if (implicitCovers(p) && implicitBackwardInput(p, dy, w, dx)) return true;
  const gk = gemmKernel(), ck = convKernel();
  const s = shapeOf(p);
  const { m, k, nb } = s;
  const P = s.p;
  const cols = tileColumns(k, s.nb * P, CONV_TUNING.tileBytes);
  const ld = cols * 4;
  // A = Wᵀ (K rows, reduction over the M output channels), B = dY rows.
  const { kc, blocks } = kBlocks(m);
  const kPanels = Math.ceil(k / MR);
  const aLd = roundUp(k, 12);
  const aPanelBytes = kc * MR * 4, bPanelBytes = kc * NR * 4;
  const bBlockBytes = (cols / NR) * bPanelBytes;
  const cPanelBytes = kPanels * MR * NR * 4;
  const aPack = align(DESCRIPTOR_BYTES);
  const aStage = align(aPack + blocks * kPanels * aPanelBytes);
  const dyRows = align(aStage + roundUp(m, 4) * aLd * 4);
  const bPack = align(dyRows + m * ld);
  const cBuf = align(bPack + blocks * bBlockBytes);
  const cRows = align(cBuf + (blocks > 1 ? (cols / NR) * cPanelBytes : 0));
  const dyStage = align(cRows + kPanels * MR * ld);
  const dxStage = align(dyStage + nb * m * P * 4);
  if (dxStage + nb * s.imageBytes + SLACK > MAX_BYTES) return false;
  const mem = reserve(dxStage + nb * s.imageBytes + SLACK, "conv input gradient");
  writeDescriptor(p, s);
  const slabX = s.cinG * s.inPlane, totalX = p.inChannels * s.inPlane;
  const slabY = m * P, totalY = p.outChannels * P;

  for (let g = 0; g < p.groups; g++) {
    stageRows(mem, aStage, aLd, w, g * m, m, k);
    for (let t = 0, k0 = 0; k0 < m; t++, k0 += kc) {
      const kcT = Math.min(kc, m - k0);
      const to = aPack + t * kPanels * aPanelBytes;
      gk.packAT(aStage + k0 * aLd * 4, aLd * 4, kcT, kPanels, to, aPanelBytes);
    }
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageImages(mem, dyStage, dy, n0, images, g, slabY, totalY);
      mem.fill(0, dxStage >> 2, (dxStage >> 2) + images * slabX);
      const total = images * P;
      for (let j0 = 0; j0 < total; j0 += cols) {
        const count = Math.min(cols, total - j0);
        const panels = Math.ceil(count / NR);
        moveTile(ck, false, dyRows, ld, dyStage, j0, count, P, m);
        packBBlocks(gk, dyRows, ld, m, kc, panels, bPack, bBlockBytes, bPanelBytes);
        multiply(
          gk,
          k,
          panels,
          m,
          kc,
          aPack,
          kPanels,
          aPanelBytes,
          bPack,
          bBlockBytes,
          bPanelBytes,
          cBuf,
          cPanelBytes,
          cRows,
          ld,
        );
        ck.col2im(0, dxStage, cRows, ld, j0, count);
      }
      unstageImages(mem, dxStage, dx, n0, images, g, slabX, totalX);
    }
  }
  return true;
}

/**
 * dw = ∂L/∂w from x and dy on float32, overwriting dw (false when it would not fit): dW[M×K] = Σ over tiles of dY·colsᵀ, with
 * the partial sums kept in C panels across tiles and the last tile writing finished rows. The
 * tile's positions are the GEMM's k; dY rows are packed as A and the column rows, which run along
 * positions, as transposed B.
 */
export function convBackwardWeightWasm(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): boolean {
  if (directCovers(p) && directBackwardWeight(p, x, dy, dw)) return true;
  if (implicitCovers(p) && implicitBackwardWeight(p, x, dy, dw)) return true;
  const gk = gemmKernel(), ck = convKernel();
  const s = shapeOf(p);
  const { m, k, nb } = s;
  const P = s.p;
  const cols = Math.min(roundUp(s.nb * P, NR), CONV_TUNING.dwTile);
  const ld = cols * 4;
  const mPanels = Math.ceil(m / MR), nPanels = Math.ceil(k / NR);
  const aPanelBytes = cols * MR * 4, bPanelBytes = cols * NR * 4;
  const cPanelBytes = mPanels * MR * NR * 4;
  const cBuf = align(DESCRIPTOR_BYTES);
  const dwRows = align(cBuf + nPanels * cPanelBytes);
  const aPack = align(dwRows + mPanels * MR * nPanels * NR * 4);
  const bPack = align(aPack + mPanels * aPanelBytes);
  const colsAt = align(bPack + nPanels * bPanelBytes);
  const dyRows = align(colsAt + nPanels * NR * ld + SLACK);
  const xStage = align(dyRows + mPanels * MR * ld);
  const dyStage = align(xStage + nb * s.imageBytes + SLACK);
  if (dyStage + nb * m * P * 4 > MAX_BYTES) return false;
  const mem = reserve(dyStage + nb * m * P * 4, "conv weight gradient");
  writeDescriptor(p, s);
  const slabX = s.cinG * s.inPlane, totalX = p.inChannels * s.inPlane;
  const slabY = m * P, totalY = p.outChannels * P;
  const kLd = nPanels * NR;

  for (let g = 0; g < p.groups; g++) {
    let first = true;
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageImages(mem, xStage, x, n0, images, g, slabX, totalX);
      stageImages(mem, dyStage, dy, n0, images, g, slabY, totalY);
      const total = images * P;
      for (let j0 = 0; j0 < total; j0 += cols) {
        const count = Math.min(cols, total - j0);
        const last = n0 + images === p.batch && j0 + count === total;
        ck.im2col(0, xStage, colsAt, ld, j0, count);
        moveTile(ck, false, dyRows, ld, dyStage, j0, count, P, m);
        gk.packA(dyRows, ld, count, mPanels, aPack, aPanelBytes);
        gk.packBT(colsAt, ld, count, nPanels, bPack, bPanelBytes);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          const a = aPack + (ic / MR) * aPanelBytes;
          const cIn = cBuf + ic * NR * 4;
          const add = first ? 0 : 1;
          if (last) {
            gk.block(
              nPanels,
              mc,
              count,
              a,
              aPanelBytes,
              bPack,
              bPanelBytes,
              cIn,
              cPanelBytes,
              dwRows + ic * kLd * 4,
              kLd * 4,
              NR * 4,
              add,
            );
          } else {
            gk.block(
              nPanels,
              mc,
              count,
              a,
              aPanelBytes,
              bPack,
              bPanelBytes,
              cIn,
              cPanelBytes,
              cIn,
              NR * 4,
              cPanelBytes,
              add,
            );
          }
        }
        first = false;
      }
    }
    for (let i = 0; i < m; i++) {
      const from = (dwRows >> 2) + i * kLd;
      dw.set(mem.subarray(from, from + k), (g * m + i) * k);
    }
  }
  return true;
}
