import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import type { Impl } from "./_impl.ts";
import { conv, Conv1d, Conv2d, Conv3d, convBackward, type ConvOptions } from "./conv.ts";
import { type DType, Tensor } from "./tensor.ts";

const IMPLS: Impl[] = ["reference", "fast"];
const EXACT = { rtol: 0, atol: 0 };

function t(data: number[], shape: number[], dtype: DType = "float32"): Tensor {
  return new Tensor(dtype === "float64" ? Float64Array.from(data) : Float32Array.from(data), shape);
}

const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);
const ones = (n: number): number[] => new Array(n).fill(1);
const pow2 = (n: number): number[] => Array.from({ length: n }, (_, i) => 2 ** i);

interface ExactCase {
  name: string;
  x: [number[], number[]];
  w: [number[], number[]];
  options?: ConvOptions;
  bias?: number[];
  y: [number[], number[]];
}

// Every expected value is hand arithmetic: window sums of arange inputs under all-ones kernels,
// bit patterns of power-of-two inputs/weights (each output encodes which taps it saw), or a
// one-hot input showing the kernel flipped at the right place.
const FORWARD_CASES: ExactCase[] = [
  {
    name: "1d x=[0..6] k3 s2 -> windows [0,1,2] [2,3,4] [4,5,6]",
    x: [range(7), [1, 1, 7]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 2 },
    y: [[3, 9, 15], [1, 1, 3]],
  },
  {
    name: "1d x=[0..6] k3 s3 -> x[6] unreached",
    x: [range(7), [1, 1, 7]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 3 },
    y: [[3, 12], [1, 1, 2]],
  },
  {
    name: "1d x=2^i (7) k3 s2 p1 -> bitmasks of taps",
    x: [pow2(7), [1, 1, 7]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 2, padding: 1 },
    y: [[1 + 2, 2 + 4 + 8, 8 + 16 + 32, 32 + 64], [1, 1, 4]],
  },
  {
    name: "1d x=[0..6] k3 p1",
    x: [range(7), [1, 1, 7]],
    w: [ones(3), [1, 1, 3]],
    options: { padding: 1 },
    y: [[1, 3, 6, 9, 12, 15, 11], [1, 1, 7]],
  },
  {
    name: "1d x=[0..4] k3 p2 (full)",
    x: [range(5), [1, 1, 5]],
    w: [ones(3), [1, 1, 3]],
    options: { padding: 2 },
    y: [[0, 1, 3, 6, 9, 7, 4], [1, 1, 7]],
  },
  {
    name: "1d x=[0,1,2] k2 p3 (beyond full: all-padding windows are 0)",
    x: [range(3), [1, 1, 3]],
    w: [ones(2), [1, 1, 2]],
    options: { padding: 3 },
    y: [[0, 0, 0, 1, 3, 2, 0, 0], [1, 1, 8]],
  },
  {
    name: "1d x=[0..3] k3 pads [1,2] (asymmetric)",
    x: [range(4), [1, 1, 4]],
    w: [ones(3), [1, 1, 3]],
    options: { padding: [1, 2] },
    y: [[1, 3, 6, 5, 3], [1, 1, 5]],
  },
  {
    name: "1d x=[0..4] k2 s2 same (SAME_UPPER: pad at the end)",
    x: [range(5), [1, 1, 5]],
    w: [ones(2), [1, 1, 2]],
    options: { stride: 2, padding: "same" },
    y: [[1, 5, 4], [1, 1, 3]],
  },
  {
    name: "1d x=[0..4] k2 s2 same_lower (pad at the start)",
    x: [range(5), [1, 1, 5]],
    w: [ones(2), [1, 1, 2]],
    options: { stride: 2, padding: "same_lower" },
    y: [[0, 3, 7], [1, 1, 3]],
  },
  {
    name: "1d x=[0..4] k2 s2 valid",
    x: [range(5), [1, 1, 5]],
    w: [ones(2), [1, 1, 2]],
    options: { stride: 2, padding: "valid" },
    y: [[1, 5], [1, 1, 2]],
  },
  {
    name: "1d x=[0..4] k1 s2 same (stride > kernel: pad clamped at 0)",
    x: [range(5), [1, 1, 5]],
    w: [[1], [1, 1, 1]],
    options: { stride: 2, padding: "same" },
    y: [[0, 2, 4], [1, 1, 3]],
  },
  {
    name: "1d x=[0,1,2] k3 s5 same (stride > input)",
    x: [range(3), [1, 1, 3]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 5, padding: "same" },
    y: [[3], [1, 1, 1]],
  },
  {
    name: "1d x=[0..6] k3 d2 -> taps [0,2,4] [1,3,5] [2,4,6]",
    x: [range(7), [1, 1, 7]],
    w: [ones(3), [1, 1, 3]],
    options: { dilation: 2 },
    y: [[6, 9, 12], [1, 1, 3]],
  },
  {
    name: "1d one-hot at 4, w=[1,2,4] d2 -> o=0 sees k2, o=2 sees k1",
    x: [[0, 0, 0, 0, 1, 0, 0], [1, 1, 7]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { dilation: 2 },
    y: [[4, 0, 2], [1, 1, 3]],
  },
  {
    name: "1d k1 pads [0,1] (not pointwise: the end pad adds an output)",
    x: [range(3), [1, 1, 3]],
    w: [[2], [1, 1, 1]],
    options: { padding: [0, 1] },
    y: [[0, 2, 4, 0], [1, 1, 4]],
  },
  {
    name: "1d batch 2, bias 0.5",
    x: [range(6), [2, 1, 3]],
    w: [ones(2), [1, 1, 2]],
    bias: [0.5],
    y: [[1.5, 3.5, 7.5, 9.5], [2, 1, 2]],
  },
  {
    name: "1d groups 2: x channels 1,2,4,8; w [[1,16],[256,4096]]",
    x: [[1, 1, 2, 2, 4, 4, 8, 8], [1, 4, 2]],
    w: [[1, 16, 256, 4096], [2, 2, 1]],
    options: { groups: 2 },
    y: [[33, 33, 33792, 33792], [1, 2, 2]],
  },
  {
    name: "1d depthwise, multiplier 2 (groups 2, Cin 2, Cout 4)",
    x: [[0, 1, 2, 10, 20, 30], [1, 2, 3]],
    w: [[1, 0, 0, 1, 1, 1, 2, -1], [4, 1, 2]],
    options: { groups: 2 },
    y: [[0, 1, 1, 2, 30, 50, 0, 10], [1, 4, 2]],
  },
  {
    name: "2d x=[1,1,4,4] k3 s2 p1",
    x: [range(16), [1, 1, 4, 4]],
    w: [ones(9), [1, 1, 3, 3]],
    options: { stride: 2, padding: 1 },
    y: [[10, 24, 51, 90], [1, 1, 2, 2]],
  },
  {
    name: "2d x=[1,1,4,5] k=3×2 -> 30r + 6c + 33",
    x: [range(20), [1, 1, 4, 5]],
    w: [ones(6), [1, 1, 3, 2]],
    y: [[33, 39, 45, 51, 63, 69, 75, 81], [1, 1, 2, 4]],
  },
  {
    name: "2d x=[1,1,2,7] k=1×4 s=[1,3]",
    x: [range(14), [1, 1, 2, 7]],
    w: [ones(4), [1, 1, 1, 4]],
    options: { stride: [1, 3] },
    y: [[6, 18, 34, 46], [1, 1, 2, 2]],
  },
  {
    name: "2d one-hot (2,2) in 5×5, w=2^(3kh+kw) p1 -> flipped kernel",
    x: [range(25).map((i) => (i === 12 ? 1 : 0)), [1, 1, 5, 5]],
    w: [pow2(9), [1, 1, 3, 3]],
    options: { padding: 1 },
    y: [
      [
        ...[0, 0, 0, 0, 0],
        ...[0, 256, 128, 64, 0],
        ...[0, 32, 16, 8, 0],
        ...[0, 4, 2, 1, 0],
        ...[0, 0, 0, 0, 0],
      ],
      [1, 1, 5, 5],
    ],
  },
  {
    name: "2d one-hot (2,2) in 5×5, w=2^(3kh+kw) s2 p1 -> only centre tap",
    x: [range(25).map((i) => (i === 12 ? 1 : 0)), [1, 1, 5, 5]],
    w: [pow2(9), [1, 1, 3, 3]],
    options: { stride: 2, padding: 1 },
    y: [[0, 0, 0, 0, 16, 0, 0, 0, 0], [1, 1, 3, 3]],
  },
  {
    name: "2d kernel as large as the input: x=[1,1,3,3] k3 -> total",
    x: [range(9), [1, 1, 3, 3]],
    w: [ones(9), [1, 1, 3, 3]],
    y: [[36], [1, 1, 1, 1]],
  },
  {
    name: "2d pads [1,0,0,2] (ONNX order hb, wb, he, we)",
    x: [range(4), [1, 1, 2, 2]],
    w: [ones(4), [1, 1, 2, 2]],
    options: { padding: [1, 0, 0, 2] },
    // padded rows: [0 0 0 0], [0 1 0 0], [2 3 0 0]
    y: [[1, 1, 0, 6, 4, 0], [1, 1, 2, 3]],
  },
  {
    name: "3d x=[1,1,3,3,3] k2 -> 72d + 24h + 8w + 52",
    x: [range(27), [1, 1, 3, 3, 3]],
    w: [ones(8), [1, 1, 2, 2, 2]],
    y: [[52, 60, 76, 84, 124, 132, 148, 156], [1, 1, 2, 2, 2]],
  },
  {
    name: "3d one-hot centre of 3×3×3, w=2^(4kd+2kh+kw) -> flipped kernel",
    x: [range(27).map((i) => (i === 13 ? 1 : 0)), [1, 1, 3, 3, 3]],
    w: [pow2(8), [1, 1, 2, 2, 2]],
    y: [[128, 64, 32, 16, 8, 4, 2, 1], [1, 1, 2, 2, 2]],
  },
  {
    name: "3d x=[1,1,2,3,3] k=[1,3,3] s=[1,2,2] p=[0,1,1]",
    x: [range(18), [1, 1, 2, 3, 3]],
    w: [ones(9), [1, 1, 1, 3, 3]],
    options: { stride: [1, 2, 2], padding: [0, 1, 1] },
    // each 3×3 slice d: 9d + (0..8); windows cover rows/cols {0,1} or {1,2}
    y: [[8, 12, 20, 24, 44, 48, 56, 60], [1, 1, 2, 2, 2]],
  },
];

Deno.test("conv() exact values", async (t2) => {
  for (const impl of IMPLS) {
    for (const dtype of ["float32", "float64"] as const) {
      for (const c of FORWARD_CASES) {
        await t2.step(`${impl} ${dtype} ${c.name}`, () => {
          const bias = c.bias && t(c.bias, [c.bias.length], dtype);
          const y = conv(t(...c.x, dtype), t(...c.w, dtype), { ...c.options, bias, impl });
          assertTensorClose(y, t(...c.y, dtype), EXACT);
        });
      }
    }
  }
});

Deno.test("convBackward() exact values", async (t2) => {
  for (const impl of IMPLS) {
    await t2.step(`${impl} 1d x=[0..6] k3 s3: x[6] gets no gradient`, () => {
      const input = t(range(7), [1, 1, 7]), weight = t([1, 2, 4], [1, 1, 3]);
      const g = convBackward(t([1, 1], [1, 1, 2]), { input, weight }, { stride: 3, impl });
      assertTensorClose(g.input, t([1, 2, 4, 1, 2, 4, 0], [1, 1, 7]), EXACT);
      // dw[k] = x[k] + x[3 + k]
      assertTensorClose(g.weight, t([3, 5, 7], [1, 1, 3]), EXACT);
      assertStrictEquals(g.bias, undefined);
    });
    await t2.step(`${impl} 1d x=[0..6] k3 s2 p1 d2: dy=2^o marks which outputs read x`, () => {
      // out = floor((7 + 2 − 5) / 2) + 1 = 3; output o reads x[2o − 1], x[2o + 1], x[2o + 3].
      const input = t(range(7), [1, 1, 7]), weight = t([1, 1, 1], [1, 1, 3]);
      const options = { stride: 2, padding: 1, dilation: 2, impl };
      const g = convBackward(t([1, 2, 4], [1, 1, 3]), { input, weight }, options);
      // x0: none; x1: o0 (k1), o1 (k0); x3: o0, o1, o2; x5: o1, o2; x7 out of range.
      assertTensorClose(g.input, t([0, 3, 0, 7, 0, 6, 0], [1, 1, 7]), EXACT);
      // dw[k] = Σ_o 2^o x[2o − 1 + 2k]: k0: 0 + 2·1 + 4·3, k1: 1 + 2·3 + 4·5, k2: 3 + 2·5 + 0
      assertTensorClose(g.weight, t([14, 27, 13], [1, 1, 3]), EXACT);
    });
    await t2.step(`${impl} 2d x=[1,1,4,4] k3 s2 p1, dy=1: window counts and sums`, () => {
      const input = t(range(16), [1, 1, 4, 4]), weight = t(ones(9), [1, 1, 3, 3]);
      const bias = t([0], [1]);
      const options = { stride: 2, padding: 1, bias, impl };
      const g = convBackward(t(ones(4), [1, 1, 2, 2]), { input, weight }, options);
      // rows 0..3 are covered by 1, 2, 1, 1 windows; same for columns.
      const counts = [1, 2, 1, 1];
      const dx = counts.flatMap((r) => counts.map((c) => r * c));
      assertTensorClose(g.input, t(dx, [1, 1, 4, 4]), EXACT);
      assertTensorClose(g.weight, t([5, 10, 12, 10, 20, 24, 18, 36, 40], [1, 1, 3, 3]), EXACT);
      assertTensorClose(g.bias!, t([4], [1]), EXACT);
    });
    await t2.step(`${impl} 1d groups 2: each input channel sees only its group's weights`, () => {
      const input = t([1, 1, 2, 2, 4, 4, 8, 8], [1, 4, 2]);
      const weight = t([1, 16, 256, 4096], [2, 2, 1]);
      const g = convBackward(t(ones(4), [1, 2, 2]), { input, weight }, { groups: 2, impl });
      assertTensorClose(g.input, t([1, 1, 16, 16, 256, 256, 4096, 4096], [1, 4, 2]), EXACT);
      assertTensorClose(g.weight, t([2, 4, 8, 16], [2, 2, 1]), EXACT);
    });
    await t2.step(`${impl} 2d k=3×2 s=[2,3] on 7×7: unreached rows and columns are zero`, () => {
      // rows: out = floor((7 − 3) / 2) + 1 = 3, reaching 0..6; columns: out 2 reaching 0,1,3,4
      const input = t(range(49), [1, 1, 7, 7]), weight = t(ones(6), [1, 1, 3, 2]);
      const g = convBackward(t(ones(6), [1, 1, 3, 2]), { input, weight }, {
        stride: [2, 3],
        impl,
      });
      const rows = [1, 1, 2, 1, 2, 1, 1], cols = [1, 1, 0, 1, 1, 0, 0];
      assertTensorClose(g.input, t(rows.flatMap((r) => cols.map((c) => r * c)), [1, 1, 7, 7]));
    });
  }
});

/** Max |ε|-style allowance: n float32 roundings of Σ|terms| (plus one for the final store). */
function float32Bound(absResult: Tensor, n: number): Float64Array {
  return Float64Array.from(absResult.data, (v) => (n + 1) * 2 ** -23 * v);
}

const abs = (x: Tensor): Tensor => new Tensor(x.data.map(Math.abs), x.shape);

interface GridCase {
  name: string;
  x: number[];
  w: number[];
  options: ConvOptions;
}

/** A seeded grid over rank, kernel, stride, padding, dilation, groups, bias and batch. */
function grid(): GridCase[] {
  const cases: GridCase[] = [];
  const paddings = [0, 1, "same", "same_lower", "asym"] as const;
  let seed = 0;
  for (const rank of [1, 2, 3]) {
    for (const groups of [1, 2, "dw"] as const) {
      for (const [k, s, d] of [[1, 1, 1], [3, 1, 1], [3, 2, 1], [2, 3, 2], [3, 2, 2]]) {
        seed++;
        const padding = paddings[seed % paddings.length];
        const g = groups === "dw" ? 3 : groups;
        const cinG = groups === "dw" ? 1 : 2, coutG = groups === "dw" ? 2 : 1 + (seed % 3);
        const size = rank === 3 ? 5 : rank === 2 ? 7 : 11;
        const spatial = Array.from({ length: rank }, (_, i) => size + ((seed + i) % 2));
        const kernel = Array.from({ length: rank }, (_, i) => Math.max(1, k - ((seed + i) % 2)));
        cases.push({
          name: `rank ${rank} g=${groups} k=${kernel} s=${s} d=${d} p=${padding} b=${seed % 2}`,
          x: [seed % 3 === 0 ? 3 : 1, cinG * g, ...spatial],
          w: [coutG * g, cinG, ...kernel],
          options: {
            stride: s,
            dilation: d,
            padding: padding === "asym"
              ? [...kernel.map(() => 0), ...kernel.map(() => 2)]
              : padding,
            groups: g,
            bias: seed % 2 === 0 ? Tensor.randn([coutG * g], { seed: 3 * seed }) : undefined,
          },
        });
      }
    }
  }
  return cases;
}

Deno.test("conv() reference vs fast agree on a seeded float32 grid", async (t2) => {
  for (const [i, c] of grid().entries()) {
    await t2.step(c.name, () => {
      const x = Tensor.randn(c.x, { seed: 100 + i }), w = Tensor.randn(c.w, { seed: 200 + i });
      const ref = conv(x, w, { ...c.options, impl: "reference" });
      const fast = conv(x, w, { ...c.options, impl: "fast" });
      // Error of a float32 sum of K products is bounded by ~K·u·Σ|x·w|: Σ|x·w| from |x| ∗ |w|.
      const absY = conv(abs(x).astype("float64"), abs(w).astype("float64"), {
        ...c.options,
        bias: c.options.bias && abs(c.options.bias).astype("float64"),
        impl: "reference",
      });
      const kernel = c.w.slice(1).reduce((a, b) => a * b, 1);
      assertTensorClose(fast, ref, { rtol: 0, atol: 0, bound: float32Bound(absY, kernel + 1) });

      const dy = Tensor.randn(ref.shape, { seed: 300 + i });
      const gr = convBackward(dy, { input: x, weight: w }, { ...c.options, impl: "reference" });
      const gf = convBackward(dy, { input: x, weight: w }, { ...c.options, impl: "fast" });
      const abs64 = { input: abs(x).astype("float64"), weight: abs(w).astype("float64") };
      const ga = convBackward(abs(dy).astype("float64"), abs64, {
        ...c.options,
        bias: c.options.bias?.astype("float64"),
        impl: "reference",
      });
      const reduceX = c.w[0] * kernel, reduceW = dy.size / c.w[0];
      assertTensorClose(gf.input, gr.input, {
        rtol: 0,
        atol: 0,
        bound: float32Bound(ga.input, reduceX),
      });
      assertTensorClose(gf.weight, gr.weight, {
        rtol: 0,
        atol: 0,
        bound: float32Bound(ga.weight, reduceW),
      });
      assertEquals(gf.bias === undefined, c.options.bias === undefined);
      if (gf.bias) assertTensorClose(gf.bias, gr.bias!, { rtol: 1e-6, atol: 1e-6 });
    });
  }
  await t2.step("tiled: K=576, 48×48 output spans several column tiles (float32 and 64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = Tensor.randn([1, 64, 50, 50], { seed: 1, dtype });
      const w = Tensor.randn([2, 64, 3, 3], { seed: 2, dtype });
      const dy = Tensor.randn([1, 2, 48, 48], { seed: 3, dtype });
      const tol = dtype === "float64" ? { rtol: 1e-9, atol: 1e-9 } : { rtol: 1e-3, atol: 1e-3 };
      const ref = conv(x, w, { impl: "reference" });
      assertTensorClose(conv(x, w, { impl: "fast" }), ref, tol);
      const gr = convBackward(dy, { input: x, weight: w }, { impl: "reference" });
      const gf = convBackward(dy, { input: x, weight: w }, { impl: "fast" });
      assertTensorClose(gf.input, gr.input, tol);
      assertTensorClose(gf.weight, gr.weight, { ...tol, atol: 50 * tol.atol });
    }
  });
});

