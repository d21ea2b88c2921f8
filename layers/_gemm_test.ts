import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { gemm, type GemmBackend, gemmBackend, type MatrixView, setGemmBackend } from "./_gemm.ts";
import { wasmGemmAvailable, wasmGemmVariant } from "./_wasm/gemm_wasm.ts";
import { Random } from "./random.ts";
import type { FloatArray } from "./tensor.ts";

// Expected values come from a definitional float64 triple loop over the same strided views (an
// independent source: no packing, no blocking), from hand arithmetic, or from IEEE rules.

const BACKENDS: GemmBackend[] = wasmGemmAvailable() ? ["wasm", "ts"] : ["ts"];

/** C(i, j) = Σ_p A(i, p)·B(p, j) in float64, plus C0 when given. */
function reference(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c0?: (i: number, j: number) => number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += a.data[a.offset + i * a.rowStride + p * a.colStride] *
          b.data[b.offset + p * b.rowStride + j * b.colStride];
      }
      out[i * n + j] = (c0 ? c0(i, j) : 0) + s;
    }
  }
  return out;
}

/** Σ_p |A(i, p)|·|B(p, j)| (+ |C0|): the scale of the rounding error of each entry. */
function magnitude(m: number, n: number, k: number, a: MatrixView, b: MatrixView): Float64Array {
  const abs = (v: MatrixView): MatrixView => ({ ...v, data: v.data.map(Math.abs) });
  return reference(m, n, k, abs(a), abs(b));
}

type Fill = (rng: Random) => number;
const integers: Fill = (rng) => rng.integer(9) - 4;
const normals: Fill = (rng) => rng.normal(0, 1);

/**
 * An m×k (or k×n) operand stored inside a bigger buffer: at an offset, row-major with padding
 * (`transposed` = stored column-major, i.e. the transpose's rows), with the rest filled with NaN
 * so that reading outside the view shows up in the result.
 */
function operand(
  rows: number,
  cols: number,
  transposed: boolean,
  rng: Random,
  fill: Fill,
  Type: typeof Float32Array | typeof Float64Array = Float32Array,
): MatrixView {
  const offset = 3, pad = 2;
  const ld = (transposed ? rows : cols) + pad;
  const data = new Type(offset + ld * (transposed ? cols : rows) + pad).fill(NaN);
  const view = transposed
    ? { data, offset, rowStride: 1, colStride: ld }
    : { data, offset, rowStride: ld, colStride: 1 };
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      data[offset + i * view.rowStride + j * view.colStride] = fill(rng);
    }
  }
  return view;
}

interface Case {
  m: number;
  n: number;
  k: number;
  ta?: boolean;
  tb?: boolean;
  accumulate?: boolean;
  fill?: Fill;
  Type?: typeof Float32Array | typeof Float64Array;
  /** Use general (non-unit) strides for both operands. */
  strided?: boolean;
}

/**
 * Runs one product through `gemm` with C at an offset and ldc > n, then checks that the window
 * matches the reference (exactly for integer data, else within the float32 accumulation bound)
 * and that nothing outside the window changed.
 */
