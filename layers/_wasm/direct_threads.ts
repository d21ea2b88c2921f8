// The direct convolution (./direct_wasm.ts: depthwise and narrow groups) on several threads. The
// calling thread copies the compact images into the shared memory one by one, publishing its
// progress, so the threads start on the first images while it copies the rest; each thread
// stages the planes of the units it claims into its own scratch and runs the same kernels on the
// same plan (tables, kernel variant) as the single-thread path. The calling thread's copies are
// the part that does not divide, so it overlaps them with the workers' units as far as it can.
// - forward and input gradient: units are (image, chunk of groups); every output plane is one
//   correlation over its own group's planes, so which unit computes it does not change a bit.
//   Each unit writes into its own output slot with slack after it: a row's last block writes a
//   few cells past the plane, which in one compact array would be the next unit's first cells,
//   perhaps already written by another thread. A unit raises its flag when done, and the calling
//   thread copies finished units out in order between its own steps (while copying in, after
//   each of its units), the rest after the job;
// - weight gradient: units are ranges of groups, each run over the whole batch in order, so every
//   dW element is summed by one thread exactly as the single-thread path sums it (image by image,
//   one kernel call per image adding into it). Its input is copied in unit by unit (the unit's
//   planes of every image), so that a worker can finish a unit while the next one comes in.
// Every output element is thus computed by one thread exactly as on one thread: the same bits for
// any thread count. The workers plan from the parameters (the convolution and the calling
// thread's tuning), not from their own CONV_TUNING. Check-free: callers validate and ask
// `directCovers` and `directThreadsCovers` first.

import type { ConvPlan } from "../_conv_plan.ts";
import type { Job, Task } from "../_threads/job.ts";
import { runParallel } from "../_threads/pool.ts";
import { THREAD_TUNING } from "../_threads/tuning.ts";
import { convKernel } from "./conv_stage.ts";
import { DESCRIPTOR_BYTES } from "./direct_kernel.ts";
import {
  align,
  correlator,
  directForwardPlan,
  directInputPlan,
  directKernel,
  type DirectTuning,
  directTuning,
  directWeightPlan,
  finiteWeights,
  listInputWeights,
  SLACK,
  stageGradient,
  stagePlanes,
  tableBytes,
  unstagePlanes,
  weightsOf,
} from "./direct_wasm.ts";
import { MAX_BYTES, sharedContext, type WasmContext } from "./engine.ts";

/**
 * Whether a pass of this convolution is worth threads: N·Cout·(Cin/groups·kH·kW)·positions
 * multiply-adds against THREAD_TUNING.directMinWork.
 */
export function directThreadsCovers(p: ConvPlan): boolean {
  const work = p.batch * p.outChannels * (p.inChannels / p.groups) * p.kH * p.kW * p.outH *
    p.outW;
  return work > 0 && work >= THREAD_TUNING.directMinWork;
}

/** The convolution's fields, in the order they travel as parameter words. */
const PLAN_KEYS = [
  "batch",
  "groups",
  "inChannels",
  "outChannels",
  "inD",
  "inH",
  "inW",
  "outD",
  "outH",
  "outW",
  "kD",
  "kH",
  "kW",
  "sD",
  "sH",
  "sW",
  "dD",
  "dH",
  "dW",
  "pD",
  "pH",
  "pW",
] as const satisfies readonly (keyof ConvPlan)[];

/** Parameter words; the convolution's fields follow (PLAN_KEYS order, from P.Count). */
const enum P {
  ChunkBytes,
  SpecialTaps,
  Relaxed,
  Units,
  /** Groups per unit, and units per image (forward, input gradient). */
  UnitGroups,
  Chunks,
  /** Weights (forward), listed weights (input gradient), dW (weight gradient). */
  W,
  Bias,
  /** Compact inputs: x (forward, weight gradient) or dY (input gradient), every image. */
  In,
  /** Compact dY of every image (weight gradient). */
  Dy,
  /** Output slots, one per unit, SlotBytes apart, and a done flag (i32) per unit. */
  Out,
  SlotBytes,
  Flags,
  /** kw tap offsets (weight gradient). */
  KwAt,
  /** Per-thread scratch: descriptor, staged planes (StageAt), padded planes (PadAt), tables. */
  Scratch,
  ScratchBytes,
  StageAt,
  PadAt,
  TabAt,
  Count,
}

