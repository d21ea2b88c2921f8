// The direct path (depthwise, narrow groups) on several threads: every case runs forward, input
// gradient and weight gradient on 1, 2 and 3 threads with the size thresholds off and must give
// exactly the single-thread bits (which the goldens check), agree with the definitional reference
// kernels within the float32 accumulation bound (the threads did not all compute the same wrong
// thing), and the workers must really have run units of all three direct tasks. Cases cover odd
// sizes, strides 1-3, padding, dilation, channel multipliers, small groups, batch 1 and 3, several
// chunks and units per image, the generic (table) kernel and the unpadded layout; and the
// depthwise and grouped pitfall goldens, so that the golden comparison on threads reaches it.

import { assert, assertEquals } from "@std/assert";
import { findCases, loadCase } from "../../onnx/case.ts";
import { GraphExecutor } from "../../onnx/executor.ts";
import { assertTensorClose } from "../../testing/assert_tensor.ts";
import { CONV_KERNELS } from "../_conv_kernels.ts";
import { type ConvPlan, liftPlan } from "../_conv_plan.ts";
import { windowGeometry } from "../_geometry.ts";
import { takeWorkerUnits } from "../_threads/pool.ts";
import { forceThreads } from "../_threads/tuning.ts";
import { Random } from "../random.ts";
import { getThreads, setThreads, startThreads, stopThreads, withThreads } from "../threads.ts";
import { CONV_TUNING } from "./conv_stage.ts";
import { directCovers } from "./direct_wasm.ts";
import {
  DIRECT_FORWARD_TASK,
  DIRECT_INPUT_TASK,
  DIRECT_WEIGHT_TASK,
  directThreadsCovers,
} from "./direct_threads.ts";

interface Case {
  name: string;
  n: number;
  cin: number;
  size: number[];
  cout: number;
  groups: number;
  kernel: number[];
  stride?: number[];
  padding?: number | number[];
  dilation?: number[];
  bias?: boolean;
  /** Tuning for the case (small chunks make several per image; short tables the generic kernel). */
  tuning?: Partial<typeof CONV_TUNING>;
}

const CASES: Case[] = [
  {
    name: "depthwise, odd sizes, padded, bias, batch 3",
    n: 3,
    cin: 5,
    size: [13, 11],
    cout: 5,
    groups: 5,
    kernel: [3, 3],
    padding: 1,
    bias: true,
  },
  {
    name: "depthwise, stride 2, pad 1, batch 1 (units split the groups)",
    n: 1,
    cin: 12,
    size: [15, 16],
    cout: 12,
    groups: 12,
    kernel: [3, 3],
    stride: [2, 2],
    padding: 1,
  },
  {
    name: "depthwise, dilation 2, several chunks per image",
    n: 3,
    cin: 9,
    size: [12, 13],
    cout: 9,
    groups: 9,
    kernel: [3, 3],
    padding: 2,
    dilation: [2, 2],
    bias: true,
    tuning: { directChunkBytes: 2048 },
  },
  {
    name: "channel multiplier 2, stride 2 × 1",
    n: 3,
    cin: 6,
    size: [11, 9],
    cout: 12,
    groups: 6,
    kernel: [3, 3],
    stride: [2, 1],
    padding: [1, 0],
  },
  {
    name: "groups of 2 in × 3 out, k5 stride 2",
    n: 2,
    cin: 8,
    size: [17, 14],
    cout: 12,
    groups: 4,
    kernel: [5, 5],
    stride: [2, 2],
    padding: 2,
    bias: true,
  },
  {
    name: "stride 3 (input gradient on phase rows), batch 1",
    n: 1,
    cin: 7,
    size: [16, 17],
    cout: 7,
    groups: 7,
    kernel: [3, 3],
    stride: [3, 3],
    padding: 1,
  },
  {
    name: "no padding, stride 1 (the compact planes read as they are)",
    n: 3,
    cin: 6,
    size: [10, 12],
    cout: 6,
    groups: 6,
    kernel: [3, 3],
  },
  {
    name: "k7 on the generic kernel (tables in memory), multiplier 2",
    n: 3,
    cin: 4,
    size: [13, 15],
    cout: 8,
    groups: 4,
    kernel: [7, 7],
    padding: 3,
    bias: true,
    tuning: { directSpecialTaps: 8, directChunkBytes: 4096 },
  },
  {
    name: "1-D depthwise, stride 2, dilation 3",
    n: 3,
    cin: 10,
    size: [37],
    cout: 10,
    groups: 10,
    kernel: [3],
    stride: [2],
    padding: 3,
    dilation: [3],
  },
];

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

