/**
 * `deno task bench`: the convolution and pooling workloads of the issue "A fast path that is
 * actually fast" (W1–W4 forward, input gradient, weight gradient; W5 max pool forward and
 * backward), a LeNet-5 training step and the depthwise W6 / W6s2 (compared per FLOP with W3),
 * for our fast path (WebAssembly SIMD) on one thread and on N (`--threads`, default
 * navigator.hardwareConcurrency), the fast path on the TypeScript backend, our reference path,
 * and in the same run the peers: PyTorch (Debian's /usr/bin/python3 with torch, when installed:
 * bench/torch_bench.py) and onnxruntime-node (forward) at 1 and N threads, tfjs-backend-wasm and
 * tfjs-backend-cpu 4.22 on one.
 *
 * Each cell is the median of at least 10 timed runs after warm-up (fewer for slow cells, marked
 * n=…), in GFLOP/s (FLOPs = 2·N·Cout·Hout·Wout·Cin·k² per pass; a LeNet step counts 3× its
 * forward) or, for pooling, GB/s-equivalent = input bytes / time. Every result is compared with
 * our one-thread fast path's (✓/✗: max abs error within 8·2⁻²³·√L·max|expected| for reduction
 * length L; exact for pooling and for our fast path on N threads, which must give the same
 * bits). Then the peak memory of a W3 forward + backward (in a child process, on 1 and N
 * threads) and the issues' targets.
 *
 *   deno task bench                     everything
 *   deno task bench --only W3,W5        some workloads
 *   deno task bench --json report.json  also write a machine-readable report
 *   deno task bench --no-tfjs --no-ort --no-torch   our paths only
 *   deno task bench --threads 2         the "N threads" cells on 2 threads
 *
 * Options: --budget S (seconds a slow cell may take, default 4), --slow-budget S (tfjs-cpu's
 * weight gradient, run once on one image, default 30), --reference small|all|none (default
 * small: W1, W2, W5, LeNet, W6, W6s2), --no-ts (skip the TypeScript-backend column), --no-memory.
 *
 * @module
 */

import type { MemoryReport } from "../bench/_memory.ts";
import { table, targetList, targets, threadsTable } from "../bench/_report.ts";
import {
  defaultThreads,
  MAX_FAST_THREADS,
  setThreads,
  startThreads,
  stopThreads,
} from "../layers/threads.ts";
import { environment, loadPeers, type Row, type RunOptions, runWorkload } from "../bench/_run.ts";
import { WORKLOADS } from "../bench/_workloads.ts";

const USAGE = `Usage: deno task bench [options]

  --only W1,W5        run only these workloads (W1-W6, W6s2, LeNet-5)
  --json [FILE]       also write a machine-readable report (default bench.json)
  --budget S          seconds a slow cell may take (default 4)
  --slow-budget S     tfjs-cpu's weight gradient, one run on one image (default 30)
  --reference MODE    small (W1, W2, W5, W6, LeNet) | all | none (default small)
  --threads N         threads of the "N threads" cells (ours, PyTorch, ORT; default ${defaultThreads()};
                      1 leaves them out)
  --python PATH       Python with torch for the PyTorch cells (default /usr/bin/python3)
  --no-ts             skip the fast path on the TypeScript GEMM
  --no-tfjs, --no-ort, --no-torch   skip those peers
  --no-memory         skip the W3 peak-memory measurement
  --quiet             no progress lines`;

interface Args extends RunOptions {
  only?: string[];
  json?: string;
  memory: boolean;
}

