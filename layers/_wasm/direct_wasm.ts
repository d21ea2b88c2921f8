// The direct convolution path (./direct_kernel.ts) for depthwise and small grouped convolutions.
// Work goes image by image and, within an image, in chunks of whole groups small enough that the
// chunk's compact planes, its padded phase-split copy and its outputs stay in L2 together: one
// TypedArray.set brings the chunk in, the implicit module's stage copy pads it (the padding was
// zeroed once per call and is never written), one kernel call does every group of the chunk and
// one set takes the result out. The forward pass and the input gradient are table-driven
// correlations (the input gradient as an exact gather per row class and column phase, so a
// stride-2 pass does no work on dilation zeros); the weight gradient sums over the batch in wasm
// memory. The planning (tap tables, chunking) is exported for the multi-thread driver
// (./direct_threads.ts), which runs the same kernels on the same plans. Check-free: callers
// validate and ask `directCovers` first.

import type { ConvPlan } from "../_conv_plan.ts";
import { CONV_TUNING, convKernel } from "./conv_stage.ts";
import {
  buildDirectModule,
  CORRELATE,
  DESCRIPTOR_BYTES,
  type DirectExports,
  WEIGHTS,
  weightsName,
} from "./direct_kernel.ts";
import { hasRelaxedSimd } from "./detect.ts";
import {
  floatView,
  MAX_BYTES,
  MAX_PAGES,
  plainContext,
  reserve,
  type WasmContext,
} from "./engine.ts";
import { implicitCovers, implicitKernel, type Staged, stagedLayout } from "./implicit_wasm.ts";
import { type CorrelateSpec, specialCorrelate, type Tap } from "./direct_special.ts";

/** Room after staged planes for loads and stores that run past a row's last cell. */
export const SLACK = 256;

