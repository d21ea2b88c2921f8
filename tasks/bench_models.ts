/**
 * `deno task bench:models`: whole torchvision networks — resnet18 and mobilenet_v2 (random init,
 * eval mode, exported by `bench/torch_models_bench.py`) — forward and forward+backward at batch 1
 * and 8 on 3×64×64 and 3×224×224 images, for our executor (fast path on 1 and N threads; the
 * reference path where it finishes within the budget) against ONNX Runtime's forward and
 * PyTorch's forward and forward+backward at 1 and N threads, all in the same run. Needs Debian's
 * python3-torch and python3-torchvision (it exports the models and times PyTorch).
 *
 *   deno task bench:models [--threads N] [--budget S] [--only resnet18] [--json FILE]
 *
 * Forward+backward is `run` then `backward` with an all-ones upstream gradient: the input's and
 * every parameter's gradient (PyTorch: `y.backward(ones)` with the input and the parameters
 * requiring gradients). Each cell is the median of at least 10 timed runs after warm-up, or of as
 * many as fit the budget (n=…). Our fast path's forward is checked against ONNX Runtime's output
 * (max abs error ≤ 1e-3 of the output's scale, printed).
 *
 * @module
 */

import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { measure, type Timing } from "../bench/_timing.ts";
import { defaultThreads, stopThreads } from "../layers/threads.ts";
import { GraphExecutor } from "../onnx/executor.ts";
import { readModelFile } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { Random } from "../layers/random.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = new URL("../bench/torch_models_bench.py", import.meta.url).pathname;
const SHAPES = [[1, 64], [8, 64], [1, 224], [8, 224]] as const;

interface Row {
  arch: string;
  batch: number;
  size: number;
  pass: "fwd" | "fwd+bwd";
  cells: Record<string, Timing | null>;
  agreement?: string;
}

async function python(args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(PYTHON, {
    args: [SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { OMP_NUM_THREADS: args[4] ?? "1" },
  }).output();
  const err = new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`torch_models_bench.py ${args[0]} failed: ${err.slice(-600)}`);
  return new TextDecoder().decode(stdout).trim().split("\n").at(-1)!;
}

function input(n: number, size: number): OnnxTensor {
  const random = new Random(7);
  const data = new Float32Array(n * 3 * size * size);
  for (let i = 0; i < data.length; i++) data[i] = random.uniform();
  return new OnnxTensor(data, [n, 3, size, size], { name: "input" });
}

function fmt(t: Timing | null | undefined): string {
  if (t === undefined) return "";
  if (t === null) return "-";
  return `${t.ms < 100 ? t.ms.toFixed(1) : Math.round(t.ms)}${t.capped ? ` (n=${t.runs})` : ""}`;
}

