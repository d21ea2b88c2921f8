import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { ReLU6, relu6, relu6Backward } from "./relu6.ts";
import { Tensor } from "./tensor.ts";
import {
  assertSameFloats,
  backends,
  KERNEL_LENGTHS,
  tiled,
  withBackend,
} from "./_float32_probes_test_util.ts";

const f64 = (values: number[]): Tensor => new Tensor(new Float64Array(values), [values.length]);
// Expected values: PyTorch 1.13 on this probe padded to 64 elements (its vectorized CPU loop; the
// scalar loop that finishes a tensor differs at NaN and, for hardswish, at 3).
const PROBE = [NaN, -Infinity, -4, -3, -2.5, -1e-30, -0, 0, 1, 2.9, 3, 3.5, 6, 7, Infinity];

function assertSame(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assertEquals(actual.length, expected.length, what);
  expected.forEach((e, i) => assertStrictEquals(actual[i], e, `${what}: index ${i}`));
}

Deno.test("relu6()", async (t) => {
  await t.step("PyTorch F.relu6 on the probe, float32 (-0 kept, -1e-30 -> +0, NaN kept)", () => {
    const y = relu6(new Tensor(PROBE, [PROBE.length]));
    assertEquals(y.dtype, "float32");
    const e = [NaN, 0, 0, 0, 0, 0, -0, 0, 1, Math.fround(2.9), 3, 3.5, 6, 6, 6];
    assertSame(y.data, e, "relu6");
  });
  await t.step("the same on long tensors (the SIMD kernel) and on each backend", () => {
    const e = [NaN, 0, 0, 0, 0, 0, -0, 0, 1, 2.9, 3, 3.5, 6, 6, 6];
    for (const backend of backends()) {
      for (const n of KERNEL_LENGTHS) {
        const y = withBackend(backend, () => relu6(new Tensor(tiled(PROBE, n), [n])));
        assertSameFloats(y.data as Float32Array, (i) => e[i % e.length], `${backend} ${n}`);
      }
    }
  });
  await t.step("float64 keeps dtype", () => {
    assertEquals(relu6(f64([7])).dtype, "float64");
  });
  await t.step("errors", () => {
    assertThrows(() => relu6(null as unknown as Tensor), TypeError, "Cannot compute relu6: input");
  });
});

Deno.test("relu6Backward()", async (t) => {
  await t.step("PyTorch's (vectorized) gradient on the probe: 0 at 0, 6 and NaN", () => {
    const x = new Tensor(PROBE, [PROBE.length]);
    const { input } = relu6Backward(Tensor.full([PROBE.length], 1), { input: x });
    assertSame(input.data, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0], "dx");
    const e = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0];
    for (const backend of backends()) {
      for (const n of KERNEL_LENGTHS) {
        const g = tiled([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], n);
        const { input: dx } = withBackend(
          backend,
          () => relu6Backward(new Tensor(g, [n]), { input: new Tensor(tiled(PROBE, n), [n]) }),
        );
        assertSameFloats(dx.data as Float32Array, (i) => e[i % 15] * g[i], `${backend} ${n}`);
      }
    }
  });
  await t.step("finite differences, float64 [2, 6] with values in (-2, 8)", () => {
    const x = Tensor.uniform([2, 6], { seed: 5, dtype: "float64", low: -2, high: 8 });
    for (let i = 0; i < x.size; i++) {
      if (Math.abs(x.data[i]) < 0.05 || Math.abs(x.data[i] - 6) < 0.05) x.data[i] += 0.2;
    }
    const g = Tensor.randn([2, 6], { seed: 6, dtype: "float64" });
    const expected = numericalGradient((v) => relu6(v), x, g);
    assertTensorClose(relu6Backward(g, { input: x }).input, expected, { rtol: 1e-6, atol: 1e-8 });
  });
  await t.step("errors", () => {
    assertThrows(
      () => relu6Backward(f64([1]), { input: f64([1, 2]) }),
      TypeError,
      "Cannot compute relu6Backward: gradOutput shape [1] must equal input shape [2]",
    );
  });
});

Deno.test("ReLU6", async (t) => {
  await t.step("forward/backward", () => {
    const layer = new ReLU6();
    assertSame(layer.forward(f64([-1, 3, 9])).data, [0, 3, 6], "forward");
    assertSame(layer.backward(f64([2, 2, 2])).data, [0, 2, 0], "backward");
    assertThrows(() => new ReLU6().backward(f64([1])), Error, "call forward first");
  });
});
