// Regression cases of issue 12 (hostile input and edge shapes) for layer calls: each step is one
// reported or fuzz-found failure, asserted on both implementations against exact hand
// arithmetic (all-ones data count taps) or the exact error class and message.

import { assertEquals, assertThrows } from "@std/assert";
import { conv, convBackward } from "./conv.ts";
import { convTranspose, convTransposeBackward } from "./conv_transpose.ts";
import { maxPool } from "./max_pool.ts";
import { avgPool } from "./avg_pool.ts";
import { getMemoryBudget, MAX_EXTENT, setMemoryBudget } from "./limits.ts";
import { Tensor } from "./tensor.ts";

const IMPLS = ["reference", "fast"] as const;

Deno.test("hostile layer input", async (t) => {
  const x = Tensor.full([1, 2, 7, 7], 1);
  const w = Tensor.full([3, 2, 3, 3], 1);

  await t.step("stride, pad, dilation of 2^31, 2^32, 2^40: RangeError naming them", () => {
    for (const impl of IMPLS) {
      for (const huge of [2 ** 31, 2 ** 32, 2 ** 40]) {
        // Before: "Invalid typed array length: 553402580940116700000" or a wasm divide by zero.
        assertThrows(
          () => conv(x, w, { stride: huge, impl }),
          RangeError,
          "stride must be at most",
        );
        assertThrows(
          () => conv(x, w, { padding: huge, impl }),
          RangeError,
          `padding must be at most ${MAX_EXTENT}`,
        );
        assertThrows(
          () => conv(x, w, { dilation: huge, padding: huge, impl }),
          RangeError,
          "dilation must be at most",
        );
        assertThrows(
          () => convTranspose(x, Tensor.full([2, 3, 3, 3], 1), { stride: huge, impl }),
          RangeError,
          "convTranspose2d: stride must be at most",
        );
      }
      assertThrows(
        () => conv(x, w, { stride: [4, 2 ** 32], impl }),
        RangeError,
        "Cannot compute conv2d: stride must be at most 2147483647, got [4, 4294967296]",
      );
    }
  });

  await t.step("maxPool dilations [2^40] and [3, 2^31]: RangeError, not Infinity", () => {
    for (const impl of IMPLS) {
      assertThrows(
        () => maxPool(Tensor.full([1, 1, 9], 1), { kernelSize: 2, dilation: 2 ** 40, impl }),
        RangeError,
        "maxPool1d: dilation must be at most",
      );
      assertThrows(
        () => maxPool(x, { kernelSize: 2, dilation: [3, 2 ** 31], padding: 1, impl }),
        RangeError,
        "dilation must be at most 2147483647, got [3, 2147483648]",
      );
    }
  });

  await t.step("stride 2^31 − 1, pads [2^31 − 10, 0, 0, 0]: a window of pure padding is 0", () => {
    // The wasm kernels' i32 coordinates wrapped and read real input (fast gave −11.07).
    for (const impl of IMPLS) {
      const y = conv(x, w, { stride: 2 ** 31 - 1, padding: [2 ** 31 - 10, 0, 0, 0], impl });
      assertEquals(y.shape, [1, 3, 1, 1]);
      assertEquals(Array.from(y.data), [0, 0, 0]);
    }
  });

  await t.step(
    "backward with strides [100000, 9], [5, 1000], [1, 65536]: no stack overflow",
    () => {
      // groups 2 took the direct kernels, whose specialised module for 65536 stride phases was
      // encoded with an argument spread: "Maximum call stack size exceeded".
      const input = Tensor.full([2, 4, 5, 6], 1), weight = Tensor.full([6, 2, 2, 2], 1);
      for (const impl of IMPLS) {
        for (const stride of [[100000, 9], [5, 1000], [1, 65536]]) {
          const options = { groups: 2, stride, impl };
          const y = conv(input, weight, options);
          const g = convBackward(Tensor.full(y.shape, 1), { input, weight }, options);
          // One window along W (column 0 only), every 2-tap row window along H of stride 1.
          const rows = stride[0] === 1 ? [1, 2, 2, 2, 1] : [1, 1, 0, 0, 0];
          const expected = [];
          for (let i = 0; i < input.size; i++) {
            const h = Math.floor(i / 6) % 5, col = i % 6;
            expected.push(col < 2 ? 3 * rows[h] : 0); // 3 output channels per group
          }
          assertEquals(Array.from(g.input.data), expected, `${impl} strides ${stride}`);
        }
      }
      for (const impl of IMPLS) {
        const xt = Tensor.full([1, 4, 4], 1), wt = Tensor.full([4, 3, 1], 1);
        const options = { groups: 2, stride: 65536, impl };
        const y = convTranspose(xt, wt, options);
        assertEquals(y.shape, [1, 6, 3 * 65536 + 1]);
        const g = convTransposeBackward(
          Tensor.full(y.shape, 1),
          { input: xt, weight: wt },
          options,
        );
        assertEquals(Array.from(g.input.data), new Array(16).fill(3));
      }
    },
  );

  await t.step("N = 0: the weight gradient is exact zeros on both paths", () => {
    const empty = Tensor.zeros([0, 2, 7, 7]);
    for (const impl of IMPLS) {
      // A previous call leaves the fast path's scratch dirty.
      convBackward(Tensor.full([1, 3, 5, 5], 1), { input: x, weight: w }, { impl });
      const y = conv(empty, w, { impl });
      assertEquals(y.shape, [0, 3, 5, 5]);
      const g = convBackward(y, { input: empty, weight: w }, { impl });
      assertEquals(Array.from(g.weight.data), new Array(w.size).fill(0));
    }
  });

  await t.step("empty axes: only the batch may be empty (PyTorch)", () => {
    // convTranspose of a zero-width input trapped in wasm (divide by zero) on the fast path.
    for (const impl of IMPLS) {
      const flat = Tensor.zeros([1, 1, 0, 4]);
      const rule = "input spatial sizes must be positive (only the batch may be empty)";
      assertThrows(
        () => conv(flat, Tensor.full([1, 1, 1, 1], 1), { padding: 1, impl }),
        RangeError,
        rule,
      );
      assertThrows(
        () => convTranspose(flat, Tensor.full([1, 1, 2, 2], 1), { impl }),
        RangeError,
        rule,
      );
      assertThrows(
        () => maxPool(Tensor.zeros([1, 0, 4, 4]), { kernelSize: 2, impl }),
        RangeError,
        "maxPool2d: input channels and spatial sizes must be positive",
      );
      assertEquals(avgPool(Tensor.zeros([0, 1, 4, 4]), { kernelSize: 2, impl }).shape, [
        0,
        1,
        2,
        2,
      ]);
    }
  });

  await t.step("conv3d with end padding on depth: planes beyond the input are 0", () => {
    // inD 1, padding D 0/2 → outD 3: the wasm whole-plane shortcut ignored the depth axis.
    const input = Tensor.full([1, 3, 1, 5, 4], 1), weight = Tensor.full([1, 3, 1, 3, 2], 1);
    const options = { padding: [0, 1, 0, 2, 0, 0] };
    for (const impl of IMPLS) {
      const y = conv(input, weight, { ...options, impl });
      assertEquals(y.shape, [1, 1, 3, 4, 3]);
      // Plane 0: 3 channels × 2 columns × rows in range (2 for the first output row, else 3).
      const plane0 = [12, 12, 12, 18, 18, 18, 18, 18, 18, 18, 18, 18];
      assertEquals(Array.from(y.data), [...plane0, ...new Array(24).fill(0)], impl);
      const g = convBackward(Tensor.full(y.shape, 1), { input, weight }, { ...options, impl });
      // dW[kh, kw] = output positions of plane 0 whose tap is in range: 3, 4, 4 rows × 3 columns.
      assertEquals(Array.from(g.weight.data), new Array(3).fill([9, 9, 12, 12, 12, 12]).flat());
    }
  });

  await t.step("pooling windows of 2^30 taps finish at once", () => {
    const line = new Tensor([1, 2, 3, 4, 5], [1, 1, 5]);
    for (const impl of IMPLS) {
      const started = performance.now();
      const options = { kernelSize: 2 ** 30, stride: 2, padding: "same" as const, impl };
      const avg = avgPool(line, { ...options, countIncludePad: false });
      const max = maxPool(line, options);
      const ms = performance.now() - started;
      assertEquals(Array.from(avg.data), [3, 3, 3]); // every window covers the whole input
      assertEquals(Array.from(max.data), [5, 5, 5]);
      if (ms > 2000) throw new Error(`${impl}: ${ms.toFixed(0)} ms for three windows`);
    }
  });

  await t.step("memory budget: a larger result is refused before allocating", () => {
    const before = getMemoryBudget();
    const input = Tensor.zeros([1, 1, 20, 20]), weight = Tensor.zeros([1, 1, 1, 1]);
    try {
      setMemoryBudget(1000);
      for (const impl of IMPLS) {
        assertThrows(
          () => conv(input, weight, { impl }),
          RangeError,
          "output shape [1, 1, 20, 20] would take 1600 bytes, more than the memory budget of 1000",
        );
      }
      assertThrows(() => setMemoryBudget(0), RangeError, "positive safe integer");
    } finally {
      setMemoryBudget(before);
    }
  });
});
