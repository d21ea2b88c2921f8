import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Tanh, tanh, tanhBackward } from "./tanh.ts";
import { Tensor } from "./tensor.ts";
import { assertWithinUlp, binadeProbes as float32Probes } from "./_float32_probes_test_util.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);

Deno.test("tanh()", async (t) => {
  await t.step("x=[0, ln 2, -ln 2] -> [0, 3/5, -3/5]", () => {
    // tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 3/5.
    const y = tanh(f64([0, Math.LN2, -Math.LN2], [3]));
    assertTensorClose(y, f64([0, 0.6, -0.6], [3]), { rtol: 1e-15, atol: 0 });
  });
  await t.step("float32 keeps dtype", () => {
    assertEquals(tanh(new Tensor([0], [1])).dtype, "float32");
  });
  await t.step("±1000 and ±Inf saturate to ±1; NaN -> NaN; -0 -> -0", () => {
    const y = tanh(f64([1000, -1000, Infinity, -Infinity, NaN, -0], [6]));
    [1, -1, 1, -1, NaN, -0].forEach((e, i) => assertStrictEquals(y.data[i], e, `index ${i}`));
  });
  await t.step("float32: within 1 ulp of Math.tanh over 2^-60 .. 2^10; -0 and NaN kept", () => {
    const x = float32Probes();
    const y = tanh(new Tensor(x, [x.length])).data as Float32Array;
    assertWithinUlp(y, (i) => Math.tanh(x[i]), "tanh");
    assert(Object.is(y[1], -0) && Number.isNaN(y[2]));
  });
  await t.step("errors", () => {
    assertThrows(() => tanh(undefined as unknown as Tensor), TypeError, "got undefined");
  });
});

Deno.test("tanhBackward()", async (t) => {
  await t.step("from the output: y=[0, 0.6] g=[3, 1] -> [3, 0.64]", () => {
    const { input } = tanhBackward(f64([3, 1], [2]), { output: f64([0, 0.6], [2]) });
    assertTensorClose(input, f64([3, 0.64], [2]), { rtol: 1e-15, atol: 0 });
  });
  await t.step("finite differences, float64 [2, 2, 3]", () => {
    const x = Tensor.randn([2, 2, 3], { seed: 7, dtype: "float64", std: 2 });
    const g = Tensor.randn([2, 2, 3], { seed: 8, dtype: "float64" });
    const expected = numericalGradient((v) => tanh(v), x, g);
    const actual = tanhBackward(g, { output: tanh(x) }).input;
    assertTensorClose(actual, expected, { rtol: 1e-6, atol: 1e-9 });
  });
  await t.step("errors", () => {
    assertThrows(
      () => tanhBackward(Tensor.zeros([1]), { output: Tensor.zeros([1, 1]) }),
      TypeError,
      "Cannot compute tanhBackward: gradOutput shape [1] must equal output shape [1, 1]",
    );
  });
});

Deno.test("Tanh", async (t) => {
  await t.step("forward/backward", () => {
    const layer = new Tanh();
    const y = layer.forward(f64([Math.LN2], [1]));
    assertTensorClose(y, f64([0.6], [1]), { rtol: 1e-15, atol: 0 });
    assertTensorClose(layer.backward(f64([1], [1])), f64([0.64], [1]), { rtol: 1e-14, atol: 0 });
    assertThrows(() => new Tanh().backward(Tensor.zeros([1])), Error, "call forward first");
  });
});
