// Staging and blocking shared by the wasm convolution drivers (./conv_wasm.ts): the tuning
// constants, the sizes of a group's problem, k blocking, the window descriptor the im2col/col2im
// kernels read, copies of whole images between TypeScript arrays and the memory, and the GEMM
// loop over k blocks on packed panels.

import type { ConvPlan } from "../_conv_plan.ts";
import { buildConvModule, type ConvKernelExports } from "./conv_kernel.ts";
import { intView, MAX_PAGES, plainContext, type WasmContext } from "./engine.ts";
import type { KernelExports } from "./kernel.ts";
import { MC, MR, NR } from "./plan.ts";

/**
 * Block sizes, read at every call. Exported so tests can shrink them to exercise several tiles,
 * chunks and k blocks on small problems, and so the bench can tune them.
 */
export const CONV_TUNING = {
  /** Bytes of one column tile (K rows × tile columns), kept in L2 between writing and use. */
  tileBytes: 256 << 10,
  /** Largest tile, in columns (a multiple of NR). */
  maxTile: 4096,
  /** Target bytes of staged images (input or output side) per chunk; at least one image. */
  stageBytes: 1 << 20,
  /** Largest k block of the GEMM (floats); blocks are balanced, multiples of 4. */
  kc: 256,
  /** Columns per weight-gradient tile (its GEMM k); a multiple of NR. */
  dwTile: 256,
  /** Whether 2-D convolutions may take the implicit-GEMM path (./implicit_wasm.ts). */
  implicit: true,
  /** Largest group weight matrix (bytes) the implicit path takes. */
  implicitWeightBytes: 256 << 10,
  /** Least fraction of its 8-column tiles an output row must fill for the implicit path. */
  implicitMinFill: 0.75,
  /** Whether depthwise and narrow grouped convolutions may take the direct path. */
  direct: true,
  /** Target bytes of one image chunk of the direct path (compact, padded and output planes). */
  directChunkBytes: 1 << 20,
  /** Longest tap table the direct path compiles into a geometry-specialised module. */
  directSpecialTaps: 64,
};
/** Smallest column tile (a multiple of NR). */
const MIN_TILE = 8;
/** Slack after staged inputs and column buffers: whole-vector moves may run up to 28 bytes past. */
export const SLACK = 64;

/** The convolution kernel module, instantiated once per context. */
export function convKernel(ctx: WasmContext = plainContext()): ConvKernelExports {
  return ctx.instance("conv", () => buildConvModule(MAX_PAGES)) as unknown as ConvKernelExports;
}

export const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
export const align = (bytes: number): number => roundUp(bytes, 64);

/** Sizes shared by the three passes. */
export interface Shape {
  cinG: number;
  /** Output channels per group. */
  m: number;
  /** Column rows per group. */
  k: number;
  /** Output positions per image. */
  p: number;
  inPlane: number;
  /** Bytes of one staged image (the group's input channels). */
  imageBytes: number;
  /** Images per chunk. */
  nb: number;
}

export function shapeOf(p: ConvPlan): Shape {
  const cinG = p.inChannels / p.groups;
  const m = p.outChannels / p.groups;
  const inPlane = p.inD * p.inH * p.inW;
  const positions = p.outD * p.outH * p.outW;
  const imageBytes = cinG * inPlane * 4;
  const perImage = Math.max(imageBytes, m * positions * 4);
  const nb = Math.max(1, Math.min(p.batch, Math.floor(CONV_TUNING.stageBytes / perImage)));
  return {
    cinG,
    m,
    k: cinG * p.kD * p.kH * p.kW,
    p: positions,
    inPlane,
    imageBytes,
    nb,
  };
}

/** Columns per tile: `rows` column rows within `budget` bytes, a multiple of NR. */
export function tileColumns(rows: number, columns: number, budget: number): number {
  const fit = Math.floor(budget / (rows * 4) / NR) * NR;
  return Math.min(roundUp(columns, NR), Math.max(MIN_TILE, Math.min(CONV_TUNING.maxTile, fit)));
}

/** k blocking of a reduction of length k: block size (multiple of 4) and count. */
export function kBlocks(k: number): { kc: number; blocks: number } {
  const kc = roundUp(Math.ceil(k / Math.ceil(k / CONV_TUNING.kc)), 4);
  return { kc, blocks: Math.ceil(k / kc) };
}

/**
 * Writes the window descriptor (see conv_kernel.ts) into `ints` (default: the plain memory) at
 * byte `at` (default 0). The plane pitches default to row-major columns; `channels` (default all
 * of the group's) describes the first channels only, for a range of column rows.
 */
export function writeDescriptor(
  p: ConvPlan,
  s: Shape,
  planeRowBytes: number = p.outW * 4,
  planeImageBytes: number = s.p * 4,
  ints: Int32Array = intView(),
  at = 0,
  channels: number = s.cinG,
): void {
  const fields = [
    channels,
    p.inD,
    p.inH,
    p.inW,
    p.outD,
    p.outH,
    p.outW,
    p.kD,
    p.kH,
    p.kW,
    p.sD,
    p.sH,
    p.sW,
    p.dD,
    p.dH,
    p.dW,
    p.pD,
    p.pH,
    p.pW,
    s.imageBytes,
    s.inPlane * 4,
    s.p,
    planeRowBytes,
    planeImageBytes,
  ];
  ints.set(fields, at >> 2);
}