/** The generic direct module (relaxed-SIMD variant or not) on `ctx`'s memory. */
export function directKernel(
  ctx: WasmContext = plainContext(),
  relaxed = hasRelaxedSimd(),
): DirectExports {
  return ctx.instance(
    relaxed ? "direct-relaxed" : "direct",
    () => buildDirectModule(relaxed, MAX_PAGES),
  ) as unknown as DirectExports;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
export const align = (bytes: number): number => roundUp(bytes, 64);

/**
 * What a direct plan depends on besides the convolution: read once on the calling thread and
 * handed to the workers, whose own CONV_TUNING may differ (a test sets the caller's), so that
 * every thread plans the same chunks, tables and kernel variant.
 */
export interface DirectTuning {
  /** CONV_TUNING.directChunkBytes. */
  chunkBytes: number;
  /** CONV_TUNING.directSpecialTaps. */
  specialTaps: number;
  /** Whether the kernels use relaxed SIMD. */
  relaxed: boolean;
}

/** The calling thread's tuning. */
export function directTuning(): DirectTuning {
  return {
    chunkBytes: CONV_TUNING.directChunkBytes,
    specialTaps: CONV_TUNING.directSpecialTaps,
    relaxed: hasRelaxedSimd(),
  };
}

/**
 * Whether the direct path takes this convolution: 2-D (or 1-D), and groups too narrow for the
 * GEMM — at most 8 input and 8 output channels per group (depthwise convolutions and their
 * channel multipliers, small grouped convolutions). Where the implicit GEMM also applies it wins
 * from about 8 × 8 channels per group (measured on 64 channels, k3, 56²: at 8 × 8 it is 1.1–1.5×
 * the direct kernels, at 4 × 4 and below 1–2× slower), so the direct path keeps C·M ≤ 16.
 */
export function directCovers(p: ConvPlan): boolean {
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  // The input gradient builds a table per stride phase (sH · sW of them): a huge stride would
  // make the tables, not the arithmetic, the cost; the column path handles it.
  return CONV_TUNING.direct && p.inD === 1 && p.kD === 1 && p.pD === 0 && p.outD === 1 &&
    p.groups > 1 && cinG <= 8 && m <= 8 && (cinG * m <= 16 || !implicitCovers(p)) &&
    p.sH * p.sW <= MAX_DIRECT_PHASES;
}

/** Vectors per block for rows of `vectors` vectors: as even as blocks of at most 8 allow. */
function blockVectors(vectors: number): number {
  return Math.ceil(vectors / Math.ceil(vectors / 8));
}

/** Groups per chunk for `perGroup` bytes of staging per group. */
function chunkGroups(p: ConvPlan, perGroup: number, t: DirectTuning): number {
  return Math.max(1, Math.min(p.groups, Math.floor(t.chunkBytes / perGroup)));
}

/** Pads `count` compact planes at `compactAt` into the staged layout at `paddedAt`. */
export function stagePlanes(
  p: ConvPlan,
  l: Staged,
  compactAt: number,
  paddedAt: number,
  count: number,
  ctx: WasmContext = plainContext(),
): void {
  implicitKernel(ctx).stage(
    compactAt,
    p.inH * p.inW * 4,
    paddedAt,
    l.plane * 4,
    l.pitch * 4,
    l.wq * 4,
    count,
    p.inH,
    p.inW,
    p.pH,
    p.pW,
    l.s,
  );
}

/** Writes a descriptor (`names` order) at byte `at` of `ctx`'s memory. */
export function describe(
  ctx: WasmContext,
  at: number,
  names: readonly string[],
  fields: Record<string, number>,
): void {
  ctx.ints().set(names.map((name) => fields[name]), at >> 2);
}

/** The forward pass's plan: one tap table for every output plane, and the chunking. */
export interface DirectForwardPlan {
  l: Staged;
  cinG: number;
  m: number;
  inPlane: number;
  outPlane: number;
  /** Weights per output plane. */
  taps: number;
  spec: CorrelateSpec;
  /** Whether the spec runs specialised (else the generic kernel on tables in memory). */
  special: boolean;
  /** Groups per chunk. */
  G: number;
}

export function directForwardPlan(p: ConvPlan, t: DirectTuning): DirectForwardPlan {
  const l = stagedLayout(p);
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlane = p.outH * p.outW;
  const vectors = Math.ceil(p.outW / 4);
  const taps = cinG * p.kH * p.kW;
  // Every output plane has the same taps: offsets from its row of the group's planes.
  const planeBytes = (l.direct ? inPlane : l.plane) * 4;
  const table: Tap[] = [];
  for (let c = 0; c < cinG; c++) {
    for (let kh = 0; kh < p.kH; kh++) {
      for (let kw = 0; kw < p.kW; kw++) {
        const q = kw * p.dW;
        const offset = c * planeBytes +
          4 * (kh * p.dH * l.pitch + (q % l.s) * l.wq + Math.floor(q / l.s));
        table.push({ offset, weight: table.length });
      }
    }
  }
  // Outputs are written compact: a row's last block spills into the next row, written later.
  const spec: CorrelateSpec = {
    classes: 1,
    segments: 1,
    rows: p.outH,
    c0: 0,
    rowStart: 0,
    vectors,
    blockVectors: blockVectors(vectors),
    outPlaneBytes: outPlane * 4,
    outRowBytes: p.outW * 4,
    segmentBytes: 0,
    inGroupBytes: cinG * planeBytes,
    inRowStep: p.sH * l.pitch * 4,
    perGroup: m,
    wPlaneBytes: taps * 4,
    tables: [table],
    interleave: false,
    relaxed: t.relaxed,
  };
  const perGroup = (cinG * (l.plane + inPlane) + m * outPlane) * 4;
  const G = chunkGroups(p, perGroup, t);
  return { l, cinG, m, inPlane, outPlane, taps, spec, special: special(spec, t), G };
}

/** y = conv(x, w) + bias; false (nothing done) when the staging would not fit. */
export function directForward(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
): boolean {
  const f = directForwardPlan(p, directTuning());
  const { l, m, cinG, inPlane, outPlane, taps, spec, G } = f;
  const wAt = DESCRIPTOR_BYTES;
  const biasAt = align(wAt + w.length * 4);
  const xcAt = align(biasAt + p.outChannels * 4);
  const padAt = align(xcAt + G * cinG * inPlane * 4 + SLACK);
  const yAt = align(padAt + G * cinG * l.plane * 4 + SLACK);
  const tabAt = align(yAt + G * m * outPlane * 4 + SLACK);
  const end = tabAt + tableBytes(spec, f.special, G * m);
  if (end > MAX_BYTES) return false;
  const ck = convKernel();
  const run = correlator(spec, f.special, tabAt);
  const mem = reserve(end, "conv forward");
  mem.set(w, wAt >> 2);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  if (!l.direct) mem.fill(0, padAt >> 2, (padAt + G * cinG * l.plane * 4) >> 2);
  const inAt = l.direct ? xcAt : padAt;
  for (let n = 0; n < p.batch; n++) {
    for (let g0 = 0; g0 < p.groups; g0 += G) {
      const groups = Math.min(G, p.groups - g0);
      const from = (n * p.inChannels + g0 * cinG) * inPlane;
      floatView().set(x.subarray(from, from + groups * cinG * inPlane), xcAt >> 2);
      if (!l.direct) stagePlanes(p, l, xcAt, padAt, groups * cinG);
      const planes = groups * m;
      run(planes, inAt, yAt, wAt + g0 * m * taps * 4);
      if (bias !== undefined) ck.addBias(yAt, outPlane * 4, planes, outPlane, biasAt + g0 * m * 4);
      const to = (n * p.outChannels + g0 * m) * outPlane;
      y.set(mem.subarray(yAt >> 2, (yAt >> 2) + planes * outPlane), to);
    }
  }
  return true;
}

/** Most stride phases (sH · sW) the direct kernels take on. */
const MAX_DIRECT_PHASES = 64;

/** Most taps, over all tables, a specialised module bakes into its code. */
const SPECIAL_TOTAL_TAPS = 4096;

/** Whether `spec` runs specialised (else the generic kernel, on tables in memory). */
function special(spec: CorrelateSpec, t: DirectTuning): boolean {
  // A huge stride makes as many row classes as it has phases: bake in only a bounded total of
  // taps, so emitting and compiling a module stays quick.
  let total = 0;
  for (const t of spec.tables) total += t.length;
  return total <= SPECIAL_TOTAL_TAPS &&
    spec.tables.every((table) => table.length <= t.specialTaps);
}

/** Bytes of generic tables for `planes` output planes (0 when specialised). */
export function tableBytes(spec: CorrelateSpec, special: boolean, planes: number): number {
  if (special) return 0;
  const longest = spec.tables.reduce((m, t) => Math.max(m, t.length), 0);
  return planes * spec.tables.length * (1 + 2 * longest) * 4;
}

/**
 * The correlation for `spec` on `ctx`: the module specialised for it, or — when a table is too
 * long to unroll — the generic kernel, its tables written per call at `tabAt` (tableBytes(spec,
 * special, planes) reserved there by the caller) and its descriptor at `descAt`.
 */
export function correlator(
  spec: CorrelateSpec,
  special: boolean,
  tabAt: number,
  ctx: WasmContext = plainContext(),
  descAt = 0,
): (planes: number, inAt: number, outAt: number, wAt: number) => void {
  if (special) return specialCorrelate(spec, ctx).run;
  const kernel = directKernel(ctx, spec.relaxed);
  return (planes, inAt, outAt, wAt) => {
    // Generic tables: per plane, per table a count then (offset, weight) pairs. The weights are
    // copied from the plane's list at wAt.
    const longest = spec.tables.reduce((m, t) => Math.max(m, t.length), 0);
    const tabBytes = (1 + 2 * longest) * 4, tabPlaneBytes = spec.tables.length * tabBytes;
    const mem = ctx.floats(), ints = ctx.ints();
    for (let plane = 0; plane < planes; plane++) {
      const weights = (wAt + plane * spec.wPlaneBytes) >> 2;
      spec.tables.forEach((table, t) => {
        const at = (tabAt + plane * tabPlaneBytes + t * tabBytes) >> 2;
        ints[at] = table.length;
        table.forEach((tap, e) => {
          ints[at + 1 + 2 * e] = tap.offset;
          mem[at + 2 + 2 * e] = mem[weights + tap.weight];
        });
      });
    }
    describe(ctx, descAt, CORRELATE, {
      planes,
      perGroup: spec.perGroup,
      rows: spec.rows,
      classes: spec.classes,
      segments: spec.segments,
      vectors: spec.vectors,
      blockVectors: spec.blockVectors,
      outAt,
      outPlaneBytes: spec.outPlaneBytes,
      outRowBytes: spec.outRowBytes,
      segmentBytes: spec.segmentBytes,
      inAt,
      inGroupBytes: spec.inGroupBytes,
      inRowStep: spec.inRowStep,
      c0: spec.c0,
      rowStart: spec.rowStart,
      tabAt,
      tabPlaneBytes,
      tabBytes,
    });
    kernel.correlate(descAt);
  };
}

/** The input gradient's plan: the gather tables per (row class, segment) and the chunking. */
export interface DirectInputPlan {
  l: Staged;
  cinG: number;
  m: number;
  inPlane: number;
  outPlane: number;
  /** Rows written compact, straight into the input's planes (else padded phase rows). */
  compact: boolean;
  /** dY's zero border: rows above, columns left. */
  T: number;
  L: number;
  yPitch: number;
  yPlane: number;
  /** Per listed weight of an input plane: j·kH·kW + kh·kW + kw. */
  order: number[];
  spec: CorrelateSpec;
  special: boolean;
  /** Groups per chunk. */
  G: number;
}

/**
 * The plan of dx from dy and w: the padded input gradient row by row as a gather — padded row r
 * and column phase φ receive dY[(r − kh·dH) / sH][q − ⌊kw·dW / s⌋]·w[kh][kw] from exactly the
 * taps with kh·dH ≡ r (mod sH) and kw·dW ≡ φ (mod s) — read from dY staged with zero borders (T
 * rows above, L columns left). For W stride 1 the input's own rows and columns are computed,
 * straight into compact planes; otherwise every padded phase row, copied out after.
 */
export function directInputPlan(p: ConvPlan, t: DirectTuning): DirectInputPlan {
  const l = stagedLayout(p);
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlane = p.outH * p.outW;
  const s = l.s, sH = p.sH;
  // W stride 1 writes compact rows directly; stride 2 too, its two column phases interleaved by
  // the specialised module (when its tables are short enough to be compiled in); other strides
  // write every padded phase row, copied out after.
  let longest = 0;
  for (let rho = 0; rho < sH; rho++) {
    for (let phi = 0; phi < s; phi++) {
      let rows = 0, cols = 0;
      for (let kh = 0; kh < p.kH; kh++) if ((kh * p.dH) % sH === rho) rows++;
      for (let kw = 0; kw < p.kW; kw++) if ((kw * p.dW) % s === phi) cols++;
      longest = Math.max(longest, m * rows * cols);
    }
  }
  const compact = s === 1 || (s === 2 && longest <= t.specialTaps);
  const T = Math.floor((p.kH - 1) * p.dH / sH), L = Math.floor((p.kW - 1) * p.dW / s);
  // Compact rows: output column c is padded column q = c + pW, i.e. phase (c + pW) mod s at
  // index ⌊(c + pW) / s⌋; block columns start even, so per phase the index starts at
  // ⌊(pW + φ') / s⌋ for the block's φ'-th column (φ' < s).
  const vectors = compact ? Math.ceil(p.inW / (4 * s)) : Math.ceil(l.wq / 4);
  const shift = (column: number) => compact ? Math.floor((p.pW + column) / s) : 0;
  const reach = vectors * 4 + L + shift(s - 1);
  const yRows = Math.max(T + p.outH, Math.floor((l.rows - 1) / sH) + T + 1);
  const yPitch = Math.max(L + p.outW, reach);
  const yPlaneRaw = yRows * yPitch;
  const yPlane = yPlaneRaw + (yPlaneRaw % 64 === 0 ? 16 : 0);
  // Tables per (row class ρ, segment): compact rows have one segment per block column parity
  // (its phase φ = (column + pW) mod s), phase rows one per phase φ. The weights of input plane
  // (g, c) are listed in table order: w[g·m + j][c][kh][kw] for the taps of each table in turn.
  const tables: Tap[][] = [];
  const order: number[] = [];
  for (let rho = 0; rho < sH; rho++) {
    for (let segment = 0; segment < s; segment++) {
      const phi = compact ? (segment + p.pW) % s : segment;
      const table: Tap[] = [];
      for (let j = 0; j < m; j++) {
        for (let kh = 0; kh < p.kH; kh++) {
          if ((kh * p.dH) % sH !== rho) continue;
          const row = T - (kh * p.dH - rho) / sH;
          for (let kw = 0; kw < p.kW; kw++) {
            if ((kw * p.dW) % s !== phi) continue;
            const col = L - Math.floor(kw * p.dW / s) + shift(segment);
            table.push({ offset: 4 * (j * yPlane + row * yPitch + col), weight: order.length });
            order.push((j * p.kH + kh) * p.kW + kw);
          }
        }
      }
      tables.push(table);
    }
  }
  const spec: CorrelateSpec = {
    classes: sH,
    segments: compact ? 1 : s,
    rows: compact ? p.inH : l.rows,
    c0: compact ? p.pH % sH : 0,
    rowStart: compact ? Math.floor(p.pH / sH) * yPitch * 4 : 0,
    vectors,
    blockVectors: compact && s === 2
      ? Math.ceil(vectors / Math.ceil(vectors / 4))
      : blockVectors(vectors),
    outPlaneBytes: (compact ? inPlane : l.plane) * 4,
    outRowBytes: (compact ? p.inW : l.pitch) * 4,
    segmentBytes: l.wq * 4,
    inGroupBytes: m * yPlane * 4,
    inRowStep: yPitch * 4,
    perGroup: cinG,
    wPlaneBytes: order.length * 4,
    tables,
    interleave: compact && s === 2,
    relaxed: t.relaxed,
  };
  const perGroup = (m * (outPlane + yPlane) + cinG * (l.plane + inPlane)) * 4;
  const G = chunkGroups(p, perGroup, t);
  return {
    l,
    cinG,
    m,
    inPlane,
    outPlane,
    compact,
    T,
    L,
    yPitch,
    yPlane,
    order,
    spec,
    special: special(spec, t),
    G,
  };
}

/** Whether every weight is finite (the input gradient's gather needs it: see below). */
export function finiteWeights(w: Float32Array): boolean {
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i])) return false;
  return true;
}

