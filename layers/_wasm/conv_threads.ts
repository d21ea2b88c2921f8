// The im2col convolution path (./conv_wasm.ts) on several threads, with the tile bodies of
// ./conv_tiles.ts. The calling thread packs the weights and copies the images into the shared
// memory one by one, publishing its progress; the threads claim units, each with its own scratch:
// - forward: a unit is a column tile over the whole batch (any tiling gives the same outputs);
// - input gradient: a unit is one tile of whole images, or all the tiles of one image when an
//   image takes several (./conv_tiles.ts `inputTiles`: the order of an image's sums is fixed);
// - weight gradient: a unit is a range of the group's input channels — the column rows of those
//   channels, so dW's columns — run over every tile of the single-thread path in order; each
//   element of dW is one thread's and summed as on one thread.
// Same bits for any thread count. Check-free: callers validate and ask `convThreadsCovers`.

import type { ConvPlan } from "../_conv_plan.ts";
import type { Job, Task } from "../_threads/job.ts";
import { runParallel } from "../_threads/pool.ts";
import { DESCRIPTOR_BYTES } from "./conv_kernel.ts";
import {
  align,
  CONV_TUNING,
  convKernel,
  shapeOf,
  SLACK,
  stageRows,
  writeDescriptor,
} from "./conv_stage.ts";
import {
  type ForwardPlan,
  forwardPlan,
  forwardTile,
  imageTiles,
  type InputPlan,
  inputPlan,
  inputTile,
  packForwardWeights,
  packInputWeights,
  type WeightPlan,
  weightPlan,
  weightTile,
  weightTiles,
} from "./conv_tiles.ts";
import { MAX_BYTES, sharedContext } from "./engine.ts";
import { gemmKernel, gemmRelaxed } from "./gemm_wasm.ts";
import { THREAD_TUNING } from "../_threads/tuning.ts";

/** Whether a pass of this convolution is worth threads (see THREAD_TUNING.convMinWork). */
export function convThreadsCovers(p: ConvPlan): boolean {
  const s = shapeOf(p);
  const work = p.batch * s.m * s.k * s.p;
  return work > 0 && work >= THREAD_TUNING.convMinWork;
}

/** Parameter words of the three tasks. */
const enum Q {
  Batch,
  Units,
  Desc,
  APack,
  X,
  Y,
  Bias,
  Scratch,
  ScratchBytes,
  /** Input gradient: images per unit (0: one image per unit, several tiles). */
  PerUnit,
  /** Weight gradient: channels per unit, the group's channels, taps per channel, dW. */
  UnitChannels,
  Channels,
  Taps,
  Dw,
  Count,
}

/** Copies image slabs of group g of `batch` images in, one set() each, publishing progress. */
function stageAll(
  mem: Float32Array,
  at: number,
  data: Float32Array,
  slab: number,
  total: number,
  g: number,
  batch: number,
  publish?: (items: number) => void,
): void {
  for (let n = 0; n < batch; n++) {
    const from = n * total + g * slab;
    mem.set(data.subarray(from, from + slab), (at >> 2) + n * slab);
    publish?.(n + 1);
  }
}

/** The reverse of stageAll. */
function unstageAll(
  mem: Float32Array,
  at: number,
  data: Float32Array,
  slab: number,
  total: number,
  g: number,
  batch: number,
): void {
  for (let n = 0; n < batch; n++) {
    const from = (at >> 2) + n * slab;
    data.set(mem.subarray(from, from + slab), n * total + g * slab);
  }
}

/** Images a tile [j0, j0 + count) needs staged. */
const imagesThrough = (j0: number, count: number, positions: number) =>
  Math.floor((j0 + count - 1) / positions) + 1;

// The plans depend on the geometry only; each thread recomputes them from the plan words.
let lastForward: { key: string; plan: ForwardPlan } | undefined;
let lastInput: { key: string; plan: InputPlan } | undefined;
let lastWeight: { key: string; plan: WeightPlan } | undefined;

/** The ConvPlan and the block sizes as parameter words (so a worker rebuilds the same plans). */
const PLAN_WORDS = 27;

