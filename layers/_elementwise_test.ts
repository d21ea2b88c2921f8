import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { mapElements, mapGradient } from "./_elementwise.ts";
import { Tensor } from "./tensor.ts";

Deno.test("mapElements()", async (t) => {
  await t.step("x=[2, 3] float64: loop sees the input data and a fresh output", () => {
    const input = new Tensor(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const y = mapElements("op", input, (x, out) => {
      assertStrictEquals(x, input.data);
      assertEquals(out.length, 6);
      for (let i = 0; i < x.length; i++) out[i] = 2 * x[i] + 1;
    });
    assertEquals(y.dtype, "float64");
    assertEquals(y.shape, [2, 3]);
    assertEquals(Array.from(y.data), [3, 5, 7, 9, 11, 13]);
  });
  await t.step("float32 input gives float32 output (rounded once, on store)", () => {
    const y = mapElements("op", new Tensor([1], [1]), (x, out) => {
      out[0] = x[0] / 3;
    });
    assertEquals(y.dtype, "float32");
    assertEquals(y.data[0], Math.fround(1 / 3));
  });
  await t.step("errors: not a Tensor, loop never runs", () => {
    let ran = false;
    assertThrows(
      () => mapElements("sigmoid", [1] as unknown as Tensor, () => (ran = true)),
      TypeError,
      "Cannot compute sigmoid: input must be a Tensor, got object",
    );
    assertEquals(ran, false);
  });
});

Deno.test("mapGradient()", async (t) => {
  await t.step(
    "key=output: loop sees saved output and gradOutput, dtype of the saved tensor",
    () => {
      const output = new Tensor(new Float64Array([0.5, 0.25]), [2]);
      const gradOutput = new Tensor([4, 8], [2]); // float32: the result follows the saved tensor
      const { input } = mapGradient("op", gradOutput, { output }, "output", (s, g, dx) => {
        assertStrictEquals(s, output.data);
        assertStrictEquals(g, gradOutput.data);
        for (let i = 0; i < s.length; i++) dx[i] = s[i] * g[i];
      });
      assertEquals(input.dtype, "float64");
      assertEquals(input.shape, [2]);
      assertEquals(Array.from(input.data), [2, 2]);
    },
  );
  await t.step("errors name saved[key] first, then gradOutput", () => {
    const loop = (): void => {};
    assertThrows(
      () => mapGradient("reluBackward", "g", {} as { input: Tensor }, "input", loop),
      TypeError,
      "Cannot compute reluBackward: saved.input must be a Tensor, got undefined",
    );
    assertThrows(
      () => mapGradient("tanhBackward", Tensor.zeros([3]), undefined!, "output", loop),
      TypeError,
      "saved.output must be a Tensor, got undefined",
    );
    assertThrows(
      () => mapGradient("op", null, { input: Tensor.zeros([1]) }, "input", loop),
      TypeError,
      "gradOutput must be a Tensor, got null",
    );
    assertThrows(
      () => mapGradient("op", Tensor.zeros([2]), { output: Tensor.zeros([1, 2]) }, "output", loop),
      TypeError,
      "gradOutput shape [2] must equal output shape [1, 2]",
    );
  });
});