function check(c: Case, seed = 1): void {
  const { m, n, k, ta = false, tb = false, accumulate = false, fill = integers } = c;
  const Type = c.Type ?? Float32Array;
  const rng = new Random(seed);
  let a = operand(m, k, ta, rng, fill, Type);
  let b = operand(k, n, tb, rng, fill, Type);
  if (c.strided) {
    a = spread(a, m, k);
    b = spread(b, k, n);
  }
  const cOffset = 5, ldc = n + 3;
  const out = new Type(cOffset + m * ldc + 4);
  for (let i = 0; i < out.length; i++) out[i] = 1000 + i; // sentinels and initial C
  const initial = out.slice();
  const c0 = accumulate ? (i: number, j: number) => initial[cOffset + i * ldc + j] : undefined;
  gemm(m, n, k, a, b, out, cOffset, ldc, accumulate);
  const expected = reference(m, n, k, a, b, c0);
  const actual = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) actual[i * n + j] = out[cOffset + i * ldc + j];
  }
  const label = `gemm m=${m} n=${n} k=${k} ta=${ta} tb=${tb} acc=${accumulate}`;
  if (fill === integers) {
    // Integer products and sums stay below 2^24: exact in float32 whatever the order.
    assertTensorClose({ shape: [m, n], data: actual }, { shape: [m, n], data: expected }, {
      rtol: 0,
      atol: 0,
    }, label);
  } else {
    // Each sum of k products rounds at most k+1 times (k-1 additions, the add to C, the store;
    // products are exact in float64 and fused or exact-then-rounded in float32): error ≤
    // (k+2)·u·(Σ|a||b| + |C0|) with u = 2^-24, an upper bound for any summation order.
    const scale = magnitude(m, n, k, a, b);
    const u = Type === Float32Array ? 2 ** -24 : 2 ** -53;
    const bound = scale.map((s, idx) =>
      (k + 2) * u * (s + Math.abs(c0?.(idx / n | 0, idx % n) ?? 0))
    );
    assertTensorClose({ shape: [m, n], data: actual }, { shape: [m, n], data: expected }, {
      rtol: 0,
      atol: 0,
      bound,
    }, label);
  }
  for (let i = 0; i < out.length; i++) {
    const row = Math.floor((i - cOffset) / ldc), col = (i - cOffset) % ldc;
    const inside = i >= cOffset && row < m && col >= 0 && col < n;
    if (!inside && !Object.is(out[i], initial[i])) {
      throw new Error(`${label}: wrote outside C at ${i} (${initial[i]} -> ${out[i]})`);
    }
  }
}

/** The same values re-laid out with row stride 2·rows·cols + 1 and column stride 2 (gathers). */
function spread(v: MatrixView, rows: number, cols: number): MatrixView {
  const rowStride = 2 * cols + 1, colStride = 2;
  const data = new (v.data.constructor as typeof Float32Array)(rows * rowStride + 1).fill(NaN);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      data[1 + i * rowStride + j * colStride] =
        v.data[v.offset + i * v.rowStride + j * v.colStride];
    }
  }
  return { data, offset: 1, rowStride, colStride };
}

function withBackend(backend: GemmBackend, fn: () => void): void {
  setGemmBackend(backend);
  try {
    fn();
  } finally {
    setGemmBackend("auto");
  }
}

const view = (data: FloatArray, rowStride: number, colStride = 1, offset = 0): MatrixView => ({
  data,
  offset,
  rowStride,
  colStride,
});

