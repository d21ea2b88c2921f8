// The implicit-GEMM convolution path (./implicit_kernel.ts) for 2-D (and 1-D) float32
// convolutions: no column matrix at all. Per group, a chunk of images is staged zero-padded and
// phase-split (for W stride s, padded column q in phase q mod s), the weights are packed once into
// MR-row panels, and one kernel call runs the whole chunk: the forward tiles read their taps from
// the staged images through a table of byte offsets, the input gradient adds its column tiles
// straight into the staged (padded) input gradient, and the weight gradient takes dot products
// of dY rows with the staged input rows. Compact images are copied in and out with one
// TypedArray.set each. Check-free: callers validate and ask `implicitCovers` first.

import type { ConvPlan } from "../_conv_plan.ts";
import { CONV_TUNING, convKernel, stageImages, unstageImages } from "./conv_stage.ts";
import { hasRelaxedSimd } from "./detect.ts";
import {
  intView,
  MAX_BYTES,
  MAX_PAGES,
  plainContext,
  reserve,
  type WasmContext,
} from "./engine.ts";
import { gemmKernel } from "./gemm_wasm.ts";
import { buildImplicitModule, IMPLICIT, type ImplicitExports, MR, NR } from "./implicit_kernel.ts";

/** Bytes after staged data that garbage columns of a row's last tile may read. */
export const SLACK = 256;
const TAB_AT = 256;

