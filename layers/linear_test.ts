import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Linear, linear, linearBackward } from "./linear.ts";
import { Tensor } from "./tensor.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);
const exact = { rtol: 0, atol: 0 };
const fd = { rtol: 1e-6, atol: 1e-8 };

Deno.test("linear()", async (t) => {
  await t.step("x=[2, 2] W=[3, 2] b=[3]: hand values", () => {
    // W rows: [1, 0], [0, 1], [1, 1]; y = [x0 + 10, x1 + 20, x0 + x1 + 30]
    const y = linear(f64([1, 2, 3, 4], [2, 2]), f64([1, 0, 0, 1, 1, 1], [3, 2]), {
      bias: f64([10, 20, 30], [3]),
    });
    assertTensorClose(y, f64([11, 22, 33, 13, 24, 37], [2, 3]), exact);
  });
  await t.step("impulse: one-hot x picks a weight column (power-of-two weights)", () => {
    const w = f64([1, 2, 4, 8, 16, 32], [2, 3]);
    for (let p = 0; p < 3; p++) {
      const x = Tensor.zeros([1, 3], "float64");
      x.data[p] = 1;
      assertEquals(Array.from(linear(x, w).data), [w.data[p], w.data[3 + p]]);
    }
  });
  await t.step("leading dims [2, 2, 3] -> [2, 2, 1]; 1-D input [3] -> [1]", () => {
    const w = f64([1, 1, 1], [1, 3]);
    const y = linear(Tensor.arange([2, 2, 3], { dtype: "float64" }), w);
    assertEquals(y.shape, [2, 2, 1]);
    assertEquals(Array.from(y.data), [3, 12, 21, 30]); // sums of 0..2, 3..5, 6..8, 9..11
    assertEquals(Array.from(linear(f64([1, 2, 3], [3]), w).data), [6]);
  });
  await t.step("float32 in, float32 out", () => {
    const y = linear(new Tensor([1, 2], [1, 2]), new Tensor([0.5, 0.25], [1, 2]));
    assertEquals(y.dtype, "float32");
    assertEquals(Array.from(y.data), [1]);
  });
  await t.step("zero rows and zero in-features", () => {
    assertEquals(linear(Tensor.zeros([0, 3]), Tensor.zeros([2, 3])).shape, [0, 2]);
    const y = linear(Tensor.zeros([2, 0]), Tensor.zeros([2, 0]), { bias: new Tensor([1, 2], [2]) });
    assertEquals(Array.from(y.data), [1, 2, 1, 2]);
  });
  await t.step("NaN stays in its row; Inf·0 = NaN (no zero-skipping, as PyTorch)", () => {
    const y = linear(f64([NaN, 1, 2, 3, Infinity, 0], [3, 2]), f64([1, 1, 0, 1], [2, 2]));
    const d = Array.from(y.data);
    assert(Number.isNaN(d[0]) && Number.isNaN(d[1]));
    assertEquals(d.slice(2, 4), [5, 3]);
    assertStrictEquals(d[4], Infinity);
    assert(Number.isNaN(d[5]), "Inf·0 + 0·1");
  });
  await t.step("errors", () => {
    assertThrows(
      () => linear(Tensor.zeros([2, 5]), Tensor.zeros([3, 4])),
      TypeError,
      "Cannot compute linear: input features (5) must equal weight columns (4): input shape is " +
        "[2, 5], weight shape is [3, 4]",
    );
    assertThrows(
      () => linear(Tensor.zeros([2, 4]), Tensor.zeros([4])),
      TypeError,
      "weight must have 2 axes [out, in], got shape [4]",
    );
    assertThrows(
      () => linear(Tensor.zeros([]), Tensor.zeros([1, 1])),
      TypeError,
      "input must have at least 1 axis",
    );
    assertThrows(
      () => linear(Tensor.zeros([2, 4]), Tensor.zeros([3, 4]), { bias: Tensor.zeros([4]) }),
      TypeError,
      "bias shape [4] must be [3] (weight rows): weight shape is [3, 4]",
    );
    assertThrows(
      () => linear(Tensor.zeros([2, 4]), Tensor.zeros([3, 4], "float64")),
      TypeError,
      "weight dtype (float64) must equal input dtype (float32)",
    );
    assertThrows(
      () => linear(Tensor.zeros([2, 4]), [[1]] as unknown as Tensor),
      TypeError,
      "weight must be a Tensor",
    );
  });
});