function planParams(p: ConvPlan, t: DirectTuning): number[] {
  const params = new Array<number>(P.Count + PLAN_KEYS.length).fill(0);
  PLAN_KEYS.forEach((key, i) => params[P.Count + i] = p[key]);
  params[P.ChunkBytes] = t.chunkBytes;
  params[P.SpecialTaps] = t.specialTaps;
  params[P.Relaxed] = t.relaxed ? 1 : 0;
  params[P.Bias] = -1;
  return params;
}

function planOf(q: Int32Array): ConvPlan {
  return Object.fromEntries(
    PLAN_KEYS.map((key, i) => [key, q[P.Count + i]]),
  ) as unknown as ConvPlan;
}

/** The calling thread's tuning, as the job carries it. */
function tuningOf(job: Job): DirectTuning {
  const q = job.params;
  return { chunkBytes: q[P.ChunkBytes], specialTaps: q[P.SpecialTaps], relaxed: job.relaxed };
}

/**
 * Groups per unit: at most the single-thread chunk, and THREAD_TUNING.unitsPerThread units for
 * every thread over `images` images (more when the chunks make more).
 */
function unitGroups(p: ConvPlan, G: number, threads: number, images: number): number {
  const perImage = Math.ceil((THREAD_TUNING.unitsPerThread * threads) / images);
  return Math.max(1, Math.min(G, Math.ceil(p.groups / perImage)));
}

/**
 * The results of a forward or input-gradient job as the calling thread copies them out: units in
 * order, each once its flag is up. Set only on the calling thread, for the job it runs.
 */
interface Outlet {
  ctx: WasmContext;
  q: number[];
  data: Float32Array;
  groups: number;
  planesPerGroup: number;
  plane: number;
  /** The next unit to copy out. */
  next: number;
}

let outlet: Outlet | undefined;

/** Copies out the finished units from `o.next` on, up to the first unfinished one. */
function drain(o: Outlet): void {
  const { q, groups, planesPerGroup, plane } = o;
  const chunks = q[P.Chunks], ug = q[P.UnitGroups], units = q[P.Units];
  const perImage = groups * planesPerGroup * plane;
  const ints = o.ctx.ints(), flags = q[P.Flags] >> 2;
  for (; o.next < units && Atomics.load(ints, flags + o.next) === 1; o.next++) {
    const u = o.next, n = Math.floor(u / chunks), g0 = (u - n * chunks) * ug;
    const count = Math.min(ug, groups - g0) * planesPerGroup * plane;
    const from = (q[P.Out] + u * q[P.SlotBytes]) >> 2;
    o.data.set(
      o.ctx.floats().subarray(from, from + count),
      n * perImage + g0 * planesPerGroup * plane,
    );
  }
}

/**
 * Runs a forward or input-gradient job: copies the compact images in (one set per image,
 * published), copying finished units out between images, and the rest as the calling thread's
 * units and the job end. Every flag is up when runParallel returns, so all units are copied.
 */
function runUnits(
  task: Task,
  threads: number,
  ctx: WasmContext,
  params: number[],
  input: Float32Array,
  batch: number,
  image: number,
  o: Omit<Outlet, "ctx" | "q" | "next">,
): void {
  const mem = ctx.floats(), at = params[P.In] >> 2;
  ctx.ints().fill(0, params[P.Flags] >> 2, (params[P.Flags] >> 2) + params[P.Units]);
  const out: Outlet = { ...o, ctx, q: params, next: 0 };
  outlet = out;
  try {
    runParallel(task, threads, params, params[P.Relaxed] === 1, (publish) => {
      for (let n = 0; n < batch; n++) {
        mem.set(input.subarray(n * image, (n + 1) * image), at + n * image);
        publish(n + 1);
        drain(out);
      }
    });
    drain(out);
  } finally {
    outlet = undefined;
  }
}

