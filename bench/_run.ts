// The bench runner: for each workload and pass, times our paths and the peers, checks each
// result against our fast path's, and collects rows for the report (./_report.ts). Our fast path
// runs on one thread ("fast") and on N ("fast-mt", which must give the same bits), PyTorch and
// ONNX Runtime at 1 and N threads too, all in the same run.

import { wasmGemmAvailable, wasmGemmVariant } from "../layers/_wasm/gemm_wasm.ts";
import { withThreads } from "../layers/threads.ts";
import type { TorchPeer, TorchTimings } from "./_torch.ts";
import { agree, type Agreement, measure, measurePair, type Timing } from "./_timing.ts";
import {
  type Cell,
  type ConvData,
  ourConv,
  type OurImpl,
  ourPool,
  selectBackend,
} from "./_ours.ts";
import { lenetStepFlops, ourLeNet, tfjsLeNet } from "./_lenet.ts";
import {
  convFlops,
  convReduction,
  convShapes,
  type ConvWorkload,
  type LeNetWorkload,
  outSize,
  type PoolWorkload,
  randomData,
  type Workload,
} from "./_workloads.ts";

/** Implementations that can appear in a row, in column order. */
export const IMPLS = [
  "fast",
  "fast-mt",
  "fast-ts",
  "reference",
  "tfjs-wasm",
  "tfjs-cpu",
  "ort",
  "ort-mt",
  "torch-1t",
  "torch-mt",
] as const;
export type ImplName = typeof IMPLS[number];

/** One measured cell of a row. */
export interface Measured {
  timing: Timing;
  /** GFLOP/s for convolutions and the LeNet step, GB/s-equivalent for pooling. */
  rate: number;
  /** Agreement with our fast path (absent for the fast path itself; exact for fast-mt). */
  agreement?: Agreement;
  /** Threads the cell ran on, where it is not one. */
  threads?: number;
  /**
   * On "fast-mt": the median per-pair ratio time(1 thread) / time(N threads) of the two cells
   * timed in alternation (bench/_timing.ts measurePair), the speed-up the report prints.
   */
  speedup?: number;
}

/** A row: one workload and pass. */
export interface Row {
  workload: string;
  pass: string;
  /** "GFLOP/s" or "GB/s". */
  unit: string;
  /** Work per run: FLOPs, or input bytes for pooling. */
  work: number;
  cells: Partial<Record<ImplName, Measured | string>>;
}

/** What to run. */
export interface RunOptions {
  /** Seconds a capped (slow) cell may take. */
  budget: number;
  /** Seconds to give tfjs-cpu's weight gradient (run in a worker on one image). */
  slowBudget: number;
  /** Our reference path: on the small workloads only, on all, or not at all. */
  reference: "small" | "all" | "none";
  /** Run the fast path with the TypeScript backend too. */
  ts: boolean;
  tfjs: boolean;
  ort: boolean;
  /** Threads of the "-mt" cells (ours, ONNX Runtime, PyTorch); 1 leaves them out. */
  threads: number;
  /** Run PyTorch (bench/torch_bench.py) with this Python, or not at all (undefined). */
  python?: string;
  /** Progress lines go here. */
  log: (line: string) => void;
}

type Tfjs = typeof import("./_tfjs.ts");
type Ort = typeof import("./_ort.ts");

/** Peers, loaded lazily so a bench without them needs no npm packages. */
export interface Peers {
  tfjs?: Tfjs;
  tfjsBackends: string[];
  ort?: Ort;
  torch?: TorchPeer;
}

/** Loads the peers that are asked for and initialise. */
export async function loadPeers(options: RunOptions): Promise<Peers> {
  const peers: Peers = { tfjsBackends: [] };
  if (options.tfjs) {
    try {
      peers.tfjs = await import("./_tfjs.ts");
      peers.tfjsBackends = await peers.tfjs.initTfjs();
    } catch (error) {
      options.log(`tfjs unavailable: ${(error as Error).message}`);
    }
  }
  if (options.ort) {
    try {
      peers.ort = await import("./_ort.ts");
    } catch (error) {
      options.log(`onnxruntime-node unavailable: ${(error as Error).message}`);
    }
  }
  if (options.python !== undefined) {
    const { startTorch } = await import("./_torch.ts");
    const torch = await startTorch(options.python);
    if (typeof torch === "string") options.log(`PyTorch unavailable: ${torch}`);
    else peers.torch = torch;
  }
  return peers;
}

