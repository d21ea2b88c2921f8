// The `threads` option: validation, and the promise that results are the same bits for any
// thread count. Every threaded path (GEMM by column and row panels; the implicit-GEMM and the
// im2col convolution, forward, input gradient, weight gradient; max pool by planes) runs here on
// 1, 2 and 3 threads with the size thresholds off, and must give exactly the bits of the
// single-thread path — which the goldens check (conformance/) — and agree with the definitional
// reference path within the float32 accumulation bound (an independent check that the threads
// did not all compute the same wrong thing). The workers must really have run units.

import { assert, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { CONV_KERNELS } from "./_conv_kernels.ts";
import { type ConvPlan, liftPlan } from "./_conv_plan.ts";
import { gemm, type MatrixView } from "./_gemm.ts";
import { windowGeometry } from "./_geometry.ts";
import { maxPoolFast } from "./_pool_fast.ts";
import { liftWindow } from "./_pool_window.ts";
import { takeWorkerUnits } from "./_threads/pool.ts";
import { TASKS } from "./_threads/tasks.ts";
import { forceThreads } from "./_threads/tuning.ts";
import { CONV_TUNING } from "./_wasm/conv_stage.ts";
import { withSharedMemory } from "./_wasm/writer.ts";
import { buildConvModule } from "./_wasm/conv_kernel.ts";
import { Random } from "./random.ts";
import {
  defaultThreads,
  getThreads,
  MAX_FAST_THREADS,
  setThreads,
  startThreads,
  stopThreads,
  withThreads,
} from "./threads.ts";

function random(n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** Same bits (NaN payloads included), else the first differing index and both values. */
function assertSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  assertEquals(actual.length, expected.length, `${label}: length`);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      throw new Error(
        `${label}: bits differ at ${i}: ${actual[i]} (0x${a[i].toString(16)}) vs ${expected[i]} ` +
          `(0x${e[i].toString(16)})`,
      );
    }
  }
}

Deno.test("threads option", async (t) => {
  const before = getThreads();
  await t.step("default is navigator.hardwareConcurrency", () => {
    assertEquals(defaultThreads(), Math.min(navigator.hardwareConcurrency, MAX_FAST_THREADS));
  });
  await t.step("setThreads / getThreads / withThreads", () => {
    setThreads(3);
    assertEquals(getThreads(), 3);
    assertEquals(withThreads(1, () => getThreads()), 1);
    assertEquals(getThreads(), 3);
    assertThrows(
      () =>
        withThreads(2, () => {
          throw new Error("inner");
        }),
      Error,
      "inner",
    );
    assertEquals(getThreads(), 3, "restored after a throw");
    assertEquals(withThreads(undefined, () => getThreads()), 3);
  });
  await t.step("errors name the option, the rule and the value", () => {
    for (const bad of [0, -1, 1.5, NaN, MAX_FAST_THREADS + 1, Infinity]) {
      assertThrows(() => setThreads(bad), RangeError, "threads must be an integer from 1 to 64");
    }
    assertThrows(() => setThreads(0), RangeError, "got 0");
    assertThrows(() => setThreads("2" as unknown as number), TypeError, "threads must be a number");
    assertThrows(() => withThreads(0, () => 1), RangeError, "Cannot run with threads");
    assertEquals(getThreads(), 3, "a refused value changes nothing");
  });
  setThreads(before);
});

Deno.test("threads: plumbing", async (t) => {
  await t.step("every task's id is its index", () => {
    TASKS.forEach((task, i) => assertEquals(task.id, i, task.name));
  });
  await t.step("withSharedMemory declares the memory import shared", () => {
    const bytes = buildConvModule(16);
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const plain = new WebAssembly.Memory({ initial: 1, maximum: 16 });
    const compile = (b: Uint8Array) => new WebAssembly.Module(b as BufferSource);
    // As emitted the module takes only a plain memory, once patched only a shared one.
    new WebAssembly.Instance(compile(bytes), { env: { memory: plain } });
    assertThrows(() => new WebAssembly.Instance(compile(bytes), { env: { memory: shared } }));
    const patched = withSharedMemory(bytes);
    new WebAssembly.Instance(compile(patched), { env: { memory: shared } });
    assertThrows(() => new WebAssembly.Instance(compile(patched), { env: { memory: plain } }));
    assertEquals(patched.length, bytes.length);
    assertEquals(bytes.filter((b, i) => b !== patched[i]).length, 1, "one byte changes");
  });
  await t.step("the bit comparison rejects one ulp", () => {
    const a = random(10, 1), b = a.slice();
    new Uint32Array(b.buffer)[7] ^= 1;
    assertThrows(() => assertSameBits(b, a, "x"), Error, "bits differ at 7");
  });
});