/** Marks unit `u` done; on the calling thread, copies out what is finished. */
function finished(job: Job, u: number): void {
  Atomics.store(job.ctx.ints(), (job.params[P.Flags] >> 2) + u, 1);
  if (job.thread === 0 && outlet !== undefined) drain(outlet);
}

// ---------------------------------------------------------------------------------------------
// Forward.

/** y = conv(x, w) + bias on `threads` threads; false (nothing done) when it would not fit. */
export function directForwardThreads(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
  threads: number,
): boolean {
  const t = directTuning();
  const f = directForwardPlan(p, t);
  const { l, cinG, m, inPlane, outPlane } = f;
  const ug = unitGroups(p, f.G, threads, p.batch);
  const chunks = Math.ceil(p.groups / ug), units = p.batch * chunks;
  const wAt = 0;
  const biasAt = align(wAt + w.length * 4);
  const xcAt = align(biasAt + p.outChannels * 4);
  const slot = align(ug * m * outPlane * 4 + SLACK);
  const yAt = align(xcAt + p.batch * p.inChannels * inPlane * 4 + SLACK);
  const flagsAt = yAt + units * slot;
  const scratchAt = align(flagsAt + units * 4);
  const padAt = align(DESCRIPTOR_BYTES);
  const tabAt = padAt + (l.direct ? 0 : align(ug * cinG * l.plane * 4 + SLACK));
  const scratch = align(tabAt + tableBytes(f.spec, f.special, ug * m));
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv forward");
  mem.set(w, wAt >> 2);
  if (bias !== undefined) mem.set(bias, biasAt >> 2);
  const params = planParams(p, t);
  params[P.Units] = units;
  params[P.UnitGroups] = ug;
  params[P.Chunks] = chunks;
  params[P.W] = wAt;
  params[P.Bias] = bias === undefined ? -1 : biasAt;
  params[P.In] = xcAt;
  params[P.Out] = yAt;
  params[P.SlotBytes] = slot;
  params[P.Flags] = flagsAt;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  params[P.PadAt] = padAt;
  params[P.TabAt] = tabAt;
  const outputs = { data: y, groups: p.groups, planesPerGroup: m, plane: outPlane };
  runUnits(DIRECT_FORWARD_TASK, threads, ctx, params, x, p.batch, p.inChannels * inPlane, outputs);
  return true;
}

function forward(job: Job): void {
  const q = job.params, ctx = job.ctx;
  const p = planOf(q);
  const f = directForwardPlan(p, tuningOf(job));
  const { l, cinG, m, inPlane, outPlane, taps } = f;
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  const padAt = base + q[P.PadAt];
  const run = correlator(f.spec, f.special, base + q[P.TabAt], ctx, base);
  const ck = convKernel(ctx);
  const chunks = q[P.Chunks], ug = q[P.UnitGroups];
  let zeroed = false;
  for (let u = job.claim(); u < q[P.Units]; u = job.claim()) {
    const n = Math.floor(u / chunks), g0 = (u - n * chunks) * ug;
    const groups = Math.min(ug, p.groups - g0), planes = groups * m;
    job.ready(n + 1);
    let inAt = q[P.In] + (n * p.inChannels + g0 * cinG) * inPlane * 4;
    if (!l.direct) {
      // The padding is zeroed once and never written: staging writes only the planes' cells.
      if (!zeroed) ctx.floats().fill(0, padAt >> 2, (padAt >> 2) + ug * cinG * l.plane);
      zeroed = true;
      stagePlanes(p, l, inAt, padAt, groups * cinG, ctx);
      inAt = padAt;
    }
    const outAt = q[P.Out] + u * q[P.SlotBytes];
    run(planes, inAt, outAt, q[P.W] + g0 * m * taps * 4);
    if (q[P.Bias] >= 0) ck.addBias(outAt, outPlane * 4, planes, outPlane, q[P.Bias] + g0 * m * 4);
    finished(job, u);
  }
}

// ---------------------------------------------------------------------------------------------
// Input gradient.

/**
 * dx from dy and w on `threads` threads; false (nothing done) when it would not fit or a weight
 * is not finite (as ./direct_wasm.ts).
 */
