import { assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import { assertValues, DTYPES, IMPLS, randomInput, tensor } from "./_pool_test_util.ts";
import {
  avgPool,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  avgPoolBackward,
  type AvgPoolOptions,
} from "./avg_pool.ts";
import { Random } from "./random.ts";
import { Tensor } from "./tensor.ts";

/** A hand-computed case: expected output and input gradient. */
interface Case {
  name: string;
  x: number[];
  shape: number[];
  options: Omit<AvgPoolOptions, "impl">;
  y: number[];
  yShape: number[];
  /** Upstream gradient; ones when omitted. */
  gy?: number[];
  dx: number[];
}

const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
const outer = (a: number[], b: number[]): number[] => a.flatMap((u) => b.map((v) => u * v));
const I = Infinity;

// Expected values are hand arithmetic: window sums over the taps inside the input, divided by
// the count of taps inside [−padBegin, in + padEnd) (include pad) or inside the input (exclude).
const CASES: Case[] = [
  {
    name: "arange x=[1,1,4,4] k=2",
    x: range(16),
    shape: [1, 1, 4, 4],
    options: { kernelSize: 2 },
    y: [2.5, 4.5, 10.5, 12.5],
    yShape: [1, 1, 2, 2],
    dx: new Array(16).fill(0.25),
  },
  {
    // (0+1+4+5+16+17+20+21)/8 = 10.5, then +2 per column step, +8 per row step.
    name: "arange x=[1,1,2,4,4] k=2 (3-D)",
    x: range(32),
    shape: [1, 1, 2, 4, 4],
    options: { kernelSize: 2 },
    y: [10.5, 12.5, 18.5, 20.5],
    yShape: [1, 1, 1, 2, 2],
    dx: new Array(32).fill(1 / 8),
  },
  {
    // Window mean = 12·od + 4·oh + ow + 3; coverage counts per axis: h [1,2,1], w [1,2,2,1].
    name: "3-D kernel 1×2×3 s1 on arange [2,3,4]",
    x: range(24),
    shape: [1, 1, 2, 3, 4],
    options: { kernelSize: [1, 2, 3], stride: 1 },
    y: [3, 4, 7, 8, 15, 16, 19, 20],
    yShape: [1, 1, 2, 2, 2],
    dx: [...outer([1, 2, 1], [1, 2, 2, 1]), ...outer([1, 2, 1], [1, 2, 2, 1])].map((c) => c / 6),
  },
  {
    name: "ceil + include pad: [1..5] k2 s2 ceil -> [1.5, 3.5, 5] (overhang not counted)",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 2, ceilMode: true },
    y: [1.5, 3.5, 5],
    yShape: [1, 1, 3],
    dx: [0.5, 0.5, 0.5, 0.5, 1],
  },
  {
    name: "ceil + exclude pad: [1..5] k2 s2 ceil -> [1.5, 3.5, 5]",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 2, ceilMode: true, countIncludePad: false },
    y: [1.5, 3.5, 5],
    yShape: [1, 1, 3],
    dx: [0.5, 0.5, 0.5, 0.5, 1],
  },
  {
    // Windows [−1,1) [1,3) [3,5), all inside the padded extent [−1, 6).
    name: "ceil: x=5 k2 s2 p1 ceil -> 3, include pad",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: 1, ceilMode: true },
    y: [0.5, 2.5, 4.5],
    yShape: [1, 1, 3],
    dx: [0.5, 0.5, 0.5, 0.5, 0.5],
  },
  {
    name: "ceil: x=5 k2 s2 p1 ceil -> 3, exclude pad",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: 1, ceilMode: true, countIncludePad: false },
    y: [1, 2.5, 4.5],
    yShape: [1, 1, 3],
    dx: [1, 0.5, 0.5, 0.5, 0.5],
  },
  {
    // Windows [−2,2) [2,6) [6,10); the padded extent is [−2, 11).
    name: "ceil: x=9 k4 s4 p2 ceil -> 3, include pad",
    x: range(9, 1),
    shape: [1, 1, 9],
    options: { kernelSize: 4, padding: 2, ceilMode: true },
    y: [0.75, 4.5, 6],
    yShape: [1, 1, 3],
    dx: new Array(9).fill(0.25),
  },
  {
    name: "ceil: x=9 k4 s4 p2 ceil -> 3, exclude pad",
    x: range(9, 1),
    shape: [1, 1, 9],
    options: { kernelSize: 4, padding: 2, ceilMode: true, countIncludePad: false },
    y: [1.5, 4.5, 8],
    yShape: [1, 1, 3],
    dx: [0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 1 / 3, 1 / 3, 1 / 3],
  },
  {
    name: "ceil: x=5 k1 s3 ceil -> 2",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 1, stride: 3, ceilMode: true },
    y: [1, 4],
    yShape: [1, 1, 2],
    dx: [1, 0, 0, 1, 0],
  },
  {
    // Per axis: real taps [2,3,3,1], padded taps [3,3,3,2] -> factor [2/3, 1, 1, 1/2];
    // gradient per axis: Σ 1/padded over covering windows = [1/3, 2/3, 1/3, 2/3, 1/3, 5/6].
    name: "6×6 ones k3 s2 p1 ceil include pad: edge divisor 6, corner 4",
    x: new Array(36).fill(1),
    shape: [1, 1, 6, 6],
    options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true },
    y: outer([2 / 3, 1, 1, 1 / 2], [2 / 3, 1, 1, 1 / 2]),
    yShape: [1, 1, 4, 4],
    dx: outer([1 / 3, 2 / 3, 1 / 3, 2 / 3, 1 / 3, 5 / 6], [
      1 / 3,
      2 / 3,
      1 / 3,
      2 / 3,
      1 / 3,
      5 / 6,
    ]),
  },
  {
    // Gradient per axis: Σ 1/real over covering windows = [1/2, 5/6, 1/3, 2/3, 1/3, 4/3].
    name: "6×6 ones k3 s2 p1 ceil exclude pad",
    x: new Array(36).fill(1),
    shape: [1, 1, 6, 6],
    options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
    y: new Array(16).fill(1),
    yShape: [1, 1, 4, 4],
    dx: outer([1 / 2, 5 / 6, 1 / 3, 2 / 3, 1 / 3, 4 / 3], [
      1 / 2,
      5 / 6,
      1 / 3,
      2 / 3,
      1 / 3,
      4 / 3,
    ]),
  },
  {
    // Windows start at −2, −1, 0, 1 and hold 1, 2, 3, 3 input elements.
    name: "asymmetric pads [2, 0] k3 s1 on [1..4], include pad",
    x: [1, 2, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 3, stride: 1, padding: [2, 0] },
    y: [1 / 3, 1, 2, 3],
    yShape: [1, 1, 4],
    dx: [1, 1, 2 / 3, 1 / 3],
  },
  {
    name: "asymmetric pads [2, 0] k3 s1 on [1..4], exclude pad",
    x: [1, 2, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 3, stride: 1, padding: [2, 0], countIncludePad: false },
    y: [1, 1.5, 2, 3],
    yShape: [1, 1, 4],
    dx: [11 / 6, 7 / 6, 2 / 3, 1 / 3],
  },
  {
    // ONNX averagepool_2d_pads style: pad 2 with kernel 3 (rejected by PyTorch, valid in ONNX).
    name: "pads 2 with kernel 3 (ONNX rule): [0,1,2], exclude pad",
    x: [0, 1, 2],
    shape: [1, 1, 3],
    options: { kernelSize: 3, stride: 1, padding: 2, countIncludePad: false },
    y: [0, 0.5, 1, 1.5, 2],
    yShape: [1, 1, 5],
    dx: [11 / 6, 4 / 3, 11 / 6],
  },
  {
    name: "pads 2 with kernel 3 (ONNX rule): [0,1,2], include pad",
    x: [0, 1, 2],
    shape: [1, 1, 3],
    options: { kernelSize: 3, stride: 1, padding: 2 },
    y: [0, 1 / 3, 1, 1, 2 / 3],
    yShape: [1, 1, 5],
    dx: [1, 1, 1],
  },
  {
    // SAME_UPPER pads 0/1: [0,1] [2,3] [4,pad].
    name: "same (upper): x=5 k2 s2, exclude pad",
    x: range(5),
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: "same", countIncludePad: false },
    y: [0.5, 2.5, 4],
    yShape: [1, 1, 3],
    dx: [0.5, 0.5, 0.5, 0.5, 1],
  },
  {
    name: "same (upper): x=5 k2 s2, include pad",
    x: range(5),
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: "same" },
    y: [0.5, 2.5, 2],
    yShape: [1, 1, 3],
    dx: [0.5, 0.5, 0.5, 0.5, 0.5],
  },
  {
    // SAME_LOWER pads 1/0: [pad,0] [1,2] [3,4].
    name: "same_lower: x=5 k2 s2, exclude pad",
    x: range(5),
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: "same_lower", countIncludePad: false },
    y: [0, 1.5, 3.5],
    yShape: [1, 1, 3],
    dx: [1, 0.5, 0.5, 0.5, 0.5],
  },
  {
    // Windows (pad,1,2) (2,3,4) (4,5,pad), each divided by 3.
    name: "overlap k3 s2 p1 on [1..5], gy [1,10,100]: gradients accumulate",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 3, stride: 2, padding: 1 },
    y: [1, 3, 3],
    yShape: [1, 1, 3],
    gy: [1, 10, 100],
    dx: [1 / 3, 11 / 3, 10 / 3, 110 / 3, 100 / 3],
  },
  {
    name: "overlap k3 s1 p1 on [1..5]",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 3, stride: 1, padding: 1 },
    y: [1, 2, 3, 4, 3],
    yShape: [1, 1, 5],
    dx: [2 / 3, 1, 1, 1, 2 / 3],
  },
  {
    name: "divisorOverride 2 on 4×4 arange k2",
    x: range(16),
    shape: [1, 1, 4, 4],
    options: { kernelSize: 2, divisorOverride: 2 },
    y: [5, 9, 21, 25],
    yShape: [1, 1, 2, 2],
    dx: new Array(16).fill(0.5),
  },
  {
    name: "divisorOverride 3 with ceil: [1..5] k2 s2 ceil",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 2, ceilMode: true, divisorOverride: 3 },
    y: [1, 7 / 3, 5 / 3],
    yShape: [1, 1, 3],
    dx: new Array(5).fill(1 / 3),
  },
  {
    // Taps (oh, oh+2) × (ow, ow+2): mean = x[oh][ow] + (0 + 2 + 8 + 10) / 4; each input is in
    // exactly one window.
    name: "dilation 2 (ONNX AveragePool-19): 4×4 arange k2 s1",
    x: range(16),
    shape: [1, 1, 4, 4],
    options: { kernelSize: 2, stride: 1, dilation: 2 },
    y: [5, 6, 9, 10],
    yShape: [1, 1, 2, 2],
    dx: new Array(16).fill(0.25),
  },
  {
    // Taps (s, s+2) for s = −1..2: (pad,2) (1,3) (2,4) (3,pad); all inside [−1, 5).
    name: "dilation 2 k2 s1 p1 on [1..4], include pad",
    x: [1, 2, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 2, stride: 1, dilation: 2, padding: 1 },
    y: [1, 2, 3, 1.5],
    yShape: [1, 1, 4],
    dx: [0.5, 1, 1, 0.5],
  },
  {
    name: "dilation 2 k2 s1 p1 on [1..4], exclude pad",
    x: [1, 2, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 2, stride: 1, dilation: 2, padding: 1, countIncludePad: false },
    y: [2, 2, 3, 3],
    yShape: [1, 1, 4],
    dx: [0.5, 1.5, 1.5, 0.5],
  },
  {
    name: "window without input elements (k2 d3 pads [1, 2] on x=1) -> 0, no gradient",
    x: [5],
    shape: [1, 1, 1],
    options: { kernelSize: 2, dilation: 3, padding: [1, 2], countIncludePad: false },
    y: [0],
    yShape: [1, 1, 1],
    dx: [0],
  },
  {
    name: "±Infinity and NaN propagate: [Inf, 1, Inf, −Inf, NaN, 2] k2",
    x: [I, 1, I, -I, NaN, 2],
    shape: [1, 1, 6],
    options: { kernelSize: 2 },
    y: [I, NaN, NaN],
    yShape: [1, 1, 3],
    dx: new Array(6).fill(0.5),
  },
  {
    name: "planes are independent: x=[2,3,4] k2 arange",
    x: range(24),
    shape: [2, 3, 4],
    options: { kernelSize: 2 },
    y: range(6).flatMap((p) => [4 * p + 0.5, 4 * p + 2.5]),
    yShape: [2, 3, 2],
    dx: new Array(24).fill(0.5),
  },
];