interface ConvCase {
  name: string;
  n: number;
  cin: number;
  size: number[];
  cout: number;
  kernel: number[];
  stride?: number[];
  padding?: number | number[];
  dilation?: number[];
  groups?: number;
  bias?: boolean;
  /** Block sizes to set for the case (small ones make several chunks, tiles and k blocks). */
  tuning?: Partial<typeof CONV_TUNING>;
}

const CONVS: ConvCase[] = [
  {
    name: "implicit, padded, bias",
    n: 4,
    cin: 6,
    size: [9, 10],
    cout: 10,
    kernel: [3, 3],
    padding: 1,
    bias: true,
  },
  {
    name: "implicit, stride 2 phases",
    n: 3,
    cin: 5,
    size: [8, 16],
    cout: 7,
    kernel: [3, 3],
    stride: [2, 2],
    padding: [1, 0],
  },
  { name: "implicit, compact layout (1×1)", n: 2, cin: 4, size: [8, 8], cout: 20, kernel: [1, 1] },
  {
    name: "implicit, one image: channel parts",
    n: 1,
    cin: 8,
    size: [12, 12],
    cout: 24,
    kernel: [3, 3],
    padding: 1,
    bias: true,
  },
  {
    name: "implicit, 2 groups, dilation 2",
    n: 3,
    cin: 8,
    size: [10, 11],
    cout: 12,
    kernel: [3, 3],
    padding: 2,
    dilation: [2, 2],
    groups: 2,
  },
  {
    name: "implicit, LeNet conv1 (one channel panel)",
    n: 9,
    cin: 1,
    size: [28, 28],
    cout: 6,
    kernel: [5, 5],
  },
  {
    name: "implicit, dW over several chunks",
    n: 7,
    cin: 3,
    size: [8, 8],
    cout: 9,
    kernel: [3, 3],
    padding: 1,
    tuning: { stageBytes: 2048 },
  },
  {
    name: "im2col, bias, several tiles",
    n: 4,
    cin: 6,
    size: [9, 10],
    cout: 10,
    kernel: [3, 3],
    padding: 1,
    bias: true,
    tuning: { implicit: false, tileBytes: 2048, dwTile: 64 },
  },
  {
    name: "im2col, an image over several dX tiles",
    n: 3,
    cin: 5,
    size: [16, 16],
    cout: 7,
    kernel: [3, 3],
    stride: [2, 1],
    padding: 1,
    tuning: { implicit: false, tileBytes: 4096, stageBytes: 4096 },
  },
  {
    name: "im2col, k blocks, 2 groups",
    n: 2,
    cin: 16,
    size: [7, 7],
    cout: 14,
    kernel: [3, 3],
    padding: 1,
    groups: 2,
    bias: true,
    tuning: { implicit: false, kc: 16 },
  },
  {
    name: "im2col, panel mode (8 output columns)",
    n: 5,
    cin: 3,
    size: [10, 10],
    cout: 9,
    kernel: [3, 3],
    tuning: { implicit: false },
  },
  {
    name: "im2col, pointwise",
    n: 3,
    cin: 12,
    size: [6, 7],
    cout: 10,
    kernel: [1, 1],
    bias: true,
    tuning: { implicit: false, tileBytes: 1024 },
  },
  {
    name: "im2col, 3-D",
    n: 2,
    cin: 3,
    size: [5, 6, 7],
    cout: 4,
    kernel: [2, 3, 2],
    stride: [1, 2, 1],
    padding: 1,
    bias: true,
  },
];