/** The implicit-GEMM module (its stage / unstage copies serve the direct path too). */
export function implicitKernel(ctx: WasmContext = plainContext()): ImplicitExports {
  return ctx.instance(
    "implicit",
    () => buildImplicitModule(hasRelaxedSimd(), MAX_PAGES),
  ) as unknown as ImplicitExports;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
const align = (bytes: number): number => roundUp(bytes, 64);

/**
 * The zero-padded, phase-split layout of an input plane (./implicit_kernel.ts): for W stride s,
 * padded column q in phase q mod s at index ⌊q / s⌋; rows pitch = s·wq floats apart.
 */
export interface Staged {
  /** W stride = number of column phases. */
  s: number;
  /** Floats per phase row. */
  wq: number;
  /** Floats per padded row (s · wq). */
  pitch: number;
  /** Padded rows. */
  rows: number;
  /** Floats per padded plane. */
  plane: number;
  /** The padded layout is the compact plane itself (stride 1, no padding, nothing past W). */
  direct: boolean;
}

/** The staged layout of the input planes of `p` (covering every tap of every output). */
export function stagedLayout(p: ConvPlan): Staged {
  const s = p.sW;
  const wFull = Math.max(p.pW + p.inW, (p.outW - 1) * s + (p.kW - 1) * p.dW + 1);
  const rows = Math.max(p.pH + p.inH, (p.outH - 1) * p.sH + (p.kH - 1) * p.dH + 1);
  const wq = Math.ceil(wFull / s), pitch = s * wq;
  const direct = s === 1 && p.pW === 0 && p.pH === 0 && wFull === p.inW && rows === p.inH;
  // Planes a multiple of 256 bytes apart would put the taps of many channels in the same L1
  // sets: a padded layout skips a line between planes then.
  const plane = rows * pitch + (!direct && (rows * pitch) % 64 === 0 ? 16 : 0);
  return { s, wq, pitch, rows, plane, direct };
}

/** The staged layout of a group's input (or input gradient) and the tap offsets. */
export interface Layout {
  cinG: number;
  m: number;
  k: number;
  /** W stride = number of column phases. */
  s: number;
  /** Floats per phase row. */
  wq: number;
  /** Floats per padded row (s · wq). */
  pitch: number;
  /** Floats per padded plane. */
  plane: number;
  /** The padded layout is the compact image itself (stride 1, no padding, nothing past W). */
  direct: boolean;
  /** Byte offset of tap r = (c, kh, kw) from a tile's base address. */
  tab: Int32Array;
  inPlane: number;
  positions: number;
}

export function layoutOf(p: ConvPlan): Layout {
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const { s, wq, pitch, plane, direct } = stagedLayout(p);
  const k = cinG * p.kH * p.kW;
  const tab = new Int32Array(k);
  for (let c = 0, r = 0; c < cinG; c++) {
    for (let kh = 0; kh < p.kH; kh++) {
      for (let kw = 0; kw < p.kW; kw++, r++) {
        const q = kw * p.dW;
        tab[r] = 4 * (c * plane + kh * p.dH * pitch + (q % s) * wq + Math.floor(q / s));
      }
    }
  }
  return {
    cinG,
    m,
    k,
    s,
    wq,
    pitch,
    plane,
    direct,
    tab,
    inPlane: p.inH * p.inW,
    positions: p.outH * p.outW,
  };
}

/**
 * The input gradient's column rows in the order (kw, c, kh), so that the MR rows of a panel differ
 * in c or kh and their 8-column ranges of the staged input gradient are disjoint.
 */
export function tapOrder(p: ConvPlan, l: Layout): Int32Array {
  const order = new Int32Array(l.k);
  for (let kw = 0, i = 0; kw < p.kW; kw++) {
    for (let c = 0; c < l.cinG; c++) {
      for (let kh = 0; kh < p.kH; kh++) order[i++] = (c * p.kH + kh) * p.kW + kw;
    }
  }
  return order;
}

/** The forward's A panels of group g at byte `at`: per tap r, MR consecutive output channels (zeros past m). */
export function packWeights(
  mem: Float32Array,
  at: number,
  w: Float32Array,
  g: number,
  m: number,
  k: number,
): void {
  const a = at >> 2, mPanels = Math.ceil(m / MR);
  for (let i = 0; i < mPanels; i++) {
    for (let q = 0; q < MR; q++) {
      const row = i * MR + q;
      let to = a + i * k * MR + q;
      if (row >= m) {
        for (let r = 0; r < k; r++, to += MR) mem[to] = 0;
        continue;
      }
      const from = (g * m + row) * k;
      for (let r = 0; r < k; r++, to += MR) mem[to] = w[from + r];
    }
  }
}

/**
 * The input gradient's Wᵀ panels of group g at byte `at`: per output channel j, MR consecutive
 * column rows (in `order`; zeros past k).
 */
export function packWeightsT(
  mem: Float32Array,
  at: number,
  w: Float32Array,
  g: number,
  m: number,
  k: number,
  order: Int32Array,
): void {
  const a = at >> 2, kPanels = Math.ceil(k / MR);
  for (let i = 0; i < kPanels; i++) {
    for (let q = 0; q < MR; q++) {
      const row = i * MR + q;
      let to = a + i * m * MR + q;
      if (row >= k) {
        for (let j = 0; j < m; j++, to += MR) mem[to] = 0;
        continue;
      }
      const from = g * m * k + order[row];
      for (let j = 0; j < m; j++, to += MR) mem[to] = w[from + j * k];
    }
  }
}

/**
 * Whether the implicit path takes this convolution: 2-D or 1-D, output rows that fill most of
 * their 8-column tiles, and weights small enough to stay in L2 while a chunk streams past.
 */
export function implicitCovers(p: ConvPlan): boolean {
  if (!CONV_TUNING.implicit) return false;
  if (p.inD !== 1 || p.kD !== 1 || p.pD !== 0 || p.outD !== 1) return false;
  const tiles = Math.ceil(p.outW / NR);
  const m = p.outChannels / p.groups, k = (p.inChannels / p.groups) * p.kH * p.kW;
  return p.outW >= CONV_TUNING.implicitMinFill * tiles * NR &&
    m * k * 4 <= CONV_TUNING.implicitWeightBytes;
}

/** Images per chunk for `perImage` staged bytes. */
export function chunk(p: ConvPlan, perImage: number): number {
  return Math.max(1, Math.min(p.batch, Math.floor(CONV_TUNING.stageBytes / perImage)));
}

/** Writes the kernel descriptor at byte 0 (field order of IMPLICIT). */
function describe(fields: Record<(typeof IMPLICIT)[number], number>): void {
  intView().set(IMPLICIT.map((name) => fields[name]), 0);
}

/** Descriptor fields shared by the three passes. */
export function common(
  p: ConvPlan,
  l: Layout,
  images: number,
): Record<(typeof IMPLICIT)[number], number> {
  return {
    images,
    m: l.m,
    k: l.k,
    outH: p.outH,
    outW: p.outW,
    tiles: Math.ceil(p.outW / NR),
    xImageBytes: l.cinG * l.plane * 4,
    xRowStep: p.sH * l.pitch * 4,
    tabAt: TAB_AT,
    yImageBytes: l.m * l.positions * 4,
    yPlaneBytes: l.positions * 4,
    yRowBytes: p.outW * 4,
    groups4: Math.floor(p.outW / 4),
    tail: p.outW % 4,
    tileFrom: 0,
    tileTo: Math.ceil(l.m / NR) * Math.ceil(l.k / MR),
    xAt: 0,
    aAt: 0,
    aPanelBytes: 0,
    yAt: 0,
    dwAt: 0,
  };
}

/** Copies images n0.. of group g into the padded layout at xAt (via compact staging at xcAt). */
function stageInput(
  mem: Float32Array,
  p: ConvPlan,
  l: Layout,
  x: Float32Array,
  n0: number,
  images: number,
  g: number,
  xAt: number,
  xcAt: number,
): void {
  const slab = l.cinG * l.inPlane, total = p.inChannels * l.inPlane;
  if (l.direct) {
    stageImages(mem, xAt, x, n0, images, g, slab, total);
    return;
  }
  stageImages(mem, xcAt, x, n0, images, g, slab, total);
  implicitKernel().stage(
    xcAt,
    l.inPlane * 4,
    xAt,
    l.plane * 4,
    l.pitch * 4,
    l.wq * 4,
    images * l.cinG,
    p.inH,
    p.inW,
    p.pH,
    p.pW,
    l.s,
  );
}

/** y = conv(x, w) + bias on float32, overwriting y; false when the staging would not fit. */
export function implicitForward(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
): boolean {
  const l = layoutOf(p);
  const { m, k } = l;
  const xImage = l.cinG * l.plane * 4, compact = l.cinG * l.inPlane * 4;
  const yImage = m * l.positions * 4;
  const nb = chunk(p, xImage + (l.direct ? 0 : compact) + yImage);
  const mPanels = Math.ceil(m / MR), aPanelBytes = k * MR * 4;
  const aAt = align(TAB_AT + k * 4);
  const biasAt = align(aAt + mPanels * aPanelBytes);
  const xcAt = align(biasAt + p.outChannels * 4);
  const xAt = align(xcAt + (l.direct ? 0 : nb * compact));
  const yAt = align(xAt + nb * xImage + SLACK);
  const end = yAt + nb * yImage + SLACK;
  if (end > MAX_BYTES) return false;
  const ik = implicitKernel(), ck = convKernel();
  const mem = reserve(end, "conv forward");
  intView().set(l.tab, TAB_AT >> 2);
  if (!l.direct) mem.fill(0, xAt >> 2, (xAt + nb * xImage) >> 2);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  const fields = { ...common(p, l, nb), xAt, aAt, aPanelBytes, yAt, dwAt: 0 };
  for (let g = 0; g < p.groups; g++) {
    packWeights(mem, aAt, w, g, m, k);
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageInput(mem, p, l, x, n0, images, g, xAt, xcAt);
      describe({ ...fields, images });
      ik.forward(0);
      if (bias !== undefined) {
        for (let i = 0; i < images; i++) {
          ck.addBias(yAt + i * yImage, l.positions * 4, m, l.positions, biasAt + g * m * 4);
        }
      }
      unstageImages(mem, yAt, y, n0, images, g, m * l.positions, p.outChannels * l.positions);
    }
  }
  return true;
}