export function directBackwardInputThreads(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
  threads: number,
): boolean {
  if (!finiteWeights(w)) return false;
  const t = directTuning();
  const d = directInputPlan(p, t);
  const { l, cinG, m, inPlane, outPlane, compact, yPlane, order } = d;
  const ug = unitGroups(p, d.G, threads, p.batch);
  const chunks = Math.ceil(p.groups / ug), units = p.batch * chunks;
  const wAt = 0;
  const dycAt = align(wAt + p.inChannels * order.length * 4);
  const slot = align(ug * cinG * inPlane * 4 + SLACK);
  const dxAt = align(dycAt + p.batch * p.outChannels * outPlane * 4 + SLACK);
  const flagsAt = dxAt + units * slot;
  const scratchAt = align(flagsAt + units * 4);
  const stageAt = align(DESCRIPTOR_BYTES);
  const padAt = align(stageAt + ug * m * yPlane * 4 + SLACK);
  const tabAt = padAt + (compact ? 0 : align(ug * cinG * l.plane * 4 + SLACK));
  const scratch = align(tabAt + tableBytes(d.spec, d.special, ug * cinG));
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv input gradient");
  listInputWeights(p, d, w, mem, wAt >> 2);
  const params = planParams(p, t);
  params[P.Units] = units;
  params[P.UnitGroups] = ug;
  params[P.Chunks] = chunks;
  params[P.W] = wAt;
  params[P.In] = dycAt;
  params[P.Out] = dxAt;
  params[P.SlotBytes] = slot;
  params[P.Flags] = flagsAt;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  params[P.StageAt] = stageAt;
  params[P.PadAt] = padAt;
  params[P.TabAt] = tabAt;
  const outputs = { data: dx, groups: p.groups, planesPerGroup: cinG, plane: inPlane };
  runUnits(DIRECT_INPUT_TASK, threads, ctx, params, dy, p.batch, p.outChannels * outPlane, outputs);
  return true;
}

function backwardInput(job: Job): void {
  const q = job.params, ctx = job.ctx;
  const p = planOf(q);
  const d = directInputPlan(p, tuningOf(job));
  const { l, cinG, m, outPlane, compact, yPlane, order } = d;
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  const stageAt = base + q[P.StageAt], padAt = base + q[P.PadAt];
  const run = correlator(d.spec, d.special, base + q[P.TabAt], ctx, base);
  const chunks = q[P.Chunks], ug = q[P.UnitGroups];
  let zeroed = false;
  for (let u = job.claim(); u < q[P.Units]; u = job.claim()) {
    const n = Math.floor(u / chunks), g0 = (u - n * chunks) * ug;
    const groups = Math.min(ug, p.groups - g0);
    job.ready(n + 1);
    // dY's zero borders are written once and never after: staging writes only its cells.
    if (!zeroed) ctx.floats().fill(0, stageAt >> 2, (stageAt >> 2) + ug * m * yPlane);
    zeroed = true;
    const from = q[P.In] + (n * p.outChannels + g0 * m) * outPlane * 4;
    stageGradient(p, d, from, stageAt, groups * m, ctx);
    const outAt = q[P.Out] + u * q[P.SlotBytes];
    run(groups * cinG, stageAt, compact ? outAt : padAt, q[P.W] + g0 * cinG * order.length * 4);
    if (!compact) unstagePlanes(p, l, outAt, padAt, groups * cinG, ctx);
    finished(job, u);
  }
}

// ---------------------------------------------------------------------------------------------
// Weight gradient.

