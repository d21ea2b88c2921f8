// The im2col convolution path's plans and tile bodies (see ./conv_wasm.ts), shared by its
// single-thread drivers there and its multi-thread drivers (./conv_threads.ts). A plan holds the
// sizes of one pass and the layout of the scratch one thread needs (offsets from that thread's
// base); a tile body runs the kernels of one column tile against given addresses, so both drivers
// compute every tile the same way. Check-free: callers validate.

import type { ConvPlan } from "../_conv_plan.ts";
import type { ConvKernelExports } from "./conv_kernel.ts";
import {
  align,
  CONV_TUNING,
  kBlocks,
  moveTile,
  multiply,
  packBBlocks,
  roundUp,
  type Shape,
  shapeOf,
  SLACK,
  tileColumns,
} from "./conv_stage.ts";
import type { KernelExports } from "./kernel.ts";
import { MC, MR, NR } from "./plan.ts";

/** The forward pass: y = W[m×k]·cols[k×tile] per column tile. */
export interface ForwardPlan {
  s: Shape;
  kc: number;
  blocks: number;
  /** im2col writes the packed B panels itself (8 output columns, whole images per tile). */
  panelMode: boolean;
  /** 1×1, stride 1, no padding: the staged images are the column rows. */
  pointwise: boolean;
  /** Columns per tile (a multiple of NR), and the row pitch of column rows in bytes. */
  cols: number;
  ld: number;
  mPanels: number;
  /** Row pitch (floats) of the staged weights. */
  aLd: number;
  aPanelBytes: number;
  bPanelBytes: number;
  bBlockBytes: number;
  cPanelBytes: number;
  /** Packed weights (all k blocks) and their staging: shared by the threads. */
  aPackBytes: number;
  aStageBytes: number;
  /** Per-thread scratch, offsets from its base. */
  colsAt: number;
  bPack: number;
  cBuf: number;
  cRows: number;
  scratchBytes: number;
}

export function forwardPlan(p: ConvPlan): ForwardPlan {
  const s = shapeOf(p);
  const { m, k, nb } = s;
  const P = s.p;
  const { kc, blocks } = kBlocks(k);
  // Panel mode: with 8 output columns (NR) an output row is one B panel row, so im2col can
  // write the packed panels itself when tiles hold whole images and k fits one block. Panels
  // get a spare k row for im2col's overshoot past the last one.
  const fit = Math.floor(CONV_TUNING.tileBytes / (k * 4));
  const panelMode = p.inD === 1 && p.kD === 1 && p.pD === 0 && p.outD === 1 && p.outW === NR &&
    blocks === 1 &&
    fit >= P;
  const cols = panelMode
    ? Math.min(nb, Math.floor(fit / P)) * P
    : tileColumns(k, nb * P, CONV_TUNING.tileBytes);
  const ld = cols * 4;
  const mPanels = Math.ceil(m / MR);
  const aLd = roundUp(k, 4);
  const aPanelBytes = kc * MR * 4, bPanelBytes = (panelMode ? k + 1 : kc) * NR * 4;
  const bBlockBytes = (cols / NR) * bPanelBytes;
  const cPanelBytes = mPanels * MR * NR * 4;
  const pointwise = p.kD === 1 && p.kH === 1 && p.kW === 1 && p.sD === 1 && p.sH === 1 &&
    p.sW === 1 && p.pD === 0 && p.pH === 0 && p.pW === 0 && P === s.inPlane;
  // Scratch: column rows | packed B | C panels | C rows.
  const colsAt = 0;
  const bPack = align(colsAt + k * ld + SLACK);
  const cBuf = align(bPack + blocks * bBlockBytes);
  const cRows = align(cBuf + (blocks > 1 ? (cols / NR) * cPanelBytes : 0));
  return {
    s,
    kc,
    blocks,
    panelMode,
    pointwise,
    cols,
    ld,
    mPanels,
    aLd,
    aPanelBytes,
    bPanelBytes,
    bBlockBytes,
    cPanelBytes,
    aPackBytes: blocks * mPanels * aPanelBytes,
    aStageBytes: mPanels * MR * aLd * 4,
    colsAt,
    bPack,
    cBuf,
    cRows,
    scratchBytes: align(cRows + mPanels * MR * ld),
  };
}