/** Lists the weights of every input plane at float index `list0` in the order of `d.order`. */
export function listInputWeights(
  p: ConvPlan,
  d: DirectInputPlan,
  w: Float32Array,
  mem: Float32Array,
  list0: number,
): void {
  const { cinG, m, order } = d;
  for (let g = 0; g < p.groups; g++) {
    for (let c = 0; c < cinG; c++) {
      const list = list0 + (g * cinG + c) * order.length;
      const first = (g * m * cinG + c) * p.kH * p.kW;
      order.forEach((tap, i) => {
        const j = Math.floor(tap / (p.kH * p.kW)), khw = tap % (p.kH * p.kW);
        mem[list + i] = w[first + j * cinG * p.kH * p.kW + khw];
      });
    }
  }
}

/** Stages `planes` compact dY planes at `compactAt` with the plan's zero borders at `at`. */
export function stageGradient(
  p: ConvPlan,
  d: DirectInputPlan,
  compactAt: number,
  at: number,
  planes: number,
  ctx: WasmContext = plainContext(),
): void {
  implicitKernel(ctx).stage(
    compactAt,
    d.outPlane * 4,
    at,
    d.yPlane * 4,
    d.yPitch * 4,
    0,
    planes,
    p.outH,
    p.outW,
    d.T,
    d.L,
    1,
  );
}

