import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Hardtanh, hardtanh, hardtanhBackward } from "./hardtanh.ts";
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

Deno.test("hardtanh()", async (t) => {
  await t.step("PyTorch F.hardtanh(x, -2, 2) on the probe, float32", () => {
    const y = hardtanh(new Tensor(PROBE, [PROBE.length]), { minVal: -2, maxVal: 2 });
    assertEquals(y.dtype, "float32");
    const e = [NaN, -2, -2, -2, -2, Math.fround(-1e-30), -0, 0, 1, 2, 2, 2, 2, 2, 2];
    assertSame(y.data, e, "hardtanh");
  });
  await t.step("defaults [-1, 1]", () => {
    assertSame(hardtanh(f64([-3, 0.25, 3])).data, [-1, 0.25, 1], "default");
  });
  await t.step("errors", () => {
    assertThrows(
      () => hardtanh(f64([1]), { minVal: 2, maxVal: 1 }),
      RangeError,
      "Cannot compute hardtanh: maxVal (1) must not be below minVal (2)",
    );
    assertThrows(() => hardtanh(f64([1]), { minVal: NaN }), RangeError, "minVal must not be NaN");
    assertThrows(
      () => hardtanh(f64([1]), { maxVal: "2" as unknown as number }),
      TypeError,
      "maxVal must be a number, got string",
    );
    assertThrows(() => hardtanh({} as Tensor), TypeError, "Cannot compute hardtanh: input");
  });
});

Deno.test("hardtanhBackward()", async (t) => {
  await t.step("PyTorch's (vectorized) gradient on the probe: 0 at both bounds and NaN", () => {
    const x = new Tensor(PROBE, [PROBE.length]);
    const options = { minVal: -2, maxVal: 2 };
    const { input } = hardtanhBackward(Tensor.full([PROBE.length], 1), { input: x }, options);
    assertSame(input.data, [0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], "dx");
    const atBounds = hardtanhBackward(f64([3, 3]), { input: f64([-2, 2]) }, options).input;
    assertSame(atBounds.data, [0, 0], "at the bounds");
  });
  await t.step(
    "float32 compares with the bound rounded to float32 (PyTorch: 0 at x = 0.7f)",
    () => {
      // 0.7f = 0.69999998... lies below the double 0.7; PyTorch 1.13 casts the bound to float, so
      // x < max fails there and the gradient is 0 (printed: 0.0), on short and long tensors alike.
      for (const backend of backends()) {
        for (const n of [1, ...KERNEL_LENGTHS]) {
          const x = new Tensor(tiled([0.7, 0.5], n), [n]);
          const { input } = withBackend(
            backend,
            () =>
              hardtanhBackward(Tensor.full([n], 1), { input: x }, { minVal: -0.5, maxVal: 0.7 }),
          );
          assertSameFloats(input.data as Float32Array, (i) => i % 2, `${backend} ${n}`);
        }
      }
    },
  );
  await t.step("finite differences, float64 [3, 4], bounds [-0.5, 0.8]", () => {
    const x = Tensor.randn([3, 4], { seed: 3, dtype: "float64" });
    for (let i = 0; i < x.size; i++) {
      if (Math.abs(x.data[i] + 0.5) < 0.05 || Math.abs(x.data[i] - 0.8) < 0.05) x.data[i] += 0.2;
    }
    const g = Tensor.randn([3, 4], { seed: 4, dtype: "float64" });
    const options = { minVal: -0.5, maxVal: 0.8 };
    const expected = numericalGradient((v) => hardtanh(v, options), x, g);
    assertTensorClose(hardtanhBackward(g, { input: x }, options).input, expected, {
      rtol: 1e-6,
      atol: 1e-8,
    });
  });
  await t.step("errors", () => {
    assertThrows(
      () => hardtanhBackward(f64([1]), { input: f64([1, 2]) }),
      TypeError,
      "Cannot compute hardtanhBackward: gradOutput shape [1] must equal input shape [2]",
    );
  });
});

Deno.test("Hardtanh", async (t) => {
  await t.step("forward/backward with the module's bounds", () => {
    const layer = new Hardtanh({ minVal: -2, maxVal: 2 });
    assertEquals([layer.minVal, layer.maxVal], [-2, 2]);
    assertSame(layer.forward(f64([-3, 1, 2])).data, [-2, 1, 2], "forward");
    assertSame(layer.backward(f64([1, 1, 1])).data, [0, 1, 0], "backward");
    assertEquals([new Hardtanh().minVal, new Hardtanh().maxVal], [-1, 1]);
  });
  await t.step("constructor validates; backward needs forward", () => {
    assertThrows(
      () => new Hardtanh({ minVal: 1, maxVal: 0 }),
      RangeError,
      "Cannot compute Hardtanh",
    );
    assertThrows(() => new Hardtanh().backward(f64([1])), Error, "call forward first");
  });
});
