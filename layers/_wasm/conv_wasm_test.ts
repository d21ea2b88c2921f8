import { assert, assertEquals } from "@std/assert";
import { assertTensorClose } from "../../testing/assert_tensor.ts";
import { CONV_KERNELS } from "../_conv_kernels.ts";
import { type ConvPlan, liftPlan } from "../_conv_plan.ts";
import { gemmBackend, setGemmBackend } from "../_gemm.ts";
import { type Padding, windowGeometry } from "../_geometry.ts";
import { Random } from "../random.ts";
import { Tensor } from "../tensor.ts";
import { CONV_TUNING, convKernel, shapeOf, writeDescriptor } from "./conv_stage.ts";
import { floatView, reserve } from "./engine.ts";
import { wasmGemmAvailable } from "./gemm_wasm.ts";
import { implicitKernel } from "./implicit_wasm.ts";

// Independent sources: the definition of a column entry (element by element, as in
// ../_im2col_test.ts) for the wasm im2col/col2im kernels, and the float64 reference kernels for
// whole passes on small-integer data, where every float32 sum is exact so the wasm path must
// match to the bit whatever its blocking. Tunings are shrunk to force many tiles, image chunks
// and k blocks on small problems.

interface Case {
  label: string;
  batch: number;
  cin: number;
  cout: number;
  groups: number;
  inSize: number[];
  kernel: number[];
  stride?: number[];
  dilation?: number[];
  padding?: Padding;
}