/** Environment facts for the report header. */
export function environment(peers: Peers): Record<string, string> {
  let cpu = "unknown";
  try {
    // /proc/cpuinfo needs --allow-all in Deno 2; lscpu (util-linux) reads it for us.
    const out = new Deno.Command("lscpu", { stdout: "piped", stderr: "null" }).outputSync();
    const text = new TextDecoder().decode(out.stdout);
    const field = (name: string) => text.match(new RegExp(`^${name}:\\s*(.+)$`, "m"))?.[1].trim();
    const caches = ["L1d", "L2", "L3"].map((c) => `${c} ${field(`${c} cache`) ?? "?"}`);
    cpu = `${field("Model name") ?? "unknown"}, ${field("CPU\\(s\\)") ?? "?"} CPUs` +
      `${field("Hypervisor vendor") ? ` (${field("Hypervisor vendor")} guest)` : ""}; ` +
      caches.join(", ");
  } catch { /* no lscpu, or no --allow-run */ }
  let load = "n/a";
  try {
    load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch { /* needs --allow-sys */ }
  return {
    date: new Date().toISOString(),
    cpu,
    cores: String(navigator.hardwareConcurrency),
    os: `${Deno.build.os} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    wasm: wasmGemmAvailable() ? wasmGemmVariant() : "none",
    tfjs: peers.tfjs ? `${peers.tfjs.TFJS_VERSION} (${peers.tfjsBackends.join(", ")})` : "-",
    ort: peers.ort ? peers.ort.ORT_VERSION : "-",
    torch: peers.torch ? `${peers.torch.version} (Debian python3-torch)` : "-",
    "load average (1, 5, 15 min) at start": load,
  };
}

function ratePer(work: number, ms: number): number {
  return work / (ms / 1000) / 1e9;
}

async function timeCell(
  cell: Cell,
  work: number,
  budget: number,
  expected: Float32Array | undefined,
  reduction: number,
  threads = 1,
): Promise<Measured> {
  // Pinned even at 1: the task sets the library's global setting to N (to start the workers), so
  // a bare call would run on N threads and the "1 thread" column would measure N.
  const run = () => withThreads(threads, cell.run);
  const timing = await measure(run, { budget });
  const measured: Measured = { timing, rate: ratePer(work, timing.ms) };
  if (threads !== 1) measured.threads = threads;
  if (expected !== undefined) {
    const result = await withThreads(threads, cell.result);
    measured.agreement = agree(result, expected, reduction);
  }
  return measured;
}

/**
 * Our fast path on one thread and on N, timed in alternation so that the speed-up is a paired
 * ratio; the N-thread result must have the same bits as the one-thread one (exact agreement).
 */
async function timeOneAndMany(
  cell: Cell,
  work: number,
  options: RunOptions,
  expected: Float32Array,
): Promise<{ one: Measured; many: Measured }> {
  const n = options.threads;
  const paired = await measurePair(
    () => withThreads(1, cell.run),
    () => withThreads(n, cell.run),
    { budget: options.budget },
  );
  const one: Measured = { timing: paired.a, rate: ratePer(work, paired.a.ms) };
  const many: Measured = {
    timing: paired.b,
    rate: ratePer(work, paired.b.ms),
    threads: n,
    speedup: paired.ratio,
    agreement: agree(await withThreads(n, cell.result), expected, 0),
  };
  return { one, many };
}

/**
 * Times our `impl` on one pass into `target.row`: the fast path on one and N threads in alternation
 * when N > 1 (and its one-thread result becomes `target.expected[pass]`), else one cell, checked
 * against the fast path's result unless it is the fast path.
 */
async function timeOurs(
  label: string,
  impl: OurImpl,
  cell: Cell,
  work: number,
  reduction: number,
  options: RunOptions,
  target: { expected: Record<string, Float32Array>; pass: string; row: Row },
): Promise<void> {
  const { expected, pass, row } = target;
  options.log(`${label} ours ${impl}`);
  if (impl === "fast") expected[pass] = await withThreads(1, cell.result) as Float32Array;
  if (impl === "fast" && options.threads > 1) {
    options.log(`${label} ours fast, 1 and ${options.threads} threads`);
    const { one, many } = await timeOneAndMany(cell, work, options, expected[pass]);
    row.cells.fast = one;
    row.cells["fast-mt"] = many;
    return;
  }
  const check = impl === "fast" ? undefined : expected[pass];
  row.cells[impl] = await timeCell(cell, work, options.budget, check, reduction);
}

/** PyTorch's cells of one workload: "torch-1t" and "torch-mt" per pass, agreement at 1 thread. */
async function torchCells(
  peers: Peers,
  w: Workload,
  inputs: Record<string, Float32Array | Int32Array>,
  rows: Row[],
  work: number,
  options: RunOptions,
  expected: Record<string, Float32Array>,
  reduction: (pass: string) => number,
): Promise<void> {
  if (!peers.torch) return;
  options.log(`${w.name} PyTorch at ${threadList(options).join(" and ")} threads`);
  let timings: TorchTimings, results: Record<string, Float32Array>;
  try {
    ({ timings, results } = await peers.torch.run(w, inputs, threadList(options), options.budget));
  } catch (error) {
    options.log(`${w.name} PyTorch: ${(error as Error).message}`);
    return;
  }
  for (const row of rows) {
    const passTimings = timings[row.pass];
    if (passTimings === undefined) continue;
    for (const threads of threadList(options)) {
      const timing = passTimings[String(threads)];
      if (timing === undefined) continue;
      const cell: Measured = { timing, rate: ratePer(work, timing.ms) };
      if (threads === 1 && results[row.pass] && expected[row.pass]) {
        cell.agreement = agree(results[row.pass], expected[row.pass], reduction(row.pass));
      }
      if (threads !== 1) cell.threads = threads;
      row.cells[threads === 1 ? "torch-1t" : "torch-mt"] = cell;
    }
  }
}

function threadList(options: RunOptions): number[] {
  return options.threads > 1 ? [1, options.threads] : [1];
}

/** Runs one workload; returns its rows. */
export async function runWorkload(w: Workload, peers: Peers, options: RunOptions): Promise<Row[]> {
  if (w.kind === "conv") return await runConv(w, peers, options);
  if (w.kind === "pool") return await runPool(w, peers, options);
  return [await runLeNet(w, peers, options)];
}

function ourImpls(options: RunOptions, small: boolean): OurImpl[] {
  const impls: OurImpl[] = ["fast"];
  if (options.ts) impls.push("fast-ts");
  if (options.reference === "all" || (options.reference === "small" && small)) {
    impls.push("reference");
  }
  return impls;
}

async function runConv(w: ConvWorkload, peers: Peers, options: RunOptions): Promise<Row[]> {
  const shapes = convShapes(w);
  const data: ConvData = {
    x: randomData(shapes.x, 1),
    weight: randomData(shapes.weight, 2),
    dy: randomData(shapes.y, 3),
  };
  const flops = convFlops(w);
  const passes = ["fwd", "dX", "dW"] as const;
  const rows: Row[] = passes.map((pass) => ({
    workload: w.name,
    pass,
    unit: "GFLOP/s",
    work: flops,
    cells: {},
  }));
  const small = flops < 2e8;
  const expected: Record<string, Float32Array> = {};
  for (const impl of ourImpls(options, small)) {
    selectBackend(impl);
    const cells = ourConv(w, data, impl);
    for (const [i, pass] of passes.entries()) {
      const reduction = convReduction(w, pass);
      await timeOurs(`${w.name} ${pass}`, impl, cells[pass], flops, reduction, options, {
        expected,
        pass,
        row: rows[i],
      });
    }
  }
  selectBackend("fast");
  await torchCells(
    peers,
    w,
    { x: data.x, weight: data.weight, dy: data.dy },
    rows,
    flops,
    options,
    expected,
    (pass) => convReduction(w, pass as "fwd" | "dX" | "dW"),
  );
  if (peers.tfjs) {
    for (const backend of ["tfjs-wasm", "tfjs-cpu"] as const) {
      if (!peers.tfjsBackends.includes(backend)) continue;
      await peers.tfjs.useBackend(backend);
      const { cells, dispose } = peers.tfjs.tfjsConv(w, data);
      for (const [i, pass] of passes.entries()) {
        if (backend === "tfjs-cpu" && pass === "dW" && (w.groups ?? 1) === 1) {
          rows[i].cells[backend] = await tfjsCpuWeightGradient(w, data, options);
          continue;
        }
        const cell = cells[pass];
        if (cell === undefined) {
          rows[i].cells[backend] = "none";
          continue;
        }
        options.log(`${w.name} ${pass} ${backend}`);
        rows[i].cells[backend] = await timeCell(
          cell,
          flops,
          options.budget,
          expected[pass],
          convReduction(w, pass),
        );
      }
      dispose();
    }
  }
  if (peers.ort) {
    for (const threads of threadList(options)) {
      options.log(`${w.name} fwd ort, ${threads} thread${threads === 1 ? "" : "s"}`);
      const cell = await peers.ort.ortConv(w, data, threads);
      const measured = await timeCell(
        cell,
        flops,
        options.budget,
        expected.fwd,
        convReduction(w, "fwd"),
      );
      if (threads !== 1) measured.threads = threads;
      const name = threads === 1 ? "ort" : "ort-mt";
      rows[0].cells[name] = measured;
      rows[1].cells[name] = rows[2].cells[name] = "-";
    }
  }
  return rows;
}

/**
 * tfjs-cpu's Conv2DBackpropFilter runs at about 0.01 GFLOP/s: it is timed once, on the first
 * image of the batch, in a worker that is stopped after `slowBudget` seconds.
 */
async function tfjsCpuWeightGradient(
  w: ConvWorkload,
  data: ConvData,
  options: RunOptions,
): Promise<Measured | string> {
  options.log(`${w.name} dW tfjs-cpu (1 image, 1 run, ≤ ${options.slowBudget} s)`);
  const one: ConvWorkload = { ...w, n: 1 };
  const shapes = convShapes(one);
  const x = data.x.slice(0, shapes.x.reduce((a, b) => a * b, 1));
  const dy = data.dy.slice(0, shapes.y.reduce((a, b) => a * b, 1));
  const worker = new Worker(new URL("./_tfjs_dw_worker.ts", import.meta.url).href, {
    type: "module",
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const reply = await new Promise<{ ms: number; dw: Float32Array } | undefined>(
      (resolve, reject) => {
        timer = setTimeout(() => resolve(undefined), options.slowBudget * 1000);
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage({ x, dy, workload: one });
      },
    );
    if (reply === undefined) {
      const bound = ratePer(convFlops(one), options.slowBudget * 1000);
      return `> ${options.slowBudget} s for 1 image (< ${bound.toFixed(3)})`;
    }
    selectBackend("fast");
    const ours = ourConv(one, { x, weight: data.weight, dy }, "fast").dW.result() as Float32Array;
    return {
      timing: {
        ms: reply.ms * w.n,
        minMs: reply.ms * w.n,
        runs: 1,
        capped: true,
        note: `1 of ${w.n} images, ×${w.n}`,
      },
      rate: ratePer(convFlops(one), reply.ms),
      agreement: agree(reply.dw, ours, convReduction(one, "dW")),
    };
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}

async function runPool(w: PoolWorkload, peers: Peers, options: RunOptions): Promise<Row[]> {
  const [ho, wo] = outSize(w);
  const inShape = [w.n, w.c, w.h, w.w], outShape = [w.n, w.c, ho, wo];
  const x = randomData(inShape, 4);
  const dy = randomData(outShape, 5);
  // GB/s-equivalent: input bytes / time, for both passes.
  const bytes = x.byteLength;
  const rows: Row[] = ["fwd", "bwd"].map((pass) => ({
    workload: w.name,
    pass,
    unit: "GB/s",
    work: bytes,
    cells: {},
  }));
  const expected: Record<string, Float32Array> = {};
  for (const impl of ourImpls(options, true)) {
    selectBackend(impl);
    const cells = ourPool(w, x, dy, outShape, impl);
    for (const [i, pass] of ["fwd", "bwd"].entries()) {
      await timeOurs(`${w.name} ${pass}`, impl, cells[pass], bytes, 0, options, {
        expected,
        pass,
        row: rows[i],
      });
    }
  }
  selectBackend("fast");
  await torchCells(peers, w, { x, dy }, rows, bytes, options, expected, () => 0);
  if (peers.tfjs) {
    for (const backend of ["tfjs-wasm", "tfjs-cpu"] as const) {
      if (!peers.tfjsBackends.includes(backend)) continue;
      await peers.tfjs.useBackend(backend);
      const { cells, dispose } = peers.tfjs.tfjsPool(w, x, dy, outShape);
      for (const [i, pass] of ["fwd", "bwd"].entries()) {
        const cell = cells[pass];
        if (cell === undefined) {
          rows[i].cells[backend] = "none";
          continue;
        }
        options.log(`${w.name} ${pass} ${backend}`);
        rows[i].cells[backend] = await timeCell(cell, bytes, options.budget, expected[pass], 0);
      }
      dispose();
    }
  }
  if (peers.ort) {
    for (const threads of threadList(options)) {
      options.log(`${w.name} fwd ort, ${threads} thread${threads === 1 ? "" : "s"}`);
      const cell = await peers.ort.ortPool(w, x, outShape, threads);
      const measured = await timeCell(cell, bytes, options.budget, expected.fwd, 0);
      if (threads !== 1) measured.threads = threads;
      rows[0].cells[threads === 1 ? "ort" : "ort-mt"] = measured;
      rows[1].cells[threads === 1 ? "ort" : "ort-mt"] = "-";
    }
  }
  return rows;
}

async function runLeNet(w: LeNetWorkload, peers: Peers, options: RunOptions): Promise<Row> {
  const x = randomData([w.batch, 1, 28, 28], 6);
  const labels = Array.from(randomData([w.batch], 7), (v) => Math.floor((v + 1) * 5) % 10);
  const data = { x, labels, batch: w.batch };
  const flops = lenetStepFlops(w.batch);
  const row: Row = { workload: w.name, pass: "step", unit: "GFLOP/s", work: flops, cells: {} };
  let expected: Float32Array[] = [];
  let initial: ReturnType<typeof ourLeNet>["params"] = [];
  for (const impl of ourImpls(options, true)) {
    selectBackend(impl);
    const net = ourLeNet(data, impl);
    const grads = withThreads(1, net.gradients);
    if (impl === "fast") {
      expected = grads;
      // Fresh copies of the initial weights for the peers (the timed steps update them).
      initial = ourLeNet(data, impl).params;
    }
    if (impl === "fast" && options.threads > 1) {
      options.log(`${w.name} step ours fast, 1 and ${options.threads} threads`);
      const threaded = ourLeNet(data, impl);
      // The same bits: compare the first gradients exactly.
      const same = agreeAll(withThreads(options.threads, threaded.gradients), expected, 0);
      const paired = await measurePair(
        () => withThreads(1, net.step),
        () => withThreads(options.threads, threaded.step),
        { budget: options.budget },
      );
      row.cells.fast = { timing: paired.a, rate: ratePer(flops, paired.a.ms) };
      row.cells["fast-mt"] = {
        timing: paired.b,
        rate: ratePer(flops, paired.b.ms),
        threads: options.threads,
        speedup: paired.ratio,
        agreement: same,
      };
      continue;
    }
    options.log(`${w.name} step ours ${impl}`);
    const timing = await measure(() => withThreads(1, net.step), { budget: options.budget });
    const measured: Measured = { timing, rate: ratePer(flops, timing.ms) };
    if (impl !== "fast") measured.agreement = agreeAll(grads, expected, w.batch);
    row.cells[impl] = measured;
  }
  selectBackend("fast");
  const labels32 = Int32Array.from(labels);
  await torchCells(peers, w, { x, labels: labels32 }, [row], flops, options, {}, () => 0);
  if (peers.tfjs) {
    for (const backend of ["tfjs-wasm", "tfjs-cpu"] as const) {
      if (!peers.tfjsBackends.includes(backend)) continue;
      await peers.tfjs.useBackend(backend);
      if (
        peers.tfjs.tf.getKernel("Conv2DBackpropFilter", peers.tfjs.tf.getBackend()) === undefined
      ) {
        row.cells[backend] = "none";
        continue;
      }
      options.log(`${w.name} step ${backend}`);
      const net = tfjsLeNet(peers.tfjs.tf, data, initial);
      const agreement = agreeAll(net.gradients(), expected, w.batch);
      const timing = await measure(net.step, { budget: options.budget });
      row.cells[backend] = { timing, rate: ratePer(flops, timing.ms), agreement };
      net.dispose();
    }
  }
  row.cells.ort = "-";
  return row;
}

/**
 * Agreement of every parameter gradient: the first that fails, else the one closest to its
 * tolerance. Each gradient sums over the batch and at most 24² positions (conv1's weight).
 */
function agreeAll(actual: Float32Array[], expected: Float32Array[], batch: number): Agreement {
  let worst: Agreement = { ok: true, maxAbsError: 0, tolerance: 1 };
  for (let i = 0; i < expected.length; i++) {
    // batch 0: exact equality (the threaded step must give the same bits).
    const a = agree(actual[i], expected[i], batch * 576);
    if (!a.ok) return a;
    if (a.maxAbsError / a.tolerance > worst.maxAbsError / worst.tolerance) worst = a;
  }
  return worst;
}