const close = (dtype: string): number => (dtype === "float32" ? 1e-6 : 1e-12);

Deno.test("avgPool()", async (t) => {
  for (const impl of IMPLS) {
    for (const c of CASES) {
      await t.step(`${impl}: ${c.name}`, () => {
        for (const dtype of DTYPES) {
          const x = tensor(c.x, c.shape, dtype);
          const options = { ...c.options, impl };
          const label = `${impl} ${dtype}`;
          assertValues(avgPool(x, options), c.y, c.yShape, `${label} output`, close(dtype));
          const gy = tensor(c.gy ?? new Array(c.y.length).fill(1), c.yShape, dtype);
          const dx = avgPoolBackward(gy, { input: x }, options).input;
          assertValues(dx, c.dx, c.shape, `${label} gradient`, close(dtype));
        }
      });
    }
    await t.step(`${impl}: 6×6 arange k3 s2 p1 ceil include pad: 14/9, 96/6, 35/4`, () => {
      const y = avgPool(Tensor.arange([1, 1, 6, 6], { dtype: "float64" }), {
        kernelSize: 3,
        stride: 2,
        padding: 1,
        ceilMode: true,
        impl,
      });
      // Corner (0,0): (0+1+6+7)/9; edge (3,1): row 5, columns 1..3 over 2·3; corner (3,3): x[5][5]/4.
      assertEquals([y.get(0, 0, 0, 0), y.get(0, 0, 3, 1), y.get(0, 0, 3, 3)], [14 / 9, 16, 8.75]);
    });
  }

  await t.step("modules AvgPool1d/2d/3d match the hand-computed cases", () => {
    const classes = [AvgPool1d, AvgPool2d, AvgPool3d];
    for (const impl of IMPLS) {
      for (const c of CASES) {
        const pool = new classes[c.shape.length - 3]({ ...c.options, impl });
        const x = tensor(c.x, c.shape, "float64");
        assertValues(pool.forward(x), c.y, c.yShape, `${impl} ${c.name} forward`, 1e-12);
        const gy = tensor(c.gy ?? new Array(c.y.length).fill(1), c.yShape, "float64");
        assertValues(pool.backward(gy), c.dx, c.shape, `${impl} ${c.name} backward`, 1e-12);
        assertEquals(pool.parameters(), []);
      }
    }
  });

  await t.step("finite differences (float64): all ranks, ceil, pads, both divisor rules", () => {
    const configs: [number[], AvgPoolOptions][] = [
      [[2, 2, 7], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }],
      [[2, 2, 7], {
        kernelSize: 3,
        stride: 2,
        padding: [2, 1],
        ceilMode: true,
        countIncludePad: false,
      }],
      [[1, 2, 5, 6], {
        kernelSize: [2, 3],
        stride: [2, 1],
        padding: [1, 0, 0, 2],
        ceilMode: true,
        countIncludePad: false,
      }],
      [[1, 1, 6, 6], { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }],
      [[1, 1, 4, 3, 5], { kernelSize: [2, 2, 3], stride: [1, 2, 2], padding: 1, ceilMode: true }],
      [[1, 1, 4, 3, 5], { kernelSize: 2, stride: 1, divisorOverride: 3 }],
      [[1, 1, 5, 5], { kernelSize: 2, stride: 1, dilation: 2, padding: 1, countIncludePad: false }],
    ];
    for (const [i, [shape, options]] of configs.entries()) {
      const x = Tensor.randn(shape, { seed: i, dtype: "float64" });
      const f = (t: Tensor): Tensor => avgPool(t, { ...options, impl: "reference" });
      const y = f(x);
      const gy = Tensor.randn(y.shape, { seed: 100 + i, dtype: "float64" });
      const expected = numericalGradient(f, x, gy);
      for (const impl of IMPLS) {
        const dx = avgPoolBackward(gy, { input: x }, { ...options, impl }).input;
        assertTensorClose(dx, expected, { rtol: 1e-6, atol: 1e-8 }, `${impl} ${shape}`);
      }
    }
  });

  await t.step("reference and fast agree on a seeded random grid", () => {
    const rng = new Random(7);
    let checked = 0;
    for (let trial = 0; trial < 250; trial++) {
      const rank = 1 + rng.integer(3);
      const spatial = range(rank).map(() => 1 + rng.integer(rank === 3 ? 5 : 8));
      const kernel = range(rank).map(() => 1 + rng.integer(3));
      const dilation = range(rank).map(() => (trial % 4 === 0 ? 1 + rng.integer(2) : 1));
      const eff = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
      const options: AvgPoolOptions = {
        kernelSize: kernel,
        stride: range(rank).map(() => 1 + rng.integer(3)),
        dilation,
        padding: [...eff, ...eff].map((e) => rng.integer(e)),
        ceilMode: rng.integer(2) === 1,
        countIncludePad: rng.integer(2) === 1,
        divisorOverride: trial % 7 === 0 ? 1 + rng.integer(5) : undefined,
      };
      const dtype = DTYPES[rng.integer(2)];
      const x = randomInput(
        [1 + rng.integer(2), 1 + rng.integer(3), ...spatial],
        rng,
        dtype,
        false,
      );
      let ref: Tensor;
      try {
        ref = avgPool(x, { ...options, impl: "reference" });
      } catch (error) {
        if (error instanceof RangeError && error.message.includes("output size")) continue;
        throw error;
      }
      const label = `trial ${trial} x=${x.shape} ${JSON.stringify(options)}`;
      const tol = { rtol: close(dtype), atol: close(dtype) };
      assertTensorClose(avgPool(x, { ...options, impl: "fast" }), ref, tol, label);
      const gy = randomInput(ref.shape, rng, dtype, false);
      const dRef = avgPoolBackward(gy, { input: x }, { ...options, impl: "reference" }).input;
      const dFast = avgPoolBackward(gy, { input: x }, { ...options, impl: "fast" }).input;
      assertTensorClose(dFast, dRef, tol, label);
      checked++;
    }
    if (checked < 150) throw new Error(`only ${checked} valid configurations`);
  });

  await t.step("errors name op, argument, rule and value", () => {
    const x = Tensor.arange([1, 1, 4, 4]);
    assertThrows(
      () => avgPool(Tensor.arange([1, 1, 1, 1, 1, 4]), { kernelSize: 2 }),
      TypeError,
      "Cannot compute avgPool: input must have rank 3, 4 or 5",
    );
    assertThrows(
      () => avgPool(x, {} as AvgPoolOptions),
      TypeError,
      "avgPool2d: kernelSize is required",
    );
    assertThrows(
      () => avgPool(x, { kernelSize: 2, divisorOverride: 0 }),
      RangeError,
      "avgPool2d: divisorOverride must be non-zero, got 0",
    );
    assertThrows(
      () => avgPool(x, { kernelSize: 2, divisorOverride: 1.5 }),
      TypeError,
      "divisorOverride must be an integer, got 1.5",
    );
    assertThrows(
      () => avgPool(x, { kernelSize: 2, countIncludePad: "no" as unknown as boolean }),
      TypeError,
      'countIncludePad must be a boolean, got "no"',
    );
    assertThrows(
      () => avgPool(Tensor.arange([1, 1, 6]), { kernelSize: 3, padding: [0, 3] }),
      RangeError,
      "avgPool1d: padding must be smaller than the effective kernel",
    );
    assertThrows(
      () => avgPool(x, { kernelSize: 2, stride: 0 }),
      RangeError,
      "stride must be positive, got 0",
    );
    assertThrows(
      () => avgPool(Tensor.arange([1, 1, 2, 2, 2]), { kernelSize: 3 }),
      RangeError,
      "avgPool3d: output size must be at least 1 on spatial axis 0",
    );
    assertThrows(
      () =>
        avgPoolBackward(Tensor.zeros([1, 1, 1, 1, 1]), { input: Tensor.zeros([1, 1, 4, 4, 4]) }, {
          kernelSize: 2,
        }),
      TypeError,
      "avgPool3d backward: gradOutput shape must equal the forward output shape [1, 1, 2, 2, 2], " +
        "got [1, 1, 1, 1, 1]",
    );
    assertThrows(
      () =>
        avgPoolBackward(Tensor.zeros([1, 1, 2, 2]), null as unknown as { input: Tensor }, {
          kernelSize: 2,
        }),
      TypeError,
      "avgPool backward: saved.input must be the forward input Tensor",
    );
  });

  await t.step("module errors", () => {
    assertThrows(
      () => new AvgPool2d({ kernelSize: 2, divisorOverride: 0 }),
      RangeError,
      "avgPool2d: divisorOverride must be non-zero",
    );
    assertThrows(
      () => new AvgPool1d({ kernelSize: [2, 2] }),
      TypeError,
      "avgPool1d: kernelSize must have one entry per spatial axis (1), got [2, 2]",
    );
    const pool = new AvgPool3d({ kernelSize: 2 });
    assertThrows(
      () => pool.backward(Tensor.zeros([1, 1, 1, 1, 1])),
      Error,
      "avgPool3d backward: call forward first",
    );
    assertThrows(
      () => pool.forward(Tensor.zeros([1, 1, 4, 4])),
      TypeError,
      "avgPool3d: input must have rank 5 ([N, C, D, H, W]), got shape [1, 1, 4, 4]",
    );
  });
});
