import { assertEquals } from "@std/assert";
import { gemmReference } from "./_gemm_reference.ts";
import { gemm, setGemmBackend } from "./_gemm.ts";
import { wasmGemmAvailable } from "./_wasm/gemm_wasm.ts";
import { linear, linearBackward } from "./linear.ts";
import { Tensor } from "./tensor.ts";

// 2²⁴ + 1 is not a float32: a float32 running sum of [2²⁴, 1, −2²⁴] gives 0, the exact sum is 1.
const BIG = 2 ** 24;

Deno.test("gemmReference()", async (t) => {
  await t.step("2×3 · 3×2, hand arithmetic", () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Float32Array([7, 8, 9, 10, 11, 12]);
    const c = new Float32Array(4);
    const view = (data: Float32Array, cols: number) => ({
      data,
      offset: 0,
      rowStride: cols,
      colStride: 1,
    });
    gemmReference(2, 2, 3, view(a, 3), view(b, 2), c, 0, 2, false);
    assertEquals([...c], [58, 64, 139, 154]);
    gemmReference(2, 2, 3, view(a, 3), view(b, 2), c, 0, 2, true);
    assertEquals([...c], [116, 128, 278, 308]);
  });

  await t.step("sums in float64 and rounds once: [2²⁴, 1, −2²⁴]·[1, 1, 1] = 1", () => {
    const a = { data: new Float32Array([BIG, 1, -BIG]), offset: 0, rowStride: 3, colStride: 1 };
    const b = { data: new Float32Array([1, 1, 1]), offset: 0, rowStride: 1, colStride: 1 };
    const c = new Float32Array(1);
    gemmReference(1, 1, 3, a, b, c, 0, 1, false);
    assertEquals(c[0], 1);
    // The fast path's WebAssembly GEMM sums in float32 and loses the 1: the reference path is
    // not the fast kernel under another name.
    if (wasmGemmAvailable()) {
      setGemmBackend("wasm");
      const fast = new Float32Array(1);
      gemm(1, 1, 3, a, b, fast, 0, 1, false);
      assertEquals(fast[0], 0);
    }
    setGemmBackend("auto");
  });
});

Deno.test("linear() impl reference", async (t) => {
  await t.step("forward and backward sum in float64", () => {
    const x = new Tensor(new Float32Array([BIG, 1, -BIG]), [1, 3]);
    const w = new Tensor(new Float32Array([1, 1, 1]), [1, 3]);
    assertEquals(linear(x, w, { impl: "reference" }).data[0], 1);
    const g = linearBackward(new Tensor(new Float32Array([1]), [1, 1]), { input: x, weight: w }, {
      impl: "reference",
    });
    assertEquals([...g.weight.data], [BIG, 1, -BIG]);
    assertEquals([...g.input.data], [1, 1, 1]);
  });

  await t.step("an unknown impl is a TypeError naming it", () => {
    const x = Tensor.zeros([1, 2]), w = Tensor.zeros([1, 2]);
    let message = "";
    try {
      // deno-lint-ignore no-explicit-any
      linear(x, w, { impl: "slow" as any });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      message = error.message;
    }
    assertEquals(message.includes('impl must be "reference" or "fast", got "slow"'), true);
  });
});