/** Checks convBackward against central differences of conv in float64. */
function gradcheck(xShape: number[], wShape: number[], options: ConvOptions, impl: Impl): void {
  const x = Tensor.randn(xShape, { seed: 1, dtype: "float64" });
  const w = Tensor.randn(wShape, { seed: 2, dtype: "float64" });
  const b = Tensor.randn([wShape[0]], { seed: 3, dtype: "float64" });
  const opts = { ...options, impl };
  const y = conv(x, w, { ...opts, bias: b });
  const dy = Tensor.randn(y.shape, { seed: 4, dtype: "float64" });
  const g = convBackward(dy, { input: x, weight: w }, { ...opts, bias: b });
  const tol = { rtol: 1e-6, atol: 1e-6 };
  assertTensorClose(g.input, numericalGradient((v) => conv(v, w, opts), x, dy), tol, "input");
  assertTensorClose(g.weight, numericalGradient((v) => conv(x, v, opts), w, dy), tol, "weight");
  const db = numericalGradient((v) => conv(x, w, { ...opts, bias: v }), b, dy);
  assertTensorClose(g.bias!, db, tol, "bias");
}

const GRADCHECK_CASES: [string, number[], number[], ConvOptions][] = [
  ["1d k3 s2 p1", [2, 2, 7], [3, 2, 3], { stride: 2, padding: 1 }],
  ["1d k2 d2 pads [2,1] g2", [1, 4, 6], [2, 2, 2], { dilation: 2, padding: [2, 1], groups: 2 }],
  ["1d k3 s3 same_lower", [1, 2, 7], [2, 2, 3], { stride: 3, padding: "same_lower" }],
  ["2d k3 s2 p1", [2, 2, 5, 6], [3, 2, 3, 3], { stride: 2, padding: 1 }],
  ["2d k=3×2 s=[2,3] d=[1,2] same", [1, 2, 7, 7], [2, 2, 3, 2], {
    stride: [2, 3],
    dilation: [1, 2],
    padding: "same",
  }],
  ["2d depthwise ×2 k3 s2 p1", [2, 3, 5, 5], [6, 1, 3, 3], { stride: 2, padding: 1, groups: 3 }],
  ["2d k1 pointwise g2", [2, 4, 3, 3], [4, 2, 1, 1], { groups: 2 }],
  ["3d k2 s2 p1", [1, 2, 4, 3, 4], [2, 2, 2, 2, 2], { stride: 2, padding: 1 }],
  ["3d k=[1,3,2] d=[1,1,2] g2 pads", [1, 2, 3, 4, 5], [4, 1, 1, 3, 2], {
    dilation: [1, 1, 2],
    groups: 2,
    padding: [0, 1, 0, 1, 0, 2],
  }],
];