/**
 * Copies the m rows of a column tile (columns [j0, j0 + count) over the staged images, row pitch
 * ld bytes, at `tile`) to or from the staged images' rows (m rows of `positions` floats per
 * image at `images`): `toImages` scatters a finished output tile, otherwise an output-gradient
 * tile is gathered. One copyRows call per image the tile touches.
 */
export function moveTile(
  ck: ConvKernelExports,
  toImages: boolean,
  tile: number,
  ld: number,
  images: number,
  j0: number,
  count: number,
  positions: number,
  m: number,
): void {
  for (let j = j0; j < j0 + count;) {
    const image = Math.floor(j / positions), position = j - image * positions;
    const length = Math.min(positions - position, j0 + count - j);
    const staged = images + (image * m * positions + position) * 4;
    const column = tile + (j - j0) * 4;
    if (toImages) ck.copyRows(column, ld, staged, positions * 4, m, length * 4);
    else ck.copyRows(staged, positions * 4, column, ld, m, length * 4);
    j += length;
  }
}

/**
 * Stages the weights of group g (rows of `rowLength` floats) with row pitch `ld` floats, `rows`
 * rows starting at row g·rows.
 */
export function stageRows(
  mem: Float32Array,
  at: number,
  ld: number,
  w: Float32Array,
  first: number,
  rows: number,
  rowLength: number,
): void {
  if (ld === rowLength) {
    mem.set(w.subarray(first * rowLength, (first + rows) * rowLength), at >> 2);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = (first + r) * rowLength;
    mem.set(w.subarray(from, from + rowLength), (at >> 2) + r * ld);
  }
}

/** Copies the group-g slab of images n0..n0+count (each `slab` floats of a `total`-float image). */
export function stageImages(
  mem: Float32Array,
  at: number,
  src: Float32Array,
  n0: number,
  count: number,
  g: number,
  slab: number,
  total: number,
): void {
  for (let i = 0; i < count; i++) {
    const from = (n0 + i) * total + g * slab;
    mem.set(src.subarray(from, from + slab), (at >> 2) + i * slab);
  }
}

/** The reverse of stageImages. */
export function unstageImages(
  mem: Float32Array,
  at: number,
  dst: Float32Array,
  n0: number,
  count: number,
  g: number,
  slab: number,
  total: number,
): void {
  for (let i = 0; i < count; i++) {
    const from = (at >> 2) + i * slab;
    dst.set(mem.subarray(from, from + slab), (n0 + i) * total + g * slab);
  }
}

/**
 * Runs C[rows × 8·panels] = packed A · packed B over k blocks, leaving the finished rows in
 * `cRows` (row pitch ld bytes). A block t, rows ic.. is at aPack + (t·aPanels + ic/MR)·aPanelBytes;
 * B block t at bPack + t·bBlockBytes; partial sums between k blocks in the panels at cBuf.
 */
export function multiply(
  gk: KernelExports,
  rows: number,
  panels: number,
  k: number,
  kc: number,
  aPack: number,
  aPanels: number,
  aPanelBytes: number,
  bPack: number,
  bBlockBytes: number,
  bPanelBytes: number,
  cBuf: number,
  cPanelBytes: number,
  cRows: number,
  ld: number,
): void {
  for (let t = 0, k0 = 0; k0 < k; t++, k0 += kc) {
    const kcT = Math.min(kc, k - k0);
    const last = k0 + kcT === k;
    for (let ic = 0; ic < rows; ic += MC) {
      const mc = Math.min(MC, rows - ic);
      const a = aPack + (t * aPanels + ic / MR) * aPanelBytes;
      const cIn = cBuf + ic * NR * 4;
      const add = t > 0 ? 1 : 0;
      if (last) {
        gk.block(
          panels,
          mc,
          kcT,
          a,
          aPanelBytes,
          bPack + t * bBlockBytes,
          bPanelBytes,
          cIn,
          cPanelBytes,
          cRows + ic * ld,
          ld,
          NR * 4,
          add,
        );
      } else {
        gk.block(
          panels,
          mc,
          kcT,
          a,
          aPanelBytes,
          bPack + t * bBlockBytes,
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
  }
}

/** Packs row-major rows (k rows of the B operand at src, pitch ld) into k-blocked B panels. */
export function packBBlocks(
  gk: KernelExports,
  src: number,
  ld: number,
  k: number,
  kc: number,
  panels: number,
  bPack: number,
  bBlockBytes: number,
  bPanelBytes: number,
): void {
  for (let t = 0, k0 = 0; k0 < k; t++, k0 += kc) {
    gk.packB(src + k0 * ld, ld, Math.min(kc, k - k0), panels, bPack + t * bBlockBytes, bPanelBytes);
  }
}
