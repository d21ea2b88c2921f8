import { assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Flatten, flatten, flattenBackward } from "./flatten.ts";
import { Tensor } from "./tensor.ts";

Deno.test("flatten()", async (t) => {
  const x = Tensor.arange([2, 3, 4]);
  for (
    const [axis, shape] of [
      [1, [2, 12]],
      [0, [1, 24]],
      [3, [24, 1]],
      [2, [6, 4]],
      [-1, [6, 4]],
      [-3, [1, 24]],
    ] as const
  ) {
    await t.step(`x=[2, 3, 4] axis ${axis} -> [${shape}], row-major order kept`, () => {
      const y = flatten(x, { axis });
      assertEquals(y.shape, shape);
      assertEquals(Array.from(y.data), Array.from({ length: 24 }, (_, i) => i));
      assertEquals(y.dtype, "float32");
    });
  }
  await t.step("default axis 1 equals PyTorch nn.Flatten() on [N, C, H, W]", () => {
    assertEquals(flatten(Tensor.zeros([5, 2, 3, 3])).shape, [5, 18]);
  });
  await t.step("rank 1 [5] -> [5, 1]; rank 0 with axis 0 -> [1, 1]; zero-size axes", () => {
    assertEquals(flatten(Tensor.zeros([5])).shape, [5, 1]);
    assertEquals(flatten(Tensor.zeros([]), { axis: 0 }).shape, [1, 1]);
    assertEquals(flatten(Tensor.zeros([0, 3, 2])).shape, [0, 6]);
    assertEquals(flatten(Tensor.zeros([2, 0, 2]), { axis: 2 }).shape, [0, 2]);
  });
  await t.step("NaN/Inf/-0 pass through unchanged", () => {
    const y = flatten(new Tensor(new Float64Array([NaN, -Infinity, -0, 1]), [2, 1, 2]));
    assertEquals(Array.from(y.data), [NaN, -Infinity, -0, 1]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => flatten(Tensor.zeros([2, 3, 4]), { axis: 4 }),
      RangeError,
      "Cannot compute flatten: axis must be in [-3, 3] for an input of shape [2, 3, 4], got 4",
    );
    assertThrows(() => flatten(Tensor.zeros([2, 3]), { axis: -3 }), RangeError, "got -3");
    assertThrows(
      () => flatten(Tensor.zeros([2]), { axis: 0.5 }),
      TypeError,
      "axis must be an integer, got 0.5",
    );
    assertThrows(() => flatten(Tensor.zeros([])), RangeError, "axis must be in [0, 0]");
  });
});

Deno.test("flattenBackward()", async (t) => {
  await t.step("reshape back to [2, 3, 4] (axis 2)", () => {
    const g = flattenBackward(Tensor.arange([6, 4]), { input: Tensor.zeros([2, 3, 4]) }, {
      axis: 2,
    });
    assertEquals(g.input.shape, [2, 3, 4]);
    assertEquals(g.input.get(1, 2, 3), 23);
  });
  await t.step("finite differences, float64 [2, 3, 2] axis -1", () => {
    const x = Tensor.randn([2, 3, 2], { seed: 1, dtype: "float64" });
    const g = Tensor.randn([6, 2], { seed: 2, dtype: "float64" });
    const num = numericalGradient((v) => flatten(v, { axis: -1 }), x, g);
    assertTensorClose(flattenBackward(g, { input: x }, { axis: -1 }).input, num, {
      rtol: 1e-6,
      atol: 1e-9,
    });
  });
  await t.step("gradient comes back in the input's dtype", () => {
    const g = flattenBackward(Tensor.zeros([2, 3], "float64"), { input: Tensor.zeros([2, 3]) });
    assertEquals(g.input.dtype, "float32");
  });
  await t.step("errors", () => {
    assertThrows(
      () => flattenBackward(Tensor.zeros([2, 6]), { input: Tensor.zeros([2, 3, 4]) }),
      TypeError,
      "Cannot compute flattenBackward: gradOutput shape [2, 6] must equal output shape [2, 12]",
    );
  });
});

Deno.test("Flatten", async (t) => {
  await t.step("forward/backward, default axis 1, no parameters", () => {
    const layer = new Flatten();
    assertEquals(layer.axis, 1);
    assertEquals(layer.forward(Tensor.zeros([4, 2, 2])).shape, [4, 4]);
    assertEquals(layer.backward(Tensor.zeros([4, 4])).shape, [4, 2, 2]);
    assertEquals(layer.parameters(), []);
  });
  await t.step("errors", () => {
    assertThrows(() => new Flatten({ axis: NaN }), TypeError, "Cannot compute Flatten: axis");
    assertThrows(() => new Flatten().backward(Tensor.zeros([1, 1])), Error, "call forward first");
  });
});