Deno.test("convBackward() matches finite differences (float64)", async (t2) => {
  for (const impl of IMPLS) {
    for (const [name, xs, ws, options] of GRADCHECK_CASES) {
      await t2.step(`${impl} ${name}`, () => gradcheck(xs, ws, options, impl));
    }
  }
});

Deno.test("convBackward() PITFALLS: grouped and depthwise weight gradients", async (t2) => {
  // pytorch #50042: grouped weight gradients with stride 2 were silently wrong.
  for (const impl of IMPLS) {
    await t2.step(`${impl} groups=6 C=6 s2 p1 (depthwise, not a power of two)`, () => {
      gradcheck([2, 6, 7, 7], [6, 1, 3, 3], { stride: 2, padding: 1, groups: 6 }, impl);
    });
    await t2.step(`${impl} groups=3 C=6 s2 p1`, () => {
      gradcheck([1, 6, 5, 6], [9, 2, 3, 3], { stride: 2, padding: 1, groups: 3 }, impl);
    });
    await t2.step(`${impl} kernel as large as the input, padding k−1 and beyond`, () => {
      gradcheck([1, 2, 4, 4], [2, 2, 4, 4], {}, impl);
      gradcheck([1, 2, 3, 3], [2, 2, 3, 3], { padding: 2 }, impl);
      gradcheck([1, 1, 3], [1, 1, 2], { padding: 3, stride: 2 }, impl);
    });
  }
});

