import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Hardsigmoid, hardsigmoid, hardsigmoidBackward } from "./hardsigmoid.ts";
import { Tensor } from "./tensor.ts";
import { assertWithinUlp } from "./_float32_probes_test_util.ts";

const f64 = (values: number[]): Tensor => new Tensor(new Float64Array(values), [values.length]);
// Expected values: PyTorch 1.13 on this probe padded to 64 elements (its vectorized CPU loop; the
// scalar loop that finishes a tensor differs at NaN and, for hardswish, at 3).
const PROBE = [NaN, -Infinity, -4, -3, -2.5, -1e-30, -0, 0, 1, 2.9, 3, 3.5, 6, 7, Infinity];

Deno.test("hardsigmoid()", async (t) => {
  await t.step("PyTorch F.hardsigmoid on the probe, float32, within 1 ulp", () => {
    const y = hardsigmoid(new Tensor(PROBE, [PROBE.length]));
    assertEquals(y.dtype, "float32");
    // Printed by PyTorch 1.13.
    const e = [NaN, 0, 0, 0, 0.0833333358168602, 0.5, 0.5, 0.5, 0.6666666865348816];
    e.push(0.9833333492279053, 1, 1, 1, 1, 1);
    assertWithinUlp(y.data as Float32Array, (i) => e[i], "hardsigmoid");
  });
  await t.step("exact float64 values: (x + 3)/6 on [-3, 3]", () => {
    const y = hardsigmoid(f64([-3, -1.5, 0, 1.5, 3]));
    assertTensorClose(y, f64([0, 0.25, 0.5, 0.75, 1]), { rtol: 1e-15, atol: 0 });
  });
  await t.step("ONNX HardSigmoid defaults alpha 0.2, beta 0.5: [-3, -1, 0, 1, 3]", () => {
    const y = hardsigmoid(f64([-3, -1, 0, 1, 3]), { alpha: 0.2, beta: 0.5 });
    assertTensorClose(y, f64([0, 0.3, 0.5, 0.7, 1]), { rtol: 1e-15, atol: 1e-16 });
  });
  await t.step("errors", () => {
    assertThrows(
      () => hardsigmoid(f64([1]), { alpha: Infinity }),
      RangeError,
      "Cannot compute hardsigmoid: alpha must be finite, got Infinity",
    );
    assertThrows(
      () => hardsigmoid(f64([1]), { beta: "1" as unknown as number }),
      TypeError,
      "beta must be a number, got string",
    );
    assertThrows(() => hardsigmoid(3 as unknown as Tensor), TypeError, "input must be a Tensor");
  });
});

Deno.test("hardsigmoidBackward()", async (t) => {
  await t.step("PyTorch's gradient on the probe: 1/6 inside (-3, 3), 0 at ±3 and NaN", () => {
    const x = new Tensor(PROBE, [PROBE.length]);
    const { input } = hardsigmoidBackward(Tensor.full([PROBE.length], 1), { input: x });
    const s = Math.fround(1 / 6);
    const e = [0, 0, 0, 0, s, s, s, s, s, s, 0, 0, 0, 0, 0];
    e.forEach((v, i) => assertStrictEquals(input.data[i], v, `index ${i}`));
  });
  await t.step("just inside the kinks (float32 neighbours of ±3) the slope is 1/6", () => {
    const inside = [Math.fround(-3 + 2 ** -22), Math.fround(3 - 2 ** -22)];
    const { input } = hardsigmoidBackward(new Tensor([6, 6], [2]), {
      input: new Tensor(inside, [2]),
    });
    assertEquals(Array.from(input.data), [1, 1]);
  });
  await t.step("finite differences, float64, PyTorch and ONNX coefficients", () => {
    const x = Tensor.uniform([3, 5], { seed: 7, dtype: "float64", low: -5, high: 5 });
    const g = Tensor.randn([3, 5], { seed: 8, dtype: "float64" });
    for (const options of [{}, { alpha: 0.2, beta: 0.5 }, { alpha: -0.7, beta: 0.1 }]) {
      const expected = numericalGradient((v) => hardsigmoid(v, options), x, g);
      const actual = hardsigmoidBackward(g, { input: x }, options).input;
      assertTensorClose(actual, expected, { rtol: 1e-6, atol: 1e-8 });
    }
  });
  await t.step("errors", () => {
    assertThrows(
      () => hardsigmoidBackward(f64([1]), { input: f64([1, 2]) }),
      TypeError,
      "Cannot compute hardsigmoidBackward: gradOutput shape [1] must equal input shape [2]",
    );
  });
});

Deno.test("Hardsigmoid", async (t) => {
  await t.step("forward/backward", () => {
    const layer = new Hardsigmoid();
    assertEquals(Array.from(layer.forward(f64([0, -6])).data), [0.5, 0]);
    assertEquals(Array.from(layer.backward(f64([6, 6])).data), [1, 0]);
    assertThrows(() => new Hardsigmoid().backward(f64([1])), Error, "call forward first");
  });
});
