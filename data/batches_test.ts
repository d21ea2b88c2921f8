import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { type Batch, batches, type BatchOptions, type ImageDataset } from "./batches.ts";
import { Tensor } from "../layers/tensor.ts";
import { Random } from "../layers/random.ts";

/** N images of shape [1, 2, 2] whose pixels all equal the image's index, labelled by index. */
function indexed(n: number, dtype: "float32" | "float64" = "float32"): ImageDataset {
  const images = Tensor.zeros([n, 1, 2, 2], dtype);
  for (let i = 0; i < n; i++) images.data.fill(i, 4 * i, 4 * i + 4);
  return { images, labels: Int32Array.from({ length: n }, (_, i) => i) };
}

function collect(dataset: ImageDataset, options: BatchOptions): Batch[] {
  return [...batches(dataset, options)];
}

/** Checks each image's pixels equal its label and returns the labels in visiting order. */
function visited(list: Batch[]): number[] {
  const order: number[] = [];
  for (const { images, labels } of list) {
    assertEquals(images.shape.slice(1), [1, 2, 2]);
    assertStrictEquals(images.shape[0], labels.length);
    labels.forEach((label, b) => {
      assertEquals(Array.from(images.data.subarray(4 * b, 4 * b + 4)), [
        label,
        label,
        label,
        label,
      ]);
      order.push(label);
    });
  }
  return order;
}

Deno.test("batches()", async (t) => {
  await t.step("N=10 B=3 shuffled: sizes 3,3,3,1 and every index exactly once", () => {
    const list = collect(indexed(10), { batchSize: 3, seed: 5 });
    assertEquals(list.map((b) => b.labels.length), [3, 3, 3, 1]);
    const order = visited(list);
    assertEquals([...order].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert(order.join() !== "0,1,2,3,4,5,6,7,8,9", "not shuffled");
  });

  await t.step("the order is Random(seed + epoch).shuffle(0…N−1), as documented", () => {
    const expected = Array.from(new Random(7 + 2).shuffle(Array.from({ length: 10 }, (_, i) => i)));
    assertEquals(visited(collect(indexed(10), { batchSize: 4, seed: 7, epoch: 2 })), expected);
  });

  await t.step("same seed and epoch reproduce the order; another epoch changes it", () => {
    const a = visited(collect(indexed(50), { batchSize: 8, seed: 3, epoch: 1 }));
    const b = visited(collect(indexed(50), { batchSize: 8, seed: 3, epoch: 1 }));
    const c = visited(collect(indexed(50), { batchSize: 8, seed: 3, epoch: 2 }));
    assertEquals(a, b);
    assert(a.join() !== c.join(), "epochs 1 and 2 gave the same order");
  });

  await t.step("dropLast skips the partial batch", () => {
    const list = collect(indexed(10), { batchSize: 3, dropLast: true });
    assertEquals(list.map((b) => b.labels.length), [3, 3, 3]);
    assertStrictEquals(new Set(visited(list)).size, 9);
  });

  await t.step("shuffle=false: consecutive batches that are views of the data set", () => {
    const data = indexed(5);
    const list = collect(data, { batchSize: 2, shuffle: false });
    assertEquals(visited(list), [0, 1, 2, 3, 4]);
    assertStrictEquals(list[1].images.data.buffer, data.images.data.buffer);
    assertStrictEquals(list[1].labels.buffer, data.labels.buffer);
  });

  await t.step("batchSize larger than N gives one batch; N=0 gives none", () => {
    assertEquals(collect(indexed(4), { batchSize: 100 }).map((b) => b.labels.length), [4]);
    assertEquals(collect(indexed(0), { batchSize: 2 }), []);
  });

  await t.step("float64 images stay float64", () => {
    const [first] = collect(indexed(3, "float64"), { batchSize: 2 });
    assertStrictEquals(first.images.dtype, "float64");
  });

  await t.step("errors are thrown when batches() is called", () => {
    const data = indexed(4);
    assertThrows(
      () => batches(data, { batchSize: 0 }),
      RangeError,
      "batchSize must be a positive integer, got 0",
    );
    assertThrows(() => batches(data, { batchSize: 2.5 }), RangeError, "got 2.5");
    assertThrows(() => batches(data, { batchSize: -1 }), RangeError, "got -1");
    assertThrows(
      () => batches(data, { batchSize: "2" as unknown as number }),
      TypeError,
      'batchSize must be a number, got "2"',
    );
    assertThrows(
      () => batches(data, { batchSize: 2, seed: 0.5 }),
      RangeError,
      "seed + epoch must be an integer",
    );
    assertThrows(
      () => batches({ images: data.images, labels: new Int32Array(3) }, { batchSize: 2 }),
      TypeError,
      "dataset.labels must be an Int32Array of 4 labels (images Tensor(float32, [4, 1, 2, 2])), got 3",
    );
    assertThrows(
      () =>
        batches({ images: [] as unknown as Tensor, labels: new Int32Array(0) }, { batchSize: 2 }),
      TypeError,
      "dataset.images must be a Tensor with a batch axis",
    );
  });
});