/** Packs the staged weights (at aStage, pitch aLd) into the forward's A panels at aPack. */
export function packForwardWeights(
  gk: KernelExports,
  f: ForwardPlan,
  aStage: number,
  aPack: number,
): void {
  const { k } = f.s;
  for (let t = 0, k0 = 0; k0 < k; t++, k0 += f.kc) {
    const kcT = Math.min(f.kc, k - k0);
    const to = aPack + t * f.mPanels * f.aPanelBytes;
    gk.packA(aStage + k0 * 4, f.aLd * 4, kcT, f.mPanels, to, f.aPanelBytes);
  }
}

/**
 * One forward tile: columns [j0, j0 + count) over the staged images at xStage go through the
 * weights into the staged outputs at yStage (+ bias at biasAt, when ≥ 0, for the group's m
 * channels). `base` is the thread's scratch.
 */
export function forwardTile(
  gk: KernelExports,
  ck: ConvKernelExports,
  f: ForwardPlan,
  desc: number,
  aPack: number,
  base: number,
  xStage: number,
  yStage: number,
  j0: number,
  count: number,
  biasAt: number,
): void {
  const { m, k, imageBytes } = f.s;
  const P = f.s.p;
  const bPack = base + f.bPack, colsAt = base + f.colsAt, cRows = base + f.cRows;
  const panels = Math.ceil(count / NR);
  const image = Math.floor(j0 / P);
  if (f.pointwise && Math.floor((j0 + count - 1) / P) === image) {
    // 1×1, stride 1, no padding: the staged image's channel rows are the column rows.
    const from = xStage + image * imageBytes + (j0 - image * P) * 4;
    packBBlocks(gk, from, P * 4, k, f.kc, panels, bPack, f.bBlockBytes, f.bPanelBytes);
  } else if (f.panelMode) {
    ck.im2col(desc, xStage, bPack, NR * 4, j0, count);
  } else {
    ck.im2col(desc, xStage, colsAt, f.ld, j0, count);
    packBBlocks(gk, colsAt, f.ld, k, f.kc, panels, bPack, f.bBlockBytes, f.bPanelBytes);
  }
  multiply(
    gk,
    m,
    panels,
    k,
    f.kc,
    aPack,
    f.mPanels,
    f.aPanelBytes,
    bPack,
    f.bBlockBytes,
    f.bPanelBytes,
    base + f.cBuf,
    f.cPanelBytes,
    cRows,
    f.ld,
  );
  moveTile(ck, true, cRows, f.ld, yStage, j0, count, P, m);
  if (biasAt < 0) return;
  for (let j = j0; j < j0 + count;) {
    const n = Math.floor(j / P), position = j - n * P;
    const length = Math.min(P - position, j0 + count - j);
    ck.addBias(yStage + (n * m * P + position) * 4, P * 4, m, length, biasAt);
    j += length;
  }
}

/** The input gradient: dcols = Wᵀ[k×m]·dY[m×tile], then col2im. */
export interface InputPlan {
  s: Shape;
  kc: number;
  blocks: number;
  cols: number;
  ld: number;
  kPanels: number;
  aLd: number;
  aPanelBytes: number;
  bPanelBytes: number;
  bBlockBytes: number;
  cPanelBytes: number;
  aPackBytes: number;
  aStageBytes: number;
  /** Per-thread scratch, offsets from its base. */
  dyRows: number;
  bPack: number;
  cBuf: number;
  cRows: number;
  scratchBytes: number;
}