function convCase(c: ConvCase) {
  const geometry = windowGeometry("conv", c.size, c.kernel, {
    stride: c.stride ?? 1,
    padding: c.padding ?? 0,
    dilation: c.dilation ?? 1,
  });
  const groups = c.groups ?? 1;
  const plan: ConvPlan = liftPlan(geometry, c.n, c.cin, c.cout, groups);
  const xSize = c.n * c.cin * c.size.reduce((a, b) => a * b, 1);
  const taps = c.kernel.reduce((a, b) => a * b, 1);
  const wSize = c.cout * (c.cin / groups) * taps;
  const ySize = c.n * c.cout * geometry.outSize.reduce((a, b) => a * b, 1);
  const data = {
    x: random(xSize, 1),
    w: random(wSize, 2),
    bias: c.bias ? random(c.cout, 3) : undefined,
    dy: random(ySize, 4),
  };
  const run = (abs = false) => {
    const f = (a: Float32Array) => (abs ? a.map(Math.abs) : a);
    const y = new Float32Array(ySize), dx = new Float32Array(xSize), dw = new Float32Array(wSize);
    CONV_KERNELS.fast.forward(plan, f(data.x), f(data.w), data.bias && f(data.bias), y);
    CONV_KERNELS.fast.backwardInput(plan, f(data.dy), f(data.w), dx);
    CONV_KERNELS.fast.backwardWeight(plan, f(data.x), f(data.dy), dw);
    return { y, dx, dw };
  };
  const reference = (abs: boolean) => {
    const f = (a: Float32Array) => Float64Array.from(a, (v) => (abs ? Math.abs(v) : v));
    const y = new Float64Array(ySize), dx = new Float64Array(xSize), dw = new Float64Array(wSize);
    CONV_KERNELS.reference.forward(plan, f(data.x), f(data.w), data.bias && f(data.bias), y);
    CONV_KERNELS.reference.backwardInput(plan, f(data.dy), f(data.w), dx);
    CONV_KERNELS.reference.backwardWeight(plan, f(data.x), f(data.dy), dw);
    return { y, dx, dw };
  };
  const reductions = {
    y: (c.cin / groups) * taps + 1,
    dx: c.cout / groups * taps,
    dw: ySize / c.cout,
  };
  return { run, reference, reductions };
}

/** |a − e| ≤ 1e-6 + 2·L·2⁻²⁴·A (A: the pass on absolute values): the float32 sum bound. */
function assertWithinBound(
  actual: Float32Array,
  expected: Float64Array,
  magnitude: Float64Array,
  reduction: number,
  label: string,
): void {
  const bound = magnitude.map((a) => 2 * reduction * 2 ** -24 * a);
  assertTensorClose(
    { shape: [actual.length], data: actual },
    { shape: [expected.length], data: expected },
    { rtol: 0, atol: 1e-6, bound },
    label,
  );
}

