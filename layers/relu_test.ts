import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { ReLU, relu, reluBackward } from "./relu.ts";
import { Tensor } from "./tensor.ts";
import {
  assertSameFloats,
  backends,
  bitPatternProbes as float32Probes,
  withBackend,
} from "./_float32_probes_test_util.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);

// Values away from the kink at 0, so central differences see a smooth function.
const awayFromZero = (shape: number[], seed: number): Tensor => {
  const x = Tensor.randn(shape, { seed, dtype: "float64" });
  for (let i = 0; i < x.size; i++) x.data[i] += x.data[i] < 0 ? -0.1 : 0.1;
  return x;
};

Deno.test("relu()", async (t) => {
  await t.step("x=[-2, -0.5, 0, 1.5, 3] float32 -> [0, 0, 0, 1.5, 3]", () => {
    const y = relu(new Tensor([-2, -0.5, 0, 1.5, 3], [5]));
    assertEquals(y.dtype, "float32");
    assertEquals(y.shape, [5]);
    assertEquals(Array.from(y.data), [0, 0, 0, 1.5, 3]);
  });
  await t.step("float64 [2, 2] keeps dtype and shape", () => {
    const y = relu(f64([-1, 2, 3, -4], [2, 2]));
    assertEquals(y.dtype, "float64");
    assertTensorClose(y, f64([0, 2, 3, 0], [2, 2]), { rtol: 0, atol: 0 });
  });
  await t.step("NaN -> NaN, -Inf -> 0, +Inf -> +Inf, -0 -> -0 (PyTorch max(x, 0))", () => {
    const y = relu(f64([NaN, -Infinity, Infinity, -0], [4]));
    assert4(y.data, [NaN, 0, Infinity, -0]);
  });
  await t.step("float32 bits: x < 0 ? 0 : x on specials and random bit patterns", () => {
    // 4096: one wasm chunk; 70001: two chunks and a tail that is not a whole vector; 700: the
    // JavaScript loop. Each on both backends (the wasm kernel and the bit loops).
    for (const backend of backends()) {
      for (const n of [700, 4096, 70001]) {
        const x = float32Probes(n, 1);
        const y = withBackend(backend, () => relu(new Tensor(x, [x.length])).data as Float32Array);
        assertSameFloats(y, (i) => x[i] < 0 ? 0 : x[i], `relu (${backend}, ${n})`);
      }
    }
  });
  await t.step("empty tensor", () => {
    assertEquals(relu(Tensor.zeros([0, 3])).shape, [0, 3]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => relu([1, 2] as unknown as Tensor),
      TypeError,
      "Cannot compute relu: input must be a Tensor, got object",
    );
  });
});

Deno.test("reluBackward()", async (t) => {
  await t.step("x=[-1, 0, 2] g=[5, 6, 7] -> [0, 0, 7] (0 at x = 0)", () => {
    const { input } = reluBackward(new Tensor([5, 6, 7], [3]), {
      input: new Tensor([-1, 0, 2], [3]),
    });
    assertEquals(Array.from(input.data), [0, 0, 7]);
    assertEquals(input.dtype, "float32");
  });
  await t.step("NaN input passes the gradient; NaN gradient at x < 0 becomes 0", () => {
    const { input } = reluBackward(f64([3, NaN, 4], [3]), { input: f64([NaN, -1, -0], [3]) });
    assert4(input.data, [3, 0, 0]);
  });
  await t.step("finite differences, float64 [2, 3, 4]", () => {
    const x = awayFromZero([2, 3, 4], 1);
    const g = Tensor.randn([2, 3, 4], { seed: 2, dtype: "float64" });
    const expected = numericalGradient((v) => relu(v), x, g);
    assertTensorClose(reluBackward(g, { input: x }).input, expected, { rtol: 1e-6, atol: 1e-8 });
  });
  await t.step("float32 bits: x <= 0 ? 0 : g on specials and random bit patterns", () => {
    for (const backend of backends()) {
      for (const n of [700, 4096, 70001]) {
        const x = float32Probes(n, 2), g = float32Probes(n, 3).reverse();
        const { input } = withBackend(
          backend,
          () => reluBackward(new Tensor(g, [g.length]), { input: new Tensor(x, [x.length]) }),
        );
        assertSameFloats(
          input.data as Float32Array,
          (i) => x[i] <= 0 ? 0 : g[i],
          `reluBackward (${backend}, ${n})`,
        );
      }
    }
  });
  await t.step("gradOutput dtype may differ; the result has the input's dtype", () => {
    const { input } = reluBackward(f64([1, 1], [2]), { input: new Tensor([1, -1], [2]) });
    assertEquals(input.dtype, "float32");
  });
  await t.step("errors", () => {
    assertThrows(
      () => reluBackward(Tensor.zeros([2]), { input: Tensor.zeros([3]) }),
      TypeError,
      "Cannot compute reluBackward: gradOutput shape [2] must equal input shape [3]",
    );
    assertThrows(
      () => reluBackward(Tensor.zeros([2]), {} as { input: Tensor }),
      TypeError,
      "saved.input must be a Tensor, got undefined",
    );
  });
});

Deno.test("ReLU", async (t) => {
  await t.step("forward/backward match the functions; no parameters", () => {
    const layer = new ReLU();
    const x = f64([-1, 2, 0, 3], [2, 2]);
    assertEquals(Array.from(layer.forward(x).data), [0, 2, 0, 3]);
    assertEquals(Array.from(layer.backward(f64([1, 2, 3, 4], [2, 2])).data), [0, 2, 0, 4]);
    assertEquals(layer.parameters(), []);
  });
  await t.step("backward before forward throws", () => {
    assertThrows(() => new ReLU().backward(Tensor.zeros([1])), Error, "call forward first");
  });
});

function assert4(actual: ArrayLike<number>, expected: number[]): void {
  assertEquals(actual.length, expected.length);
  expected.forEach((e, i) => assertStrictEquals(actual[i], e, `index ${i}`));
}
