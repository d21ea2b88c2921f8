import { assertEquals } from "@std/assert";
import { windowGeometry } from "../_geometry.ts";
import { maxPoolReference } from "../_pool_reference.ts";
import { liftWindow, type PoolWindow } from "../_pool_window.ts";
import { Random } from "../random.ts";
import { wasmGemmAvailable } from "./gemm_wasm.ts";
import { maxPoolWasm, maxPoolWasmCovers } from "./pool_wasm.ts";

// The wasm max pool must equal the reference loops bit for bit: the first maximum of the window
// in row-major order wins ties (−0 before +0 too), a NaN wins the window and the last NaN gives
// the index, padding never wins, and a window without input is −Infinity with index −1. Hand
// cases pin the rules; seeded grids with many ties, zeros of both signs, NaN and ±Infinity run
// every code path (the 2×2 stride-2 loop and its NaN fallback, 4-output groups for strides 1
// and 2, single outputs at edges and for other strides).

interface Window {
  label: string;
  inSize: number[];
  kernel: number[];
  stride?: number[];
  dilation?: number[];
  padding?: number | number[];
  ceilMode?: boolean;
}

function windowOf(w: Window, planes: number): PoolWindow {
  const g = windowGeometry("maxPool", w.inSize, w.kernel, {
    stride: w.stride,
    dilation: w.dilation,
    padding: w.padding,
    ceilMode: w.ceilMode ?? false,
    defaultStride: w.kernel,
  });
  return liftWindow(g, planes);
}

function run(x: Float32Array, w: PoolWindow, indices: boolean) {
  const size = w.planes * w.outPlane;
  const out = new Float32Array(size).fill(7);
  const idx = indices ? new Int32Array(size).fill(-7) : undefined;
  assertEquals(maxPoolWasm(x, w, out, idx), true);
  return { out, idx };
}

function reference(x: Float32Array, w: PoolWindow) {
  const size = w.planes * w.outPlane;
  const out = new Float32Array(size), idx = new Int32Array(size);
  maxPoolReference(x, w, out, idx);
  return { out, idx };
}

/** Bitwise equality of values (any NaN matches NaN) and exact equality of indices. */
function assertSame(x: Float32Array, w: PoolWindow, label: string): void {
  const want = reference(x, w);
  for (const indices of [true, false]) {
    const got = run(x, w, indices);
    for (let i = 0; i < want.out.length; i++) {
      const a = got.out[i], e = want.out[i];
      if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)))) {
        throw new Error(`${label}: output ${i} is ${a}, expected ${e} (indices ${indices})`);
      }
      if (got.idx && got.idx[i] !== want.idx[i]) {
        throw new Error(`${label}: index ${i} is ${got.idx[i]}, expected ${want.idx[i]}`);
      }
    }
  }
}

const WINDOWS: Window[] = [
  { label: "2×2 s2 (the unrolled loop), width 19", inSize: [6, 19], kernel: [2, 2] },
  { label: "2×2 s2, width 40", inSize: [4, 40], kernel: [2, 2] },
  { label: "2×2 s2 p1", inSize: [7, 21], kernel: [2, 2], padding: 1 },
  { label: "2×2 s2 ceil", inSize: [7, 17], kernel: [2, 2], ceilMode: true },
  { label: "3×3 s2 p1", inSize: [9, 23], kernel: [3, 3], stride: [2, 2], padding: 1 },
  { label: "3×3 s1 p1", inSize: [6, 18], kernel: [3, 3], stride: [1, 1], padding: 1 },
  { label: "2×2 s1", inSize: [5, 13], kernel: [2, 2], stride: [1, 1] },
  {
    label: "2×3 s[1,2] d[1,2] p[1,2]",
    inSize: [6, 22],
    kernel: [2, 3],
    stride: [1, 2],
    dilation: [1, 2],
    padding: [1, 2],
  },
  { label: "2×2 s2 d[2,1]", inSize: [8, 20], kernel: [2, 2], dilation: [2, 1] },
  { label: "3×3 s3 (one output at a time)", inSize: [9, 14], kernel: [3, 3] },
  {
    label: "1×1 s3 ceil: windows past the input",
    inSize: [5, 5],
    kernel: [1, 1],
    stride: [3, 3],
    ceilMode: true,
  },
  { label: "1-D k2 s2 p1", inSize: [33], kernel: [2], padding: 1 },
  { label: "1-D k3 s1", inSize: [30], kernel: [3], stride: [1] },
];