Deno.test("gemm()", async (t) => {
  for (const backend of BACKENDS) {
    await t.step(`${backend}: hand-computed 2×2·2×2 and 2×3·3×2`, () => {
      withBackend(backend, () => {
        assertStrictEquals(gemmBackend(), backend);
        const c = new Float32Array(4);
        gemm(
          2,
          2,
          2,
          view(Float32Array.of(1, 2, 3, 4), 2),
          view(Float32Array.of(5, 6, 7, 8), 2),
          c,
          0,
          2,
          false,
        );
        assertEquals([...c], [19, 22, 43, 50]);
        // [[1,2,3],[4,5,6]]·[[1,0],[0,1],[1,1]] = [[4,5],[10,11]]; then += again.
        const a = Float32Array.of(1, 2, 3, 4, 5, 6), b = Float32Array.of(1, 0, 0, 1, 1, 1);
        gemm(2, 2, 3, view(a, 3), view(b, 2), c, 0, 2, false);
        assertEquals([...c], [4, 5, 10, 11]);
        gemm(2, 2, 3, view(a, 3), view(b, 2), c, 0, 2, true);
        assertEquals([...c], [8, 10, 20, 22]);
        // Transposes by strides: Aᵀ·Bᵀ with the same storage = [[1,4],[2,5],[3,6]]·[[1,0,1],[0,1,1]].
        const d = new Float32Array(9);
        gemm(3, 3, 2, view(a, 1, 3), view(b, 1, 2), d, 0, 3, false);
        assertEquals([...d], [1, 4, 5, 2, 5, 7, 3, 6, 9]);
      });
    });

    await t.step(`${backend}: k = 0 clears C or leaves it`, () => {
      withBackend(backend, () => {
        const c = Float32Array.of(7, 7, 7, 7, 7, 7);
        const empty = view(new Float32Array(0), 0);
        gemm(2, 2, 0, empty, empty, c, 1, 3, true);
        assertEquals([...c], [7, 7, 7, 7, 7, 7]);
        gemm(2, 2, 0, empty, empty, c, 1, 3, false);
        assertEquals([...c], [7, 0, 0, 7, 0, 0]);
      });
    });

    await t.step(`${backend}: all transpose combinations, offsets, ldc > n, accumulate`, () => {
      withBackend(backend, () => {
        const sizes = [1, 5, 16, 17, 33, 130];
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const accumulate of [false, true]) {
              for (const [m, n, k] of [[5, 17, 33], [130, 16, 1], [17, 130, 5], [33, 33, 130]]) {
                check({ m, n, k, ta, tb, accumulate });
              }
              for (const s of sizes) {
                check({ m: s, n: sizes[(s * 7) % 6], k: s, ta, tb, accumulate });
              }
            }
          }
        }
      });
    });

    await t.step(`${backend}: edge sizes m, n, k ∈ {1 … 130}, exact`, () => {
      withBackend(backend, () => {
        const sizes = [1, 2, 3, 5, 7, 15, 16, 17, 31, 33, 65, 130];
        for (const m of sizes) {
          for (const n of sizes) {
            for (const k of [1, 3, 16, 17, 65]) check({ m, n, k });
          }
        }
        for (const k of sizes) check({ m: 7, n: 9, k }, k);
      });
    });

    await t.step(`${backend}: general strides are gathered`, () => {
      withBackend(backend, () => {
        check({ m: 13, n: 21, k: 9, strided: true });
        check({ m: 40, n: 70, k: 300, strided: true, accumulate: true });
        // Negative and zero strides: A read right to left, B's rows all the same row.
        const rng = new Random(9);
        const m = 11, n = 19, k = 14;
        const a = operand(m, k, false, rng, integers), b = operand(k, n, false, rng, integers);
        const flipped = { ...a, offset: a.offset + k - 1, colStride: -1 };
        const repeated = { ...b, rowStride: 0 };
        const c = new Float32Array(m * n);
        gemm(m, n, k, flipped, repeated, c, 0, n, false);
        assertEquals([...c], [...reference(m, n, k, flipped, repeated)]);
      });
    });

    await t.step(`${backend}: random float32 within (k+2)·2⁻²⁴·Σ|a||b|`, () => {
      withBackend(backend, () => {
        check({ m: 37, n: 45, k: 300, fill: normals }, 2);
        check({ m: 64, n: 80, k: 600, ta: true, tb: true, fill: normals, accumulate: true }, 3);
        check({ m: 200, n: 300, k: 150, fill: normals }, 4);
        check({ m: 16, n: 513, k: 25, tb: true, fill: normals }, 5);
      });
    });

    await t.step(
      `${backend}: blocking boundaries (several column blocks, row chunks, k blocks)`,
      () => {
        withBackend(backend, () => {
          check({ m: 520, n: 4100, k: 4, accumulate: true });
          check({ m: 6, n: 4096, k: 600, tb: true });
          check({ m: 7, n: 9, k: 1100, ta: true, accumulate: true });
          check({ m: 14000, n: 3, k: 300 }); // row chunks × k super-blocks in wasm
          check({ m: 200, n: 1000, k: 150, ta: true, tb: true }); // A kept across column blocks in wasm
        });
      },
    );

    await t.step(`${backend}: NaN and ±Infinity propagate, 0·NaN = NaN`, () => {
      withBackend(backend, () => {
        for (const [m, n, k] of [[3, 5, 4], [13, 19, 40]]) {
          const rng = new Random(7);
          const a = operand(m, k, false, rng, integers), b = operand(k, n, false, rng, integers);
          const at = (v: MatrixView, i: number, j: number) => v.offset + i * v.rowStride + j;
          // Row 1 of A has a NaN; column 2 of B is all zeros except where Infinity meets it.
          a.data[at(a, 1, 0)] = NaN;
          for (let p = 0; p < k; p++) b.data[at(b, p, 2)] = 0;
          a.data[at(a, 2, 3)] = Infinity;
          b.data[at(b, 3, 4)] = 1;
          b.data[at(b, 3, 0)] = -1;
          const c = new Float32Array(m * n);
          gemm(m, n, k, a, b, c, 0, n, false);
          for (let j = 0; j < n; j++) assert(Number.isNaN(c[n + j]), `C(1, ${j}) = ${c[n + j]}`);
          // Row 2: Infinity·0 = NaN in column 2, +Infinity in column 4, -Infinity in column 0.
          assert(Number.isNaN(c[2 * n + 2]), `C(2, 2) = ${c[2 * n + 2]}`);
          assertStrictEquals(c[2 * n + 4], Infinity);
          assertStrictEquals(c[2 * n + 0], -Infinity);
          // Other rows stay exact and finite.
          const ref = reference(m, n, k, a, b);
          for (const i of [0, ...Array.from({ length: m - 3 }, (_, x) => x + 3)]) {
            for (let j = 0; j < n; j++) assertStrictEquals(c[i * n + j], ref[i * n + j]);
          }
        }
      });
    });
  }

  if (wasmGemmAvailable()) {
    await t.step(
      "wasm: plain mul + add variant (no relaxed SIMD) gives the same exact results",
      () => {
        const before = wasmGemmVariant();
        wasmGemmVariant("simd");
        try {
          withBackend("wasm", () => {
            for (const [m, n, k] of [[1, 1, 1], [7, 9, 5], [33, 65, 130]]) {
              check({ m, n, k, ta: m === 7, tb: k === 130, accumulate: n === 65 });
            }
            check({ m: 37, n: 45, k: 300, fill: normals }, 2);
          });
        } finally {
          wasmGemmVariant(before);
        }
      },
    );
  }

  await t.step("float64 is computed in float64", () => {
    for (const backend of BACKENDS) {
      withBackend(backend, () => {
        // 1 + 2^-30 is not a float32; the exact product survives only in float64.
        const x = 1 + 2 ** -30;
        const c = new Float64Array(1);
        gemm(
          1,
          1,
          2,
          view(Float64Array.of(x, 1), 2),
          view(Float64Array.of(1, 2 ** -40), 1),
          c,
          0,
          1,
          false,
        );
        assertStrictEquals(c[0], x + 2 ** -40);
        check({ m: 33, n: 17, k: 130, ta: true, Type: Float64Array });
        check({
          m: 20,
          n: 30,
          k: 50,
          tb: true,
          Type: Float64Array,
          fill: normals,
          accumulate: true,
        });
      });
    }
  });

  await t.step("auto selects wasm when available; errors name the rule", () => {
    setGemmBackend("auto");
    assertStrictEquals(gemmBackend(), wasmGemmAvailable() ? "wasm" : "ts");
    assertThrows(() => setGemmBackend("gpu" as GemmBackend), RangeError, 'must be "wasm", "ts"');
    check({ m: 2, n: 3, k: 4 });
    check({ m: 50, n: 60, k: 70 });
  });
});