/** dw from x and dy on `threads` threads; false (nothing done) when it would not fit. */
export function directBackwardWeightThreads(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  threads: number,
): boolean {
  const t = directTuning();
  const d = directWeightPlan(p, t);
  const { l, cinG, m, inPlane, outPlane } = d;
  // Every unit runs over the whole batch: split the groups alone.
  const ug = unitGroups(p, d.G, threads, 1);
  const units = Math.ceil(p.groups / ug);
  const kwAt = 0;
  const dwAt = align(kwAt + p.kW * 4);
  const xcAt = align(dwAt + dw.length * 4);
  const dycAt = align(xcAt + p.batch * p.inChannels * inPlane * 4 + SLACK);
  const scratchAt = align(dycAt + p.batch * p.outChannels * outPlane * 4 + SLACK);
  const padAt = align(DESCRIPTOR_BYTES);
  const scratch = padAt + (l.direct ? 0 : align(ug * cinG * l.plane * 4 + SLACK));
  const end = scratchAt + threads * scratch;
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "conv weight gradient");
  ctx.ints().set(d.kwTable, kwAt >> 2);
  mem.fill(0, dwAt >> 2, (dwAt >> 2) + dw.length);
  const params = planParams(p, t);
  params[P.Units] = units;
  params[P.UnitGroups] = ug;
  params[P.W] = dwAt;
  params[P.In] = xcAt;
  params[P.Dy] = dycAt;
  params[P.KwAt] = kwAt;
  params[P.Scratch] = scratchAt;
  params[P.ScratchBytes] = scratch;
  params[P.PadAt] = padAt;
  const xImage = p.inChannels * inPlane, yImage = p.outChannels * outPlane;
  const xSlab = ug * cinG * inPlane, ySlab = ug * m * outPlane;
  runParallel(DIRECT_WEIGHT_TASK, threads, params, t.relaxed, (publish) => {
    // Unit by unit (units are claimed in order): a unit is ready once its planes of every image,
    // input and output gradient, are in.
    for (let u = 0; u < units; u++) {
      const groups = Math.min(ug, p.groups - u * ug);
      const xCount = groups * cinG * inPlane, yCount = groups * m * outPlane;
      for (let n = 0; n < p.batch; n++) {
        const xFrom = n * xImage + u * xSlab, yFrom = n * yImage + u * ySlab;
        mem.set(x.subarray(xFrom, xFrom + xCount), (xcAt >> 2) + xFrom);
        mem.set(dy.subarray(yFrom, yFrom + yCount), (dycAt >> 2) + yFrom);
      }
      publish(u + 1);
    }
  });
  dw.set(ctx.floats().subarray(dwAt >> 2, (dwAt >> 2) + dw.length));
  return true;
}

function weight(job: Job): void {
  const q = job.params, ctx = job.ctx;
  const p = planOf(q);
  const d = directWeightPlan(p, tuningOf(job));
  const { l, cinG, m, inPlane, outPlane } = d;
  const kernel = directKernel(ctx, job.relaxed);
  const base = q[P.Scratch] + job.thread * q[P.ScratchBytes];
  const padAt = base + q[P.PadAt];
  const ug = q[P.UnitGroups];
  let zeroed = false;
  for (let u = job.claim(); u < q[P.Units]; u = job.claim()) {
    const g0 = u * ug, groups = Math.min(ug, p.groups - g0);
    const dwAt = q[P.W] + g0 * m * cinG * p.kH * p.kW * 4;
    job.ready(u + 1);
    // Image by image, as the single-thread path adds them into dW.
    for (let n = 0; n < p.batch; n++) {
      let xIn = q[P.In] + (n * p.inChannels + g0 * cinG) * inPlane * 4;
      if (!l.direct) {
        if (!zeroed) ctx.floats().fill(0, padAt >> 2, (padAt >> 2) + ug * cinG * l.plane);
        zeroed = true;
        stagePlanes(p, l, xIn, padAt, groups * cinG, ctx);
        xIn = padAt;
      }
      const dyAt = q[P.Dy] + (n * p.outChannels + g0 * m) * outPlane * 4;
      weightsOf(p, d, kernel, ctx, base, groups, xIn, dyAt, dwAt, q[P.KwAt]);
    }
  }
}

/** The forward's units: (image, chunk of groups). */
export const DIRECT_FORWARD_TASK: Task = { id: 9, name: "conv forward", run: forward };
/** The input gradient's units: (image, chunk of groups). */
export const DIRECT_INPUT_TASK: Task = { id: 10, name: "conv input gradient", run: backwardInput };
/** The weight gradient's units: ranges of groups over the whole batch. */
export const DIRECT_WEIGHT_TASK: Task = { id: 11, name: "conv weight gradient", run: weight };