function setup(c: Case) {
  const geometry = windowGeometry("conv", c.size, c.kernel, {
    stride: c.stride ?? 1,
    padding: c.padding ?? 0,
    dilation: c.dilation ?? 1,
  });
  const plan: ConvPlan = liftPlan(geometry, c.n, c.cin, c.cout, c.groups);
  const taps = c.kernel.reduce((a, b) => a * b, 1);
  const xSize = c.n * c.cin * c.size.reduce((a, b) => a * b, 1);
  const wSize = c.cout * (c.cin / c.groups) * taps;
  const ySize = c.n * c.cout * geometry.outSize.reduce((a, b) => a * b, 1);
  const data = {
    x: random(xSize, 11),
    w: random(wSize, 12),
    bias: c.bias ? random(c.cout, 13) : undefined,
    dy: random(ySize, 14),
  };
  const run = () => {
    const y = new Float32Array(ySize), dx = new Float32Array(xSize), dw = new Float32Array(wSize);
    CONV_KERNELS.fast.forward(plan, data.x, data.w, data.bias, y);
    CONV_KERNELS.fast.backwardInput(plan, data.dy, data.w, dx);
    CONV_KERNELS.fast.backwardWeight(plan, data.x, data.dy, dw);
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
    y: (c.cin / c.groups) * taps + 1,
    dx: (c.cout / c.groups) * taps,
    dw: ySize / c.cout,
  };
  return { plan, run, reference, reductions };
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

const DIRECT_TASKS = [DIRECT_FORWARD_TASK, DIRECT_INPUT_TASK, DIRECT_WEIGHT_TASK];

Deno.test("direct path on threads: the same bits on 1, 2 and 3 threads", async (t) => {
  const before = getThreads();
  const tuning = { ...CONV_TUNING };
  forceThreads(true);
  const units = new Map<number, number>();
  const collect = () => {
    for (const [id, n] of takeWorkerUnits()) units.set(id, (units.get(id) ?? 0) + n);
  };
  // Units are claimed dynamically: on a loaded machine the calling thread can take every unit of
  // a small job before a worker wakes, so the 3-thread runs are repeated (a bounded number of
  // times) at the end until every direct task has been run by a worker.
  const reruns: (() => void)[] = [];
  try {
    setThreads(3);
    assertEquals(await startThreads(), 3, "the pool starts two workers");
    takeWorkerUnits();
    for (const c of CASES) {
      await t.step(c.name, () => {
        Object.assign(CONV_TUNING, tuning, c.tuning ?? {});
        try {
          const { plan, run, reference, reductions } = setup(c);
          assert(directCovers(plan), "the case takes the direct path");
          assert(directThreadsCovers(plan), "with the thresholds off, the threads take it");
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
        } finally {
          Object.assign(CONV_TUNING, tuning);
        }
      });
    }
    await t.step("the workers ran units of every direct task", () => {
      const missing = () => DIRECT_TASKS.filter((task) => !(units.get(task.id)! > 0));
      for (let round = 0; round < 20 && missing().length > 0; round++) {
        for (const rerun of reruns) rerun();
        collect();
      }
      assertEquals(missing().map((task) => task.id), [], "tasks no worker ran");
    });
  } finally {
    Object.assign(CONV_TUNING, tuning);
    forceThreads(false);
    setThreads(before);
    stopThreads();
  }
});

Deno.test("direct path on threads: the thresholds keep small passes on one thread", () => {
  const small = liftPlan(
    windowGeometry("conv", [8, 8], [3, 3], { stride: 1, padding: 1, dilation: 1 }),
    1,
    4,
    4,
    4,
  );
  assert(directCovers(small));
  assert(!directThreadsCovers(small), "1·4·9·64 multiply-adds stay on one thread");
  forceThreads(true);
  try {
    assert(directThreadsCovers(small));
  } finally {
    forceThreads(false);
  }
});

Deno.test("direct path on threads: the depthwise and grouped goldens take it, same bits", async () => {
  // conformance/threads_test.ts compares every golden on 1 and 2 threads; these pitfall cases
  // (depthwise and grouped, stride 2, pad 1) must reach the direct driver there, on a worker.
  const before = getThreads();
  const root = new URL("../../golden/", import.meta.url);
  const dirs = (await findCases([root])).filter((dir) => /pitfall_(depthwise|grouped)_/.test(dir));
  assert(dirs.length >= 4, `only ${dirs.length} depthwise / grouped pitfall cases found`);
  forceThreads(true);
  try {
    setThreads(2);
    assertEquals(await startThreads(), 2, "the worker starts");
    takeWorkerUnits();
    const units = new Map<number, number>();
    const collect = () => {
      for (const [id, n] of takeWorkerUnits()) units.set(id, (units.get(id) ?? 0) + n);
    };
    const runs: (() => void)[] = [];
    for (const dir of dirs) {
      const golden = await loadCase(dir);
      for (const set of golden.dataSets) {
        const run = (threads: number) => {
          const executor = new GraphExecutor(golden.model, { threads });
          const outputs = executor.run(set.inputs);
          const grads = executor.backward(set.gradOutputs ?? []);
          return [...outputs, ...grads.inputs, ...grads.initializers].map((t) =>
            t === undefined
              ? "none"
              : `${t.dims} ${new Uint8Array((t.data as Float32Array).buffer)}`
          );
        };
        const one = run(1);
        assertEquals(takeWorkerUnits().size, 0, "one thread uses no worker");
        assertEquals(run(2), one, `${dir}: results differ between 1 and 2 threads`);
        collect();
        runs.push(() => run(2));
      }
    }
    const missing = () => DIRECT_TASKS.filter((task) => !(units.get(task.id)! > 0));
    for (let round = 0; round < 20 && missing().length > 0; round++) {
      for (const run of runs) run();
      collect();
    }
    assertEquals(missing().map((task) => task.id), [], "direct tasks no worker ran");
  } finally {
    forceThreads(false);
    setThreads(before);
    stopThreads();
  }
});