function planWords(p: ConvPlan): number[] {
  return [
    CONV_TUNING.tileBytes,
    CONV_TUNING.maxTile,
    CONV_TUNING.stageBytes,
    CONV_TUNING.kc,
    CONV_TUNING.dwTile,
    p.batch,
    p.inChannels,
    p.outChannels,
    p.groups,
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
  ];
}

function planOf(q: Int32Array): ConvPlan {
  const w = q.subarray(Q.Count + 5, Q.Count + PLAN_WORDS);
  return {
    batch: w[0],
    inChannels: w[1],
    outChannels: w[2],
    groups: w[3],
    inD: w[4],
    inH: w[5],
    inW: w[6],
    outD: w[7],
    outH: w[8],
    outW: w[9],
    kD: w[10],
    kH: w[11],
    kW: w[12],
    sD: w[13],
    sH: w[14],
    sW: w[15],
    dD: w[16],
    dH: w[17],
    dW: w[18],
    pD: w[19],
    pH: w[20],
    pW: w[21],
  };
}

function cached<T>(
  last: { key: string; plan: T } | undefined,
  q: Int32Array,
  make: (p: ConvPlan) => T,
): { key: string; plan: T } {
  const words = q.subarray(Q.Count, Q.Count + PLAN_WORDS);
  const key = words.join(",");
  if (last && last.key === key) return last;
  // The calling thread's block sizes (tests and the bench change them).
  const before = { ...CONV_TUNING };
  [CONV_TUNING.tileBytes, CONV_TUNING.maxTile, CONV_TUNING.stageBytes, CONV_TUNING.kc] = words;
  CONV_TUNING.dwTile = words[4];
  try {
    return { key, plan: make(planOf(q)) };
  } finally {
    Object.assign(CONV_TUNING, before);
  }
}

function params(p: ConvPlan): number[] {
  const words = new Array<number>(Q.Count).fill(0);
  return [...words, ...planWords(p)];
}

// ---------------------------------------------------------------------------------------------

/** y = conv(x, w) + bias on `threads` threads; false (nothing done) when it would not fit. */
export function convForwardThreads(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
  threads: number,
): boolean {
  const f = forwardPlan(p);
  const { s } = f;
  const { m, k } = s;
  const P = s.p;
  const desc = 0;
  const biasAt = align(desc + DESCRIPTOR_BYTES);
  const aPack = align(biasAt + p.outChannels * 4);
  const aStage = align(aPack + f.aPackBytes);
  const xAt = align(aStage + f.aStageBytes);
  const yAt = align(xAt + p.batch * s.imageBytes + SLACK);
  const scratchAt = align(yAt + p.batch * m * P * 4);
  const end = scratchAt + threads * f.scratchBytes;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv forward");
  const gk = gemmKernel(ctx);
  const ints = ctx.ints();
  if (f.panelMode) writeDescriptor(p, s, f.bPanelBytes, p.outH * f.bPanelBytes, ints, desc);
  else writeDescriptor(p, s, undefined, undefined, ints, desc);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  const q = params(p);
  q[Q.Batch] = p.batch;
  q[Q.Units] = Math.ceil((p.batch * P) / f.cols);
  q[Q.Desc] = desc;
  q[Q.APack] = aPack;
  q[Q.X] = xAt;
  q[Q.Y] = yAt;
  q[Q.Scratch] = scratchAt;
  q[Q.ScratchBytes] = f.scratchBytes;
  const slabX = s.cinG * s.inPlane, slabY = m * P;
  for (let g = 0; g < p.groups; g++) {
    stageRows(mem, aStage, f.aLd, w, g * m, m, k);
    packForwardWeights(gk, f, aStage, aPack);
    q[Q.Bias] = bias === undefined ? -1 : biasAt + g * m * 4;
    runParallel(FORWARD_TASK, threads, q, gemmRelaxed(), (publish) => {
      stageAll(mem, xAt, x, slabX, p.inChannels * s.inPlane, g, p.batch, publish);
    });
    unstageAll(mem, yAt, y, slabY, p.outChannels * P, g, p.batch);
  }
  return true;
}

