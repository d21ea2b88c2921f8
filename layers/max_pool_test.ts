import { assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import {
  assertValues,
  DTYPES,
  IMPLS,
  randomInput,
  shuffledArange,
  tensor,
} from "./_pool_test_util.ts";
import {
  maxPool,
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  maxPoolBackward,
  type MaxPoolOptions,
  maxPoolWithIndices,
} from "./max_pool.ts";
import { Random } from "./random.ts";
import { Tensor } from "./tensor.ts";

/** A hand-computed case: expected output, input gradient and (optionally) indices. */
interface Case {
  name: string;
  x: number[];
  shape: number[];
  options: Omit<MaxPoolOptions, "impl">;
  y: number[];
  yShape: number[];
  /** Upstream gradient; ones when omitted. */
  gy?: number[];
  dx: number[];
  indices?: number[];
}

const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
const I = Infinity;

// Every expected value below is worked out by hand from the window definitions (see the step
// names); the gradient puts each window's upstream gradient on its first maximum.
const CASES: Case[] = [
  {
    name: "arange x=[1,1,4,4] k=2",
    x: range(16),
    shape: [1, 1, 4, 4],
    options: { kernelSize: 2 },
    y: [5, 7, 13, 15],
    yShape: [1, 1, 2, 2],
    dx: [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],
    indices: [5, 7, 13, 15],
  },
  {
    name: "arange x=[1,1,2,4,4] k=2 (3-D)",
    x: range(32),
    shape: [1, 1, 2, 4, 4],
    options: { kernelSize: 2 },
    y: [21, 23, 29, 31],
    yShape: [1, 1, 1, 2, 2],
    dx: range(32).map((i) => [21, 23, 29, 31].includes(i) ? 1 : 0),
  },
  {
    // Plane p holds 5p..5p+4; windows [i, i+1] take the right element.
    name: "arange x=[2,3,5] k=2 s=1: planes are independent",
    x: range(30),
    shape: [2, 3, 5],
    options: { kernelSize: 2, stride: 1 },
    y: range(6).flatMap((p) => [5 * p + 1, 5 * p + 2, 5 * p + 3, 5 * p + 4]),
    yShape: [2, 3, 4],
    dx: range(6).flatMap(() => [0, 1, 1, 1, 1]),
    indices: range(6).flatMap(() => [1, 2, 3, 4]),
  },
  {
    // Windows start at −1, 1, 3; a 4th would start at 5 = in the end padding -> dropped.
    name: "ceil: x=5 k2 s2 p1 ceil -> 3 (not 4)",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 2, stride: 2, padding: 1, ceilMode: true },
    y: [1, 3, 5],
    yShape: [1, 1, 3],
    dx: [1, 0, 1, 0, 1],
  },
  {
    // Windows [−2,2), [2,6), [6,10).
    name: "ceil: x=9 k4 s4 p2 ceil -> 3",
    x: range(9, 1),
    shape: [1, 1, 9],
    options: { kernelSize: 4, stride: 4, padding: 2, ceilMode: true },
    y: [2, 6, 9],
    yShape: [1, 1, 3],
    dx: [0, 1, 0, 0, 0, 1, 0, 0, 1],
  },
  {
    name: "ceil: x=5 k1 s3 ceil -> 2 (no window wholly outside)",
    x: [1, 2, 3, 4, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 1, stride: 3, ceilMode: true },
    y: [1, 4],
    yShape: [1, 1, 2],
    dx: [1, 0, 0, 1, 0],
  },
  {
    name: "floor: x=7 k3 s3 -> 2, the 7th element gets no gradient",
    x: range(7, 1),
    shape: [1, 1, 7],
    options: { kernelSize: 3, stride: 3 },
    y: [3, 6],
    yShape: [1, 1, 2],
    dx: [0, 0, 1, 0, 0, 1, 0],
  },
  {
    // Taps at start and start+2 for starts −1, 1, 3, 5, 7: (pad,9) (9,8) (8,7) (7,6) (6,pad).
    name: "dilated 1-D [1,9,2,8,3,7,4,6,5] k2 p1 d2",
    x: [1, 9, 2, 8, 3, 7, 4, 6, 5],
    shape: [1, 1, 9],
    options: { kernelSize: 2, padding: 1, dilation: 2 },
    y: [9, 9, 8, 7, 6],
    yShape: [1, 1, 5],
    dx: [0, 2, 0, 1, 0, 1, 0, 1, 0],
    indices: [1, 1, 3, 5, 7],
  },
  {
    // Rows {oh, oh+2}, columns {ow, ow+1}.
    name: "dilation (2,1): x=4×4 k2 s1",
    x: [5, 0, 3, 1, 2, 9, 4, 7, 8, 6, 15, 10, 11, 12, 13, 14],
    shape: [1, 1, 4, 4],
    options: { kernelSize: 2, stride: 1, dilation: [2, 1] },
    y: [8, 15, 15, 12, 13, 14],
    yShape: [1, 1, 2, 3],
    dx: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 1, 1],
    indices: [8, 10, 10, 13, 14, 15],
  },
  {
    // Rows {oh, oh+1}, columns {ow, ow+2}.
    name: "dilation (1,2): x=4×4 k2 s1",
    x: [5, 0, 3, 1, 2, 9, 4, 7, 8, 6, 15, 10, 11, 12, 13, 14],
    shape: [1, 1, 4, 4],
    options: { kernelSize: 2, stride: 1, dilation: [1, 2] },
    y: [5, 9, 15, 10, 15, 14],
    yShape: [1, 1, 3, 2],
    dx: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 1, 0, 0, 0, 1],
  },
  {
    name: "ties [[1,5],[5,1]] k2: gradient to the first maximum",
    x: [1, 5, 5, 1],
    shape: [1, 1, 2, 2],
    options: { kernelSize: 2 },
    y: [5],
    yShape: [1, 1, 1, 1],
    dx: [0, 1, 0, 0],
    indices: [1],
  },
  {
    name: "ties: all-equal 3×3 k2 s1, each window's first tap",
    x: new Array(9).fill(7),
    shape: [1, 1, 3, 3],
    options: { kernelSize: 2, stride: 1 },
    y: [7, 7, 7, 7],
    yShape: [1, 1, 2, 2],
    dx: [1, 1, 0, 1, 1, 0, 0, 0, 0],
  },
  {
    name: "ties: all-equal 2×2×2 k2 (3-D)",
    x: new Array(8).fill(-3),
    shape: [1, 1, 2, 2, 2],
    options: { kernelSize: 2 },
    y: [-3],
    yShape: [1, 1, 1, 1, 1],
    dx: [1, 0, 0, 0, 0, 0, 0, 0],
  },
  {
    // x[d][h][w] = 12d + 4h + w; window (od, oh, ow) wins at (od, oh+1, ow+2).
    name: "3-D kernel 1×2×3 s1, ascending arange [2,3,4]",
    x: range(24),
    shape: [1, 1, 2, 3, 4],
    options: { kernelSize: [1, 2, 3], stride: 1 },
    y: [6, 7, 10, 11, 18, 19, 22, 23],
    yShape: [1, 1, 2, 2, 2],
    dx: range(24).map((i) => [6, 7, 10, 11, 18, 19, 22, 23].includes(i) ? 1 : 0),
  },
  {
    // x = 23 − arange; window (od, oh, ow) wins at its first tap (od, oh, ow).
    name: "3-D kernel 1×2×3 s1, descending arange [2,3,4]",
    x: range(24).map((i) => 23 - i),
    shape: [1, 1, 2, 3, 4],
    options: { kernelSize: [1, 2, 3], stride: 1 },
    y: [23, 22, 19, 18, 11, 10, 7, 6],
    yShape: [1, 1, 2, 2, 2],
    dx: range(24).map((i) => [0, 1, 4, 5, 12, 13, 16, 17].includes(i) ? 1 : 0),
    indices: [0, 1, 4, 5, 12, 13, 16, 17],
  },
  {
    name: "3-D kernel 1×2×3, stride = kernel",
    x: range(24),
    shape: [1, 1, 2, 3, 4],
    options: { kernelSize: [1, 2, 3] },
    y: [6, 18],
    yShape: [1, 1, 2, 1, 1],
    dx: range(24).map((i) => i === 6 || i === 18 ? 1 : 0),
  },
  {
    name: "NaN window [1, NaN, 3, 4] k2: NaN wins, gradient to the NaN",
    x: [1, NaN, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 2 },
    y: [NaN, 4],
    yShape: [1, 1, 2],
    dx: [0, 1, 0, 1],
    indices: [1, 3],
  },
  {
    name: "NaN window [1, NaN, 3, 4] k2 s1: a later larger value does not beat NaN",
    x: [1, NaN, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 2, stride: 1 },
    y: [NaN, NaN, 4],
    yShape: [1, 1, 3],
    dx: [0, 2, 0, 1],
  },
  {
    name: "NaN window [1, NaN, 3, 4] k4",
    x: [1, NaN, 3, 4],
    shape: [1, 1, 4],
    options: { kernelSize: 4 },
    y: [NaN],
    yShape: [1, 1, 1],
    dx: [0, 1, 0, 0],
  },
  {
    name: "several NaNs [NaN, 1, NaN] k3: the last NaN takes the gradient (PyTorch CPU)",
    x: [NaN, 1, NaN],
    shape: [1, 1, 3],
    options: { kernelSize: 3 },
    y: [NaN],
    yShape: [1, 1, 1],
    dx: [0, 0, 1],
    indices: [2],
  },
  {
    name: "overlap k3 s1 p1 [3,1,4,1,5]: gradients accumulate",
    x: [3, 1, 4, 1, 5],
    shape: [1, 1, 5],
    options: { kernelSize: 3, stride: 1, padding: 1 },
    y: [3, 4, 4, 5, 5],
    yShape: [1, 1, 5],
    dx: [1, 0, 2, 0, 2],
  },
  {
    // Windows (pad,1,9) (9,2,8) (8,3,pad); the shared 9 collects 1 + 10.
    name: "overlap k3 s2 p1 [1,9,2,8,3], gy [1,10,100]",
    x: [1, 9, 2, 8, 3],
    shape: [1, 1, 5],
    options: { kernelSize: 3, stride: 2, padding: 1 },
    y: [9, 9, 8],
    yShape: [1, 1, 3],
    gy: [1, 10, 100],
    dx: [0, 11, 0, 100, 0],
  },
  {
    name: "±Infinity [−Inf, −Inf, 1, Inf] k2: all −Inf window gives its first tap",
    x: [-I, -I, 1, I],
    shape: [1, 1, 4],
    options: { kernelSize: 2 },
    y: [-I, I],
    yShape: [1, 1, 2],
    dx: [1, 0, 0, 1],
    indices: [0, 3],
  },
  {
    name: "padding counts as −Infinity yet never wins: [−Inf] k2 s1 p1",
    x: [-I],
    shape: [1, 1, 1],
    options: { kernelSize: 2, stride: 1, padding: 1 },
    y: [-I, -I],
    yShape: [1, 1, 2],
    dx: [2],
    indices: [0, 0],
  },
  {
    name: "same: x=3×3 arange k3 s1",
    x: range(9),
    shape: [1, 1, 3, 3],
    options: { kernelSize: 3, stride: 1, padding: "same" },
    y: [4, 5, 5, 7, 8, 8, 7, 8, 8],
    yShape: [1, 1, 3, 3],
    dx: [0, 0, 0, 0, 1, 2, 0, 2, 4],
  },
  {
    // SAME_UPPER pads 0/1: [0,1] [2,3] [4,pad].
    name: "same (upper): x=5 k2 s2, the odd pad at the end",
    x: range(5),
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: "same" },
    y: [1, 3, 4],
    yShape: [1, 1, 3],
    dx: [0, 1, 0, 1, 1],
  },
  {
    // SAME_LOWER pads 1/0: [pad,0] [1,2] [3,4].
    name: "same_lower: x=5 k2 s2, the odd pad at the start",
    x: range(5),
    shape: [1, 1, 5],
    options: { kernelSize: 2, padding: "same_lower" },
    y: [0, 2, 4],
    yShape: [1, 1, 3],
    dx: [1, 0, 1, 0, 1],
  },
  {
    // Rows {oh−1, oh}, columns {ow, ow+1}.
    name: "ONNX pads [1, 0, 0, 1] (h_begin, w_begin, h_end, w_end): x=3×3 arange k2 s1",
    x: range(9),
    shape: [1, 1, 3, 3],
    options: { kernelSize: 2, stride: 1, padding: [1, 0, 0, 1] },
    y: [1, 2, 2, 4, 5, 5, 7, 8, 8],
    yShape: [1, 1, 3, 3],
    dx: [0, 1, 2, 0, 1, 2, 0, 1, 2],
  },
  {
    // Effective kernel 4; the taps −1 and 2 both miss the one-element input.
    name: "window without input elements (k2 d3 pads [1, 2] on x=1): −Inf, index −1",
    x: [5],
    shape: [1, 1, 1],
    options: { kernelSize: 2, dilation: 3, padding: [1, 2] },
    y: [-I],
    yShape: [1, 1, 1],
    dx: [0],
    indices: [-1],
  },
];

