// GEMM throughput: the original naive loop, the TypeScript kernel and the WebAssembly SIMD kernel
// side by side on conv-shaped float32 products.
//
//   deno bench bench/gemm_bench.ts           per-iteration times (deno's table; GFLOP per call
//                                            is in each name)
//   deno run bench/gemm_bench.ts             a GFLOP/s table (median of timed runs)
//   deno run -A bench/gemm_bench.ts --threads 2
//                                            the wasm kernel on 1 and on 2 threads, on the
//                                            shapes above and on square products from 0.5 M to
//                                            16 M multiply-adds (where threads start to pay)

import { gemm, type MatrixView, setGemmBackend } from "../layers/_gemm.ts";
import { Random } from "../layers/random.ts";
import { setThreads, startThreads, stopThreads } from "../layers/threads.ts";

interface Shape {
  name: string;
  m: number;
  n: number;
  k: number;
  /** A stored transposed (rowStride 1), B stored transposed (rowStride 1). */
  ta: boolean;
  tb: boolean;
}

const SHAPES: Shape[] = [
  { name: "conv fwd 3×3 64→256 @56² (W·cols)", m: 256, n: 3136, k: 576, ta: false, tb: false },
  { name: "conv fwd 5×5 1→16 @112² (skinny)", m: 16, n: 12544, k: 25, ta: false, tb: false },
  { name: "conv fwd 3×3 64→64 @56²", m: 64, n: 3136, k: 576, ta: false, tb: false },
  { name: "conv fwd 5×5 24→128 @28²", m: 128, n: 784, k: 600, ta: false, tb: false },
  { name: "conv dW = dY·colsᵀ", m: 64, n: 576, k: 3136, ta: false, tb: true },
  { name: "conv dX_cols = Wᵀ·dY", m: 576, n: 3136, k: 64, ta: true, tb: false },
  { name: "linear 32×512→1000 (X·Wᵀ)", m: 32, n: 1000, k: 512, ta: false, tb: true },
];

/** The GEMM this project started with (layers/_gemm.ts before the kernels), kept as a baseline. */
function naiveGemm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
): void {
  c.fill(0, 0, m * n);
  let bData = b.data, bOff = b.offset, ldb = b.rowStride;
  if (b.colStride !== 1) {
    const packed = new Float32Array(k * n);
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) {
        packed[p * n + j] = b.data[b.offset + p * b.rowStride + j * b.colStride];
      }
    }
    bData = packed, bOff = 0, ldb = n;
  }
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a.data[a.offset + i * a.rowStride + p * a.colStride];
      const bRow = bOff + p * ldb;
      for (let j = 0; j < n; j++) c[i * n + j] += aip * bData[bRow + j];
    }
  }
}

type Impl = "naive" | "ts" | "wasm";
const IMPLS: Impl[] = ["naive", "ts", "wasm"];

function setup(s: Shape) {
  const rng = new Random(1);
  const a = Float32Array.from({ length: s.m * s.k }, () => rng.normal());
  const b = Float32Array.from({ length: s.k * s.n }, () => rng.normal());
  const av: MatrixView = s.ta
    ? { data: a, offset: 0, rowStride: 1, colStride: s.m }
    : { data: a, offset: 0, rowStride: s.k, colStride: 1 };
  const bv: MatrixView = s.tb
    ? { data: b, offset: 0, rowStride: 1, colStride: s.k }
    : { data: b, offset: 0, rowStride: s.n, colStride: 1 };
  const c = new Float32Array(s.m * s.n);
  return (impl: Impl) => {
    if (impl === "naive") return naiveGemm(s.m, s.n, s.k, av, bv, c);
    setGemmBackend(impl);
    gemm(s.m, s.n, s.k, av, bv, c, 0, s.n, false);
  };
}

const gflop = (s: Shape) => (2 * s.m * s.n * s.k) / 1e9;

for (const s of SHAPES) {
  const run = setup(s);
  for (const impl of IMPLS) {
    Deno.bench({
      name: `${impl} ${s.m}×${s.n}×${s.k}`,
      group: `${s.name} (${gflop(s).toFixed(3)} GFLOP)`,
      baseline: impl === "naive",
      // The naive loop takes up to seconds per call on the large shapes.
      ...(impl === "naive" ? { n: 2, warmup: 1 } : impl === "ts" ? { n: 5, warmup: 2 } : {}),
      fn: () => run(impl),
    });
  }
}

/** Median GFLOP/s of timed calls after warm-up, for `deno run`. */
function measure(run: () => void, s: Shape, seconds: number): number {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < seconds * 1000 || times.length < 3) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return gflop(s) / (times[times.length >> 1] / 1000);
}

const threadsAt = Deno.args.indexOf("--threads");
if (import.meta.main && threadsAt >= 0) {
  const threads = Number(Deno.args[threadsAt + 1]);
  setThreads(threads);
  const ready = await startThreads();
  console.log(`threads ${threads} (${ready} ready); load ${Deno.loadavg().join(" ")}`);
  const squares: Shape[] = [64, 80, 100, 128, 160, 200, 256].map((e) => ({
    name: `square ${e}³ = ${(e ** 3 / 2 ** 20).toFixed(2)} M`,
    m: e,
    n: e,
    k: e,
    ta: false,
    tb: false,
  }));
  console.log(
    `${"shape".padEnd(40)} ${"m×n×k".padEnd(15)}     1 t  ${threads} t  (GFLOP/s)  ratio`,
  );
  for (const s of [...SHAPES, ...squares]) {
    const run = setup(s);
    setThreads(1);
    const one = measure(() => run("wasm"), s, 1);
    setThreads(threads);
    const many = measure(() => run("wasm"), s, 1);
    console.log(
      `${s.name.padEnd(40)} ${`${s.m}×${s.n}×${s.k}`.padEnd(15)} ${one.toFixed(1).padStart(7)} ${
        many.toFixed(1).padStart(7)
      }  ${(many / one).toFixed(2)}`,
    );
  }
  setGemmBackend("auto");
  stopThreads();
} else if (import.meta.main && !Deno.args.includes("--no-table")) {
  console.log(
    `${"shape".padEnd(40)} ${"m×n×k".padEnd(15)} ${
      IMPLS.map((i) => i.padStart(8)).join(" ")
    }  (GFLOP/s)`,
  );
  for (const s of SHAPES) {
    const run = setup(s);
    const rates = IMPLS.map((impl) => measure(() => run(impl), s, impl === "wasm" ? 1.5 : 1));
    console.log(
      `${s.name.padEnd(40)} ${`${s.m}×${s.n}×${s.k}`.padEnd(15)} ${
        rates.map((r) => r.toFixed(2).padStart(8)).join(" ")
      }`,
    );
  }
  setGemmBackend("auto");
}