Deno.test("conv() NaN and ±Infinity propagate", async (t2) => {
  for (const impl of IMPLS) {
    const run = (x: number[], w: number[], options: ConvOptions = {}): Tensor =>
      conv(t(x, [1, 1, x.length]), t(w, [1, 1, w.length]), { ...options, impl });
    await t2.step(`${impl} NaN reaches only the outputs whose window holds it`, () => {
      assertTensorClose(run([1, NaN, 3, 4, 5], [1, 1]), t([NaN, NaN, 7, 9], [1, 1, 4]));
      assertTensorClose(run([1, NaN, 3], [1], { stride: 2 }), t([1, 3], [1, 1, 2]));
      assertTensorClose(run([NaN, 1, 2, 3], [1, 1], { stride: 2 }), t([NaN, 5], [1, 1, 2]));
    });
    await t2.step(`${impl} 0·Inf = NaN and Inf − Inf = NaN, as in PyTorch`, () => {
      assertTensorClose(run([Infinity, 1, 2], [0, 1]), t([NaN, 2], [1, 1, 2]));
      assertTensorClose(run([Infinity, -Infinity, 1], [1, 1]), t([NaN, -Infinity], [1, 1, 2]));
      assertTensorClose(run([1, Infinity, 3, 4], [1, -1]), t([-Infinity, Infinity, -1], [1, 1, 3]));
    });
    await t2.step(`${impl} padding next to NaN stays finite elsewhere`, () => {
      assertTensorClose(run([NaN, 1, 2], [1, 1], { padding: 1 }), t([NaN, NaN, 3, 2], [1, 1, 4]));
    });
    await t2.step(`${impl} NaN in gradOutput reaches the inputs its window read`, () => {
      const input = t([1, 2, 3, 4], [1, 1, 4]), weight = t([1, 1], [1, 1, 2]);
      const g = convBackward(t([0, NaN, 0], [1, 1, 3]), { input, weight }, { impl });
      assertTensorClose(g.input, t([0, NaN, NaN, 0], [1, 1, 4]));
      assertTensorClose(g.weight, t([NaN, NaN], [1, 1, 2]));
    });
  }
});