export function inputPlan(p: ConvPlan): InputPlan {
  const s = shapeOf(p);
  const { m, k, nb } = s;
  const cols = tileColumns(k, nb * s.p, CONV_TUNING.tileBytes);
  const ld = cols * 4;
  // A = Wᵀ (K rows, reduction over the M output channels), B = dY rows.
  const { kc, blocks } = kBlocks(m);
  const kPanels = Math.ceil(k / MR);
  const aLd = roundUp(k, 12);
  const aPanelBytes = kc * MR * 4, bPanelBytes = kc * NR * 4;
  const bBlockBytes = (cols / NR) * bPanelBytes;
  const cPanelBytes = kPanels * MR * NR * 4;
  const dyRows = 0;
  const bPack = align(dyRows + m * ld);
  const cBuf = align(bPack + blocks * bBlockBytes);
  const cRows = align(cBuf + (blocks > 1 ? (cols / NR) * cPanelBytes : 0));
  return {
    s,
    kc,
    blocks,
    cols,
    ld,
    kPanels,
    aLd,
    aPanelBytes,
    bPanelBytes,
    bBlockBytes,
    cPanelBytes,
    aPackBytes: blocks * kPanels * aPanelBytes,
    aStageBytes: roundUp(m, 4) * aLd * 4,
    dyRows,
    bPack,
    cBuf,
    cRows,
    scratchBytes: align(cRows + kPanels * MR * ld),
  };
}

/** Packs the staged weights (at aStage, pitch aLd) as the input gradient's Wᵀ panels at aPack. */
export function packInputWeights(
  gk: KernelExports,
  f: InputPlan,
  aStage: number,
  aPack: number,
): void {
  const { m } = f.s;
  for (let t = 0, k0 = 0; k0 < m; t++, k0 += f.kc) {
    const kcT = Math.min(f.kc, m - k0);
    const to = aPack + t * f.kPanels * f.aPanelBytes;
    gk.packAT(aStage + k0 * f.aLd * 4, f.aLd * 4, kcT, f.kPanels, to, f.aPanelBytes);
  }
}

/**
 * The input gradient's tiles over `images` staged images: never across an image, so all the
 * contributions to an image's gradient come in the same order whichever images share its
 * tiles — whole images per tile when an image fits in one, else each image in tiles of `cols`
 * positions. Calls `tile(j0, count)` in order; with `image` ≥ 0, only that image's tiles.
 */
export function inputTiles(
  images: number,
  positions: number,
  cols: number,
  tile: (j0: number, count: number) => void,
): void {
  if (positions <= cols) {
    const per = Math.floor(cols / positions);
    for (let n = 0; n < images; n += per) {
      tile(n * positions, Math.min(per, images - n) * positions);
    }
    return;
  }
  for (let n = 0; n < images; n++) imageTiles(n, positions, cols, tile);
}

/** The tiles of image n alone (positions > cols). */
export function imageTiles(
  n: number,
  positions: number,
  cols: number,
  tile: (j0: number, count: number) => void,
): void {
  for (let o = 0; o < positions; o += cols) tile(n * positions + o, Math.min(cols, positions - o));
}

/** One input-gradient tile: dY columns [j0, j0 + count) at dyStage into dX at dxStage. */
export function inputTile(
  gk: KernelExports,
  ck: ConvKernelExports,
  f: InputPlan,
  desc: number,
  aPack: number,
  base: number,
  dyStage: number,
  dxStage: number,
  j0: number,
  count: number,
): void {
  const { m, k } = f.s;
  const dyRows = base + f.dyRows, bPack = base + f.bPack, cRows = base + f.cRows;
  const panels = Math.ceil(count / NR);
  moveTile(ck, false, dyRows, f.ld, dyStage, j0, count, f.s.p, m);
  packBBlocks(gk, dyRows, f.ld, m, f.kc, panels, bPack, f.bBlockBytes, f.bPanelBytes);
  multiply(
    gk,
    k,
    panels,
    m,
    f.kc,
    aPack,
    f.kPanels,
    f.aPanelBytes,
    bPack,
    f.bBlockBytes,
    f.bPanelBytes,
    base + f.cBuf,
    f.cPanelBytes,
    cRows,
    f.ld,
  );
  ck.col2im(desc, dxStage, cRows, f.ld, j0, count);
}

/** The weight gradient: dW[m×k] = Σ over tiles of dY·colsᵀ, partial sums in C panels. */
export interface WeightPlan {
  s: Shape;
  cols: number;
  ld: number;
  mPanels: number;
  /** Panels of the whole k (an upper bound for a channel range's). */
  nPanels: number;
  aPanelBytes: number;
  bPanelBytes: number;
  cPanelBytes: number;
  /** Per-thread scratch, offsets from its base. */
  cBuf: number;
  dwRows: number;
  aPack: number;
  bPack: number;
  colsAt: number;
  dyRows: number;
  scratchBytes: number;
}

