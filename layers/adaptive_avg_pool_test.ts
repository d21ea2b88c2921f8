import { assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import {
  AdaptiveAvgPool,
  adaptiveAvgPool,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  adaptiveAvgPoolBackward,
} from "./adaptive_avg_pool.ts";
import { globalAvgPool } from "./global_pool.ts";
import { Tensor } from "./tensor.ts";

const t64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);

Deno.test("adaptiveAvgPool()", async (t) => {
  await t.step("1-D 5 -> 3: windows [0,2) [1,4) [3,5) overlap", () => {
    const y = adaptiveAvgPool(t64([0, 2, 4, 6, 8], [1, 1, 5]), 3);
    assertEquals(Array.from(y.data), [1, 4, 7]);
  });
  await t.step("2-D arange 3x3 -> 2x2 by hand: [2, 3, 5, 6]", () => {
    const y = adaptiveAvgPool(Tensor.arange([1, 1, 3, 3], { dtype: "float64" }), 2);
    assertEquals(y.shape, [1, 1, 2, 2]);
    assertEquals(Array.from(y.data), [2, 3, 5, 6]);
  });
  await t.step("2-D arange 5x7 -> [3, 4] as PyTorch F.adaptive_avg_pool2d", () => {
    const y = adaptiveAvgPool(Tensor.arange([1, 1, 5, 7], { dtype: "float64" }), [3, 4]);
    const e = [4, 5.5, 7.5, 9, 14.5, 16, 18, 19.5, 25, 26.5, 28.5, 30];
    assertTensorClose(y, t64(e, [1, 1, 3, 4]), { rtol: 1e-15, atol: 0 });
  });
  await t.step("3-D arange 2x3x4 -> [1, 2, 3] as PyTorch, and null keeps an axis", () => {
    const x = Tensor.arange([1, 1, 2, 3, 4], { dtype: "float64" });
    const y = adaptiveAvgPool(x, [1, 2, 3]);
    assertTensorClose(y, t64([8.5, 9.5, 10.5, 12.5, 13.5, 14.5], [1, 1, 1, 2, 3]), {
      rtol: 1e-15,
      atol: 0,
    });
    assertEquals(adaptiveAvgPool(x, [null, 1, null]).shape, [1, 1, 2, 1, 4]);
  });
  await t.step("output 1 = globalAvgPool; output = input size is the identity", () => {
    const x = Tensor.randn([2, 3, 4, 5], { seed: 1 });
    assertEquals(Array.from(adaptiveAvgPool(x, 1).data), Array.from(globalAvgPool(x).data));
    assertEquals(Array.from(adaptiveAvgPool(x, [4, 5]).data), Array.from(x.data));
    assertEquals(adaptiveAvgPool(x, 1).dtype, "float32");
  });
  await t.step("output larger than the input repeats elements (2 -> 3: [a, (a+b)/2, b])", () => {
    const y = adaptiveAvgPool(t64([2, 4], [1, 1, 2]), 3);
    assertEquals(Array.from(y.data), [2, 3, 4]);
  });
  await t.step("batch 0 gives an empty output", () => {
    assertEquals(adaptiveAvgPool(Tensor.zeros([0, 2, 3, 3]), 2).shape, [0, 2, 2, 2]);
  });
  await t.step("errors", () => {
    const x = Tensor.zeros([1, 1, 4, 4]);
    assertThrows(
      () => adaptiveAvgPool(x, 0),
      RangeError,
      "Cannot compute adaptiveAvgPool: outputSize must be at least 1, got 0",
    );
    assertThrows(
      () => adaptiveAvgPool(x, [2]),
      TypeError,
      "outputSize must have one entry per spatial axis (2), got [2]",
    );
    assertThrows(() => adaptiveAvgPool(x, 1.5), TypeError, "outputSize must contain integers");
    assertThrows(() => adaptiveAvgPool(x, []), TypeError, "non-empty list");
    assertThrows(
      () => adaptiveAvgPool(Tensor.zeros([1, 4]), 1),
      TypeError,
      "input must be a Tensor of rank 3, 4 or 5",
    );
    assertThrows(
      () => adaptiveAvgPool(Tensor.zeros([1, 1, 0, 3]), 1),
      RangeError,
      "spatial axes must not be empty, got input shape [1, 1, 0, 3]",
    );
  });
});

