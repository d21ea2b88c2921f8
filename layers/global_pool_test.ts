import { assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import { assertValues, DTYPES, IMPLS, shuffledArange, tensor } from "./_pool_test_util.ts";
import { avgPool } from "./avg_pool.ts";
import {
  GlobalAvgPool,
  globalAvgPool,
  globalAvgPoolBackward,
  GlobalMaxPool,
  globalMaxPool,
  globalMaxPoolBackward,
} from "./global_pool.ts";
import { maxPool } from "./max_pool.ts";
import { Tensor } from "./tensor.ts";

const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
const I = Infinity;

/** A hand-computed case for both global pools. */
interface Case {
  name: string;
  x: number[];
  shape: number[];
  gy: number[];
  avg: number[];
  avgDx: number[];
  max: number[];
  maxDx: number[];
}

const CASES: Case[] = [
  {
    // Plane p holds 4p..4p+3: mean 4p + 1.5, max 4p + 3.
    name: "arange x=[2,3,2,2], gy = 1..6",
    x: range(24),
    shape: [2, 3, 2, 2],
    gy: range(6, 1),
    avg: range(6).map((p) => 4 * p + 1.5),
    avgDx: range(6).flatMap((p) => new Array(4).fill((p + 1) / 4)),
    max: range(6).map((p) => 4 * p + 3),
    maxDx: range(6).flatMap((p) => [0, 0, 0, p + 1]),
  },
  {
    name: "1-D x=[1,2,5] arange",
    x: range(10),
    shape: [1, 2, 5],
    gy: [1, 1],
    avg: [2, 7],
    avgDx: new Array(10).fill(0.2),
    max: [4, 9],
    maxDx: [0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  },
  {
    name: "3-D x=[1,1,2,2,2] arange",
    x: range(8),
    shape: [1, 1, 2, 2, 2],
    gy: [8],
    avg: [3.5],
    avgDx: new Array(8).fill(1),
    max: [7],
    maxDx: [0, 0, 0, 0, 0, 0, 0, 8],
  },
  {
    name: "four spatial axes x=[1,1,2,2,2,2] arange",
    x: range(16),
    shape: [1, 1, 2, 2, 2, 2],
    gy: [16],
    avg: [7.5],
    avgDx: new Array(16).fill(1),
    max: [15],
    maxDx: [...new Array(15).fill(0), 16],
  },
  {
    name: "ties [[1,5],[5,1]]: max gradient to the first maximum",
    x: [1, 5, 5, 1],
    shape: [1, 1, 2, 2],
    gy: [1],
    avg: [3],
    avgDx: [0.25, 0.25, 0.25, 0.25],
    max: [5],
    maxDx: [0, 1, 0, 0],
  },
  {
    name: "ties: all equal",
    x: [2, 2, 2],
    shape: [1, 1, 3],
    gy: [1],
    avg: [2],
    avgDx: [1 / 3, 1 / 3, 1 / 3],
    max: [2],
    maxDx: [1, 0, 0],
  },
  {
    name: "NaN wins; with several NaNs the last takes the gradient",
    x: [1, NaN, 3, NaN],
    shape: [1, 1, 4],
    gy: [1],
    avg: [NaN],
    avgDx: [0.25, 0.25, 0.25, 0.25],
    max: [NaN],
    maxDx: [0, 0, 0, 1],
  },
  {
    name: "±Infinity: [−Inf, −Inf] and [Inf, 1, Inf]",
    x: [-I, -I, I, 1],
    shape: [2, 1, 2],
    gy: [1, 1],
    avg: [-I, I],
    avgDx: [0.5, 0.5, 0.5, 0.5],
    max: [-I, I],
    maxDx: [1, 0, 1, 0],
  },
];

Deno.test("globalAvgPool() and globalMaxPool()", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, () => {
      for (const dtype of DTYPES) {
        const x = tensor(c.x, c.shape, dtype);
        const yShape = [c.shape[0], c.shape[1], ...c.shape.slice(2).map(() => 1)];
        const gy = tensor(c.gy, yShape, dtype);
        const tol = dtype === "float32" ? 1e-6 : 1e-12;
        assertValues(globalAvgPool(x), c.avg, yShape, `${dtype} avg`, tol);
        assertValues(
          globalAvgPoolBackward(gy, { input: x }).input,
          c.avgDx,
          c.shape,
          "avg dx",
          tol,
        );
        assertValues(globalMaxPool(x), c.max, yShape, `${dtype} max`);
        assertValues(globalMaxPoolBackward(gy, { input: x }).input, c.maxDx, c.shape, "max dx");
        const avgModule = new GlobalAvgPool(), maxModule = new GlobalMaxPool();
        assertValues(avgModule.forward(x), c.avg, yShape, "GlobalAvgPool", tol);
        assertValues(avgModule.backward(gy), c.avgDx, c.shape, "GlobalAvgPool dx", tol);
        assertValues(maxModule.forward(x), c.max, yShape, "GlobalMaxPool");
        assertValues(maxModule.backward(gy), c.maxDx, c.shape, "GlobalMaxPool dx");
        assertEquals(maxModule.parameters(), []);
      }
    });
  }

  await t.step("finite differences (float64)", () => {
    for (const [i, shape] of [[2, 3, 5], [1, 2, 3, 4], [1, 1, 2, 3, 2]].entries()) {
      const gy = Tensor.randn([shape[0], shape[1], ...shape.slice(2).map(() => 1)], {
        seed: i,
        dtype: "float64",
      });
      const xa = Tensor.randn(shape, { seed: 10 + i, dtype: "float64" });
      assertTensorClose(
        globalAvgPoolBackward(gy, { input: xa }).input,
        numericalGradient(globalAvgPool, xa, gy),
        { rtol: 1e-6, atol: 1e-8 },
        `avg ${shape}`,
      );
      const xm = shuffledArange(shape, i);
      assertTensorClose(
        globalMaxPoolBackward(gy, { input: xm }).input,
        numericalGradient(globalMaxPool, xm, gy, 1e-3),
        { rtol: 1e-9, atol: 1e-9 },
        `max ${shape}`,
      );
    }
  });

  await t.step("agree with avgPool / maxPool over the whole spatial extent", () => {
    for (const shape of [[2, 3, 5], [1, 2, 3, 4], [1, 1, 2, 3, 2]]) {
      const x = Tensor.randn(shape, { seed: shape.length });
      const kernelSize = shape.slice(2);
      for (const impl of IMPLS) {
        assertTensorClose(globalAvgPool(x), avgPool(x, { kernelSize, impl }), { rtol: 1e-6 });
        assertTensorClose(globalMaxPool(x), maxPool(x, { kernelSize, impl }), { rtol: 0, atol: 0 });
      }
    }
  });

  await t.step("errors", () => {
    assertThrows(
      () => globalAvgPool(Tensor.zeros([2, 3])),
      TypeError,
      "Cannot compute globalAvgPool: input must be a Tensor [N, C, *spatial] with at least one " +
        "spatial axis, got shape [2, 3]",
    );
    assertThrows(
      () => globalMaxPool(Tensor.zeros([1, 2, 0, 3])),
      RangeError,
      "globalMaxPool: spatial axes must not be empty, got shape [1, 2, 0, 3]",
    );
    assertThrows(
      () => globalMaxPoolBackward(Tensor.zeros([1, 2, 1]), { input: Tensor.zeros([1, 2, 3, 3]) }),
      TypeError,
      "globalMaxPool backward: gradOutput shape must equal the forward output shape " +
        "[1, 2, 1, 1], got [1, 2, 1]",
    );
    assertThrows(
      () => globalAvgPoolBackward(Tensor.zeros([1, 1, 1]), {} as { input: Tensor }),
      TypeError,
      "globalAvgPool backward: saved.input must be the forward input Tensor",
    );
    assertThrows(
      () => new GlobalMaxPool().backward(Tensor.zeros([1, 1, 1])),
      Error,
      "globalMaxPool backward: call forward first",
    );
    assertThrows(
      () => new GlobalAvgPool().backward(Tensor.zeros([1, 1, 1])),
      Error,
      "globalAvgPool backward: call forward first",
    );
  });
});