function forward(job: Job): void {
  const q = job.params;
  lastForward = cached(lastForward, q, forwardPlan);
  const f = lastForward.plan;
  const gk = gemmKernel(job.ctx, job.relaxed), ck = convKernel(job.ctx);
  const base = q[Q.Scratch] + job.thread * q[Q.ScratchBytes];
  const total = q[Q.Batch] * f.s.p;
  for (let u = job.claim(); u < q[Q.Units]; u = job.claim()) {
    const j0 = u * f.cols, count = Math.min(f.cols, total - j0);
    job.ready(imagesThrough(j0, count, f.s.p));
    forwardTile(gk, ck, f, q[Q.Desc], q[Q.APack], base, q[Q.X], q[Q.Y], j0, count, q[Q.Bias]);
  }
}

// ---------------------------------------------------------------------------------------------

/** dx from dy and w on `threads` threads; false (nothing done) when it would not fit. */
export function convBackwardInputThreads(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
  threads: number,
): boolean {
  const f = inputPlan(p);
  const { s } = f;
  const { m, k } = s;
  const P = s.p;
  const desc = 0;
  const aPack = align(desc + DESCRIPTOR_BYTES);
  const aStage = align(aPack + f.aPackBytes);
  const dyAt = align(aStage + f.aStageBytes);
  const dxAt = align(dyAt + p.batch * m * P * 4);
  const scratchAt = align(dxAt + p.batch * s.imageBytes + SLACK);
  const end = scratchAt + threads * f.scratchBytes;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv input gradient");
  const gk = gemmKernel(ctx);
  writeDescriptor(p, s, undefined, undefined, ctx.ints(), desc);
  // Whole images per tile when an image fits in one, else one image (several tiles) per unit.
  const perUnit = P <= f.cols ? Math.floor(f.cols / P) : 0;
  const q = params(p);
  q[Q.Batch] = p.batch;
  q[Q.Units] = perUnit > 0 ? Math.ceil(p.batch / perUnit) : p.batch;
  q[Q.PerUnit] = perUnit;
  q[Q.Desc] = desc;
  q[Q.APack] = aPack;
  q[Q.X] = dxAt;
  q[Q.Y] = dyAt;
  q[Q.Scratch] = scratchAt;
  q[Q.ScratchBytes] = f.scratchBytes;
  const slabX = s.cinG * s.inPlane, slabY = m * P;
  for (let g = 0; g < p.groups; g++) {
    stageRows(mem, aStage, f.aLd, w, g * m, m, k);
    packInputWeights(gk, f, aStage, aPack);
    runParallel(INPUT_TASK, threads, q, gemmRelaxed(), (publish) => {
      stageAll(mem, dyAt, dy, slabY, p.outChannels * P, g, p.batch, publish);
    });
    unstageAll(mem, dxAt, dx, slabX, p.inChannels * s.inPlane, g, p.batch);
  }
  return true;
}

function backwardInput(job: Job): void {
  const q = job.params;
  lastInput = cached(lastInput, q, inputPlan);
  const f = lastInput.plan;
  const gk = gemmKernel(job.ctx, job.relaxed), ck = convKernel(job.ctx);
  const base = q[Q.Scratch] + job.thread * q[Q.ScratchBytes];
  const P = f.s.p, imageFloats = f.s.imageBytes >> 2, per = q[Q.PerUnit];
  const tile = (j0: number, count: number) => {
    inputTile(gk, ck, f, q[Q.Desc], q[Q.APack], base, q[Q.Y], q[Q.X], j0, count);
  };
  for (let u = job.claim(); u < q[Q.Units]; u = job.claim()) {
    const n0 = per > 0 ? u * per : u, images = per > 0 ? Math.min(per, q[Q.Batch] - n0) : 1;
    job.ready(n0 + images);
    const at = (q[Q.X] >> 2) + n0 * imageFloats;
    job.ctx.floats().fill(0, at, at + images * imageFloats);
    if (per > 0) tile(n0 * P, images * P);
    else imageTiles(n0, P, f.cols, tile);
  }
}

// ---------------------------------------------------------------------------------------------

