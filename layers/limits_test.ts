import { assertEquals, assertThrows } from "@std/assert";
import {
  DEFAULT_MEMORY_BUDGET,
  getMemoryBudget,
  MAX_ELEMENTS,
  MAX_EXTENT,
  setMemoryBudget,
} from "./limits.ts";
import { allocate, Tensor } from "./tensor.ts";
import { conv } from "./conv.ts";

Deno.test("limits", async (t) => {
  await t.step("caps: 2^31 − 1 elements and per spatial quantity, 4 GiB by default", () => {
    assertEquals([MAX_ELEMENTS, MAX_EXTENT], [2147483647, 2147483647]);
    assertEquals(DEFAULT_MEMORY_BUDGET, 4294967296);
    assertEquals(getMemoryBudget(), DEFAULT_MEMORY_BUDGET);
  });

  await t.step("setMemoryBudget: positive safe integers only", () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 53, "1" as unknown as number]) {
      assertThrows(() => setMemoryBudget(bad), RangeError, "bytes must be a positive safe integer");
    }
    assertEquals(getMemoryBudget(), DEFAULT_MEMORY_BUDGET);
  });

  await t.step("allocate refuses beyond the caps instead of V8's allocation failure", () => {
    assertThrows(
      () => allocate(2 ** 31, "float32"),
      RangeError,
      "Cannot allocate a float32 tensor",
    );
    assertThrows(() => allocate(-1, "float64"), RangeError, "of -1 elements");
    const before = getMemoryBudget();
    try {
      setMemoryBudget(64);
      assertEquals(allocate(16, "float32").length, 16); // exactly the budget
      assertThrows(() => allocate(9, "float64"), RangeError, "and 64 bytes");
    } finally {
      setMemoryBudget(before);
    }
  });

  await t.step(
    "a spatial quantity just below the cap computes; at the cap + 1 it is refused",
    () => {
      const x = Tensor.full([1, 1, 3], 1), w = Tensor.full([1, 1, 1], 1);
      assertEquals(Array.from(conv(x, w, { stride: MAX_EXTENT }).data), [1]);
      assertThrows(
        () => conv(x, w, { stride: MAX_EXTENT + 1 }),
        RangeError,
        "stride must be at most",
      );
      assertThrows(
        () =>
          conv(x, Tensor.full([1, 1, 2], 1), { dilation: MAX_EXTENT, padding: [MAX_EXTENT, 0] }),
        RangeError,
        "effective kernel",
      );
    },
  );
});