export function weightPlan(p: ConvPlan): WeightPlan {
  const s = shapeOf(p);
  const { m, k, nb } = s;
  const cols = Math.min(roundUp(nb * s.p, NR), CONV_TUNING.dwTile);
  const ld = cols * 4;
  const mPanels = Math.ceil(m / MR), nPanels = Math.ceil(k / NR);
  const aPanelBytes = cols * MR * 4, bPanelBytes = cols * NR * 4;
  const cPanelBytes = mPanels * MR * NR * 4;
  const cBuf = 0;
  const dwRows = align(cBuf + nPanels * cPanelBytes);
  const aPack = align(dwRows + mPanels * MR * nPanels * NR * 4);
  const bPack = align(aPack + mPanels * aPanelBytes);
  const colsAt = align(bPack + nPanels * bPanelBytes);
  const dyRows = align(colsAt + nPanels * NR * ld + SLACK);
  return {
    s,
    cols,
    ld,
    mPanels,
    nPanels,
    aPanelBytes,
    bPanelBytes,
    cPanelBytes,
    cBuf,
    dwRows,
    aPack,
    bPack,
    colsAt,
    dyRows,
    scratchBytes: align(dyRows + mPanels * MR * ld),
  };
}

/**
 * The weight gradient's tiles of the single-thread path: per chunk of s.nb images, tiles of
 * `cols` positions over the chunk's columns (the reduction order of every element of dW).
 * Calls `tile(j0, count, first, last)` with j0 over the whole batch's columns.
 */
export function weightTiles(
  batch: number,
  f: WeightPlan,
  tile: (j0: number, count: number, first: boolean, last: boolean) => void,
): void {
  const { nb } = f.s;
  const P = f.s.p;
  let first = true;
  for (let n0 = 0; n0 < batch; n0 += nb) {
    const total = Math.min(nb, batch - n0) * P;
    for (let j = 0; j < total; j += f.cols) {
      const count = Math.min(f.cols, total - j);
      tile(n0 * P + j, count, first, n0 + nb >= batch && j + count === total);
      first = false;
    }
  }
}

/**
 * One weight-gradient tile for the column rows of channels [c0, c0 + channels) of the group
 * (rows c0·taps.. of k; `desc` describes `channels` channels): im2col of those rows from the
 * staged images, dY rows as A, the column rows as transposed B; partial sums in the C panels, and
 * the last tile writes finished rows (pitch ⌈rows / 8⌉·8 floats) at dwRows.
 */
export function weightTile(
  gk: KernelExports,
  ck: ConvKernelExports,
  f: WeightPlan,
  desc: number,
  base: number,
  xStage: number,
  dyStage: number,
  rows: number,
  j0: number,
  count: number,
  first: boolean,
  last: boolean,
): void {
  const { m } = f.s;
  const nPanels = Math.ceil(rows / NR), kLd = nPanels * NR;
  const colsAt = base + f.colsAt, dyRows = base + f.dyRows, aPack = base + f.aPack;
  const bPack = base + f.bPack, cBuf = base + f.cBuf, dwRows = base + f.dwRows;
  ck.im2col(desc, xStage, colsAt, f.ld, j0, count);
  moveTile(ck, false, dyRows, f.ld, dyStage, j0, count, f.s.p, m);
  gk.packA(dyRows, f.ld, count, f.mPanels, aPack, f.aPanelBytes);
  gk.packBT(colsAt, f.ld, count, nPanels, bPack, f.bPanelBytes);
  const add = first ? 0 : 1;
  for (let ic = 0; ic < m; ic += MC) {
    const mc = Math.min(MC, m - ic);
    const a = aPack + (ic / MR) * f.aPanelBytes;
    const cIn = cBuf + ic * NR * 4;
    if (last) {
      gk.block(
        nPanels,
        mc,
        count,
        a,
        f.aPanelBytes,
        bPack,
        f.bPanelBytes,
        cIn,
        f.cPanelBytes,
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
        f.aPanelBytes,
        bPack,
        f.bPanelBytes,
        cIn,
        f.cPanelBytes,
        cIn,
        NR * 4,
        f.cPanelBytes,
        add,
      );
    }
  }
}
