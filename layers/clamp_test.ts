import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { clamp, clampBackward } from "./clamp.ts";
import { Tensor } from "./tensor.ts";
import {
  assertSameFloats,
  backends,
  KERNEL_LENGTHS,
  tiled,
  withBackend,
} from "./_float32_probes_test_util.ts";

const f64 = (values: number[]): Tensor => new Tensor(new Float64Array(values), [values.length]);

// Probe of the special points; expected values printed by PyTorch 1.13 (torch.clamp, float32,
// the probe padded to 64 elements so that PyTorch's vectorized loop computes it).
// Expected values: PyTorch 1.13 on this probe padded to 64 elements (its vectorized CPU loop; the
// scalar loop that finishes a tensor differs at NaN and, for hardswish, at 3).
const PROBE = [NaN, -Infinity, -4, -3, -2.5, -1e-30, -0, 0, 1, 2.9, 3, 3.5, 6, 7, Infinity];

function assertSame(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assertEquals(actual.length, expected.length, what);
  expected.forEach((e, i) => assertStrictEquals(actual[i], e, `${what}: index ${i}`));
}

Deno.test("clamp()", async (t) => {
  await t.step("PyTorch torch.clamp(x, -2.5, 3) on the probe, float32 (NaN and -0 kept)", () => {
    const y = clamp(new Tensor(PROBE, [PROBE.length]), { min: -2.5, max: 3 });
    assertEquals(y.dtype, "float32");
    assertSame(y.data, [
      NaN,
      -2.5,
      -2.5,
      -2.5,
      -2.5,
      Math.fround(-1e-30),
      -0,
      0,
      1,
      Math.fround(2.9),
      3,
      3,
      3,
      3,
      3,
    ], "clamp");
  });
  await t.step("the same on long tensors (the SIMD kernel) and on each backend", () => {
    const e = [NaN, -2.5, -2.5, -2.5, -2.5, -1e-30, -0, 0, 1, 2.9, 3, 3, 3, 3, 3];
    // 0.1 is no float32: the bound rounds to 0.1f, as in PyTorch.
    const e01 = [NaN, -2.5, -2.5, -2.5, -2.5, -1e-30, -0, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    for (const backend of backends()) {
      for (const n of KERNEL_LENGTHS) {
        const x = new Tensor(tiled(PROBE, n), [n]);
        const y = withBackend(backend, () => clamp(x, { min: -2.5, max: 3 }));
        assertSameFloats(y.data as Float32Array, (i) => e[i % 15], `${backend} ${n}`);
        const z = withBackend(backend, () => clamp(x, { min: -2.5, max: 0.1 }));
        assertSameFloats(z.data as Float32Array, (i) => e01[i % 15], `${backend} ${n} max 0.1`);
        const inverted = withBackend(backend, () => clamp(x, { min: 3, max: 1 }));
        assertSameFloats(
          inverted.data as Float32Array,
          (i) => i % 15 === 0 ? NaN : 1,
          `${backend} ${n} min > max`,
        );
      }
    }
  });
  await t.step("one bound only; min > max gives max everywhere (NaN stays NaN)", () => {
    assertSame(clamp(f64([-1, 5]), { min: 0 }).data, [0, 5], "min only");
    assertSame(clamp(f64([-1, 5]), { max: 0 }).data, [-1, 0], "max only");
    assertSame(clamp(f64([-1, 2, 5, NaN]), { min: 3, max: 1 }).data, [1, 1, 1, NaN], "min > max");
    assertSame(clamp(f64([-1, 5])).data, [-1, 5], "no bounds");
  });
  await t.step("errors", () => {
    assertThrows(() => clamp(f64([1]), { min: NaN }), RangeError, "min must not be NaN");
    assertThrows(
      () => clamp(f64([1]), { max: "6" as unknown as number }),
      TypeError,
      "Cannot compute clamp: max must be a number, got string",
    );
    assertThrows(() => clamp([1] as unknown as Tensor), TypeError, "input must be a Tensor");
  });
});

Deno.test("clampBackward()", async (t) => {
  await t.step("PyTorch's gradient on the probe: passes on [-2.5, 3], bounds included", () => {
    const x = new Tensor(PROBE, [PROBE.length]);
    const { input } = clampBackward(Tensor.full([PROBE.length], 1), { input: x }, {
      min: -2.5,
      max: 3,
    });
    assertSame(input.data, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0], "dx");
    const e = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    for (const backend of backends()) {
      for (const n of KERNEL_LENGTHS) {
        const g = tiled([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], n);
        const { input: dx } = withBackend(
          backend,
          () =>
            clampBackward(new Tensor(g, [n]), { input: new Tensor(tiled(PROBE, n), [n]) }, {
              min: -2.5,
              max: 3,
            }),
        );
        assertSameFloats(dx.data as Float32Array, (i) => e[i % 15] * g[i], `${backend} ${n}`);
      }
    }
  });
  await t.step(
    "float32 compares with the bound rounded to float32 (PyTorch: 1 at x = 0.2f)",
    () => {
      // 0.2f = 0.2000000029... lies above the double 0.2; PyTorch 1.13 casts the bound to float and
      // passes the gradient there (printed: 1.0), on short and long tensors alike.
      for (const backend of backends()) {
        for (const n of [1, ...KERNEL_LENGTHS]) {
          const x = new Tensor(tiled([0.2], n), [n]);
          const { input } = withBackend(
            backend,
            () => clampBackward(Tensor.full([n], 1), { input: x }, { min: -0.5, max: 0.2 }),
          );
          assertSameFloats(input.data as Float32Array, () => 1, `${backend} ${n}`);
        }
      }
    },
  );
  await t.step("bound gradients as PyTorch's clamp(Tensor, Tensor, Tensor)", () => {
    // x = [NaN, -4, 0, 1, 3, 6, 7], g = 1..7; values printed by PyTorch 1.13.
    const x = f64([NaN, -4, 0, 1, 3, 6, 7]), g = f64([1, 2, 3, 4, 5, 6, 7]);
    const cases: [number | undefined, number | undefined, number[], number, number][] = [
      [0, 6, [0, 0, 3, 4, 5, 6, 0], 2, 7],
      [3, 1, [0, 0, 0, 0, 0, 0, 0], 0, 28], // min > max: every element (NaN too) feeds max
      [1, 1, [0, 0, 0, 4, 0, 0, 0], 0, 18], // min = max: elements below feed neither bound
      [undefined, 3, [0, 2, 3, 4, 5, 0, 0], 0, 13],
      [3, undefined, [0, 0, 0, 0, 5, 6, 7], 9, 0],
    ];
    for (const [min, max, dx, dMin, dMax] of cases) {
      const grads = clampBackward(g, { input: x }, { min, max });
      assertSame(grads.input.data, dx, `dx for [${min}, ${max}]`);
      assertStrictEquals(grads.min, dMin, `dmin for [${min}, ${max}]`);
      assertStrictEquals(grads.max, dMax, `dmax for [${min}, ${max}]`);
    }
  });
  await t.step("finite differences of x, min and max (float64, away from the kinks)", () => {
    const x = Tensor.randn([4, 5], { seed: 11, dtype: "float64", std: 2 });
    for (let i = 0; i < x.size; i++) {
      if (Math.abs(x.data[i] + 1) < 0.05 || Math.abs(x.data[i] - 1.5) < 0.05) x.data[i] += 0.2;
    }
    const g = Tensor.randn([4, 5], { seed: 12, dtype: "float64" });
    const options = { min: -1, max: 1.5 };
    const grads = clampBackward(g, { input: x }, options);
    assertTensorClose(grads.input, numericalGradient((v) => clamp(v, options), x, g), {
      rtol: 1e-6,
      atol: 1e-8,
    });
    const dot = (y: Tensor): number => {
      let sum = 0;
      for (let i = 0; i < y.size; i++) sum += y.data[i] * g.data[i];
      return sum;
    };
    const h = 1e-6;
    const dMin =
      (dot(clamp(x, { min: -1 + h, max: 1.5 })) - dot(clamp(x, { min: -1 - h, max: 1.5 }))) /
      (2 * h);
    const dMax =
      (dot(clamp(x, { min: -1, max: 1.5 + h })) - dot(clamp(x, { min: -1, max: 1.5 - h }))) /
      (2 * h);
    assertTensorClose(f64([grads.min, grads.max]), f64([dMin, dMax]), { rtol: 1e-6, atol: 1e-8 });
  });
  await t.step("errors", () => {
    assertThrows(
      () => clampBackward(f64([1, 2]), { input: f64([1]) }, { min: 0 }),
      TypeError,
      "Cannot compute clampBackward: gradOutput shape [2] must equal input shape [1]",
    );
    assertThrows(
      () => clampBackward(f64([1]), { input: f64([1]) }, { min: 0, max: NaN }),
      RangeError,
      "Cannot compute clampBackward: max must not be NaN",
    );
  });
});