Deno.test("conv() errors", async (t2) => {
  const x = Tensor.zeros([1, 3, 8, 8]);
  await t2.step("channels: the message from the style guide", () => {
    assertThrows(
      () => conv(x, Tensor.zeros([4, 2, 3, 3]), { groups: 2 }),
      TypeError,
      "Cannot compute conv2d: input channels (3) must equal weight channels × groups (2 × 2): " +
        "input shape is [1, 3, 8, 8]",
    );
  });
  await t2.step("shapes, ranks and dtypes", () => {
    assertThrows(() => conv(Tensor.zeros([3, 8]), Tensor.zeros([1, 3, 3])), TypeError, "rank 3, 4");
    assertThrows(() => conv(x, Tensor.zeros([1, 3, 3])), TypeError, "weight must have rank 4");
    assertThrows(
      () => conv(Tensor.zeros([1, 2, 8]), Tensor.zeros([3, 1, 3]), { groups: 2 }),
      TypeError,
      "conv1d: output channels (3) must be divisible by groups (2)",
    );
    assertThrows(
      () => conv(x, Tensor.zeros([1, 3, 3, 3], "float64")),
      TypeError,
      "weight dtype (float64) must equal input dtype (float32)",
    );
    assertThrows(
      () => conv(x, Tensor.zeros([4, 3, 3, 3]), { bias: Tensor.zeros([3]) }),
      TypeError,
      "bias must have shape [4]",
    );
    assertThrows(
      () => conv(x, Tensor.zeros([4, 3, 3, 3]), { bias: Tensor.zeros([4], "float64") }),
      TypeError,
      "bias dtype (float64) must equal input dtype (float32)",
    );
    assertThrows(
      () => conv(null as unknown as Tensor, Tensor.zeros([1, 1, 1])),
      TypeError,
      "conv: input must be a Tensor, got null",
    );
    assertThrows(
      () => conv(x, Tensor.zeros([4, 3, 3, 3]), 3 as unknown as ConvOptions),
      TypeError,
      "options must be an object",
    );
  });
  await t2.step("values: groups, stride, dilation, padding, empty output, impl", () => {
    const w = Tensor.zeros([3, 3, 3, 3]);
    assertThrows(() => conv(x, w, { groups: 0 }), RangeError, "groups must be positive, got 0");
    assertThrows(() => conv(x, w, { groups: 1.5 }), TypeError, "groups must be an integer");
    assertThrows(() => conv(x, w, { stride: [1, 0] }), RangeError, "stride must be positive");
    assertThrows(() => conv(x, w, { dilation: [2] }), TypeError, "dilation must have one entry");
    assertThrows(() => conv(x, w, { padding: -1 }), RangeError, "padding must be non-negative");
    assertThrows(
      () => conv(Tensor.zeros([1, 3, 2, 2]), w),
      RangeError,
      "conv2d: output size must be at least 1",
    );
    assertThrows(
      () => conv(x, w, { impl: "gpu" as Impl }),
      TypeError,
      'impl must be "reference" or "fast"',
    );
  });
  await t2.step("backward: gradOutput shape and dtype, saved tensors", () => {
    const input = Tensor.zeros([1, 1, 3, 3]), weight = Tensor.zeros([1, 1, 2, 2]);
    assertThrows(
      () => convBackward(Tensor.zeros([1, 1, 3, 3]), { input, weight }),
      TypeError,
      "conv2dBackward: gradOutput shape [1, 1, 3, 3] must equal the forward output shape " +
        "[1, 1, 2, 2]",
    );
    assertThrows(
      () => convBackward(Tensor.zeros([1, 1, 2, 2], "float64"), { input, weight }),
      TypeError,
      "gradOutput dtype (float64) must equal input dtype (float32)",
    );
    assertThrows(
      () =>
        convBackward(Tensor.zeros([1, 1, 2, 2]), { input } as { input: Tensor; weight: Tensor }),
      TypeError,
      "saved.weight must be a Tensor",
    );
  });
});