Deno.test("adaptiveAvgPoolBackward()", async (t) => {
  await t.step("1-D 5 -> 3: overlapping windows add up", () => {
    const { input } = adaptiveAvgPoolBackward(t64([2, 3, 4], [1, 1, 3]), {
      input: Tensor.zeros([1, 1, 5], "float64"),
    }, 3);
    assertEquals(Array.from(input.data), [1, 2, 1, 3, 2]);
  });
  await t.step("5x7 -> [3, 4] with g = 1..12 as PyTorch (float32 values, rtol 1e-6)", () => {
    const { input } = adaptiveAvgPoolBackward(Tensor.arange([1, 1, 3, 4], { start: 1 }), {
      input: Tensor.zeros([1, 1, 5, 7]),
    }, [3, 4]);
    const e = [
      0.25,
      0.5833333730697632,
      0.3333333432674408,
      0.8333333730697632,
      0.5,
      1.5,
      1.0,
      1.0833332538604736,
      2.0833334922790527,
      1.0,
      2.277777671813965,
      1.2777776718139648,
      3.6111111640930176,
      2.3333334922790527,
      0.8333333134651184,
      1.5,
      0.6666666865348816,
      1.4444444179534912,
      0.7777777314186096,
      2.1111111640930176,
      1.3333333730697632,
      3.0833332538604736,
      5.416666507720947,
      2.3333332538604736,
      4.94444465637207,
      2.6111111640930176,
      6.94444465637207,
      4.333333492279053,
      2.25,
      3.9166665077209473,
      1.6666666269302368,
      3.5,
      1.8333333730697632,
      4.833333492279053,
      3.0,
    ];
    assertTensorClose(input, new Tensor(e, [1, 1, 5, 7]), { rtol: 1e-6, atol: 0 });
  });
  await t.step("finite differences, float64, 1-D/2-D/3-D with overlapping windows", () => {
    const cases: [number[], (number | null)[]][] = [
      [[2, 2, 7], [3]],
      [[1, 3, 5, 6], [4, 4]],
      [[2, 1, 3, 4, 5], [2, null, 3]],
    ];
    cases.forEach(([shape, size], k) => {
      const x = Tensor.randn(shape, { seed: 20 + k, dtype: "float64" });
      const y = adaptiveAvgPool(x, size);
      const g = Tensor.randn(y.shape, { seed: 30 + k, dtype: "float64" });
      const expected = numericalGradient((v) => adaptiveAvgPool(v, size), x, g);
      assertTensorClose(adaptiveAvgPoolBackward(g, { input: x }, size).input, expected, {
        rtol: 1e-7,
        atol: 1e-9,
      });
    });
  });
  await t.step("errors", () => {
    assertThrows(
      () => adaptiveAvgPoolBackward(Tensor.zeros([1, 1, 2]), { input: Tensor.zeros([1, 1, 4]) }, 3),
      TypeError,
      "gradOutput shape must equal the forward output shape [1, 1, 3], got [1, 1, 2]",
    );
    assertThrows(
      () => adaptiveAvgPoolBackward(Tensor.zeros([1, 1, 2]), {} as { input: Tensor }, 2),
      TypeError,
      "saved.input must be the forward input Tensor",
    );
  });
});

Deno.test("AdaptiveAvgPool modules", async (t) => {
  await t.step("AdaptiveAvgPool2d(1) forward/backward", () => {
    const pool = new AdaptiveAvgPool2d(1);
    const y = pool.forward(t64([1, 3, 5, 7], [1, 1, 2, 2]));
    assertEquals(Array.from(y.data), [4]);
    assertEquals(Array.from(pool.backward(t64([8], [1, 1, 1, 1])).data), [2, 2, 2, 2]);
  });
  await t.step("rank checks of the 1d/2d/3d classes; backward needs forward", () => {
    assertThrows(
      () => new AdaptiveAvgPool1d(2).forward(Tensor.zeros([1, 1, 2, 2])),
      TypeError,
      "Cannot compute AdaptiveAvgPool1d: input must have shape [N, C, L], got [1, 1, 2, 2]",
    );
    assertThrows(() => new AdaptiveAvgPool2d(2).forward(Tensor.zeros([1, 1, 2])), TypeError);
    assertThrows(() => new AdaptiveAvgPool3d(2).forward(Tensor.zeros([1, 1, 2])), TypeError);
    assertThrows(
      () => new AdaptiveAvgPool2d(1).backward(Tensor.zeros([1, 1, 1, 1])),
      Error,
      "call forward first",
    );
    assertThrows(
      () => new AdaptiveAvgPool(-1),
      RangeError,
      "Cannot compute AdaptiveAvgPool: outputSize must be at least 1",
    );
  });
});
