// Peak memory of a W3 forward + backward through the public API, in a fresh process so nothing
// else is resident: `deno run bench/_memory.ts [W3]` prints one JSON line. Baseline = resident
// set (Deno.memoryUsage().rss) after loading the code and warming the kernels up on a tiny
// problem; peak = the largest resident set sampled after each allocation and pass (the tensors
// stay alive to the end and the wasm memory only grows, so the last samples are the peak).
// The budget is 3 × the bytes of the pass's inputs (x, w, dy), output (y) and gradients (dx, dw).

import { conv, convBackward } from "../layers/conv.ts";
import { Tensor } from "../layers/tensor.ts";
import { memoryBytes } from "../layers/_wasm/engine.ts";
import { setThreads, startThreads, stopThreads } from "../layers/threads.ts";
import { convShapes, type ConvWorkload, randomData, WORKLOADS } from "./_workloads.ts";

/** The measured numbers, bytes. */
export interface MemoryReport {
  workload: string;
  /** Threads of the fast path. */
  threads: number;
  baselineRss: number;
  peakRss: number;
  /** peakRss − baselineRss: what the pass (inputs included) added at its peak. */
  peak: number;
  tensorBytes: number;
  budget: number;
  wasmMemory: number;
  ok: boolean;
}

let peakRss = 0;
function sample(): number {
  const rss = Deno.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  return rss;
}

function measure(w: ConvWorkload, threads: number): MemoryReport {
  const options = { stride: w.stride, padding: w.pad };
  // Warm-up: compile every kernel on a tiny problem.
  const tiny = new Tensor(randomData([1, w.cin, 6, 6], 1), [1, w.cin, 6, 6]);
  const tinyW = new Tensor(randomData([w.cout, w.cin, w.k, w.k], 2), [w.cout, w.cin, w.k, w.k]);
  const tinyY = conv(tiny, tinyW, options);
  convBackward(Tensor.full(tinyY.shape, 1), { input: tiny, weight: tinyW }, options);
  const baselineRss = sample();
  peakRss = 0;
  const shapes = convShapes(w);
  const x = new Tensor(randomData(shapes.x, 1), shapes.x);
  const weight = new Tensor(randomData(shapes.weight, 2), shapes.weight);
  const dy = new Tensor(randomData(shapes.y, 3), shapes.y);
  sample();
  const y = conv(x, weight, options);
  sample();
  const grads = convBackward(dy, { input: x, weight }, options);
  sample();
  const tensorBytes = [x, weight, dy, y, grads.input, grads.weight]
    .reduce((sum, t) => sum + t.data.byteLength, 0);
  const peak = peakRss - baselineRss;
  return {
    workload: w.name,
    threads,
    baselineRss,
    peakRss,
    peak,
    tensorBytes,
    budget: 3 * tensorBytes,
    wasmMemory: memoryBytes(),
    ok: peak <= 3 * tensorBytes,
  };
}

if (import.meta.main) {
  const name = Deno.args[0] ?? "W3";
  const w = WORKLOADS.find((x) => x.name === name);
  if (w === undefined || w.kind !== "conv") throw new Error(`no convolution workload ${name}`);
  const threads = Number(Deno.args[1] ?? 1);
  setThreads(threads);
  await startThreads();
  console.log(JSON.stringify(measure(w, threads)));
  stopThreads();
}
