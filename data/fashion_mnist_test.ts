import { assert, assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import { gunzipSync } from "node:zlib";
import { FASHION_MNIST_DIR, loadFashionMnist } from "./fashion_mnist.ts";

function installed(): boolean {
  try {
    return Deno.statSync(`${FASHION_MNIST_DIR}/train-labels-idx1-ubyte.gz`).isFile;
  } catch {
    return false;
  }
}

Deno.test("loadFashionMnist()", async (t) => {
  await t.step("a missing directory gives a one-line install hint", async () => {
    await assertRejects(
      () => loadFashionMnist({ dir: "/nonexistent/fashion-mnist" }),
      Deno.errors.NotFound,
      "Fashion-MNIST not found in /nonexistent/fashion-mnist: install it with " +
        "`apt-get install dataset-fashion-mnist`",
    );
  });

  if (!installed()) {
    console.log(
      `NOTE: ${FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist); ` +
        "skipping the checks on the real Fashion-MNIST files.",
    );
    return;
  }

  const { train, test } = await loadFashionMnist();

  await t.step("shapes [60000, 1, 28, 28] and [10000, 1, 28, 28], float32 in [0, 1]", () => {
    assertEquals(train.images.shape, [60000, 1, 28, 28]);
    assertEquals(test.images.shape, [10000, 1, 28, 28]);
    assertStrictEquals(train.images.dtype, "float32");
    assertStrictEquals(train.labels.length, 60000);
    assertStrictEquals(test.labels.length, 10000);
    let min = Infinity, max = -Infinity;
    for (const v of test.images.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assertEquals([min, max], [0, 1]);
  });

  await t.step("labels 0–9, 6000 per class in train and 1000 in test", () => {
    for (const [labels, per] of [[train.labels, 6000], [test.labels, 1000]] as const) {
      const counts = new Array(10).fill(0);
      for (const l of labels) counts[l]++;
      assertEquals(counts, new Array(10).fill(per));
    }
  });

  await t.step("first label and pixels equal the raw bytes at their IDX offsets", () => {
    // Independent read: labels start after an 8-byte header, images after a 16-byte one.
    const labels = gunzipSync(Deno.readFileSync(`${FASHION_MNIST_DIR}/train-labels-idx1-ubyte.gz`));
    assertStrictEquals(labels[8], 9); // the first training image is an ankle boot
    assertStrictEquals(train.labels[0], labels[8]);
    const images = gunzipSync(Deno.readFileSync(`${FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz`));
    const last = 9999 * 784;
    for (const k of [0, 300, 400, 783]) {
      assertStrictEquals(test.images.data[last + k], Math.fround(images[16 + last + k] / 255));
    }
    assert(test.images.data.subarray(last, last + 784).some((v) => v > 0), "last image is blank");
  });
});