const CASES: Case[] = [
  // Eight output columns: im2col writes the GEMM's B panels directly.
  {
    label: "2d k5 s1 p0, 8 output columns (W2 shape)",
    batch: 5,
    cin: 3,
    cout: 7,
    groups: 1,
    inSize: [12, 12],
    kernel: [5, 5],
  },
  {
    label: "2d k2 s2 p1, 8 output columns (W1 shape)",
    batch: 3,
    cin: 4,
    cout: 5,
    groups: 1,
    inSize: [14, 14],
    kernel: [2, 2],
    stride: [2, 2],
    padding: 1,
  },
  {
    label: "2d k3 s1 p1, 6×8 output",
    batch: 4,
    cin: 2,
    cout: 3,
    groups: 1,
    inSize: [6, 8],
    kernel: [3, 3],
    padding: 1,
  },
  {
    label: "2d k3 s2 p[1,2] d[1,2], 8 output columns",
    batch: 2,
    cin: 3,
    cout: 4,
    groups: 1,
    inSize: [9, 16],
    kernel: [3, 3],
    stride: [2, 2],
    dilation: [1, 2],
    padding: [1, 2],
  },
  {
    label: "2d k3 s1 p1",
    batch: 2,
    cin: 3,
    cout: 4,
    groups: 1,
    inSize: [7, 9],
    kernel: [3, 3],
    padding: 1,
  },
  {
    label: "2d k2 s2 p1 (W1-like)",
    batch: 3,
    cin: 4,
    cout: 5,
    groups: 1,
    inSize: [6, 6],
    kernel: [2, 2],
    stride: [2, 2],
    padding: 1,
  },
  {
    label: "2d k5 s1 p0 (W2-like)",
    batch: 5,
    cin: 2,
    cout: 7,
    groups: 1,
    inSize: [9, 9],
    kernel: [5, 5],
  },
  {
    label: "2d k3 s2 p1, odd width",
    batch: 2,
    cin: 3,
    cout: 13,
    groups: 1,
    inSize: [9, 11],
    kernel: [3, 3],
    stride: [2, 2],
    padding: 1,
  },
  {
    label: "2d k3 s3 d2 pads [2,0,1,3]",
    batch: 2,
    cin: 2,
    cout: 3,
    groups: 1,
    inSize: [10, 12],
    kernel: [3, 3],
    stride: [3, 3],
    dilation: [2, 2],
    padding: [2, 0, 1, 3],
  },
  {
    label: "2d rect k2×4 s[1,2] p[1,2]",
    batch: 2,
    cin: 3,
    cout: 2,
    groups: 1,
    inSize: [5, 13],
    kernel: [2, 4],
    stride: [1, 2],
    padding: [1, 2],
  },
  {
    label: "2d pad 6 wider than 4 (zero loops)",
    batch: 1,
    cin: 2,
    cout: 3,
    groups: 1,
    inSize: [4, 5],
    kernel: [3, 3],
    padding: 6,
  },
  {
    label: "2d 1×1 s1 (pointwise)",
    batch: 3,
    cin: 5,
    cout: 6,
    groups: 1,
    inSize: [4, 6],
    kernel: [1, 1],
  },
  {
    label: "2d groups 2",
    batch: 2,
    cin: 4,
    cout: 6,
    groups: 2,
    inSize: [6, 7],
    kernel: [3, 3],
    stride: [2, 1],
    padding: 1,
  },
  {
    label: "2d depthwise ×2",
    batch: 2,
    cin: 3,
    cout: 6,
    groups: 3,
    inSize: [8, 8],
    kernel: [3, 3],
    padding: 1,
  },
  {
    label: "2d depthwise k3 s2 p1, odd width",
    batch: 2,
    cin: 5,
    cout: 5,
    groups: 5,
    inSize: [9, 11],
    kernel: [3, 3],
    stride: [2, 2],
    padding: 1,
  },
  {
    label: "2d depthwise k5 s2 d2 pads [2,1,3,0]",
    batch: 2,
    cin: 3,
    cout: 3,
    groups: 3,
    inSize: [13, 14],
    kernel: [5, 5],
    stride: [2, 2],
    dilation: [2, 2],
    padding: [2, 1, 3, 0],
  },
  {
    label: "2d depthwise ×3 k3 s3 p1",
    batch: 2,
    cin: 2,
    cout: 6,
    groups: 2,
    inSize: [10, 11],
    kernel: [3, 3],
    stride: [3, 3],
    padding: 1,
  },
  {
    label: "2d groups 2 (4 → 4 per group) k2×3 s[2,1] d[1,2] p[0,1]",
    batch: 2,
    cin: 8,
    cout: 8,
    groups: 2,
    inSize: [7, 10],
    kernel: [2, 3],
    stride: [2, 1],
    dilation: [1, 2],
    padding: [0, 1],
  },
  {
    label: "2d groups 2 (8 → 8 per group) k3 s1 p1: 72 taps",
    batch: 2,
    cin: 16,
    cout: 16,
    groups: 2,
    inSize: [6, 9],
    kernel: [3, 3],
    padding: 1,
  },
  {
    label: "2d depthwise k3×9 (wide kernel) p[1,4] s[1,2]",
    batch: 1,
    cin: 2,
    cout: 2,
    groups: 2,
    inSize: [6, 12],
    kernel: [3, 9],
    stride: [1, 2],
    padding: [1, 4],
  },
  {
    label: "2d depthwise k3 s1 p0, 37 columns",
    batch: 2,
    cin: 3,
    cout: 3,
    groups: 3,
    inSize: [5, 39],
    kernel: [3, 3],
  },
  {
    label: "1d depthwise k3 s2 p1",
    batch: 3,
    cin: 3,
    cout: 3,
    groups: 3,
    inSize: [21],
    kernel: [3],
    stride: [2],
    padding: 1,
  },
  {
    label: "1d k3 s2 p1",
    batch: 3,
    cin: 3,
    cout: 4,
    groups: 1,
    inSize: [17],
    kernel: [3],
    stride: [2],
    padding: 1,
  },
  {
    label: "3d k3 s2 p1",
    batch: 2,
    cin: 2,
    cout: 3,
    groups: 1,
    inSize: [5, 6, 7],
    kernel: [3, 3, 3],
    stride: [2, 2, 2],
    padding: 1,
  },
  {
    label: "3d k2 s1 d[2,1,1] pads asym",
    batch: 1,
    cin: 2,
    cout: 2,
    groups: 2,
    inSize: [6, 4, 5],
    kernel: [2, 2, 2],
    dilation: [2, 1, 1],
    padding: [1, 0, 0, 0, 1, 1],
  },
  {
    label: "2d 150 output channels (two row blocks)",
    batch: 1,
    cin: 2,
    cout: 150,
    groups: 1,
    inSize: [5, 5],
    kernel: [3, 3],
    padding: 1,
  },
];