/** Copies `planes` padded phase-row planes at `paddedAt` out to compact planes at `compactAt`. */
export function unstagePlanes(
  p: ConvPlan,
  l: Staged,
  compactAt: number,
  paddedAt: number,
  planes: number,
  ctx: WasmContext = plainContext(),
): void {
  implicitKernel(ctx).unstage(
    compactAt,
    p.inH * p.inW * 4,
    paddedAt,
    l.plane * 4,
    l.pitch * 4,
    l.wq * 4,
    planes,
    p.inH,
    p.inW,
    p.pH,
    p.pW,
    l.s,
  );
}

/**
 * dx from dy and w (see directInputPlan). False when the staging would not fit, or when a weight
 * is not finite: the gather multiplies dY's zero border by the weights, and 0·∞ would put NaN
 * where no real output reaches.
 */
export function directBackwardInput(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
): boolean {
  if (!finiteWeights(w)) return false;
  const d = directInputPlan(p, directTuning());
  const { l, cinG, m, inPlane, outPlane, compact, yPlane, order, spec, G } = d;
  const wAt = DESCRIPTOR_BYTES;
  const dycAt = align(wAt + p.inChannels * order.length * 4);
  const dyAt = align(dycAt + G * m * outPlane * 4);
  const padAt = align(dyAt + G * m * yPlane * 4 + SLACK);
  const dxAt = align(padAt + (compact ? 0 : G * cinG * l.plane * 4 + SLACK));
  const tabAt = align(dxAt + G * cinG * inPlane * 4 + SLACK);
  const end = tabAt + tableBytes(spec, d.special, G * cinG);
  if (end > MAX_BYTES) return false;
  const run = correlator(spec, d.special, tabAt);
  const mem = reserve(end, "conv input gradient");
  listInputWeights(p, d, w, mem, wAt >> 2);
  mem.fill(0, dyAt >> 2, (dyAt + G * m * yPlane * 4) >> 2);
  for (let n = 0; n < p.batch; n++) {
    for (let g0 = 0; g0 < p.groups; g0 += G) {
      const groups = Math.min(G, p.groups - g0);
      const from = (n * p.outChannels + g0 * m) * outPlane;
      floatView().set(dy.subarray(from, from + groups * m * outPlane), dycAt >> 2);
      stageGradient(p, d, dycAt, dyAt, groups * m);
      run(groups * cinG, dyAt, compact ? dxAt : padAt, wAt + g0 * cinG * order.length * 4);
      if (!compact) unstagePlanes(p, l, dxAt, padAt, groups * cinG);
      const to = (n * p.inChannels + g0 * cinG) * inPlane;
      dx.set(mem.subarray(dxAt >> 2, (dxAt >> 2) + groups * cinG * inPlane), to);
    }
  }
  return true;
}

