import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Sigmoid, sigmoid, sigmoidBackward } from "./sigmoid.ts";
import { Tensor } from "./tensor.ts";
import { assertWithinUlp, binadeProbes as float32Probes } from "./_float32_probes_test_util.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);

Deno.test("sigmoid()", async (t) => {
  await t.step("x=[0, ln 3, -ln 3] -> [1/2, 3/4, 1/4]", () => {
    const y = sigmoid(f64([0, Math.log(3), -Math.log(3)], [3]));
    assertTensorClose(y, f64([0.5, 0.75, 0.25], [3]), { rtol: 1e-15, atol: 0 });
  });
  await t.step("float32 keeps dtype: sigmoid(0) = 0.5", () => {
    const y = sigmoid(new Tensor([0, 0], [1, 2]));
    assertEquals(y.dtype, "float32");
    assertEquals(Array.from(y.data), [0.5, 0.5]);
  });
  await t.step("stable for |x| = 1000 and ±Inf; NaN -> NaN; -0 -> 1/2", () => {
    const y = sigmoid(f64([1000, -1000, Infinity, -Infinity, NaN, -0], [6]));
    [1, 0, 1, 0, NaN, 0.5].forEach((e, i) => assertStrictEquals(y.data[i], e, `index ${i}`));
  });
  await t.step("x = -40: e^-40/(1 + e^-40), no underflow to 0", () => {
    const y = sigmoid(f64([-40], [1]));
    assertTensorClose(y, f64([Math.exp(-40)], [1]), { rtol: 1e-15, atol: 0 });
  });
  await t.step("float32: within 1 ulp of the float64 definition over 2^-60 .. 2^10", () => {
    const x = float32Probes();
    const y = sigmoid(new Tensor(x, [x.length])).data as Float32Array;
    assertWithinUlp(
      y,
      (i) => x[i] >= 0 ? 1 / (1 + Math.exp(-x[i])) : Math.exp(x[i]) / (1 + Math.exp(x[i])),
      "sigmoid",
    );
  });
  await t.step("errors", () => {
    assertThrows(() => sigmoid(3 as unknown as Tensor), TypeError, "got number");
  });
});

Deno.test("sigmoidBackward()", async (t) => {
  await t.step("from the output: y=[0.5, 0.25] g=[1, 4] -> [0.25, 0.75]", () => {
    const { input } = sigmoidBackward(f64([1, 4], [2]), { output: f64([0.5, 0.25], [2]) });
    assertEquals(Array.from(input.data), [0.25, 0.75]);
  });
  await t.step("finite differences, float64 [4, 3] including |x| ~ 8", () => {
    const x = Tensor.randn([4, 3], { seed: 5, dtype: "float64", std: 4 });
    const g = Tensor.randn([4, 3], { seed: 6, dtype: "float64" });
    const expected = numericalGradient((v) => sigmoid(v), x, g);
    const actual = sigmoidBackward(g, { output: sigmoid(x) }).input;
    assertTensorClose(actual, expected, { rtol: 1e-6, atol: 1e-9 });
  });
  await t.step("saturated output gives 0 gradient", () => {
    const { input } = sigmoidBackward(f64([1, 1], [2]), {
      output: sigmoid(f64([1000, -1000], [2])),
    });
    assertEquals(Array.from(input.data), [0, 0]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => sigmoidBackward(Tensor.zeros([3]), { output: Tensor.zeros([2]) }),
      TypeError,
      "Cannot compute sigmoidBackward: gradOutput shape [3] must equal output shape [2]",
    );
  });
});

Deno.test("Sigmoid", async (t) => {
  await t.step("forward/backward", () => {
    const layer = new Sigmoid();
    assertEquals(Array.from(layer.forward(f64([0], [1])).data), [0.5]);
    assertEquals(Array.from(layer.backward(f64([2], [1])).data), [0.5]);
    assertThrows(() => new Sigmoid().backward(Tensor.zeros([1])), Error, "call forward first");
  });
});
