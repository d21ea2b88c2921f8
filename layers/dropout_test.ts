import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Dropout, dropout, dropoutBackward } from "./dropout.ts";
import { Random } from "./random.ts";
import { Tensor } from "./tensor.ts";

const join = (t: Tensor): string => Array.from(t.data).join();

Deno.test("dropout()", async (t) => {
  await t.step("p=0.25: every output is 0 or x·4/3, and output = x ⊙ mask", () => {
    const x = Tensor.arange([4, 25], { start: 1, dtype: "float64" });
    const { output, mask } = dropout(x, { p: 0.25, seed: 1 });
    assertEquals([output.shape, mask.shape, output.dtype, mask.dtype], [
      [4, 25],
      [4, 25],
      "float64",
      "float64",
    ]);
    for (let i = 0; i < x.size; i++) {
      assert(mask.data[i] === 0 || mask.data[i] === 4 / 3, `mask ${mask.data[i]}`);
      assertStrictEquals(output.data[i], x.data[i] * mask.data[i]);
    }
    assert(mask.data.some((v) => v === 0) && mask.data.some((v) => v !== 0));
  });
  await t.step("float32 mask and output: scale 2 for p = 0.5", () => {
    const { output, mask } = dropout(Tensor.full([64], 3), { seed: 2 });
    assertEquals([output.dtype, mask.dtype], ["float32", "float32"]);
    assert(output.data.every((v) => v === 0 || v === 6));
  });
  await t.step("seeded: same seed same mask, other seed other mask; `random` is advanced", () => {
    const x = Tensor.full([200], 1);
    assertEquals(join(dropout(x, { seed: 7 }).mask), join(dropout(x, { seed: 7 }).mask));
    assert(join(dropout(x, { seed: 7 }).mask) !== join(dropout(x, { seed: 8 }).mask));
    const random = new Random(7);
    const first = dropout(x, { random }).mask;
    assertEquals(join(first), join(dropout(x, { seed: 7 }).mask));
    assert(join(dropout(x, { random }).mask) !== join(first), "second draw differs");
  });
  for (const p of [0.1, 0.5, 0.9]) {
    await t.step(
      `p=${p}: mean of the scaled mask ≈ 1, kept fraction ≈ ${1 - p} (n = 20000)`,
      () => {
        const { mask } = dropout(Tensor.full([20000], 1, "float64"), { p, seed: 3 });
        const mean = Array.from(mask.data).reduce((a, b) => a + b, 0) / mask.size;
        const kept = mask.data.filter((v) => v !== 0).length / mask.size;
        // Standard error of the mean is √(p / (1 − p) / n) ≤ 0.022 for p = 0.9: allow 4σ.
        assert(Math.abs(mean - 1) < 4 * Math.sqrt(p / (1 - p) / 20000), `mean ${mean}`);
        assert(Math.abs(kept - (1 - p)) < 4 * Math.sqrt(p * (1 - p) / 20000), `kept ${kept}`);
      },
    );
  }
  await t.step("p=0 keeps everything unscaled; p=1 zeroes everything (NaN·0 = NaN)", () => {
    const x = new Tensor(new Float64Array([1, -2, NaN, Infinity]), [4]);
    assertEquals(Array.from(dropout(x, { p: 0 }).output.data), [1, -2, NaN, Infinity]);
    const { output, mask } = dropout(x, { p: 1 });
    assertEquals(Array.from(mask.data), [0, 0, 0, 0]);
    [0, -0, NaN, NaN].forEach((e, i) => assertStrictEquals(output.data[i], e));
  });
  await t.step("training false: output is the input itself, mask all ones", () => {
    const x = Tensor.full([3], 5);
    const { output, mask } = dropout(x, { p: 0.9, training: false });
    assertStrictEquals(output, x);
    assertEquals(Array.from(mask.data), [1, 1, 1]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => dropout(Tensor.zeros([2]), { p: 1.5 }),
      RangeError,
      "Cannot compute dropout: p must be in [0, 1], got 1.5",
    );
    assertThrows(() => dropout(Tensor.zeros([2]), { p: -0.1 }), RangeError, "got -0.1");
    assertThrows(() => dropout(Tensor.zeros([2]), { p: NaN }), RangeError, "got NaN");
    assertThrows(
      () => dropout(Tensor.zeros([2]), { p: "0.5" as unknown as number }),
      TypeError,
      "p must be a number, got string",
    );
    assertThrows(
      () => dropout(undefined as unknown as Tensor),
      TypeError,
      "input must be a Tensor",
    );
  });
});

Deno.test("dropoutBackward()", async (t) => {
  await t.step("mask [2, 0, 2], g = 3 -> [6, 0, 6]", () => {
    const { input } = dropoutBackward(Tensor.full([3], 3), { mask: new Tensor([2, 0, 2], [3]) });
    assertEquals(Array.from(input.data), [6, 0, 6]);
  });
  await t.step("finite differences through the seeded forward, float64 [3, 7] p=0.3", () => {
    const x = Tensor.randn([3, 7], { seed: 4, dtype: "float64" });
    const g = Tensor.randn([3, 7], { seed: 5, dtype: "float64" });
    const options = { p: 0.3, seed: 6 };
    const num = numericalGradient((v) => dropout(v, options).output, x, g);
    const { mask } = dropout(x, options);
    assertTensorClose(dropoutBackward(g, { mask }).input, num, { rtol: 1e-6, atol: 1e-9 });
  });
  await t.step("errors", () => {
    assertThrows(
      () => dropoutBackward(Tensor.zeros([2]), { mask: Tensor.zeros([3]) }),
      TypeError,
      "Cannot compute dropoutBackward: gradOutput shape [2] must equal mask shape [3]",
    );
  });
});

Deno.test("Dropout", async (t) => {
  await t.step("training: a new mask per forward; backward uses the last one", () => {
    const layer = new Dropout({ p: 0.5, seed: 1 });
    const x = Tensor.full([100], 1);
    const a = layer.forward(x), b = layer.forward(x);
    assert(join(a) !== join(b), "masks differ between calls");
    const dx = layer.backward(Tensor.full([100], 1));
    assertEquals(join(dx), join(b), "dx = mask = y when x and g are ones");
  });
  await t.step("same seed -> same sequence of masks", () => {
    const x = Tensor.full([50], 1);
    const l1 = new Dropout({ seed: 9 }), l2 = new Dropout({ seed: 9 });
    for (let i = 0; i < 3; i++) assertEquals(join(l1.forward(x)), join(l2.forward(x)));
  });
  await t.step("eval: identity forward (same tensor) and identity backward", () => {
    const layer = new Dropout({ p: 0.9 }).eval();
    const x = Tensor.arange([2, 3]);
    assertStrictEquals(layer.forward(x), x);
    assertEquals(Array.from(layer.backward(Tensor.full([2, 3], 2)).data), [2, 2, 2, 2, 2, 2]);
    assertThrows(
      () => layer.backward(Tensor.zeros([3])),
      TypeError,
      "gradOutput shape [3] must equal input shape [2, 3]",
    );
    layer.train();
    assert(layer.forward(Tensor.full([100], 1)).data.some((v) => v === 0), "drops again");
  });
  await t.step("defaults and errors", () => {
    assertEquals(new Dropout().p, 0.5);
    assertEquals(new Dropout().parameters(), []);
    assertThrows(() => new Dropout({ p: 2 }), RangeError, "Cannot compute Dropout: p must be in");
    assertThrows(() => new Dropout().backward(Tensor.zeros([1])), Error, "call forward first");
  });
});