/** The weight gradient's plan: the kw taps' offsets in a padded row, and the chunking. */
export interface DirectWeightPlan {
  l: Staged;
  cinG: number;
  m: number;
  inPlane: number;
  outPlane: number;
  /** Byte offsets of the kw taps within a padded row. */
  kwTable: number[];
  /** Groups per chunk. */
  G: number;
}

export function directWeightPlan(p: ConvPlan, t: DirectTuning): DirectWeightPlan {
  const l = stagedLayout(p);
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlane = p.outH * p.outW;
  const perGroup = (cinG * (l.plane + inPlane) + m * outPlane) * 4;
  const kwTable = Array.from({ length: p.kW }, (_, kw) => {
    const q = kw * p.dW;
    return 4 * ((q % l.s) * l.wq + Math.floor(q / l.s));
  });
  return { l, cinG, m, inPlane, outPlane, kwTable, G: chunkGroups(p, perGroup, t) };
}

/**
 * Writes the weights kernel's descriptor at `descAt` and adds the gradient of `groups` groups of
 * one image (input planes at xIn, dY planes at dyAt) into dw at dwAt.
 */
export function weightsOf(
  p: ConvPlan,
  d: DirectWeightPlan,
  kernel: DirectExports,
  ctx: WasmContext,
  descAt: number,
  groups: number,
  xIn: number,
  dyAt: number,
  dwAt: number,
  kwAt: number,
): void {
  const { l, cinG, m, inPlane, outPlane } = d;
  describe(ctx, descAt, WEIGHTS, {
    channels: cinG,
    outputs: groups * m,
    groupOutputs: m,
    xPitch: l.pitch * 4,
    xPlane: (l.direct ? inPlane : l.plane) * 4,
    rows: p.outH,
    width: p.outW,
    outPitch: p.outW * 4,
    outPlane: outPlane * 4,
    kH: p.kH,
    kW: p.kW,
    sH: p.sH,
    dH: p.dH,
  });
  kernel[weightsName(p.kW)](descAt, xIn, dyAt, dwAt, kwAt);
}