function threadCount(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_FAST_THREADS) {
    throw new Error(`--threads must be an integer from 1 to ${MAX_FAST_THREADS}, got ${text}`);
  }
  return n;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    budget: 4,
    slowBudget: 30,
    reference: "small",
    ts: true,
    tfjs: true,
    ort: true,
    threads: defaultThreads(),
    python: "/usr/bin/python3",
    memory: true,
    log: (line) => console.error(`  … ${line}`),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--only") args.only = value().split(",").map((s) => s.trim());
    else if (arg === "--json") {
      args.json = argv[i + 1] && !argv[i + 1].startsWith("--") ? value() : "bench.json";
    } else if (arg === "--budget") args.budget = Number(value());
    else if (arg === "--slow-budget") args.slowBudget = Number(value());
    else if (arg === "--reference") {
      const v = value();
      if (v !== "small" && v !== "all" && v !== "none") throw new Error(`--reference ${v}?`);
      args.reference = v;
    } else if (arg === "--no-ts") args.ts = false;
    else if (arg === "--no-tfjs") args.tfjs = false;
    else if (arg === "--no-ort") args.ort = false;
    else if (arg === "--no-torch") args.python = undefined;
    else if (arg === "--python") args.python = value();
    else if (arg === "--threads") args.threads = threadCount(value());
    else if (arg === "--no-memory") args.memory = false;
    else if (arg === "--quiet") args.log = () => {};
    else if (arg === "--help") {
      console.log(USAGE);
      Deno.exit(0);
    } else throw new Error(`unknown option ${arg} (see --help)`);
  }
  if (!(args.budget > 0) || !(args.slowBudget > 0)) throw new Error("budgets must be positive");
  return args;
}

async function measureMemory(
  workload: string,
  threads: number,
): Promise<MemoryReport | undefined> {
  const script = new URL("../bench/_memory.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-read", script.href, workload, String(threads)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    console.error(new TextDecoder().decode(output.stderr));
    return undefined;
  }
  return JSON.parse(new TextDecoder().decode(output.stdout)) as MemoryReport;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(Deno.args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(2);
  }
  const workloads = WORKLOADS.filter((w) => !args.only || args.only.includes(w.name));
  const peers = await loadPeers(args);
  // Time working threads: start the workers (they load their modules) before the first cell.
  setThreads(args.threads);
  const ready = await startThreads();
  if (ready < args.threads) args.log(`only ${ready} of ${args.threads} threads started`);
  const env = { ...environment(peers), threads: `${args.threads} (${ready} ready)` };
  console.log("## Benchmark\n");
  for (const [key, value] of Object.entries(env)) console.log(`- ${key}: ${value}`);
  const rows: Row[] = [];
  try {
    for (const w of workloads) rows.push(...await runWorkload(w, peers, args));
  } finally {
    await peers.torch?.close();
    stopThreads();
  }
  const memories: MemoryReport[] = [];
  if (args.memory && workloads.some((w) => w.name === "W3")) {
    for (const threads of args.threads > 1 ? [1, args.threads] : [1]) {
      args.log(`W3 peak memory (child process, ${threads} thread${threads === 1 ? "" : "s"})`);
      const m = await measureMemory("W3", threads);
      if (m) memories.push(m);
    }
  }
  let endLoad = "n/a";
  try {
    endLoad = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch { /* needs --allow-sys */ }
  console.log(`- load average at end: ${endLoad}\n`);
  console.log("### Threads, PyTorch and ONNX Runtime at equal thread counts\n");
  console.log(threadsTable(rows));
  console.log("\n### One thread: our paths and the JavaScript peers\n");
  console.log(table(rows));
  console.log(
    "\nCells: rate (median time; n=runs when fewer than 10) and ✓/✗ agreement with ours fast " +
      "on one thread (exact for ours on N threads).\n" +
      "GFLOP/s: 2·N·Cout·Hout·Wout·Cin·k² per pass (LeNet step: 3× its forward FLOPs); " +
      "GB/s: input bytes / time. Ratios: rate ÷ rate (above 1× ours is faster).\n",
  );
  for (const m of memories) {
    console.log(
      `- W3 peak memory, ${m.threads} thread${m.threads === 1 ? "" : "s"}: ` +
        `${(m.peak / 2 ** 20).toFixed(1)} MiB (${
          (m.peak / m.tensorBytes).toFixed(2)
        }× the tensors)`,
    );
  }
  const memory = memories.reduce<MemoryReport | undefined>(
    (worst, m) => (worst === undefined || m.peak > worst.peak ? m : worst),
    undefined,
  );
  const list = targets(rows, memory);
  console.log("### Targets\n");
  console.log(targetList(list));
  if (args.json) {
    const report = {
      environment: { ...env, "load average at end": endLoad },
      rows,
      memory: memories,
      targets: list,
    };
    await Deno.writeTextFile(args.json, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nwrote ${args.json}`);
  }
}

if (import.meta.main) await main();