const TUNINGS: Record<string, Partial<typeof CONV_TUNING>> = {
  default: {},
  "implicit GEMM for every 2-d case": { implicitMinFill: 0 },
  "implicit GEMM, one image per chunk": { implicitMinFill: 0, stageBytes: 1 },
  "im2col GEMM only": { implicit: false },
  "direct, one group per chunk": { directChunkBytes: 1 },
  "direct, generic tables": { directSpecialTaps: 0 },
  tiny: { tileBytes: 512, stageBytes: 1, kc: 8, dwTile: 8, maxTile: 16, implicit: false },
  "one image per chunk, k blocks of 12": { stageBytes: 1, kc: 12, implicit: false },
};

function planOf(c: Case): ConvPlan {
  const g = windowGeometry("conv", c.inSize, c.kernel, {
    stride: c.stride,
    dilation: c.dilation,
    padding: c.padding,
  });
  return liftPlan(g, c.batch, c.cin, c.cout, c.groups);
}

function integers(size: number, rng: Random, span = 5): Float32Array {
  return Float32Array.from({ length: size }, () => rng.integer(span) - (span >> 1));
}

function withTuning<T>(tuning: Partial<typeof CONV_TUNING>, run: () => T): T {
  const saved = { ...CONV_TUNING };
  Object.assign(CONV_TUNING, tuning);
  try {
    return run();
  } finally {
    Object.assign(CONV_TUNING, saved);
  }
}

/** The three passes through one implementation's kernels. */
function passes(p: ConvPlan, x: Float32Array, w: Float32Array, dy: Float32Array, b: Float32Array) {
  const impl = CONV_KERNELS.fast;
  const y = new Float32Array(dy.length), dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  impl.forward(p, x, w, b, y);
  impl.backwardInput(p, dy, w, dx);
  impl.backwardWeight(p, x, dy, dw);
  return { y, dx, dw };
}

function reference(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  b: Float32Array,
) {
  const impl = CONV_KERNELS.reference;
  const y = new Float32Array(dy.length), dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  impl.forward(p, x, w, b, y);
  impl.backwardInput(p, dy, w, dx);
  impl.backwardWeight(p, x, dy, dw);
  return { y, dx, dw };
}

function sizes(p: ConvPlan) {
  const s = shapeOf(p);
  return {
    x: p.batch * p.inChannels * s.inPlane,
    w: p.outChannels * s.k,
    y: p.batch * p.outChannels * s.p,
  };
}

