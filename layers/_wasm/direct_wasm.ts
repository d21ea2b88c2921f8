// The direct convolution path (./direct_kernel.ts) for depthwise and small grouped convolutions.
// Work goes image by image and, within an image, in chunks of whole groups small enough that the
// chunk's compact planes, its padded phase-split copy and its outputs stay in L2 together: one
// TypedArray.set brings the chunk in, the implicit module's stage copy pads it (the padding was
// zeroed once per call and is never written), one kernel call does every group of the chunk and
// one set takes the result out. The forward pass and the input gradient are table-driven
// correlations (the input gradient as an exact gather per row class and column phase, so a
// stride-2 pass does no work on dilation zeros); the weight gradient sums over the batch in wasm
// memory. Check-free: callers validate and ask `directCovers` first.

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
import { floatView, instantiate, intView, MAX_BYTES, MAX_PAGES, reserve } from "./engine.ts";
import { implicitCovers, implicitKernel, type Staged, stagedLayout } from "./implicit_wasm.ts";
import { type CorrelateSpec, specialCorrelate, type Tap } from "./direct_special.ts";

/** Room after staged planes for loads and stores that run past a row's last cell. */
const SLACK = 256;

let directExports: DirectExports | undefined;

function directKernel(): DirectExports {
  directExports ??= instantiate(
    buildDirectModule(hasRelaxedSimd(), MAX_PAGES),
  ) as unknown as DirectExports;
  return directExports;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
const align = (bytes: number): number => roundUp(bytes, 64);

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
function chunkGroups(p: ConvPlan, perGroup: number): number {
  return Math.max(1, Math.min(p.groups, Math.floor(CONV_TUNING.directChunkBytes / perGroup)));
}

/** Pads `count` compact planes at `compactAt` into the staged layout at `paddedAt`. */
function stagePlanes(
  p: ConvPlan,
  l: Staged,
  compactAt: number,
  paddedAt: number,
  count: number,
): void {
  implicitKernel().stage(
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

function describe(names: readonly string[], fields: Record<string, number>): void {
  intView().set(names.map((name) => fields[name]), 0);
}

/** y = conv(x, w) + bias; false (nothing done) when the staging would not fit. */
export function directForward(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
): boolean {
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
    relaxed: hasRelaxedSimd(),
  };
  const perGroup = (cinG * (l.plane + inPlane) + m * outPlane) * 4;
  const G = chunkGroups(p, perGroup);
  const wAt = DESCRIPTOR_BYTES;
  const biasAt = align(wAt + w.length * 4);
  const xcAt = align(biasAt + p.outChannels * 4);
  const padAt = align(xcAt + G * cinG * inPlane * 4 + SLACK);
  const yAt = align(padAt + G * cinG * l.plane * 4 + SLACK);
  const tabAt = align(yAt + G * m * outPlane * 4 + SLACK);
  const end = tabAt + tableBytes(spec, G * m);
  if (end > MAX_BYTES) return false;
  const ck = convKernel();
  const run = correlator(spec, tabAt);
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
function special(spec: CorrelateSpec): boolean {
  // A huge stride makes as many row classes as it has phases: bake in only a bounded total of
  // taps, so emitting and compiling a module stays quick.
  let total = 0;
  for (const t of spec.tables) total += t.length;
  return total <= SPECIAL_TOTAL_TAPS &&
    spec.tables.every((t) => t.length <= CONV_TUNING.directSpecialTaps);
}

/** Bytes of generic tables for `planes` output planes (0 when specialised). */
function tableBytes(spec: CorrelateSpec, planes: number): number {
  if (special(spec)) return 0;
  const longest = spec.tables.reduce((m, t) => Math.max(m, t.length), 0);
  return planes * spec.tables.length * (1 + 2 * longest) * 4;
}

/**
 * The correlation for `spec`: the module specialised for it, or — when a table is too long to
 * unroll — the generic kernel, its tables written per call at `tabAt` (tableBytes(spec, planes)
 * reserved there by the caller).
 */
function correlator(
  spec: CorrelateSpec,
  tabAt: number,
): (planes: number, inAt: number, outAt: number, wAt: number) => void {
  if (special(spec)) return specialCorrelate(spec).run;
  const kernel = directKernel();
  return (planes, inAt, outAt, wAt) => {
    // Generic tables: per plane, per table a count then (offset, weight) pairs. The weights are
    // copied from the plane's list at wAt.
    const longest = spec.tables.reduce((m, t) => Math.max(m, t.length), 0);
    const tabBytes = (1 + 2 * longest) * 4, tabPlaneBytes = spec.tables.length * tabBytes;
    const mem = floatView(), ints = intView();
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
    describe(CORRELATE, {
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
    kernel.correlate(0);
  };
}

/**
 * dx from dy and w: the padded input gradient row by row as a gather — padded row r and column
 * phase φ receive dY[(r − kh·dH) / sH][q − ⌊kw·dW / s⌋]·w[kh][kw] from exactly the taps with
 * kh·dH ≡ r (mod sH) and kw·dW ≡ φ (mod s) — read from dY staged with zero borders (T rows
 * above, L columns left). For W stride 1 the input's own rows and columns are computed, straight
 * into compact planes; otherwise every padded phase row, copied out after. False when the
 * staging would not fit, or when a weight is not finite: the gather multiplies dY's zero border
 * by the weights, and 0·∞ would put NaN where no real output reaches.
 */
export function directBackwardInput(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
): boolean {
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i])) return false;
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
  const compact = s === 1 || (s === 2 && longest <= CONV_TUNING.directSpecialTaps);
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
  const order: number[] = []; // per listed weight: j·kH·kW + kh·kW + kw
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
    relaxed: hasRelaxedSimd(),
  };
  const perGroup = (m * (outPlane + yPlane) + cinG * (l.plane + inPlane)) * 4;
  const G = chunkGroups(p, perGroup);
  const wAt = DESCRIPTOR_BYTES;
  const dycAt = align(wAt + p.inChannels * order.length * 4);
  const dyAt = align(dycAt + G * m * outPlane * 4);
  const padAt = align(dyAt + G * m * yPlane * 4 + SLACK);
  const dxAt = align(padAt + (compact ? 0 : G * cinG * l.plane * 4 + SLACK));
  const tabAt = align(dxAt + G * cinG * inPlane * 4 + SLACK);
  const end = tabAt + tableBytes(spec, G * cinG);
  if (end > MAX_BYTES) return false;
  const ik = implicitKernel();
  const run = correlator(spec, tabAt);
  const mem = reserve(end, "conv input gradient");
  for (let g = 0; g < p.groups; g++) {
    for (let c = 0; c < cinG; c++) {
      const list = (wAt >> 2) + (g * cinG + c) * order.length;
      const first = (g * m * cinG + c) * p.kH * p.kW;
      order.forEach((tap, i) => {
        const j = Math.floor(tap / (p.kH * p.kW)), khw = tap % (p.kH * p.kW);
        mem[list + i] = w[first + j * cinG * p.kH * p.kW + khw];
      });
    }
  }
  mem.fill(0, dyAt >> 2, (dyAt + G * m * yPlane * 4) >> 2);
  for (let n = 0; n < p.batch; n++) {
    for (let g0 = 0; g0 < p.groups; g0 += G) {
      const groups = Math.min(G, p.groups - g0);
      const from = (n * p.outChannels + g0 * m) * outPlane;
      floatView().set(dy.subarray(from, from + groups * m * outPlane), dycAt >> 2);
      ik.stage(
        dycAt,
        outPlane * 4,
        dyAt,
        yPlane * 4,
        yPitch * 4,
        0,
        groups * m,
        p.outH,
        p.outW,
        T,
        L,
        1,
      );
      run(groups * cinG, dyAt, compact ? dxAt : padAt, wAt + g0 * cinG * order.length * 4);
      if (!compact) {
        ik.unstage(
          dxAt,
          inPlane * 4,
          padAt,
          l.plane * 4,
          l.pitch * 4,
          l.wq * 4,
          groups * cinG,
          p.inH,
          p.inW,
          p.pH,
          p.pW,
          s,
        );
      }
      const to = (n * p.inChannels + g0 * cinG) * inPlane;
      dx.set(mem.subarray(dxAt >> 2, (dxAt >> 2) + groups * cinG * inPlane), to);
    }
  }
  return true;
}

/** dw from x and dy, summed over the batch in wasm memory; false when it would not fit. */
export function directBackwardWeight(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): boolean {
  const l = stagedLayout(p);
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlane = p.outH * p.outW;
  const perGroup = (cinG * (l.plane + inPlane) + m * outPlane) * 4;
  const G = chunkGroups(p, perGroup);
  const kwAt = DESCRIPTOR_BYTES;
  const dwAt = align(kwAt + p.kW * 4);
  const xcAt = align(dwAt + dw.length * 4);
  const padAt = align(xcAt + G * cinG * inPlane * 4);
  const dyAt = align(padAt + G * cinG * l.plane * 4 + SLACK);
  const end = dyAt + G * m * outPlane * 4 + SLACK;
  if (end > MAX_BYTES) return false;
  const kernel = directKernel();
  const mem = reserve(end, "conv weight gradient");
  const ints = intView();
  // Byte offsets of the kw taps within a padded row.
  const kwTable = Array.from({ length: p.kW }, (_, kw) => {
    const q = kw * p.dW;
    return 4 * ((q % l.s) * l.wq + Math.floor(q / l.s));
  });
  ints.set(kwTable, kwAt >> 2);
  mem.fill(0, dwAt >> 2, (dwAt >> 2) + dw.length);
  if (!l.direct) mem.fill(0, padAt >> 2, (padAt + G * cinG * l.plane * 4) >> 2);
  const weights = kernel[weightsName(p.kW)];
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
      describe(WEIGHTS, {
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
      weights(0, xIn, dyAt, dwAt + g0 * m * cinG * p.kH * p.kW * 4, kwAt);
    }
  }
  dw.set(mem.subarray(dwAt >> 2, (dwAt >> 2) + dw.length));
  return true;
}
