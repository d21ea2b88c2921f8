import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { LeakyReLU, leakyRelu, leakyReluBackward } from "./leaky_relu.ts";
import { Tensor } from "./tensor.ts";
import {
  assertSameFloats,
  bitPatternProbes as float32Probes,
} from "./_float32_probes_test_util.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);

function assertSame(actual: ArrayLike<number>, expected: number[]): void {
  assertEquals(actual.length, expected.length);
  expected.forEach((e, i) => assertStrictEquals(actual[i], e, `index ${i}`));
}

Deno.test("leakyRelu()", async (t) => {
  await t.step("default slope 0.01: x=[-100, -1, 0, 2] -> [-1, -0.01, 0, 2]", () => {
    const y = leakyRelu(f64([-100, -1, 0, 2], [4]));
    assertSame(y.data, [-1, -0.01, 0, 2]);
  });
  await t.step("slope 0.5, float32: [-4, 4] -> [-2, 4]", () => {
    const y = leakyRelu(new Tensor([-4, 4], [2]), { negativeSlope: 0.5 });
    assertEquals(y.dtype, "float32");
    assertEquals(Array.from(y.data), [-2, 4]);
  });
  await t.step("NaN -> NaN, -Inf -> -Inf, +Inf -> +Inf, -0 -> -0", () => {
    assertSame(leakyRelu(f64([NaN, -Infinity, Infinity, -0], [4])).data, [
      NaN,
      -Infinity,
      Infinity,
      -0,
    ]);
  });
  await t.step("float32 bits: x > 0 ? x : x·slope on specials and random bits", () => {
    const x = float32Probes(4096, 4);
    for (const slope of [0.01, -0.5, 0, 3]) {
      const y = leakyRelu(new Tensor(x, [x.length]), { negativeSlope: slope }).data;
      assertSameFloats(y as Float32Array, (i) => x[i] > 0 ? x[i] : x[i] * slope, `slope ${slope}`);
    }
  });
  await t.step("slope 0 gives -0 for negative inputs (x·0)", () => {
    assertSame(leakyRelu(f64([-3, 3], [2]), { negativeSlope: 0 }).data, [-0, 3]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => leakyRelu(Tensor.zeros([1]), { negativeSlope: NaN }),
      RangeError,
      "Cannot compute leakyRelu: negativeSlope must be finite, got NaN",
    );
    assertThrows(
      () => leakyRelu(Tensor.zeros([1]), { negativeSlope: "0.1" as unknown as number }),
      TypeError,
      "negativeSlope must be a number, got string",
    );
    assertThrows(() => leakyRelu(null as unknown as Tensor), TypeError, "input must be a Tensor");
  });
});

Deno.test("leakyReluBackward()", async (t) => {
  await t.step("x=[-1, 0, 2] g=4 slope 0.25 -> [1, 1, 4] (slope at 0, as PyTorch)", () => {
    const { input } = leakyReluBackward(f64([4, 4, 4], [3]), { input: f64([-1, 0, 2], [3]) }, {
      negativeSlope: 0.25,
    });
    assertSame(input.data, [1, 1, 4]);
  });
  await t.step("float32 bits: x > 0 ? g : g·slope on specials and random bits", () => {
    const x = float32Probes(4096, 5), g = float32Probes(4096, 6).reverse();
    const { input } = leakyReluBackward(new Tensor(g, [g.length]), {
      input: new Tensor(x, [x.length]),
    }, { negativeSlope: 0.25 });
    assertSameFloats(input.data as Float32Array, (i) => x[i] > 0 ? g[i] : g[i] * 0.25, "grad");
  });
  await t.step("NaN input takes the slope branch", () => {
    const { input } = leakyReluBackward(f64([2], [1]), { input: f64([NaN], [1]) }, {
      negativeSlope: 0.5,
    });
    assertSame(input.data, [1]);
  });
  await t.step("finite differences, float64 [3, 5], slope 0.2", () => {
    const x = Tensor.randn([3, 5], { seed: 3, dtype: "float64" });
    for (let i = 0; i < x.size; i++) x.data[i] += x.data[i] < 0 ? -0.1 : 0.1;
    const g = Tensor.randn([3, 5], { seed: 4, dtype: "float64" });
    const options = { negativeSlope: 0.2 };
    const expected = numericalGradient((v) => leakyRelu(v, options), x, g);
    const actual = leakyReluBackward(g, { input: x }, options).input;
    assertTensorClose(actual, expected, { rtol: 1e-6, atol: 1e-8 });
  });
  await t.step("errors", () => {
    assertThrows(
      () => leakyReluBackward(Tensor.zeros([2, 1]), { input: Tensor.zeros([2]) }),
      TypeError,
      "gradOutput shape [2, 1] must equal input shape [2]",
    );
  });
});

Deno.test("LeakyReLU", async (t) => {
  await t.step("forward/backward with the module's slope", () => {
    const layer = new LeakyReLU({ negativeSlope: 0.5 });
    assertEquals(layer.negativeSlope, 0.5);
    assertSame(layer.forward(f64([-4, 2], [2])).data, [-2, 2]);
    assertSame(layer.backward(f64([1, 1], [2])).data, [0.5, 1]);
    assertEquals(new LeakyReLU().negativeSlope, 0.01);
  });
  await t.step("constructor validates the slope; backward needs forward", () => {
    assertThrows(
      () => new LeakyReLU({ negativeSlope: Infinity }),
      RangeError,
      "Cannot compute LeakyReLU: negativeSlope must be finite",
    );
    assertThrows(() => new LeakyReLU().backward(Tensor.zeros([1])), Error, "call forward first");
  });
});