/** Asserts bitwise equality (NaN matches NaN), naming the first difference. */
function assertSame(actual: Float32Array, expected: Float32Array, what: string): void {
  assertEquals(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(actual[i] === 0 && expected[i] === 0)) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

Deno.test({
  name: "wasm convolution",
  ignore: !wasmGemmAvailable(),
  fn: async (t) => {
    assertEquals(gemmBackend(), "wasm");

    await t.step("im2col / col2im kernels match the definition over tiles spanning images", () => {
      const ck = convKernel();
      const rng = new Random(3);
      for (const c of CASES) {
        const p = planOf(c);
        const s = { ...shapeOf(p), nb: c.batch };
        const count = c.batch * s.p, k = s.cinG * p.kD * p.kH * p.kW;
        const x = integers(c.batch * s.cinG * s.inPlane, rng, 9);
        // Staged layout: images of the group's channels, back to back.
        const xAt = 256, cols = Math.ceil(count / 8) * 8 + 3, colsAt = xAt + x.length * 4 + 256;
        const mem = reserve(colsAt + (k * cols + 64) * 4);
        writeDescriptor(p, s);
        for (const [j0, n] of [[0, count], [1, count - 1], [Math.floor(count / 3), 5]]) {
          if (n <= 0 || j0 + n > count) continue;
          const f = floatView();
          f.set(x, xAt >> 2);
          f.fill(NaN, colsAt >> 2, (colsAt >> 2) + k * cols);
          ck.im2col(0, xAt, colsAt, cols * 4, j0, n);
          for (let r = 0; r < k; r++) {
            for (let j = 0; j < n; j++) {
              const e = tap(p, s.cinG, x, r, j0 + j, s.p, s.inPlane);
              const a = mem[(colsAt >> 2) + r * cols + j];
              if (a !== e) {
                throw new Error(
                  `${c.label} im2col j0=${j0}: row ${r} col ${j} = ${a}, expected ${e}`,
                );
              }
            }
          }
          // col2im: scatter integer columns; compare with the definition's adjoint.
          const colData = integers(k * cols, rng, 7);
          f.set(colData, colsAt >> 2);
          f.fill(0, xAt >> 2, (xAt >> 2) + x.length);
          ck.col2im(0, xAt, colsAt, cols * 4, j0, n);
          const expected = new Float64Array(x.length);
          for (let r = 0; r < k; r++) {
            for (let j = 0; j < n; j++) {
              const at = tapIndex(p, s.cinG, r, j0 + j, s.p, s.inPlane);
              if (at >= 0) expected[at] += colData[r * cols + j];
            }
          }
          for (let i = 0; i < x.length; i++) {
            if (f[(xAt >> 2) + i] !== expected[i]) {
              throw new Error(
                `${c.label} col2im j0=${j0}: x[${i}] = ${f[(xAt >> 2) + i]}, expected ${
                  expected[i]
                }`,
              );
            }
          }
        }
      }
    });

    await t.step("stage / unstage match the padded phase-split definition", () => {
      // Padded column q of row r sits at r·rowBytes + (q mod s)·phaseBytes + ⌊q / s⌋·4; stage
      // writes exactly the input's cells there (the rest keeps its NaN fill), unstage reads back.
      const ik = implicitKernel();
      for (const s of [1, 2, 3]) {
        for (const w of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17]) {
          for (const pW of [0, 1, 2]) {
            const h = 3, planes = 2, pH = 1;
            const wq = Math.ceil((w + pW + 1) / s), rowBytes = s * wq * 4;
            const planeBytes = (h + 2) * rowBytes + 16, srcPlane = h * w * 4;
            const srcAt = 1024, dstAt = 8192, backAt = 32768;
            const f = reserve(65536);
            const src = Float32Array.from({ length: planes * h * w }, (_, i) => i + 1);
            f.set(src, srcAt >> 2);
            f.fill(NaN, dstAt >> 2, (dstAt + planes * planeBytes) >> 2);
            ik.stage(srcAt, srcPlane, dstAt, planeBytes, rowBytes, wq * 4, planes, h, w, pH, pW, s);
            const expected = new Float32Array(planes * planeBytes / 4).fill(NaN);
            for (let p = 0; p < planes; p++) {
              for (let i = 0; i < h; i++) {
                for (let c = 0; c < w; c++) {
                  const q = pW + c;
                  const at = p * planeBytes + (pH + i) * rowBytes + (q % s) * wq * 4 +
                    Math.floor(q / s) * 4;
                  expected[at >> 2] = src[(p * h + i) * w + c];
                }
              }
            }
            const what = `s=${s} w=${w} pW=${pW}`;
            assertSame(f.slice(dstAt >> 2, (dstAt >> 2) + expected.length), expected, what);
            f.fill(0, backAt >> 2, (backAt + planes * srcPlane) >> 2);
            ik.unstage(
              backAt,
              srcPlane,
              dstAt,
              planeBytes,
              rowBytes,
              wq * 4,
              planes,
              h,
              w,
              pH,
              pW,
              s,
            );
            assertSame(f.slice(backAt >> 2, (backAt >> 2) + src.length), src, `unstage ${what}`);
          }
        }
      }
    });

    for (const [name, tuning] of Object.entries(TUNINGS)) {
      await t.step(
        `passes equal the float64 reference exactly on integer data (${name} tuning)`,
        () => {
          const rng = new Random(7);
          for (const c of CASES) {
            const p = planOf(c);
            const n = sizes(p);
            const x = integers(n.x, rng), w = integers(n.w, rng), dy = integers(n.y, rng);
            const b = integers(c.cout, rng);
            const got = withTuning(tuning, () => passes(p, x, w, dy, b));
            const want = reference(p, x, w, dy, b);
            assertSame(got.y, want.y, `${c.label} forward`);
            assertSame(got.dx, want.dx, `${c.label} input gradient`);
            assertSame(got.dw, want.dw, `${c.label} weight gradient`);
          }
        },
      );
    }

    await t.step("wasm and TypeScript backends agree on normal data", () => {
      const rng = new Random(11);
      for (const c of CASES) {
        const p = planOf(c);
        const n = sizes(p);
        const normal = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
        const x = normal(n.x), w = normal(n.w), dy = normal(n.y), b = normal(c.cout);
        const wasm = passes(p, x, w, dy, b);
        setGemmBackend("ts");
        let ts;
        try {
          ts = passes(p, x, w, dy, b);
        } finally {
          setGemmBackend("auto");
        }
        const shapeY = [n.y], tol = { rtol: 1e-4, atol: 1e-4 };
        assertTensorClose(new Tensor(wasm.y, shapeY), new Tensor(ts.y, shapeY), tol);
        assertTensorClose(new Tensor(wasm.dx, [n.x]), new Tensor(ts.dx, [n.x]), tol);
        assertTensorClose(new Tensor(wasm.dw, [n.w]), new Tensor(ts.dw, [n.w]), {
          rtol: 1e-4,
          atol: 1e-3,
        });
      }
    });

    await t.step(
      "implicit and direct: NaN and ±Inf reach the same outputs as the im2col GEMM",
      () => {
        // The implicit tiles and the direct blocks compute garbage columns past each output row and
        // read past the staged rows; none of that may reach a result. The im2col path computes
        // exactly the real columns (and multiplies padding zeros like the others), so all must
        // agree bit for bit on integer data with non-finite values sprinkled into every operand.
        const rng = new Random(13);
        for (const c of CASES) {
          const p = planOf(c);
          if (p.inD !== 1) continue;
          const n = sizes(p);
          const x = integers(n.x, rng), w = integers(n.w, rng), dy = integers(n.y, rng);
          const b = integers(c.cout, rng);
          const specials = [NaN, Infinity, -Infinity];
          for (const [array, count] of [[x, 3], [w, 1], [dy, 2]] as const) {
            for (let i = 0; i < count; i++) {
              array[rng.integer(array.length)] = specials[rng.integer(specials.length)];
            }
          }
          const gemm = withTuning({ implicit: false, direct: false }, () => passes(p, x, w, dy, b));
          const tunings = [
            { implicitMinFill: 0, direct: false },
            { direct: true },
            { direct: true, directSpecialTaps: 0 },
          ];
          for (const tuning of tunings) {
            const got = withTuning(tuning, () => passes(p, x, w, dy, b));
            const what = `${c.label} ${JSON.stringify(tuning)}`;
            assertSame(got.y, gemm.y, `${what} forward`);
            assertSame(got.dx, gemm.dx, `${what} input gradient`);
            assertSame(got.dw, gemm.dw, `${what} weight gradient`);
          }
        }
      },
    );

    await t.step("NaN in the input reaches exactly the outputs whose windows hold it", () => {
      const c = CASES[1];
      const p = planOf(c);
      const n = sizes(p);
      const rng = new Random(5);
      const x = integers(n.x, rng), w = integers(n.w, rng), dy = integers(n.y, rng);
      x[7] = NaN;
      const got = passes(p, x, w, dy, new Float32Array(c.cout));
      const want = reference(p, x, w, dy, new Float32Array(c.cout));
      assert(got.y.some(Number.isNaN));
      assertSame(got.y, want.y, "forward with NaN");
      assertSame(got.dw, want.dw, "weight gradient with NaN");
    });
  },
});