function ratio(a: Timing | null | undefined, b: Timing | null | undefined): string {
  return a && b ? `${(a.ms / b.ms).toFixed(2)}` : "";
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      threads: { type: "string", default: String(defaultThreads()) },
      budget: { type: "string", default: "20" },
      only: { type: "string" },
      json: { type: "string" },
    },
    strict: true,
  });
  const threads = Number(values.threads), budget = Number(values.budget);
  if (!Number.isInteger(threads) || threads < 1 || !(budget > 0)) {
    console.error("bench:models: --threads must be a positive integer, --budget positive");
    return 2;
  }
  const dir = await Deno.makeTempDir({ prefix: "bench_models_" });
  let files: Record<string, string>;
  try {
    files = JSON.parse(await python(["export", dir]));
  } catch (error) {
    console.error(`bench:models needs ${PYTHON} with torch and torchvision: ${error}`);
    return 2;
  }
  const archs = Object.keys(files).filter((a) => !values.only || values.only.includes(a));
  const rows: Row[] = [];
  // The thread counts of the columns: 1 and N, or 1 alone (`--threads 1` ran nothing before).
  const counts = threads === 1 ? [1] : [1, threads];
  for (const arch of archs) {
    const model = await readModelFile(files[arch]);
    const bytes = await Deno.readFile(files[arch]);
    for (const [n, size] of SHAPES) {
      const x = input(n, size);
      const log = (what: string) => console.error(`${arch} ${n}×3×${size}×${size} ${what}`);
      const fwd: Row = { arch, batch: n, size, pass: "fwd", cells: {} };
      const both: Row = { arch, batch: n, size, pass: "fwd+bwd", cells: {} };
      // Ours.
      let ours: Float32Array | undefined;
      for (const t of counts) {
        const key = t === 1 ? "fast-1t" : `fast-${t}t`;
        const ex = new GraphExecutor(model, { impl: "fast", threads: t });
        log(`ours ${key}`);
        fwd.cells[key] = await measure(() => ex.run([x]), { budget });
        ours ??= ex.run([x])[0].data as Float32Array;
        const ones = new OnnxTensor(new Float32Array(n * 1000).fill(1), [n, 1000]);
        both.cells[key] = await measure(() => {
          ex.run([x]);
          ex.backward([ones]);
        }, { budget });
      }
      if (n === 1 && size === 64) {
        const ex = new GraphExecutor(model, { impl: "reference" });
        log("ours reference");
        fwd.cells.reference = await measure(() => ex.run([x]), { budget });
        const ones = new OnnxTensor(new Float32Array(1000).fill(1), [1, 1000]);
        both.cells.reference = await measure(() => {
          ex.run([x]);
          ex.backward([ones]);
        }, { budget });
      } else fwd.cells.reference = both.cells.reference = null;
      // ONNX Runtime (forward).
      for (const t of counts) {
        const session = await ort.InferenceSession.create(bytes, {
          intraOpNumThreads: t,
          interOpNumThreads: 1,
          executionMode: "sequential",
          graphOptimizationLevel: "all",
          logSeverityLevel: 4,
        });
        const feeds = { input: new ort.Tensor("float32", x.data as Float32Array, x.dims) };
        log(`ORT ${t}t`);
        fwd.cells[`ort-${t}t`] = await measure(() => session.run(feeds), { budget });
        if (t === 1 && ours) {
          const theirs = (await session.run(feeds)).output.data as Float32Array;
          let err = 0, scale = 0;
          for (let i = 0; i < ours.length; i++) {
            err = Math.max(err, Math.abs(ours[i] - theirs[i]));
            scale = Math.max(scale, Math.abs(theirs[i]));
          }
          fwd.agreement = `${err <= 1e-3 * scale ? "✓" : "✗"} ${err.toExponential(1)} of ` +
            `${scale.toPrecision(2)}`;
        }
        await session.release();
      }
      // PyTorch.
      for (const t of counts) {
        log(`PyTorch ${t}t`);
        const r = JSON.parse(await python(["time", arch, `${n}`, `${size}`, `${t}`, `${budget}`]));
        for (const [row, key] of [[fwd, "fwd"], [both, "fwdbwd"]] as const) {
          const m = r[key];
          row.cells[`torch-${t}t`] = { ...m, capped: m.runs < 10 };
        }
      }
      rows.push(fwd, both);
    }
  }
  stopThreads();
  const N = threads, many = N > 1;
  const header = [
    "model",
    "input",
    "pass",
    "ours fast 1t",
    ...(many ? [`ours fast ${N}t`] : []),
    "ours ref",
    "ORT 1t",
    ...(many ? [`ORT ${N}t`] : []),
    "PyTorch 1t",
    ...(many ? [`PyTorch ${N}t`] : []),
    "fast/PyTorch 1t",
    ...(many ? [`fast/PyTorch ${N}t`] : []),
    "fast/ORT 1t",
    "✓ vs ORT",
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => {
      const c = r.cells;
      return `| ${
        [
          r.arch,
          `${r.batch}×3×${r.size}×${r.size}`,
          r.pass,
          fmt(c["fast-1t"]),
          ...(many ? [fmt(c[`fast-${N}t`])] : []),
          fmt(c.reference),
          r.pass === "fwd" ? fmt(c["ort-1t"]) : "",
          ...(many ? [r.pass === "fwd" ? fmt(c[`ort-${N}t`]) : ""] : []),
          fmt(c["torch-1t"]),
          ...(many ? [fmt(c[`torch-${N}t`])] : []),
          ratio(c["fast-1t"], c["torch-1t"]),
          ...(many ? [ratio(c[`fast-${N}t`], c[`torch-${N}t`])] : []),
          r.pass === "fwd" ? ratio(c["fast-1t"], c["ort-1t"]) : "",
          r.agreement ?? "",
        ].join(" | ")
      } |`;
    }),
  ];
  console.log(`times in ms (median); ratios are our time over theirs (below 1: ours faster)`);
  lines.forEach((l) => console.log(l));
  if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(rows, null, 1) + "\n");
  await Deno.remove(dir, { recursive: true });
  return 0;
}

if (import.meta.main) Deno.exit(await main());
