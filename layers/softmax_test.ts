import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import {
  LogSoftmax,
  logSoftmax,
  logSoftmaxBackward,
  Softmax,
  softmax,
  softmaxBackward,
} from "./softmax.ts";
import { Tensor } from "./tensor.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);
const exact = { rtol: 1e-15, atol: 0 };

function assertSame(actual: ArrayLike<number>, expected: number[]): void {
  assertEquals(actual.length, expected.length);
  expected.forEach((e, i) => assertStrictEquals(actual[i], e, `index ${i}`));
}

// Hand formula for one slice: [e^(a−m), …] / Σ.
function expected(values: number[]): number[] {
  const m = Math.max(...values);
  const e = values.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

Deno.test("softmax()", async (t) => {
  await t.step("x=[0, ln 2, ln 3] -> [1/6, 1/3, 1/2]", () => {
    const y = softmax(f64([0, Math.LN2, Math.log(3)], [3]));
    assertTensorClose(y, f64([1 / 6, 1 / 3, 1 / 2], [3]), exact);
  });
  await t.step(
    "x=[2, 2] axis 0 (strided lanes): [[0, 0], [ln 3, 0]] -> [[1/4, 1/2], [3/4, 1/2]]",
    () => {
      const y = softmax(f64([0, 0, Math.log(3), 0], [2, 2]), { axis: 0 });
      assertTensorClose(y, f64([0.25, 0.5, 0.75, 0.5], [2, 2]), exact);
    },
  );
  await t.step("x=arange [2, 3, 2] axis 1 -> [1, e², e⁴] / (1 + e² + e⁴) in every lane", () => {
    const y = softmax(Tensor.arange([2, 3, 2], { dtype: "float64" }), { axis: 1 });
    const s = 1 + Math.exp(2) + Math.exp(4);
    const lane = [1 / s, Math.exp(2) / s, Math.exp(4) / s];
    const want = [0, 1].flatMap(() => lane.flatMap((v) => [v, v]));
    assertTensorClose(y, f64(want, [2, 3, 2]), { rtol: 1e-14, atol: 0 });
    // axis −2 is the same axis
    assertTensorClose(
      softmax(Tensor.arange([2, 3, 2], { dtype: "float64" }), { axis: -2 }),
      y,
      exact,
    );
  });
  await t.step("float32 in, float32 out, equal to the float64 result rounded once", () => {
    const x = [0.5, -1.25, 3];
    const y = softmax(new Tensor(x, [3]));
    assertEquals(y.dtype, "float32");
    assertEquals(Array.from(y.data), Array.from(Float32Array.from(expected(x))));
  });
  await t.step("stable: [1000, 1001, 1002] and [-1000, -1001, -1002] (float32 and float64)", () => {
    const s = 1 + Math.exp(-1) + Math.exp(-2);
    const up = [Math.exp(-2) / s, Math.exp(-1) / s, 1 / s];
    const down = [1 / s, Math.exp(-1) / s, Math.exp(-2) / s];
    const x = [1000, 1001, 1002, -1000, -1001, -1002];
    assertTensorClose(softmax(f64(x, [2, 3])), f64([...up, ...down], [2, 3]), exact);
    const y32 = softmax(new Tensor(x, [2, 3]));
    assertEquals(Array.from(y32.data), Array.from(Float32Array.from([...up, ...down])));
  });
  await t.step("-Inf entries get 0; all -Inf row is NaN; NaN or +Inf poisons the row", () => {
    const y = softmax(
      f64([-Infinity, 0, 0, -Infinity, -Infinity, -Infinity, 1, NaN, 2, Infinity, 1, 0], [4, 3]),
    );
    assertSame(y.data, [0, 0.5, 0.5, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]);
  });
  await t.step("0-d input -> 1; empty axis -> empty", () => {
    assertSame(softmax(f64([7], [])).data, [1]);
    assertEquals(softmax(Tensor.zeros([2, 0])).shape, [2, 0]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => softmax(Tensor.zeros([2, 3]), { axis: 2 }),
      RangeError,
      "Cannot compute softmax: axis must be in [-2, 1] for an input of shape [2, 3], got 2",
    );
    assertThrows(() => softmax(Tensor.zeros([2, 3]), { axis: -3 }), RangeError, "got -3");
    assertThrows(
      () => softmax(Tensor.zeros([2]), { axis: 0.5 }),
      TypeError,
      "axis must be an integer, got 0.5",
    );
    assertThrows(() => softmax({} as Tensor), TypeError, "input must be a Tensor");
  });
});

Deno.test("logSoftmax()", async (t) => {
  await t.step("x=[0, ln 2, ln 3] -> [-ln 6, ln 2 - ln 6, ln 3 - ln 6]", () => {
    const y = logSoftmax(f64([0, Math.LN2, Math.log(3)], [3]));
    const l6 = Math.log(6);
    assertTensorClose(y, f64([-l6, Math.LN2 - l6, Math.log(3) - l6], [3]), exact);
  });
  await t.step("stable: [1000, 1001, 1002] -> [-2, -1, 0] - ln(1 + e⁻¹ + e⁻²)", () => {
    const l = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    const y = logSoftmax(f64([1000, 1001, 1002, -1000, -1001, -1002], [2, 3]));
    assertTensorClose(y, f64([-2 - l, -1 - l, -l, -l, -1 - l, -2 - l], [2, 3]), exact);
    const y32 = logSoftmax(new Tensor([1000, 1001, 1002], [3]));
    assertEquals(Array.from(y32.data), Array.from(Float32Array.from([-2 - l, -1 - l, -l])));
  });
  await t.step("axis 0 of [2, 2]", () => {
    const y = logSoftmax(f64([0, 5, Math.log(3), 5], [2, 2]), { axis: 0 });
    assertTensorClose(
      y,
      f64([Math.log(0.25), -Math.LN2, Math.log(0.75), -Math.LN2], [2, 2]),
      exact,
    );
  });
  await t.step("-Inf entry -> -Inf; all -Inf row -> NaN; NaN row -> NaN", () => {
    const y = logSoftmax(
      f64([-Infinity, 0, 0, -Infinity, -Infinity, -Infinity, NaN, 0, 0], [3, 3]),
    );
    assertSame(y.data, [-Infinity, -Math.LN2, -Math.LN2, NaN, NaN, NaN, NaN, NaN, NaN]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => logSoftmax(Tensor.zeros([3]), { axis: 1 }),
      RangeError,
      "Cannot compute logSoftmax: axis must be in [-1, 0]",
    );
  });
});

Deno.test("softmaxBackward()", async (t) => {
  await t.step("y=[1/4, 3/4] g=[1, 0] -> [3/16, -3/16]", () => {
    // dx = y ⊙ (g − Σ g·y) = [1/4·(1 − 1/4), 3/4·(0 − 1/4)]
    const { input } = softmaxBackward(f64([1, 0], [2]), { output: f64([0.25, 0.75], [2]) });
    assertSame(input.data, [3 / 16, -3 / 16]);
  });
  for (const axis of [-1, 0, 1]) {
    await t.step(`finite differences, float64 [2, 3, 4] axis ${axis}`, () => {
      const x = Tensor.randn([2, 3, 4], { seed: 10, dtype: "float64", std: 2 });
      const g = Tensor.randn([2, 3, 4], { seed: 11, dtype: "float64" });
      const num = numericalGradient((v) => softmax(v, { axis }), x, g);
      const { input } = softmaxBackward(g, { output: softmax(x, { axis }) }, { axis });
      assertTensorClose(input, num, { rtol: 1e-6, atol: 1e-9 });
    });
  }
  await t.step("stable inputs give finite gradients", () => {
    const output = softmax(f64([1000, 1001, 1002], [3]));
    const { input } = softmaxBackward(f64([1, 2, 3], [3]), { output });
    assert(input.data.every(Number.isFinite));
  });
  await t.step("errors", () => {
    assertThrows(
      () => softmaxBackward(Tensor.zeros([2, 2]), { output: Tensor.zeros([2, 3]) }),
      TypeError,
      "Cannot compute softmaxBackward: gradOutput shape [2, 2] must equal output shape [2, 3]",
    );
    assertThrows(
      () => softmaxBackward(Tensor.zeros([2]), { output: Tensor.zeros([2]) }, { axis: 1 }),
      RangeError,
      "axis must be in [-1, 0]",
    );
  });
});

Deno.test("logSoftmaxBackward()", async (t) => {
  await t.step("y=ln[1/4, 3/4] g=[1, 0] -> [3/4, -3/4]", () => {
    // dx = g − e^y·Σg = [1 − 1/4, 0 − 3/4]
    const output = f64([Math.log(0.25), Math.log(0.75)], [2]);
    const { input } = logSoftmaxBackward(f64([1, 0], [2]), { output });
    assertTensorClose(input, f64([0.75, -0.75], [2]), exact);
  });
  for (const axis of [-1, 1]) {
    await t.step(`finite differences, float64 [3, 4] axis ${axis}, and [2, 3, 2] axis 1`, () => {
      const x = Tensor.randn([3, 4], { seed: 12, dtype: "float64", std: 3 });
      const g = Tensor.randn([3, 4], { seed: 13, dtype: "float64" });
      const num = numericalGradient((v) => logSoftmax(v, { axis }), x, g);
      const { input } = logSoftmaxBackward(g, { output: logSoftmax(x, { axis }) }, { axis });
      assertTensorClose(input, num, { rtol: 1e-6, atol: 1e-9 });
      const x3 = Tensor.randn([2, 3, 2], { seed: 14, dtype: "float64" });
      const g3 = Tensor.randn([2, 3, 2], { seed: 15, dtype: "float64" });
      const num3 = numericalGradient((v) => logSoftmax(v, { axis: 1 }), x3, g3);
      const out3 = logSoftmax(x3, { axis: 1 });
      assertTensorClose(logSoftmaxBackward(g3, { output: out3 }, { axis: 1 }).input, num3, {
        rtol: 1e-6,
        atol: 1e-9,
      });
    });
  }
  await t.step("errors", () => {
    assertThrows(
      () => logSoftmaxBackward(Tensor.zeros([2]), {} as { output: Tensor }),
      TypeError,
      "saved.output must be a Tensor",
    );
  });
});

Deno.test("Softmax and LogSoftmax modules", async (t) => {
  await t.step("Softmax axis 0 forward/backward equal the functions' hand values", () => {
    const layer = new Softmax({ axis: 0 });
    assertEquals(layer.axis, 0);
    const y = layer.forward(f64([0, 0, Math.log(3), 0], [2, 2]));
    assertTensorClose(y, f64([0.25, 0.5, 0.75, 0.5], [2, 2]), exact);
    const dx = layer.backward(f64([1, 0, 0, 0], [2, 2]));
    assertTensorClose(dx, f64([3 / 16, 0, -3 / 16, 0], [2, 2]), exact);
    assertEquals(layer.parameters(), []);
  });
  await t.step("LogSoftmax default axis -1", () => {
    const layer = new LogSoftmax();
    assertEquals(layer.axis, -1);
    const y = layer.forward(f64([Math.log(1), Math.log(3)], [1, 2]));
    assertTensorClose(y, f64([Math.log(0.25), Math.log(0.75)], [1, 2]), exact);
    assertTensorClose(layer.backward(f64([1, 0], [1, 2])), f64([0.75, -0.75], [1, 2]), exact);
  });
  await t.step("errors", () => {
    assertThrows(() => new Softmax({ axis: 1.5 }), TypeError, "Cannot compute Softmax: axis");
    assertThrows(() => new LogSoftmax().backward(Tensor.zeros([1])), Error, "call forward first");
  });
});