/** Row r = (c, kd, kh, kw), flat column j over images: the input index read, or −1 (padding). */
function tapIndex(
  p: ConvPlan,
  channels: number,
  r: number,
  j: number,
  positions: number,
  inPlane: number,
): number {
  const kw = r % p.kW, kh = Math.floor(r / p.kW) % p.kH;
  const kd = Math.floor(r / (p.kW * p.kH)) % p.kD, c = Math.floor(r / (p.kW * p.kH * p.kD));
  const image = Math.floor(j / positions), o = j % positions;
  const ow = o % p.outW, oh = Math.floor(o / p.outW) % p.outH;
  const od = Math.floor(o / (p.outW * p.outH));
  const id = od * p.sD + kd * p.dD - p.pD, ih = oh * p.sH + kh * p.dH - p.pH;
  const iw = ow * p.sW + kw * p.dW - p.pW;
  if (id < 0 || id >= p.inD || ih < 0 || ih >= p.inH || iw < 0 || iw >= p.inW) return -1;
  return (image * channels + c) * inPlane + (id * p.inH + ih) * p.inW + iw;
}

function tap(
  p: ConvPlan,
  channels: number,
  x: Float32Array,
  r: number,
  j: number,
  positions: number,
  inPlane: number,
): number {
  const at = tapIndex(p, channels, r, j, positions, inPlane);
  return at < 0 ? 0 : x[at];
}