Deno.test("maxPool()", async (t) => {
  for (const impl of IMPLS) {
    for (const c of CASES) {
      await t.step(`${impl}: ${c.name}`, () => {
        for (const dtype of DTYPES) {
          const x = tensor(c.x, c.shape, dtype);
          const options = { ...c.options, impl };
          const label = `${impl} ${dtype}`;
          const { output, indices } = maxPoolWithIndices(x, options);
          assertValues(output, c.y, c.yShape, `${label} output`);
          assertValues(maxPool(x, options), c.y, c.yShape, `${label} maxPool`);
          if (c.indices) assertEquals(Array.from(indices), c.indices);
          const gy = tensor(c.gy ?? new Array(c.y.length).fill(1), c.yShape, dtype);
          const dx = maxPoolBackward(gy, { input: x }, options).input;
          assertValues(dx, c.dx, c.shape, `${label} gradient`);
          const viaIndices = maxPoolBackward(gy, { input: x, indices }, options).input;
          assertValues(viaIndices, c.dx, c.shape, `${label} gradient from indices`);
        }
      });
    }
  }

  await t.step("modules MaxPool1d/2d/3d match the hand-computed cases", () => {
    const classes = [MaxPool1d, MaxPool2d, MaxPool3d];
    for (const impl of IMPLS) {
      for (const c of CASES) {
        const pool = new classes[c.shape.length - 3]({ ...c.options, impl });
        const x = tensor(c.x, c.shape, "float32");
        assertValues(pool.forward(x), c.y, c.yShape, `${impl} ${c.name} forward`);
        const gy = tensor(c.gy ?? new Array(c.y.length).fill(1), c.yShape, "float32");
        assertValues(pool.backward(gy), c.dx, c.shape, `${impl} ${c.name} backward`);
        assertEquals(pool.parameters(), []);
      }
    }
  });

  await t.step("finite differences (float64, shuffled arange: no ties)", () => {
    const configs: [number[], MaxPoolOptions][] = [
      [[2, 2, 7], { kernelSize: 3, stride: 2, padding: 1 }],
      [[1, 2, 5, 6], { kernelSize: [2, 3], stride: [2, 1], padding: [1, 0, 0, 1], ceilMode: true }],
      [[1, 2, 5, 5], { kernelSize: 2, stride: 1, dilation: [2, 1], padding: [1, 1] }],
      [[1, 1, 4, 3, 5], { kernelSize: 2, stride: [1, 2, 2], dilation: [1, 1, 2], padding: 1 }],
    ];
    for (const [i, [shape, options]] of configs.entries()) {
      const x = shuffledArange(shape, i);
      const f = (t: Tensor): Tensor => maxPool(t, { ...options, impl: "reference" });
      const y = f(x);
      const gy = new Tensor(Float64Array.from(y.data, (_, j) => ((j * 7) % 5) - 2), y.shape);
      const expected = numericalGradient(f, x, gy, 1e-3);
      for (const impl of IMPLS) {
        const dx = maxPoolBackward(gy, { input: x }, { ...options, impl }).input;
        assertTensorClose(dx, expected, { rtol: 1e-9, atol: 1e-9 }, `${impl} ${shape}`);
      }
    }
  });

  await t.step("reference and fast agree on a seeded random grid (bit-identical forward)", () => {
    const rng = new Random(2024);
    let checked = 0;
    for (let trial = 0; trial < 250; trial++) {
      const rank = 1 + rng.integer(3);
      const spatial = range(rank).map(() => 1 + rng.integer(rank === 3 ? 5 : 8));
      const kernel = range(rank).map(() => 1 + rng.integer(3));
      const dilation = range(rank).map(() => 1 + rng.integer(2));
      const eff = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
      const pads = [...eff, ...eff].map((e) => rng.integer(e));
      const options: MaxPoolOptions = {
        kernelSize: kernel,
        stride: range(rank).map(() => 1 + rng.integer(3)),
        dilation,
        padding: pads,
        ceilMode: rng.integer(2) === 1,
      };
      const dtype = DTYPES[rng.integer(2)];
      const x = randomInput(
        [1 + rng.integer(2), 1 + rng.integer(3), ...spatial],
        rng,
        dtype,
        trial % 2 === 0,
      );
      if (trial % 5 === 0) x.data[rng.integer(x.size)] = [NaN, Infinity, -Infinity][rng.integer(3)];
      let ref;
      try {
        ref = maxPoolWithIndices(x, { ...options, impl: "reference" });
      } catch (error) {
        if (error instanceof RangeError && error.message.includes("output size")) continue;
        throw error;
      }
      const fast = maxPoolWithIndices(x, { ...options, impl: "fast" });
      const label = `trial ${trial} x=${x.shape} ${JSON.stringify(options)}`;
      assertEquals(Array.from(fast.output.data), Array.from(ref.output.data), label);
      assertEquals(Array.from(fast.indices), Array.from(ref.indices), label);
      const gy = randomInput(ref.output.shape, rng, dtype, false);
      const dRef = maxPoolBackward(gy, { input: x }, { ...options, impl: "reference" }).input;
      const dFast = maxPoolBackward(gy, { input: x }, { ...options, impl: "fast" }).input;
      assertTensorClose(dFast, dRef, { rtol: 1e-6, atol: 1e-6 }, label);
      checked++;
    }
    if (checked < 150) throw new Error(`only ${checked} valid configurations`);
  });

  await t.step("errors name op, argument, rule and value", () => {
    const x = Tensor.arange([1, 1, 4, 4]);
    assertThrows(
      () => maxPool(Tensor.arange([4, 4]), { kernelSize: 2 }),
      TypeError,
      "Cannot compute maxPool: input must have rank 3, 4 or 5",
    );
    assertThrows(
      () => maxPool([1, 2] as unknown as Tensor, { kernelSize: 2 }),
      TypeError,
      "input must be a Tensor",
    );
    assertThrows(
      () => maxPool(x, {} as MaxPoolOptions),
      TypeError,
      "Cannot compute maxPool2d: kernelSize is required",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 0 }),
      RangeError,
      "maxPool2d: kernelSize must be positive, got 0",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: [2] }),
      TypeError,
      "kernelSize must have one entry per spatial axis (2), got [2]",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2.5 }),
      TypeError,
      "kernelSize must contain integers, got 2.5",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2, stride: [1, 0] }),
      RangeError,
      "stride must be positive, got [1, 0]",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2, dilation: 0 }),
      RangeError,
      "dilation must be positive, got 0",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2, padding: -1 }),
      RangeError,
      "padding must be non-negative, got -1",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2, padding: [0, 0, 0, 2] }),
      RangeError,
      "padding must be smaller than the effective kernel dilation × (kernel − 1) + 1 on every " +
        "axis: pads [0, 0] (begin) / [0, 2] (end), effective kernel [2, 2]",
    );
    // The limit uses the effective kernel: pad 2 < 3 = 2·(2 − 1) + 1.
    assertEquals(maxPool(x, { kernelSize: 2, dilation: 2, padding: 2 }).shape, [1, 1, 3, 3]);
    assertThrows(
      () => maxPool(x, { kernelSize: 5 }),
      RangeError,
      "output size must be at least 1 on spatial axis 0",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2, ceilMode: 1 as unknown as boolean }),
      TypeError,
      "ceilMode must be a boolean, got 1",
    );
    assertThrows(
      () => maxPool(x, { kernelSize: 2, impl: "gpu" as "fast" }),
      TypeError,
      'impl must be "reference" or "fast", got "gpu"',
    );
    assertThrows(
      () => maxPoolBackward(Tensor.zeros([1, 1, 3, 3]), { input: x }, { kernelSize: 2 }),
      TypeError,
      "maxPool2d backward: gradOutput shape must equal the forward output shape [1, 1, 2, 2], " +
        "got [1, 1, 3, 3]",
    );
    assertThrows(
      () => maxPoolBackward(Tensor.zeros([1, 1, 2, 2]), {} as { input: Tensor }, { kernelSize: 2 }),
      TypeError,
      "saved.input must be the forward input Tensor",
    );
    const gy = Tensor.zeros([1, 1, 2, 2]);
    assertThrows(
      () => maxPoolBackward(gy, { input: x, indices: new Int32Array(3) }, { kernelSize: 2 }),
      TypeError,
      "saved.indices must be an Int32Array of 4 elements (one per output), got 3 elements",
    );
    assertThrows(
      () =>
        maxPoolBackward(gy, { input: x, indices: Int32Array.of(0, 1, 16, 2) }, { kernelSize: 2 }),
      RangeError,
      "saved.indices must lie in [-1, 16) (offsets into an input plane), got 16 at position 2",
    );
  });

  await t.step("module errors", () => {
    assertThrows(
      () => new MaxPool2d({} as MaxPoolOptions),
      TypeError,
      "maxPool2d: kernelSize is required",
    );
    assertThrows(
      () => new MaxPool3d({ kernelSize: [2, 2] }),
      TypeError,
      "maxPool3d: kernelSize must have one entry per spatial axis (3), got [2, 2]",
    );
    assertThrows(
      () => new MaxPool1d({ kernelSize: 2, stride: -1 }),
      RangeError,
      "maxPool1d: stride must be positive, got -1",
    );
    const pool = new MaxPool2d({ kernelSize: 2 });
    assertThrows(
      () => pool.backward(Tensor.zeros([1, 1, 1, 1])),
      Error,
      "maxPool2d backward: call forward first",
    );
    assertThrows(
      () => pool.forward(Tensor.zeros([1, 1, 4])),
      TypeError,
      "maxPool2d: input must have rank 4 ([N, C, H, W]), got shape [1, 1, 4]",
    );
    pool.forward(Tensor.zeros([1, 1, 4, 4]));
    assertThrows(
      () => pool.backward(Tensor.zeros([1, 1, 4, 4])),
      TypeError,
      "gradOutput shape must equal the forward output shape [1, 1, 2, 2], got [1, 1, 4, 4]",
    );
  });
});