/** dw from x and dy on `threads` threads; false (nothing done) when it would not fit. */
export function convBackwardWeightThreads(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  threads: number,
): boolean {
  const f = weightPlan(p);
  const { s } = f;
  const { m, k } = s;
  const P = s.p;
  const parts = Math.min(s.cinG, threads);
  if (parts < 2) return false;
  const unitChannels = Math.ceil(s.cinG / parts);
  const taps = k / s.cinG;
  const dwAt = 0;
  const xAt = align(dwAt + m * k * 4);
  const dyAt = align(xAt + p.batch * s.imageBytes + SLACK);
  const scratchAt = align(dyAt + p.batch * m * P * 4);
  const scratch = align(DESCRIPTOR_BYTES) + f.scratchBytes;
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv weight gradient");
  const q = params(p);
  q[Q.Batch] = p.batch;
  q[Q.Units] = Math.ceil(s.cinG / unitChannels);
  q[Q.X] = xAt;
  q[Q.Y] = dyAt;
  q[Q.Scratch] = scratchAt;
  q[Q.ScratchBytes] = scratch;
  q[Q.UnitChannels] = unitChannels;
  q[Q.Channels] = s.cinG;
  q[Q.Taps] = taps;
  q[Q.Dw] = dwAt;
  const slabX = s.cinG * s.inPlane, slabY = m * P;
  for (let g = 0; g < p.groups; g++) {
    runParallel(WEIGHT_TASK, threads, q, gemmRelaxed(), (publish) => {
      for (let n = 0; n < p.batch; n++) {
        const fromX = n * p.inChannels * s.inPlane + g * slabX;
        mem.set(x.subarray(fromX, fromX + slabX), (xAt >> 2) + n * slabX);
        const fromY = n * p.outChannels * P + g * slabY;
        mem.set(dy.subarray(fromY, fromY + slabY), (dyAt >> 2) + n * slabY);
        publish(n + 1);
      }
    });
    dw.set(mem.subarray(dwAt >> 2, (dwAt >> 2) + m * k), g * m * k);
  }
  return true;
}

function backwardWeight(job: Job): void {
  const q = job.params;
  lastWeight = cached(lastWeight, q, weightPlan);
  const f = lastWeight.plan;
  const p = planOf(q);
  const gk = gemmKernel(job.ctx, job.relaxed), ck = convKernel(job.ctx);
  const desc = q[Q.Scratch] + job.thread * q[Q.ScratchBytes];
  const base = desc + align(DESCRIPTOR_BYTES);
  const { m, k } = f.s;
  const P = f.s.p, taps = q[Q.Taps];
  for (let u = job.claim(); u < q[Q.Units]; u = job.claim()) {
    const c0 = u * q[Q.UnitChannels];
    const channels = Math.min(q[Q.UnitChannels], q[Q.Channels] - c0), rows = channels * taps;
    writeDescriptor(p, f.s, undefined, undefined, job.ctx.ints(), desc, channels);
    const xAt = q[Q.X] + c0 * f.s.inPlane * 4;
    weightTiles(q[Q.Batch], f, (j0, count, first, last) => {
      job.ready(imagesThrough(j0, count, P));
      weightTile(gk, ck, f, desc, base, xAt, q[Q.Y], rows, j0, count, first, last);
    });
    // Finished rows (pitch ⌈rows / 8⌉·8) into dW's columns c0·taps.. .
    const mem = job.ctx.floats();
    const kLd = Math.ceil(rows / 8) * 8, from = (base + f.dwRows) >> 2;
    for (let i = 0; i < m; i++) {
      const to = (q[Q.Dw] >> 2) + i * k + c0 * taps;
      mem.copyWithin(to, from + i * kLd, from + i * kLd + rows);
    }
  }
}

/** The forward's units: column tiles over the whole batch. */
export const FORWARD_TASK: Task = { id: 5, name: "conv forward", run: forward };
/** The input gradient's units: whole images. */
export const INPUT_TASK: Task = { id: 6, name: "conv input gradient", run: backwardInput };
/** The weight gradient's units: ranges of input channels (columns of dW). */
export const WEIGHT_TASK: Task = { id: 7, name: "conv weight gradient", run: backwardWeight };
