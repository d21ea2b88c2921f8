// The implicit-GEMM convolution (./implicit_wasm.ts) on several threads. The calling thread packs
// the weights and copies the compact images into the shared memory one by one, publishing its
// progress, so the threads start on the first images while it copies the rest; each thread pads
// the images of the units it claims into its own scratch and runs the same kernels; the calling
// thread copies the results out at the end.
// - forward: units are chunks of images, split further by output-channel panels when there are
//   few images (each unit re-pads its chunk then);
// - input gradient: units are chunks of images (all of an image's gradient is one thread's);
// - weight gradient: first every chunk of the single-thread path (the same chunking, so the same
//   reduction order) is padded and its dYᵀ panels packed, a chunk per unit; then the units are
//   ranges of the (channel panel, tap panel) tiles, and each runs its tiles over every chunk in
//   order, exactly as the single-thread path does for all tiles.
// Every output element is thus computed by one thread exactly as on one thread: the same bits for
// any thread count. Check-free: callers validate and ask `implicitThreadsCovers` first.

import type { ConvPlan } from "../_conv_plan.ts";
import type { Job, Task } from "../_threads/job.ts";
import { runParallel } from "../_threads/pool.ts";
import { THREAD_TUNING } from "../_threads/tuning.ts";
import { convKernel } from "./conv_stage.ts";
import { MAX_BYTES, sharedContext } from "./engine.ts";
import { gemmKernel, gemmRelaxed } from "./gemm_wasm.ts";
import { IMPLICIT, IMPLICIT_BYTES, MR, NR } from "./implicit_kernel.ts";
import {
  chunk,
  common,
  implicitKernel,
  type Layout,
  layoutOf,
  packWeights,
  packWeightsT,
  SLACK,
  tapOrder,
} from "./implicit_wasm.ts";

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
const align = (bytes: number): number => roundUp(bytes, 64);

/** Whether a pass of this convolution is worth threads (see THREAD_TUNING.convMinWork). */
export function implicitThreadsCovers(p: ConvPlan): boolean {
  const l = layoutOf(p);
  const work = p.batch * l.m * l.k * l.positions;
  return work > 0 && work >= THREAD_TUNING.convMinWork;
}

/** Parameter words shared by the three tasks. */
const enum P {
  Batch,
  Images,
  Units,
  Parts,
  PartPanels,
  Direct,
  /** stage() arguments. */
  InPlaneBytes,
  PlaneBytes,
  PitchBytes,
  PhaseBytes,
  CinG,
  InH,
  InW,
  PadH,
  PadW,
  Stride,
  /** Compact images (input, or input gradient) and their size. */
  Compact,
  CompactBytes,
  /** Compact outputs (forward y, backward dY). */
  Y,
  Bias,
  /** Per-thread scratch: descriptor, then the padded images. */
  Scratch,
  ScratchBytes,
  /** Weight gradient: padded chunks and their dYᵀ panels. */
  Chunks,
  ChunkX,
  ChunkXBytes,
  ChunkDyT,
  ChunkDyTBytes,
  TileUnit,
  Tiles,
  /** The descriptor template follows (IMPLICIT order). */
  Desc,
}

/** Layout facts every task needs, as parameter words. */
function baseParams(p: ConvPlan, l: Layout): number[] {
  const params = new Array<number>(P.Desc + IMPLICIT.length).fill(0);
  params[P.Batch] = p.batch;
  params[P.Direct] = l.direct ? 1 : 0;
  params[P.InPlaneBytes] = l.inPlane * 4;
  params[P.PlaneBytes] = l.plane * 4;
  params[P.PitchBytes] = l.pitch * 4;
  params[P.PhaseBytes] = l.wq * 4;
  params[P.CinG] = l.cinG;
  params[P.InH] = p.inH;
  params[P.InW] = p.inW;
  params[P.PadH] = p.pH;
  params[P.PadW] = p.pW;
  params[P.Stride] = l.s;
  params[P.CompactBytes] = l.cinG * l.inPlane * 4;
  params[P.Bias] = -1;
  return params;
}

function setDescriptor(params: number[], fields: Record<(typeof IMPLICIT)[number], number>): void {
  IMPLICIT.forEach((name, i) => params[P.Desc + i] = fields[name]);
}