/**
 * dx from dy and w on float32, overwriting dx; false when the staging would not fit. The column
 * rows are taken in the order (kw, c, kh) so that the MR rows of a panel differ in c or kh and
 * their 8-column ranges of the staged input gradient are disjoint.
 */
export function implicitBackwardInput(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
): boolean {
  const l = layoutOf(p);
  const { m, k } = l;
  const xImage = l.cinG * l.plane * 4, compact = l.cinG * l.inPlane * 4;
  const yImage = m * l.positions * 4;
  const nb = chunk(p, xImage + (l.direct ? 0 : compact) + yImage);
  const kPanels = Math.ceil(k / MR), aPanelBytes = m * MR * 4;
  const aAt = align(TAB_AT + kPanels * MR * 4);
  const dyAt = align(aAt + kPanels * aPanelBytes);
  const xAt = align(dyAt + nb * yImage + SLACK);
  const xcAt = align(xAt + nb * xImage + SLACK);
  const end = xcAt + (l.direct ? 0 : nb * compact);
  if (end > MAX_BYTES) return false;
  const ik = implicitKernel();
  const mem = reserve(end, "conv input gradient");
  const order = tapOrder(p, l);
  const ints = intView();
  for (let i = 0; i < k; i++) ints[(TAB_AT >> 2) + i] = l.tab[order[i]];
  const fields = { ...common(p, l, nb), xAt, aAt, aPanelBytes, yAt: dyAt, dwAt: 0 };
  const slab = l.cinG * l.inPlane, total = p.inChannels * l.inPlane;
  for (let g = 0; g < p.groups; g++) {
    packWeightsT(mem, aAt, w, g, m, k, order);
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageImages(mem, dyAt, dy, n0, images, g, m * l.positions, p.outChannels * l.positions);
      mem.fill(0, xAt >> 2, (xAt + images * xImage) >> 2);
      describe({ ...fields, images });
      ik.backwardInput(0);
      if (l.direct) {
        unstageImages(mem, xAt, dx, n0, images, g, slab, total);
        continue;
      }
      ik.unstage(
        xcAt,
        l.inPlane * 4,
        xAt,
        l.plane * 4,
        l.pitch * 4,
        l.wq * 4,
        images * l.cinG,
        p.inH,
        p.inW,
        p.pH,
        p.pW,
        l.s,
      );
      unstageImages(mem, xcAt, dx, n0, images, g, slab, total);
    }
  }
  return true;
}