Deno.test({
  name: "wasm max pool",
  ignore: !wasmGemmAvailable(),
  fn: async (t) => {
    await t.step("[[1,5],[5,1]] k2: the first 5 wins (index 1)", () => {
      const w = windowOf({ label: "", inSize: [2, 2], kernel: [2, 2] }, 1);
      const { out, idx } = run(new Float32Array([1, 5, 5, 1]), w, true);
      assertEquals([out[0], idx![0]], [5, 1]);
    });

    await t.step("all-equal window: index of the first tap", () => {
      const w = windowOf({ label: "", inSize: [2, 8], kernel: [2, 2] }, 1);
      const { out, idx } = run(new Float32Array(16).fill(3), w, true);
      assertEquals(Array.from(out), [3, 3, 3, 3]);
      assertEquals(Array.from(idx!), [0, 2, 4, 6]);
    });

    await t.step("−0 then +0: −0 wins; +0 then −0: +0 wins", () => {
      const w = windowOf({ label: "", inSize: [2, 8], kernel: [2, 2] }, 1);
      const x = new Float32Array(16).fill(-1);
      x[0] = -0, x[1] = 0; // window 0: −0 first
      x[2] = 0, x[11] = -0; // window 1: +0 first
      const { out } = run(x, w, false);
      assertEquals([Object.is(out[0], -0), Object.is(out[1], 0)], [true, true]);
    });

    await t.step("NaN wins; the last NaN gives the index", () => {
      const w = windowOf({ label: "", inSize: [2, 8], kernel: [2, 2] }, 1);
      const x = new Float32Array(16).fill(1);
      x[0] = NaN, x[9] = NaN; // window 0: taps 0, 1, 8, 9
      x[3] = NaN; // window 1: taps 2, 3, 10, 11
      const { out, idx } = run(x, w, true);
      assertEquals([Number.isNaN(out[0]), idx![0], Number.isNaN(out[1]), idx![1]], [
        true,
        9,
        true,
        3,
      ]);
    });

    await t.step("−Infinity everywhere: −Infinity at the first tap; padding never wins", () => {
      const w = windowOf({ label: "", inSize: [2, 4], kernel: [2, 2], padding: 1 }, 1);
      const { out, idx } = run(new Float32Array(8).fill(-Infinity), w, true);
      assertEquals(Array.from(out), new Array(6).fill(-Infinity));
      assertEquals(Array.from(idx!), [0, 1, 3, 4, 5, 7]);
    });

    await t.step("∞ and −∞ in one group (check sums to NaN): exact fallback", () => {
      const w = windowOf({ label: "", inSize: [2, 8], kernel: [2, 2] }, 1);
      const x = new Float32Array(16).fill(0.5);
      x[0] = Infinity, x[5] = -Infinity;
      assertSame(x, w, "∞ − ∞");
    });

    for (const fill of ["ties and signed zeros", "NaN and ±Infinity", "uniform"] as const) {
      await t.step(`seeded grid, ${fill}: equal to the reference bit for bit`, () => {
        const rng = new Random(fill.length);
        for (const win of WINDOWS) {
          const planes = 3;
          const w = windowOf(win, planes);
          assertEquals(maxPoolWasmCovers(w), true);
          const x = new Float32Array(planes * w.inPlane);
          for (let i = 0; i < x.length; i++) {
            const u = rng.uniform();
            if (fill === "ties and signed zeros") {
              x[i] = [-0, 0, 1, -1, 1][rng.integer(5)];
            } else if (fill === "NaN and ±Infinity") {
              x[i] = u < 0.05 ? NaN : u < 0.1 ? Infinity : u < 0.15 ? -Infinity : u - 0.5;
            } else {
              x[i] = u - 0.5;
            }
          }
          assertSame(x, w, `${win.label} (${fill})`);
        }
      });
    }

    await t.step("3-D windows are left to the TypeScript kernel", () => {
      const g = windowGeometry("maxPool", [2, 4, 4], [2, 2, 2], { defaultStride: [2, 2, 2] });
      assertEquals(maxPoolWasmCovers(liftWindow(g, 1)), false);
    });
  },
});