/** The descriptor template of a job, to copy and adjust per unit. */
function descriptorOf(q: Int32Array): Int32Array {
  return q.slice(P.Desc, P.Desc + IMPLICIT.length);
}

const F = Object.fromEntries(IMPLICIT.map((name, i) => [name, i])) as Record<
  (typeof IMPLICIT)[number],
  number
>;

/** Pads `planes` compact planes at `from` into the padded layout at `to` (see the kernel). */
function pad(job: Job, q: Int32Array, from: number, to: number, planes: number): void {
  implicitKernel(job.ctx).stage(
    from,
    q[P.InPlaneBytes],
    to,
    q[P.PlaneBytes],
    q[P.PitchBytes],
    q[P.PhaseBytes],
    planes,
    q[P.InH],
    q[P.InW],
    q[P.PadH],
    q[P.PadW],
    q[P.Stride],
  );
}

/** Copies image slabs of group g in (or out) of the shared memory, one set() per image. */
function copyImages(
  mem: Float32Array,
  at: number,
  data: Float32Array,
  slab: number,
  total: number,
  g: number,
  batch: number,
  toMemory: boolean,
  publish?: (items: number) => void,
): void {
  for (let n = 0; n < batch; n++) {
    const from = n * total + g * slab, to = (at >> 2) + n * slab;
    if (toMemory) mem.set(data.subarray(from, from + slab), to);
    else data.set(mem.subarray(to, to + slab), from);
    publish?.(n + 1);
  }
}

/**
 * Images per unit: at most the single-thread chunk, and THREAD_TUNING.unitsPerThread units for
 * every thread, so a thread that started late is caught up by the others' claims.
 */
function unitImages(p: ConvPlan, perImage: number, threads: number): number {
  const units = THREAD_TUNING.unitsPerThread * threads;
  return Math.max(1, Math.min(chunk(p, perImage), Math.ceil(p.batch / units)));
}

// ---------------------------------------------------------------------------------------------
// Forward.

/** y = conv(x, w) + bias on `threads` threads; false (nothing done) when it would not fit. */
export function implicitForwardThreads(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
  threads: number,
): boolean {
  const l = layoutOf(p);
  const { m, k } = l;
  const compact = l.cinG * l.inPlane * 4, xImage = l.cinG * l.plane * 4;
  const yImage = m * l.positions * 4;
  const images = unitImages(p, xImage + yImage, threads);
  const chunks = Math.ceil(p.batch / images);
  const mPanels = Math.ceil(m / MR);
  // Few chunks: split the output channels too, so every thread has work.
  const parts = Math.min(
    mPanels,
    Math.max(1, Math.ceil((THREAD_TUNING.unitsPerThread * threads) / chunks)),
  );
  const partPanels = Math.ceil(mPanels / parts);
  const aPanelBytes = k * MR * 4;
  const tabAt = 0;
  const aAt = align(tabAt + k * 4);
  const biasAt = align(aAt + mPanels * aPanelBytes);
  const xcAt = align(biasAt + p.outChannels * 4);
  const yAt = align(xcAt + p.batch * compact + SLACK);
  const scratchAt = align(yAt + p.batch * yImage + SLACK);
  const scratch = align(IMPLICIT_BYTES) + (l.direct ? 0 : align(images * xImage + SLACK));
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv forward");
  ctx.ints().set(l.tab, tabAt >> 2);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  const params = baseParams(p, l);
  params[P.Images] = images;
  params[P.Units] = chunks * parts;
  params[P.Parts] = parts;
  params[P.PartPanels] = partPanels;
  params[P.Compact] = xcAt;
  params[P.Y] = yAt;
  params[P.Bias] = bias === undefined ? -1 : biasAt;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  const slabX = l.cinG * l.inPlane, slabY = m * l.positions;
  for (let g = 0; g < p.groups; g++) {
    packWeights(mem, aAt, w, g, m, k);
    setDescriptor(params, { ...common(p, l, images), tabAt, aAt, aPanelBytes, yAt });
    params[P.Bias] = bias === undefined ? -1 : biasAt + g * m * 4;
    runParallel(FORWARD_TASK, threads, params, gemmRelaxed(), (publish) => {
      copyImages(mem, xcAt, x, slabX, p.inChannels * l.inPlane, g, p.batch, true, publish);
    });
    copyImages(mem, yAt, y, slabY, p.outChannels * l.positions, g, p.batch, false);
  }
  return true;
}