/** dw from x and dy, summed over the batch in wasm memory; false when it would not fit. */
export function directBackwardWeight(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): boolean {
  const d = directWeightPlan(p, directTuning());
  const { l, cinG, m, inPlane, outPlane, G } = d;
  const kwAt = DESCRIPTOR_BYTES;
  const dwAt = align(kwAt + p.kW * 4);
  const xcAt = align(dwAt + dw.length * 4);
  const padAt = align(xcAt + G * cinG * inPlane * 4);
  const dyAt = align(padAt + G * cinG * l.plane * 4 + SLACK);
  const end = dyAt + G * m * outPlane * 4 + SLACK;
  if (end > MAX_BYTES) return false;
  const ctx = plainContext();
  const kernel = directKernel();
  const mem = reserve(end, "conv weight gradient");
  ctx.ints().set(d.kwTable, kwAt >> 2);
  mem.fill(0, dwAt >> 2, (dwAt >> 2) + dw.length);
  if (!l.direct) mem.fill(0, padAt >> 2, (padAt + G * cinG * l.plane * 4) >> 2);
  const xIn = l.direct ? xcAt : padAt;
  for (let n = 0; n < p.batch; n++) {
    for (let g0 = 0; g0 < p.groups; g0 += G) {
      const groups = Math.min(G, p.groups - g0);
      const from = (n * p.inChannels + g0 * cinG) * inPlane;
      const f = floatView();
      f.set(x.subarray(from, from + groups * cinG * inPlane), xcAt >> 2);
      if (!l.direct) stagePlanes(p, l, xcAt, padAt, groups * cinG);
      const yFrom = (n * p.outChannels + g0 * m) * outPlane;
      f.set(dy.subarray(yFrom, yFrom + groups * m * outPlane), dyAt >> 2);
      const dwG = dwAt + g0 * m * cinG * p.kH * p.kW * 4;
      weightsOf(p, d, kernel, ctx, 0, groups, xIn, dyAt, dwG, kwAt);
    }
  }
  dw.set(mem.subarray(dwAt >> 2, (dwAt >> 2) + dw.length));
  return true;
}