Deno.test("Conv1d / Conv2d / Conv3d modules", async (t2) => {
  await t2.step("parameter shapes, order and PyTorch init bounds", () => {
    const layer = new Conv2d({ inChannels: 4, outChannels: 6, kernelSize: [3, 2], groups: 2 });
    const [w, b] = layer.parameters();
    assertEquals([w.name, w.value.shape, b.name, b.value.shape], [
      "weight",
      [6, 2, 3, 2],
      "bias",
      [6],
    ]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    for (const v of [...w.value.data, ...b.value.data]) assert(Math.abs(v) <= bound);
    // Not all tiny: the draws fill the interval.
    assert(w.value.data.some((v) => Math.abs(v) > bound / 2));
    assertEquals(new Conv1d({ inChannels: 2, outChannels: 3, kernelSize: 5 }).weight.value.shape, [
      3,
      2,
      5,
    ]);
    const c3 = new Conv3d({ inChannels: 1, outChannels: 2, kernelSize: 2, bias: false });
    assertEquals([c3.weight.value.shape, c3.parameters().length], [[2, 1, 2, 2, 2], 1]);
  });
  await t2.step("seeded: same seed same weights, different seed different", () => {
    const a = new Conv1d({ inChannels: 2, outChannels: 2, kernelSize: 3, seed: 7 });
    const b = new Conv1d({ inChannels: 2, outChannels: 2, kernelSize: 3, seed: 7 });
    const c = new Conv1d({ inChannels: 2, outChannels: 2, kernelSize: 3, seed: 8 });
    assertEquals(a.weight.value.data, b.weight.value.data);
    assert(a.weight.value.data.some((v, i) => v !== c.weight.value.data[i]));
  });
  await t2.step("backward: finite differences, accumulation over two calls, zeroGrad", () => {
    const layer = new Conv2d({
      inChannels: 2,
      outChannels: 4,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      groups: 2,
      dtype: "float64",
      impl: "reference",
    });
    const x = Tensor.randn([2, 2, 5, 5], { seed: 5, dtype: "float64" });
    const y = layer.forward(x);
    assertEquals(y.shape, [2, 4, 3, 3]);
    const dy = Tensor.randn(y.shape, { seed: 6, dtype: "float64" });
    const dx = layer.backward(dy);
    const tol = { rtol: 1e-6, atol: 1e-6 };
    assertTensorClose(dx, numericalGradient((v) => layer.forward(v), x, dy), tol);
    const w = layer.weight.value;
    const dw = numericalGradient(() => layer.forward(x), w, dy);
    assertTensorClose(layer.weight.grad, dw, tol);
    layer.forward(x);
    layer.backward(dy);
    assertTensorClose(layer.weight.grad, new Tensor(dw.data.map((v) => 2 * v), dw.shape), tol);
    const db = numericalGradient(() => layer.forward(x), layer.bias!.value, dy);
    assertTensorClose(layer.bias!.grad, new Tensor(db.data.map((v) => 2 * v), db.shape), tol);
    layer.zeroGrad();
    assert(layer.weight.grad.data.every((v) => v === 0));
    assert(layer.bias!.grad.data.every((v) => v === 0));
  });
  await t2.step("backwardParameters: weight and bias gradients by finite differences", () => {
    for (const impl of ["reference", "fast"] as const) {
      const layer = new Conv2d({
        inChannels: 2,
        outChannels: 4,
        kernelSize: 3,
        padding: 1,
        dtype: "float64",
        impl,
      });
      const x = Tensor.randn([2, 2, 5, 5], { seed: 7, dtype: "float64" });
      const dy = Tensor.randn([2, 4, 5, 5], { seed: 8, dtype: "float64" });
      layer.forward(x);
      layer.backwardParameters(dy);
      const tol = { rtol: 1e-6, atol: 1e-6 };
      const dw = numericalGradient(() => layer.forward(x), layer.weight.value, dy);
      const db = numericalGradient(() => layer.forward(x), layer.bias!.value, dy);
      assertTensorClose(layer.weight.grad, dw, tol);
      assertTensorClose(layer.bias!.grad, db, tol);
    }
    assertThrows(
      () =>
        new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 1 }).backwardParameters(
          Tensor.zeros([1, 1, 1, 1]),
        ),
      Error,
      "forward",
    );
  });
  await t2.step("errors", () => {
    assertThrows(
      () => new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, groups: 2 }),
      RangeError,
      "Conv2d: inChannels (3) must be divisible by groups (2)",
    );
    assertThrows(
      () => new Conv2d({ inChannels: 0, outChannels: 4, kernelSize: 3 }),
      RangeError,
      "inChannels must be positive",
    );
    assertThrows(
      () => new Conv1d({ inChannels: 1, outChannels: 1, kernelSize: [3, 3] }),
      TypeError,
      "kernelSize must have one entry per spatial axis (1)",
    );
    assertThrows(
      () => new Conv1d({ inChannels: 1, outChannels: 1, kernelSize: 3, stride: 0 }),
      RangeError,
      "stride must be positive",
    );
    const layer = new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 1 });
    assertThrows(
      () => layer.forward(Tensor.zeros([1, 1, 4])),
      TypeError,
      "Conv2d: input must be a Tensor of rank 4 ([N, C, H, W]), got shape [1, 1, 4]",
    );
    assertThrows(() => layer.backward(Tensor.zeros([1, 1, 4, 4])), Error, "call forward first");
  });
});