Deno.test("threads: the same bits on 1, 2 and 3 threads", async (t) => {
  const before = getThreads();
  const tuning = { ...CONV_TUNING };
  forceThreads(true);
  const units = new Map<number, number>();
  const collect = () => {
    for (const [name, n] of takeWorkerUnits()) units.set(name, (units.get(name) ?? 0) + n);
  };
  // Units are claimed dynamically: on a loaded machine the calling thread can take every unit of
  // a small job before a worker wakes. Each step leaves its 3-thread run here, and the last step
  // repeats them (a bounded number of times) until every task has been run by a worker.
  const reruns: (() => void)[] = [];
  try {
    setThreads(3);
    assertEquals(await startThreads(), 3, "the pool starts two workers");
    takeWorkerUnits();
    for (const c of CONVS) {
      await t.step(`conv ${c.name}`, () => {
        Object.assign(CONV_TUNING, tuning, c.tuning ?? {});
        const { run, reference, reductions } = convCase(c);
        reruns.push(() => {
          Object.assign(CONV_TUNING, tuning, c.tuning ?? {});
          withThreads(3, () => run());
          Object.assign(CONV_TUNING, tuning);
        });
        const one = withThreads(1, () => run());
        assertEquals(takeWorkerUnits().size, 0, "one thread uses no worker");
        for (const threads of [2, 3]) {
          const many = withThreads(threads, () => run());
          collect();
          for (const pass of ["y", "dx", "dw"] as const) {
            assertSameBits(many[pass], one[pass], `${threads} threads ${pass}`);
          }
        }
        const expected = reference(false), magnitude = reference(true);
        for (const pass of ["y", "dx", "dw"] as const) {
          assertWithinBound(one[pass], expected[pass], magnitude[pass], reductions[pass], pass);
        }
      });
    }
    Object.assign(CONV_TUNING, tuning);

    const gemms: [string, number, number, number, boolean, boolean, boolean][] = [
      ["column panels", 70, 300, 90, false, false, false],
      ["row panels, accumulate", 400, 60, 50, false, false, true],
      ["transposed A and B", 130, 200, 70, true, true, false],
      ["B transposed, k blocks", 64, 520, 600, false, true, true],
    ];
    for (const [name, m, n, k, ta, tb, accumulate] of gemms) {
      await t.step(`gemm ${name} ${m}×${n}×${k}`, () => {
        const a = random(m * k, 5), b = random(k * n, 6), c0 = random(m * (n + 3) + 3, 7);
        const av: MatrixView = ta
          ? { data: a, offset: 0, rowStride: 1, colStride: m }
          : { data: a, offset: 0, rowStride: k, colStride: 1 };
        const bv: MatrixView = tb
          ? { data: b, offset: 0, rowStride: 1, colStride: k }
          : { data: b, offset: 0, rowStride: n, colStride: 1 };
        // C at an offset with a leading dimension wider than n: only its m×n window changes.
        const run = () => {
          const c = new Float32Array(m * (n + 3) + 3);
          c.set(c0);
          gemm(m, n, k, av, bv, c, 3, n + 3, accumulate);
          return c;
        };
        reruns.push(() => withThreads(3, run));
        const one = withThreads(1, run);
        for (const threads of [2, 3]) {
          assertSameBits(withThreads(threads, run), one, `${threads} threads`);
          collect();
        }
        const expected = new Float64Array(one.length), magnitude = new Float64Array(one.length);
        expected.set(c0);
        magnitude.set(c0.map(Math.abs));
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = accumulate ? c0[3 + i * (n + 3) + j] : 0, sa = Math.abs(s);
            for (let p = 0; p < k; p++) {
              const x = a[av.offset + i * av.rowStride + p * av.colStride];
              const y = b[bv.offset + p * bv.rowStride + j * bv.colStride];
              s += x * y;
              sa += Math.abs(x * y);
            }
            expected[3 + i * (n + 3) + j] = s;
            magnitude[3 + i * (n + 3) + j] = sa;
          }
        }
        assertWithinBound(one, expected, magnitude, k + 1, "gemm");
      });
    }

    await t.step("max pool by planes, with and without indices", () => {
      // 96 planes and three runs per thread count: the units are claimed dynamically, and on a
      // small job the calling thread alone could take them all before a worker wakes up.
      const x = random(16 * 6 * 11 * 13, 8);
      x[14] = NaN; // row 1, column 1: in the window of output (1, 1)
      const window = liftWindow(
        windowGeometry("maxPool", [11, 13], [3, 3], { stride: 2, padding: 1, dilation: [1, 2] }),
        16 * 6,
      );
      const run = () => {
        const out = new Float32Array(window.planes * window.outPlane);
        const indices = new Int32Array(out.length);
        maxPoolFast(x, window, out, indices);
        const values = new Float32Array(out.length);
        maxPoolFast(x, window, values);
        return { out, indices, values };
      };
      reruns.push(() => withThreads(3, run));
      const one = withThreads(1, run);
      for (const threads of [2, 3]) {
        for (let repeat = 0; repeat < 3; repeat++) {
          const many = withThreads(threads, run);
          collect();
          assertSameBits(many.out, one.out, "values with indices");
          assertSameBits(many.values, one.values, "values");
          assertEquals([...many.indices], [...one.indices]);
        }
      }
      assert(Number.isNaN(one.out[window.outSize[2] + 1]), "the NaN wins its window");
    });

    await t.step("the workers ran units of every task", () => {
      const missing = () => TASKS.some((task) => (units.get(task.id) ?? 0) === 0);
      for (let attempt = 0; attempt < 50 && missing(); attempt++) {
        for (const rerun of reruns) rerun();
        collect();
      }
      for (const task of TASKS) {
        assert(
          (units.get(task.id) ?? 0) > 0,
          `no worker ran a unit of task ${task.id} (${task.name})`,
        );
      }
    });
  } finally {
    Object.assign(CONV_TUNING, tuning);
    forceThreads(false);
    setThreads(before);
    stopThreads();
  }
});