Deno.test("linearBackward()", async (t) => {
  await t.step("x=[1, 2] W=[3, 2] g=[1, 0, 2]: dX = gW, dW = gᵀx, db = g", () => {
    const input = f64([1, 2], [1, 2]);
    const weight = f64([1, 0, 0, 1, 1, 1], [3, 2]);
    const bias = Tensor.zeros([3], "float64");
    const g = linearBackward(f64([1, 0, 2], [1, 3]), { input, weight }, { bias });
    assertEquals(Array.from(g.input.data), [3, 2]);
    assertEquals(Array.from(g.weight.data), [1, 2, 0, 0, 2, 4]);
    assertEquals(Array.from(g.bias?.data ?? []), [1, 0, 2]);
  });
  await t.step("no bias option -> no bias gradient", () => {
    const g = linearBackward(Tensor.zeros([1, 1]), {
      input: Tensor.zeros([1, 2]),
      weight: Tensor.zeros([1, 2]),
    });
    assertEquals(Object.keys(g).sort(), ["input", "weight"]);
  });
  for (const shape of [[4, 3], [2, 3, 3], [3]]) {
    await t.step(`finite differences, float64 x=[${shape}] W=[5, 3] with bias`, () => {
      const x = Tensor.randn(shape, { seed: 1, dtype: "float64" });
      const w = Tensor.randn([5, 3], { seed: 2, dtype: "float64" });
      const b = Tensor.randn([5], { seed: 3, dtype: "float64" });
      const outShape = [...shape.slice(0, -1), 5];
      const g = Tensor.randn(outShape, { seed: 4, dtype: "float64" });
      const grads = linearBackward(g, { input: x, weight: w }, { bias: b });
      assertTensorClose(grads.input, numericalGradient((v) => linear(v, w, { bias: b }), x, g), fd);
      assertTensorClose(
        grads.weight,
        numericalGradient((v) => linear(x, v, { bias: b }), w, g),
        fd,
      );
      assertTensorClose(
        grads.bias ?? Tensor.zeros([0]),
        numericalGradient((v) => linear(x, w, { bias: v }), b, g),
        fd,
      );
    });
  }
  await t.step("float32 tensors with a float64 gradOutput give float32 gradients", () => {
    const g = linearBackward(Tensor.full([2, 3], 1, "float64"), {
      input: Tensor.full([2, 2], 1),
      weight: Tensor.full([3, 2], 1),
    }, { bias: Tensor.zeros([3]) });
    assertEquals([g.input.dtype, g.weight.dtype, g.bias?.dtype], ["float32", "float32", "float32"]);
    assertEquals(Array.from(g.input.data), [3, 3, 3, 3]);
    assertEquals(Array.from(g.weight.data), [2, 2, 2, 2, 2, 2]);
    assertEquals(Array.from(g.bias?.data ?? []), [2, 2, 2]);
  });
  await t.step("errors", () => {
    assertThrows(
      () =>
        linearBackward(Tensor.zeros([2, 4]), {
          input: Tensor.zeros([2, 5]),
          weight: Tensor.zeros([3, 5]),
        }),
      TypeError,
      "Cannot compute linearBackward: gradOutput shape [2, 4] must equal output shape [2, 3]",
    );
    assertThrows(
      () => linearBackward(Tensor.zeros([2, 3]), { input: Tensor.zeros([2, 5]) } as never),
      TypeError,
      "weight must be a Tensor, got undefined",
    );
  });
});

