import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Hardswish, hardswish, hardswishBackward } from "./hardswish.ts";
import { Tensor } from "./tensor.ts";
import { assertWithinUlp } from "./_float32_probes_test_util.ts";

const f64 = (values: number[]): Tensor => new Tensor(new Float64Array(values), [values.length]);
// Expected values: PyTorch 1.13 on this probe padded to 64 elements (its vectorized CPU loop; the
// scalar loop that finishes a tensor differs at NaN and, for hardswish, at 3).
const PROBE = [NaN, -Infinity, -4, -3, -2.5, -1e-30, -0, 0, 1, 2.9, 3, 3.5, 6, 7, Infinity];

Deno.test("hardswish()", async (t) => {
  await t.step("PyTorch F.hardswish on the probe, float32, within 1 ulp (-0 below -3)", () => {
    const y = hardswish(new Tensor(PROBE, [PROBE.length]));
    assertEquals(y.dtype, "float32");
    // Printed by PyTorch 1.13.
    const e = [NaN, NaN, -0, -0, -0.2083333283662796, -5.000000015855384e-31, -0, 0];
    e.push(0.6666666865348816, 2.8516666889190674, 3, 3.5, 6, 7, Infinity);
    assertWithinUlp(y.data as Float32Array, (i) => e[i], "hardswish");
    [2, 3, 6].forEach((i) => assertStrictEquals(y.data[i], -0, `index ${i}`));
  });
  await t.step("exact float64 values: x(x + 3)/6 on [-3, 3]", () => {
    const y = hardswish(f64([-3, -1.5, 0, 1.5, 3]));
    assertTensorClose(y, f64([0, -0.375, 0, 1.125, 3]), { rtol: 1e-15, atol: 1e-16 });
  });
  await t.step("errors", () => {
    assertThrows(() => hardswish(null as unknown as Tensor), TypeError, "Cannot compute hardswish");
  });
});

Deno.test("hardswishBackward()", async (t) => {
  await t.step(
    "PyTorch's (vectorized) gradient on the probe: -1/2 at -3, 1 at 3, NaN at NaN",
    () => {
      const x = new Tensor(PROBE, [PROBE.length]);
      const { input } = hardswishBackward(Tensor.full([PROBE.length], 1), { input: x });
      const e = [NaN, 0, 0, -0.5, -0.3333333134651184, 0.5, 0.5, 0.5, 0.8333333730697632];
      e.push(1.4666666984558105, 1, 1, 1, 1, 1);
      assertWithinUlp(input.data as Float32Array, (i) => e[i], "dx");
    },
  );
  await t.step("finite differences, float64, values in (-5, 5) away from ±3", () => {
    const x = Tensor.uniform([4, 4], { seed: 9, dtype: "float64", low: -5, high: 5 });
    for (let i = 0; i < x.size; i++) if (Math.abs(Math.abs(x.data[i]) - 3) < 0.05) x.data[i] /= 2;
    const g = Tensor.randn([4, 4], { seed: 10, dtype: "float64" });
    const expected = numericalGradient((v) => hardswish(v), x, g);
    assertTensorClose(hardswishBackward(g, { input: x }).input, expected, {
      rtol: 1e-6,
      atol: 1e-8,
    });
  });
  await t.step("errors", () => {
    assertThrows(
      () => hardswishBackward(f64([1]), { input: f64([1, 2]) }),
      TypeError,
      "Cannot compute hardswishBackward: gradOutput shape [1] must equal input shape [2]",
    );
  });
});

Deno.test("Hardswish", async (t) => {
  await t.step("forward/backward", () => {
    const layer = new Hardswish();
    assertEquals(Array.from(layer.forward(f64([0, 4])).data), [0, 4]);
    assertEquals(Array.from(layer.backward(f64([2, 2])).data), [1, 2]);
    assertThrows(() => new Hardswish().backward(f64([1])), Error, "call forward first");
  });
});
