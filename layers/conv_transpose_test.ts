import { assert, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import type { Impl } from "./_impl.ts";
import { conv, convBackward } from "./conv.ts";
import {
  convTranspose,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
  convTransposeBackward,
  type ConvTransposeOptions,
} from "./conv_transpose.ts";
import { type DType, Tensor } from "./tensor.ts";

const IMPLS: Impl[] = ["reference", "fast"];
const EXACT = { rtol: 0, atol: 0 };

function t(data: number[], shape: number[], dtype: DType = "float32"): Tensor {
  return new Tensor(dtype === "float64" ? Float64Array.from(data) : Float32Array.from(data), shape);
}

const ones = (n: number): number[] => new Array(n).fill(1);
const pow2 = (n: number): number[] => Array.from({ length: n }, (_, i) => 2 ** i);

/** A 3-D one-hot output: `2^(4kd + 2kh + kw)` at `(at + kd, at + kh, at + kw)` in an n³ cube. */
function placedKernel3d(n: number, at: number): number[] {
  const out = new Array(n ** 3).fill(0);
  for (let kd = 0; kd < 2; kd++) {
    for (let kh = 0; kh < 2; kh++) {
      for (let kw = 0; kw < 2; kw++) {
        out[((at + kd) * n + at + kh) * n + at + kw] = 2 ** (4 * kd + 2 * kh + kw);
      }
    }
  }
  return out;
}

interface ExactCase {
  name: string;
  x: [number[], number[]];
  w: [number[], number[]];
  options?: ConvTransposeOptions;
  bias?: number[];
  y: [number[], number[]];
}

// Hand arithmetic: a transposed convolution scatters x[i]·w[k] to output position
// i·stride + k·dilation − padBegin (kernels appear unflipped), then crops.
const FORWARD_CASES: ExactCase[] = [
  {
    name: "1d x=[1,2] k3 s2: [1,1,1,0,0] + [0,0,2,2,2]",
    x: [[1, 2], [1, 1, 2]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 2 },
    y: [[1, 1, 3, 2, 2], [1, 1, 5]],
  },
  {
    name: "1d x=[1,2] k3 s2 p1 crops one at each end",
    x: [[1, 2], [1, 1, 2]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 2, padding: 1 },
    y: [[1, 3, 2], [1, 1, 3]],
  },
  {
    name: "1d x=[1,2] k3 s2 p1 outputPadding 1 keeps one more output at the end",
    x: [[1, 2], [1, 1, 2]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 2, padding: 1, outputPadding: 1 },
    y: [[1, 3, 2, 2], [1, 1, 4]],
  },
  {
    name: "1d one-hot [0,1,0], w=[1,2,4] s2: kernel at 2..4, unflipped",
    x: [[0, 1, 0], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2 },
    y: [[0, 0, 1, 2, 4, 0, 0], [1, 1, 7]],
  },
  {
    name: "1d x=[1,8] w=[1,2,4] d2 -> interleaved taps",
    x: [[1, 8], [1, 1, 2]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { dilation: 2 },
    y: [[1, 8, 2, 16, 4, 32], [1, 1, 6]],
  },
  {
    // PITFALLS (onnxruntime #14208): out = 2·2 + 2·2 + 1 + 1 − 2 = 8; x[i]·w[k] lands at 2i + 2k − 1.
    name: "1d x=[1,8,64] w=[1,2,4] s2 p1 outputPadding 1 d2 -> 8",
    x: [[1, 8, 64], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2, padding: 1, outputPadding: 1, dilation: 2 },
    y: [[0, 2 + 8, 0, 4 + 16 + 64, 0, 32 + 128, 0, 256], [1, 1, 8]],
  },
  {
    // ONNX output_shape without auto_pad: the odd total pad goes first (spec; ORT 1.30 agrees).
    name: "1d x=[1,8,64] k3 s2 outputSize [6]: total pad 1 at the start",
    x: [[1, 8, 64], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2, outputSize: [6] },
    y: [[2, 4 + 8, 16, 32 + 64, 128, 256], [1, 1, 6]],
  },
  {
    name: "1d x=[1,8,64] k3 s2 outputSize [8]: one extra trailing row (output padding)",
    x: [[1, 8, 64], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2, outputSize: [8] },
    y: [[1, 2, 12, 16, 96, 128, 256, 0], [1, 1, 8]],
  },
  {
    name: "1d x=[1,8,64] k3 s2 outputSize [7]: no padding",
    x: [[1, 8, 64], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2, outputSize: [7] },
    y: [[1, 2, 12, 16, 96, 128, 256], [1, 1, 7]],
  },
  {
    name: "1d x=[1,8,64] k3 s2 same_lower + outputSize [6]: pad at the start",
    x: [[1, 8, 64], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2, outputSize: [6], padding: "same_lower" },
    y: [[2, 12, 16, 96, 128, 256], [1, 1, 6]],
  },
  {
    name: "1d x=[1,8,64] k3 s2 same: out = in × stride = 6",
    x: [[1, 8, 64], [1, 1, 3]],
    w: [[1, 2, 4], [1, 1, 3]],
    options: { stride: 2, padding: "same" },
    y: [[1, 2, 12, 16, 96, 128], [1, 1, 6]],
  },
  {
    name: "1d bias 0.5",
    x: [[1, 2], [1, 1, 2]],
    w: [ones(3), [1, 1, 3]],
    options: { stride: 2 },
    bias: [0.5],
    y: [[1.5, 1.5, 3.5, 2.5, 2.5], [1, 1, 5]],
  },
  {
    name: "1d groups 2, Cout/g 2: w [[1,16],[256,4096]], x channels 1, 2",
    x: [[1, 1, 2, 2], [1, 2, 2]],
    w: [[1, 16, 256, 4096], [2, 2, 1]],
    options: { groups: 2 },
    y: [[1, 1, 16, 16, 512, 512, 8192, 8192], [1, 4, 2]],
  },
  {
    name: "2d [[1,2],[3,4]] k2 s2 -> 2×2 blocks",
    x: [[1, 2, 3, 4], [1, 1, 2, 2]],
    w: [ones(4), [1, 1, 2, 2]],
    options: { stride: 2 },
    y: [[1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], [1, 1, 4, 4]],
  },
  {
    name: "2d one-hot centre of 3×3, w=2^(3kh+kw) p1 -> the kernel itself",
    x: [[0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 1, 3, 3]],
    w: [pow2(9), [1, 1, 3, 3]],
    options: { padding: 1 },
    y: [pow2(9), [1, 1, 3, 3]],
  },
  {
    name: "2d x=[1,1,1,2] k=1×3 s=[1,2] pads [0,0,0,1]",
    x: [[1, 2], [1, 1, 1, 2]],
    w: [[1, 2, 4], [1, 1, 1, 3]],
    options: { stride: [1, 2], padding: [0, 0, 0, 1] },
    y: [[1, 2, 4 + 2, 4], [1, 1, 1, 4]],
  },
  {
    name: "3d one-hot (1,1,1) of 2³, w=2^(4kd+2kh+kw) s2 -> kernel at [2,3]³",
    x: [[0, 0, 0, 0, 0, 0, 0, 1], [1, 1, 2, 2, 2]],
    w: [pow2(8), [1, 1, 2, 2, 2]],
    options: { stride: 2 },
    y: [placedKernel3d(4, 2), [1, 1, 4, 4, 4]],
  },
];

Deno.test("convTranspose() exact values", async (t2) => {
  for (const impl of IMPLS) {
    for (const dtype of ["float32", "float64"] as const) {
      for (const c of FORWARD_CASES) {
        await t2.step(`${impl} ${dtype} ${c.name}`, () => {
          const bias = c.bias && t(c.bias, [c.bias.length], dtype);
          const y = convTranspose(t(...c.x, dtype), t(...c.w, dtype), {
            ...c.options,
            bias,
            impl,
          });
          assertTensorClose(y, t(...c.y, dtype), EXACT);
        });
      }
    }
  }
});

Deno.test("convTransposeBackward() exact values", async (t2) => {
  for (const impl of IMPLS) {
    await t2.step(`${impl} 1d x=[1,2] k3 s2, dy=[0..4]`, () => {
      const input = t([1, 2], [1, 1, 2]), weight = t(ones(3), [1, 1, 3]);
      const bias = t([0], [1]);
      const g = convTransposeBackward(t([0, 1, 2, 3, 4], [1, 1, 5]), { input, weight }, {
        stride: 2,
        bias,
        impl,
      });
      assertTensorClose(g.input, t([0 + 1 + 2, 2 + 3 + 4], [1, 1, 2]), EXACT);
      // dw[k] = Σ_i x[i]·dy[2i + k]
      assertTensorClose(g.weight, t([0 + 2 * 2, 1 + 2 * 3, 2 + 2 * 4], [1, 1, 3]), EXACT);
      assertTensorClose(g.bias!, t([10], [1]), EXACT);
    });
    await t2.step(`${impl} 1d s2 p1 outputPadding 1 d2, dy=1: cropped taps get nothing`, () => {
      const input = t([1, 8, 64], [1, 1, 3]), weight = t([1, 2, 4], [1, 1, 3]);
      const options = { stride: 2, padding: 1, outputPadding: 1, dilation: 2, impl };
      const g = convTransposeBackward(t(ones(8), [1, 1, 8]), { input, weight }, options);
      // x[i]·w[k] lands at 2i + 2k − 1: only (i=0, k=0) falls outside [0, 8).
      assertTensorClose(g.input, t([2 + 4, 7, 7], [1, 1, 3]), EXACT);
      assertTensorClose(g.weight, t([8 + 64, 73, 73], [1, 1, 3]), EXACT);
    });
  }
});

Deno.test("convTranspose() is conv's input gradient", async (t2) => {
  const cases: [string, number[], number[], ConvTransposeOptions][] = [
    ["1d k3 s2 p1", [2, 3, 5], [3, 2, 3], { stride: 2, padding: 1 }],
    ["2d k=3×2 s=[2,1] d=[1,2] g2", [1, 4, 4, 5], [4, 3, 3, 2], {
      stride: [2, 1],
      dilation: [1, 2],
      groups: 2,
    }],
    ["3d k2 s2 pads", [1, 2, 2, 3, 2], [2, 1, 2, 2, 2], {
      stride: 2,
      padding: [0, 1, 0, 1, 0, 0],
    }],
  ];
  for (const impl of IMPLS) {
    for (const [name, xs, ws, options] of cases) {
      await t2.step(`${impl} ${name}: identity with convBackward and adjoint of conv`, () => {
        const x = Tensor.randn(xs, { seed: 1, dtype: "float64" });
        const w = Tensor.randn(ws, { seed: 2, dtype: "float64" });
        const y = convTranspose(x, w, { ...options, impl });
        // Structural identity: the same geometry seen from the forward convolution.
        const viaConv = convBackward(x, { input: Tensor.zeros(y.shape, "float64"), weight: w }, {
          ...options,
          impl,
        });
        assertTensorClose(y, viaConv.input, EXACT);
        // Adjoint: <conv(a, w), x> = <a, convTranspose(x, w)> for any a of the output's shape.
        const a = Tensor.randn(y.shape, { seed: 3, dtype: "float64" });
        const ca = conv(a, w, { ...options, impl: impl === "fast" ? "reference" : "fast" });
        const dot = (p: Tensor, q: Tensor): number => {
          let sum = 0;
          for (let i = 0; i < p.size; i++) sum += p.data[i] * q.data[i];
          return sum;
        };
        const lhs = dot(ca, x), rhs = dot(a, y);
        assert(Math.abs(lhs - rhs) <= 1e-10 * (1 + Math.abs(lhs)), `${lhs} vs ${rhs}`);
      });
    }
  }
});

function gradcheck(
  xShape: number[],
  wShape: number[],
  options: ConvTransposeOptions,
  impl: Impl,
): void {
  const x = Tensor.randn(xShape, { seed: 1, dtype: "float64" });
  const w = Tensor.randn(wShape, { seed: 2, dtype: "float64" });
  const groups = options.groups ?? 1;
  const b = Tensor.randn([wShape[1] * groups], { seed: 3, dtype: "float64" });
  const opts = { ...options, impl };
  const y = convTranspose(x, w, { ...opts, bias: b });
  const dy = Tensor.randn(y.shape, { seed: 4, dtype: "float64" });
  const g = convTransposeBackward(dy, { input: x, weight: w }, { ...opts, bias: b });
  const tol = { rtol: 1e-6, atol: 1e-6 };
  const f = (xv: Tensor, wv: Tensor, bv?: Tensor) => convTranspose(xv, wv, { ...opts, bias: bv });
  assertTensorClose(g.input, numericalGradient((v) => f(v, w), x, dy), tol, "input");
  assertTensorClose(g.weight, numericalGradient((v) => f(x, v), w, dy), tol, "weight");
  assertTensorClose(g.bias!, numericalGradient((v) => f(x, w, v), b, dy), tol, "bias");
}

const GRADCHECK_CASES: [string, number[], number[], ConvTransposeOptions][] = [
  ["1d s2 p1 outputPadding 1 d2", [2, 2, 3], [2, 3, 3], {
    stride: 2,
    padding: 1,
    outputPadding: 1,
    dilation: 2,
  }],
  ["1d outputPadding 1 ≥ stride 1 (< dilation 2)", [1, 2, 4], [2, 1, 3], {
    dilation: 2,
    outputPadding: 1,
  }],
  ["1d outputSize [8] s3 k2", [1, 1, 3], [1, 2, 2], { stride: 3, outputSize: [8] }],
  ["2d s2 p1 outputPadding [1,0] g2", [1, 4, 3, 3], [4, 2, 3, 2], {
    stride: 2,
    padding: 1,
    outputPadding: [1, 0],
    groups: 2,
  }],
  ["2d same_lower s2 k3", [2, 2, 3, 2], [2, 2, 3, 3], { stride: 2, padding: "same_lower" }],
  ["2d depthwise ×2 s2 p1", [1, 3, 3, 3], [3, 2, 3, 3], { stride: 2, padding: 1, groups: 3 }],
  ["3d k=[2,2,3] s2 outputSize [4,3,4]", [1, 2, 2, 2, 2], [2, 1, 2, 2, 3], {
    stride: 2,
    outputSize: [4, 3, 4],
  }],
];

Deno.test("convTransposeBackward() matches finite differences (float64)", async (t2) => {
  for (const impl of IMPLS) {
    for (const [name, xs, ws, options] of GRADCHECK_CASES) {
      await t2.step(`${impl} ${name}`, () => gradcheck(xs, ws, options, impl));
    }
  }
});

Deno.test("convTranspose() reference vs fast agree (float32)", async (t2) => {
  let seed = 0;
  for (const rank of [1, 2, 3]) {
    for (const [k, s, d, p, groups] of [[3, 2, 1, 1, 1], [2, 3, 2, 0, 2], [3, 1, 2, 2, 3]]) {
      seed++;
      const name = `rank ${rank} k${k} s${s} d${d} p${p} g${groups}`;
      await t2.step(name, () => {
        const spatial = new Array(rank).fill(rank === 3 ? 3 : 5);
        const kernel = new Array(rank).fill(k);
        const x = Tensor.randn([2, 2 * groups, ...spatial], { seed });
        const w = Tensor.randn([2 * groups, 2, ...kernel], { seed: seed + 50 });
        const options: ConvTransposeOptions = {
          stride: s,
          dilation: d,
          padding: p,
          groups,
          outputPadding: s > 1 ? 1 : 0,
          bias: Tensor.randn([2 * groups], { seed: seed + 99 }),
        };
        const ref = convTranspose(x, w, { ...options, impl: "reference" });
        const fast = convTranspose(x, w, { ...options, impl: "fast" });
        const tol = { rtol: 1e-5, atol: 1e-5 };
        assertTensorClose(fast, ref, tol);
        const dy = Tensor.randn(ref.shape, { seed: seed + 7 });
        const gr = convTransposeBackward(dy, { input: x, weight: w }, {
          ...options,
          impl: "reference",
        });
        const gf = convTransposeBackward(dy, { input: x, weight: w }, { ...options, impl: "fast" });
        assertTensorClose(gf.input, gr.input, tol);
        assertTensorClose(gf.weight, gr.weight, { rtol: 1e-5, atol: 1e-4 });
        assertTensorClose(gf.bias!, gr.bias!, tol);
      });
    }
  }
});

Deno.test("convTranspose() NaN propagates to the outputs it scatters to", () => {
  for (const impl of IMPLS) {
    const y = convTranspose(t([1, NaN, 1], [1, 1, 3]), t([1, 1], [1, 1, 2]), { stride: 2, impl });
    assertTensorClose(y, t([1, 1, NaN, NaN, 1, 1], [1, 1, 6]));
  }
});

Deno.test("convTranspose() errors", async (t2) => {
  await t2.step("channels and groups", () => {
    assertThrows(
      () => convTranspose(Tensor.zeros([1, 3, 4, 4]), Tensor.zeros([4, 2, 3, 3])),
      TypeError,
      "Cannot compute convTranspose2d: input channels (3) must equal weight input channels (4)",
    );
    assertThrows(
      () => convTranspose(Tensor.zeros([1, 3, 4]), Tensor.zeros([3, 1, 2]), { groups: 2 }),
      TypeError,
      "convTranspose1d: input channels (3) must be divisible by groups (2)",
    );
    assertThrows(
      () => convTranspose(Tensor.zeros([1, 2, 4]), Tensor.zeros([2, 1, 2]), { groups: 0 }),
      RangeError,
      "groups must be positive",
    );
    assertThrows(
      () =>
        convTranspose(Tensor.zeros([1, 2, 4]), Tensor.zeros([2, 3, 2]), {
          groups: 2,
          bias: Tensor.zeros([3]),
        }),
      TypeError,
      "bias must have shape [6]",
    );
  });
  await t2.step("outputPadding and outputSize", () => {
    const x = Tensor.zeros([1, 1, 3]), w = Tensor.zeros([1, 1, 3]);
    assertThrows(
      () => convTranspose(x, w, { stride: 2, outputPadding: 2 }),
      RangeError,
      "outputPadding must be smaller than stride or dilation",
    );
    assertThrows(
      () => convTranspose(x, w, { stride: 2, outputSize: [9] }),
      RangeError,
      "outputSize [9] exceeds what a transposed convolution",
    );
    assertThrows(
      () => convTranspose(x, w, { outputSize: [2, 2] }),
      TypeError,
      "outputSize must hold 1 positive integers",
    );
  });
  await t2.step("backward gradOutput shape", () => {
    const input = Tensor.zeros([1, 1, 3]), weight = Tensor.zeros([1, 1, 3]);
    assertThrows(
      () => convTransposeBackward(Tensor.zeros([1, 1, 4]), { input, weight }, { stride: 2 }),
      TypeError,
      "convTranspose1dBackward: gradOutput shape [1, 1, 4] must equal the forward output " +
        "shape [1, 1, 7]",
    );
  });
});

Deno.test("ConvTranspose1d / 2d / 3d modules", async (t2) => {
  await t2.step("weight [in, out/groups, k...], PyTorch fan_in = out/groups·Πk", () => {
    const layer = new ConvTranspose2d({
      inChannels: 4,
      outChannels: 6,
      kernelSize: 3,
      groups: 2,
      stride: 2,
    });
    const [w, b] = layer.parameters();
    assertEquals([w.value.shape, b.value.shape], [[4, 3, 3, 3], [6]]);
    const bound = 1 / Math.sqrt(3 * 9);
    for (const v of [...w.value.data, ...b.value.data]) assert(Math.abs(v) <= bound);
    assert(w.value.data.some((v) => Math.abs(v) > bound / 2));
    assertEquals(layer.forward(Tensor.randn([1, 4, 3, 3])).shape, [1, 6, 7, 7]);
    const c1 = new ConvTranspose1d({ inChannels: 2, outChannels: 1, kernelSize: 2, bias: false });
    assertEquals([c1.weight.value.shape, c1.parameters().length], [[2, 1, 2], 1]);
    const c3 = new ConvTranspose3d({ inChannels: 1, outChannels: 2, kernelSize: [1, 2, 3] });
    assertEquals(c3.weight.value.shape, [1, 2, 1, 2, 3]);
  });
  await t2.step("backward: finite differences, accumulation, zeroGrad", () => {
    const layer = new ConvTranspose1d({
      inChannels: 2,
      outChannels: 3,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
      dilation: 2,
      dtype: "float64",
    });
    const x = Tensor.randn([2, 2, 4], { seed: 1, dtype: "float64" });
    const y = layer.forward(x);
    assertEquals(y.shape, [2, 3, 2 * 3 + 5 + 1 - 2]);
    const dy = Tensor.randn(y.shape, { seed: 2, dtype: "float64" });
    const dx = layer.backward(dy);
    layer.forward(x);
    layer.backward(dy);
    const tol = { rtol: 1e-6, atol: 1e-6 };
    assertTensorClose(dx, numericalGradient((v) => layer.forward(v), x, dy), tol);
    const dw = numericalGradient(() => layer.forward(x), layer.weight.value, dy);
    assertTensorClose(layer.weight.grad, new Tensor(dw.data.map((v) => 2 * v), dw.shape), tol);
    const db = numericalGradient(() => layer.forward(x), layer.bias!.value, dy);
    assertTensorClose(layer.bias!.grad, new Tensor(db.data.map((v) => 2 * v), db.shape), tol);
    layer.zeroGrad();
    assert(layer.parameters().every((p) => p.grad.data.every((v) => v === 0)));
  });
  await t2.step("errors", () => {
    assertThrows(
      () => new ConvTranspose2d({ inChannels: 4, outChannels: 3, kernelSize: 3, groups: 2 }),
      RangeError,
      "ConvTranspose2d: outChannels (3) must be divisible by groups (2)",
    );
    assertThrows(
      () =>
        new ConvTranspose1d({ inChannels: 1, outChannels: 1, kernelSize: 3, outputPadding: -1 }),
      RangeError,
      "outputPadding must be at least 0",
    );
    const layer = new ConvTranspose3d({ inChannels: 1, outChannels: 1, kernelSize: 1 });
    assertThrows(() => layer.forward(Tensor.zeros([1, 1, 2, 2])), TypeError, "rank 5");
    assertThrows(() => layer.backward(Tensor.zeros([1, 1, 1, 1, 1])), Error, "call forward first");
  });
});