/**
 * dw from x and dy on float32, summed over the batch in wasm memory; false when too large. Per
 * chunk, dY is packed into panels of 8 channels (per position, the 8 channels' values, over all
 * positions of the chunk; each panel padded by 4 positions for the packing's overshoot).
 */
export function implicitBackwardWeight(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): boolean {
  const l = layoutOf(p);
  const { m, k } = l;
  const P = l.positions;
  const xImage = l.cinG * l.plane * 4, compact = l.cinG * l.inPlane * 4;
  const yImage = m * P * 4;
  const jPanels = Math.ceil(m / NR);
  const nb = chunk(p, xImage + (l.direct ? 0 : compact) + yImage + jPanels * P * NR * 4);
  const panelBytes = (nb * P + 4) * NR * 4;
  const dwAt = align(TAB_AT + k * 4);
  const dyAt = align(dwAt + m * k * 4);
  // Packing reads whole groups of 4 positions and 8 channel rows: slack for both.
  const dyTAt = align(dyAt + nb * yImage + NR * P * 4 + SLACK);
  const xcAt = align(dyTAt + jPanels * panelBytes);
  const xAt = align(xcAt + (l.direct ? 0 : nb * compact));
  const end = xAt + nb * xImage + SLACK;
  if (end > MAX_BYTES) return false;
  const ik = implicitKernel(), gk = gemmKernel();
  const mem = reserve(end, "conv weight gradient");
  intView().set(l.tab, TAB_AT >> 2);
  if (!l.direct) mem.fill(0, xAt >> 2, (xAt + nb * xImage) >> 2);
  const fields = {
    ...common(p, l, nb),
    xAt,
    aAt: dyTAt,
    aPanelBytes: panelBytes,
    yAt: dyAt,
    dwAt,
  };
  for (let g = 0; g < p.groups; g++) {
    mem.fill(0, dwAt >> 2, (dwAt >> 2) + m * k);
    for (let n0 = 0; n0 < p.batch; n0 += nb) {
      const images = Math.min(nb, p.batch - n0);
      stageInput(mem, p, l, x, n0, images, g, xAt, xcAt);
      stageImages(mem, dyAt, dy, n0, images, g, m * P, p.outChannels * P);
      for (let i = 0; i < images; i++) {
        gk.packBT(dyAt + i * yImage, P * 4, P, jPanels, dyTAt + i * P * NR * 4, panelBytes);
      }
      describe({ ...fields, images });
      ik.backwardWeight(0);
    }
    dw.set(mem.subarray(dwAt >> 2, (dwAt >> 2) + m * k), g * m * k);
  }
  return true;
}