function forward(job: Job): void {
  const q = job.params;
  const ik = implicitKernel(job.ctx), ck = convKernel(job.ctx);
  const desc = descriptorOf(q);
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  const padded = base + align(IMPLICIT_BYTES);
  const direct = q[P.Direct] === 1, compact = q[P.CompactBytes];
  const yImage = desc[F.yImageBytes], yPlane = desc[F.yPlaneBytes], positions = yPlane >> 2;
  const m = desc[F.m], aPanelBytes = desc[F.aPanelBytes];
  const parts = q[P.Parts], partPanels = q[P.PartPanels], per = q[P.Images];
  let zeroed = false;
  for (let u = job.claim(); u < q[P.Units]; u = job.claim()) {
    const c = Math.floor(u / parts), part = u - c * parts;
    const n0 = c * per, count = Math.min(per, q[P.Batch] - n0);
    const j0 = part * partPanels * MR, channels = Math.min(m, j0 + partPanels * MR) - j0;
    if (channels <= 0) continue;
    job.ready(n0 + count);
    const mem = job.ctx.floats();
    let xAt = q[P.Compact] + n0 * compact;
    if (!direct) {
      if (!zeroed) mem.fill(0, padded >> 2, (padded + per * desc[F.xImageBytes]) >> 2);
      zeroed = true;
      pad(job, q, xAt, padded, count * q[P.CinG]);
      xAt = padded;
    }
    const d = desc.slice();
    d[F.images] = count;
    d[F.m] = channels;
    d[F.xAt] = xAt;
    d[F.aAt] = desc[F.aAt] + (j0 / MR) * aPanelBytes;
    d[F.yAt] = q[P.Y] + n0 * yImage + j0 * yPlane;
    job.ctx.ints().set(d, base >> 2);
    ik.forward(base);
    if (q[P.Bias] >= 0) {
      for (let i = 0; i < count; i++) {
        ck.addBias(d[F.yAt] + i * yImage, yPlane, channels, positions, q[P.Bias] + j0 * 4);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Input gradient.

/** dx from dy and w on `threads` threads; false (nothing done) when it would not fit. */
export function implicitBackwardInputThreads(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
  threads: number,
): boolean {
  const l = layoutOf(p);
  const { m, k } = l;
  const compact = l.cinG * l.inPlane * 4, xImage = l.cinG * l.plane * 4;
  const yImage = m * l.positions * 4;
  const images = unitImages(p, xImage + yImage, threads);
  const kPanels = Math.ceil(k / MR), aPanelBytes = m * MR * 4;
  const tabAt = 0;
  const aAt = align(tabAt + kPanels * MR * 4);
  const dyAt = align(aAt + kPanels * aPanelBytes);
  const dxAt = align(dyAt + p.batch * yImage + SLACK);
  const scratchAt = align(dxAt + p.batch * compact + SLACK);
  const scratch = align(IMPLICIT_BYTES) + (l.direct ? 0 : align(images * xImage + SLACK));
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv input gradient");
  const order = tapOrder(p, l);
  const ints = ctx.ints();
  for (let i = 0; i < k; i++) ints[(tabAt >> 2) + i] = l.tab[order[i]];
  const params = baseParams(p, l);
  params[P.Images] = images;
  params[P.Units] = Math.ceil(p.batch / images);
  params[P.Compact] = dxAt;
  params[P.Y] = dyAt;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  setDescriptor(params, { ...common(p, l, images), tabAt, aAt, aPanelBytes, yAt: dyAt });
  const slabX = l.cinG * l.inPlane, slabY = m * l.positions;
  for (let g = 0; g < p.groups; g++) {
    packWeightsT(mem, aAt, w, g, m, k, order);
    runParallel(BACKWARD_INPUT_TASK, threads, params, gemmRelaxed(), (publish) => {
      copyImages(mem, dyAt, dy, slabY, p.outChannels * l.positions, g, p.batch, true, publish);
    });
    copyImages(mem, dxAt, dx, slabX, p.inChannels * l.inPlane, g, p.batch, false);
  }
  return true;
}

function backwardInput(job: Job): void {
  const q = job.params;
  const ik = implicitKernel(job.ctx);
  const desc = descriptorOf(q);
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  const padded = base + align(IMPLICIT_BYTES);
  const direct = q[P.Direct] === 1, compact = q[P.CompactBytes], per = q[P.Images];
  for (let u = job.claim(); u < q[P.Units]; u = job.claim()) {
    const n0 = u * per, count = Math.min(per, q[P.Batch] - n0);
    job.ready(n0 + count);
    const mem = job.ctx.floats();
    const compactAt = q[P.Compact] + n0 * compact;
    const xAt = direct ? compactAt : padded;
    const bytes = direct ? count * compact : count * desc[F.xImageBytes];
    mem.fill(0, xAt >> 2, (xAt + bytes) >> 2);
    const d = desc.slice();
    d[F.images] = count;
    d[F.xAt] = xAt;
    d[F.yAt] = q[P.Y] + n0 * desc[F.yImageBytes];
    job.ctx.ints().set(d, base >> 2);
    ik.backwardInput(base);
    if (direct) continue;
    ik.unstage(
      compactAt,
      q[P.InPlaneBytes],
      padded,
      q[P.PlaneBytes],
      q[P.PitchBytes],
      q[P.PhaseBytes],
      count * q[P.CinG],
      q[P.InH],
      q[P.InW],
      q[P.PadH],
      q[P.PadW],
      q[P.Stride],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Weight gradient.

/** dw from x and dy on `threads` threads; false (nothing done) when it would not fit. */
export function implicitBackwardWeightThreads(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  threads: number,
): boolean {
  const l = layoutOf(p);
  const { m, k } = l;
  const P_ = l.positions;
  const compact = l.cinG * l.inPlane * 4, xImage = l.cinG * l.plane * 4;
  const yImage = m * P_ * 4;
  const jPanels = Math.ceil(m / NR);
  // The single-thread path's chunks (./implicit_wasm.ts): the reduction order over the batch.
  const nb = chunk(p, xImage + (l.direct ? 0 : compact) + yImage + jPanels * P_ * NR * 4);
  const chunks = Math.ceil(p.batch / nb);
  const panelBytes = (nb * P_ + 4) * NR * 4;
  const tiles = jPanels * Math.ceil(k / MR);
  const tileUnit = Math.max(1, Math.ceil(tiles / (4 * threads)));
  const tabAt = 0;
  const dwAt = align(tabAt + k * 4);
  const xcAt = align(dwAt + m * k * 4);
  // Packing reads whole groups of 4 positions and 8 channel rows past an image's dY.
  const dyAt = align(xcAt + p.batch * compact + SLACK);
  const chunkX = l.direct ? 0 : align(nb * xImage + SLACK);
  const chunkXAt = align(dyAt + p.batch * yImage + NR * P_ * 4 + SLACK);
  const chunkDyT = align(jPanels * panelBytes);
  const chunkDyTAt = align(chunkXAt + chunks * chunkX);
  const scratchAt = align(chunkDyTAt + chunks * chunkDyT);
  const scratch = align(IMPLICIT_BYTES);
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv weight gradient");
  ctx.ints().set(l.tab, tabAt >> 2);
  if (!l.direct) mem.fill(0, chunkXAt >> 2, (chunkXAt + chunks * chunkX) >> 2);
  const params = baseParams(p, l);
  params[P.Images] = nb;
  params[P.Units] = chunks;
  params[P.Compact] = xcAt;
  params[P.Y] = dyAt;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  params[P.Chunks] = chunks;
  params[P.ChunkX] = chunkXAt;
  params[P.ChunkXBytes] = chunkX;
  params[P.ChunkDyT] = chunkDyTAt;
  params[P.ChunkDyTBytes] = chunkDyT;
  params[P.TileUnit] = tileUnit;
  params[P.Tiles] = tiles;
  setDescriptor(params, {
    ...common(p, l, nb),
    tabAt,
    aPanelBytes: panelBytes,
    yAt: dyAt,
    dwAt,
  });
  const slabX = l.cinG * l.inPlane, slabY = m * P_;
  for (let g = 0; g < p.groups; g++) {
    mem.fill(0, dwAt >> 2, (dwAt >> 2) + m * k);
    runParallel(WEIGHT_STAGE_TASK, threads, params, gemmRelaxed(), (publish) => {
      // An image is ready once both its input and its output gradient are in.
      for (let n = 0; n < p.batch; n++) {
        const fromX = n * p.inChannels * l.inPlane + g * slabX;
        mem.set(x.subarray(fromX, fromX + slabX), (xcAt >> 2) + n * slabX);
        const fromY = n * p.outChannels * P_ + g * slabY;
        mem.set(dy.subarray(fromY, fromY + slabY), (dyAt >> 2) + n * slabY);
        publish(n + 1);
      }
    });
    params[P.Units] = Math.ceil(tiles / tileUnit);
    runParallel(WEIGHT_TASK, threads, params, gemmRelaxed());
    params[P.Units] = chunks;
    dw.set(mem.subarray(dwAt >> 2, (dwAt >> 2) + m * k), g * m * k);
  }
  return true;
}

function weightStage(job: Job): void {
  const q = job.params;
  const gk = gemmKernel(job.ctx, job.relaxed);
  const desc = descriptorOf(q);
  const nb = q[P.Images], compact = q[P.CompactBytes], yImage = desc[F.yImageBytes];
  const positions = desc[F.yPlaneBytes] >> 2, jPanels = Math.ceil(desc[F.m] / NR);
  for (let c = job.claim(); c < q[P.Chunks]; c = job.claim()) {
    const n0 = c * nb, count = Math.min(nb, q[P.Batch] - n0);
    job.ready(n0 + count);
    if (q[P.Direct] === 0) {
      pad(
        job,
        q,
        q[P.Compact] + n0 * compact,
        q[P.ChunkX] + c * q[P.ChunkXBytes],
        count * q[P.CinG],
      );
    }
    const dyT = q[P.ChunkDyT] + c * q[P.ChunkDyTBytes];
    for (let i = 0; i < count; i++) {
      gk.packBT(
        q[P.Y] + (n0 + i) * yImage,
        positions * 4,
        positions,
        jPanels,
        dyT + i * positions * NR * 4,
        desc[F.aPanelBytes],
      );
    }
  }
}

function weight(job: Job): void {
  const q = job.params;
  const ik = implicitKernel(job.ctx);
  const desc = descriptorOf(q);
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  const nb = q[P.Images], compact = q[P.CompactBytes], unit = q[P.TileUnit];
  for (let u = job.claim(); u < q[P.Units]; u = job.claim()) {
    const from = u * unit, to = Math.min(q[P.Tiles], from + unit);
    for (let c = 0; c < q[P.Chunks]; c++) {
      const n0 = c * nb;
      const d = desc.slice();
      d[F.images] = Math.min(nb, q[P.Batch] - n0);
      d[F.xAt] = q[P.Direct] === 1
        ? q[P.Compact] + n0 * compact
        : q[P.ChunkX] + c * q[P.ChunkXBytes];
      d[F.aAt] = q[P.ChunkDyT] + c * q[P.ChunkDyTBytes];
      d[F.tileFrom] = from;
      d[F.tileTo] = to;
      job.ctx.ints().set(d, base >> 2);
      ik.backwardWeight(base);
    }
  }
}

/** The forward's units: chunks of images × output-channel parts. */
export const FORWARD_TASK: Task = { id: 1, name: "conv forward", run: forward };
/** The input gradient's units: chunks of images. */
export const BACKWARD_INPUT_TASK: Task = { id: 2, name: "conv input gradient", run: backwardInput };
/** The weight gradient's staging: a chunk per unit. */
export const WEIGHT_STAGE_TASK: Task = { id: 3, name: "conv weight gradient", run: weightStage };
/** The weight gradient's tiles: ranges of (channel panel, tap panel) tiles over every chunk. */
export const WEIGHT_TASK: Task = { id: 4, name: "conv weight gradient", run: weight };