Deno.test("Linear", async (t) => {
  await t.step("parameters: weight [out, in] then bias [out], PyTorch bounds ±1/√in", () => {
    const layer = new Linear({ inFeatures: 16, outFeatures: 3 });
    const params = layer.parameters();
    assertEquals(params.map((p) => p.name), ["weight", "bias"]);
    assertEquals(params.map((p) => p.value.shape), [[3, 16], [3]]);
    assertStrictEquals(params[0], layer.weight);
    for (const p of params) {
      assertEquals(p.value.dtype, "float32");
      assert(p.value.data.every((v) => Math.abs(v) <= 0.25), "|w| ≤ 1/√16");
      assert(p.value.data.some((v) => v !== 0));
    }
  });
  await t.step("seeded: same seed, same weights; other seed, other weights", () => {
    const a = new Linear({ inFeatures: 4, outFeatures: 2, seed: 5 });
    const b = new Linear({ inFeatures: 4, outFeatures: 2, seed: 5 });
    const c = new Linear({ inFeatures: 4, outFeatures: 2, seed: 6 });
    assertEquals(Array.from(a.weight.value.data), Array.from(b.weight.value.data));
    assert(Array.from(a.weight.value.data).join() !== Array.from(c.weight.value.data).join());
  });
  await t.step("bias: false -> [weight] only", () => {
    const layer = new Linear({ inFeatures: 2, outFeatures: 2, bias: false });
    assertEquals(layer.parameters().map((p) => p.name), ["weight"]);
    assertStrictEquals(layer.bias, undefined);
  });
  await t.step("backwardParameters: dW = gᵀx and db = Σg by hand, no input gradient", () => {
    const layer = new Linear({ inFeatures: 2, outFeatures: 3, dtype: "float64" });
    layer.forward(f64([1, 2, 3, 4], [2, 2]));
    layer.backwardParameters(f64([1, 0, 2, 0, 1, 1], [2, 3]));
    // dW[j][p] = Σ_r g[r][j]·x[r][p]: rows (1·[1,2] + 0·[3,4]), (0 + 1·[3,4]), (2·[1,2] + 1·[3,4]).
    assertEquals(Array.from(layer.weight.grad.data), [1, 2, 3, 4, 5, 8]);
    assertEquals(Array.from(layer.bias!.grad.data), [1, 1, 3]);
  });
  await t.step("backward accumulates over two calls; zeroGrad clears", () => {
    const layer = new Linear({ inFeatures: 3, outFeatures: 2, dtype: "float64" });
    layer.weight.value.data.set([1, 0, 0, 0, 1, 0]);
    const x = f64([1, 2, 3], [1, 3]);
    const y = layer.forward(x);
    assertTensorClose(
      y,
      f64([1 + (layer.bias?.value.data[0] ?? NaN), 2 + (layer.bias?.value.data[1] ?? NaN)], [1, 2]),
      exact,
    );
    const g = f64([1, 2], [1, 2]);
    const dx = layer.backward(g);
    assertEquals(Array.from(dx.data), [1, 2, 0]);
    assertEquals(Array.from(layer.weight.grad.data), [1, 2, 3, 2, 4, 6]);
    layer.backward(g);
    assertEquals(Array.from(layer.weight.grad.data), [2, 4, 6, 4, 8, 12]);
    assertEquals(Array.from(layer.bias?.grad.data ?? []), [2, 4]);
    layer.zeroGrad();
    assert(layer.parameters().every((p) => p.grad.data.every((v) => v === 0)));
  });
  await t.step("float64 module matches finite differences of its own forward", () => {
    const layer = new Linear({ inFeatures: 3, outFeatures: 4, seed: 9, dtype: "float64" });
    const x = Tensor.randn([2, 3], { seed: 10, dtype: "float64" });
    const g = Tensor.randn([2, 4], { seed: 11, dtype: "float64" });
    layer.forward(x);
    const dx = layer.backward(g);
    assertTensorClose(dx, numericalGradient((v) => layer.forward(v), x, g), fd);
    const w = layer.weight.value;
    assertTensorClose(
      layer.weight.grad,
      numericalGradient((v) => linear(x, v, { bias: layer.bias?.value }), w, g),
      fd,
    );
  });
  await t.step("errors", () => {
    assertThrows(
      () => new Linear({ inFeatures: 0, outFeatures: 2 }),
      RangeError,
      "Cannot create Linear: inFeatures must be positive, got 0",
    );
    assertThrows(
      () => new Linear({ inFeatures: 2, outFeatures: 1.5 }),
      TypeError,
      "outFeatures must be an integer, got 1.5",
    );
    assertThrows(
      () => new Linear({ inFeatures: 2, outFeatures: 2 }).backward(Tensor.zeros([1, 2])),
      Error,
      "call forward first",
    );
    assertThrows(
      () => new Linear({ inFeatures: 2, outFeatures: 2 }).forward(Tensor.zeros([1, 3])),
      TypeError,
      "input features (3) must equal weight columns (2)",
    );
  });
});
