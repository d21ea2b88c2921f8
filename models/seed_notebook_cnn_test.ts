import { assert, assertEquals, assertThrows } from "@std/assert";
import { Conv2d } from "../layers/conv.ts";
import { Flatten } from "../layers/flatten.ts";
import { Linear } from "../layers/linear.ts";
import { ReLU } from "../layers/relu.ts";
import { Tensor } from "../layers/tensor.ts";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { seedNotebookCnn } from "./seed_notebook_cnn.ts";

// PyTorch's NotebookCNN (tasks/golden_torch/models.py) parameter shapes, in order.
const SHAPES = [
  [32, 1, 2, 2],
  [32],
  [64, 32, 2, 2],
  [64],
  [128, 64, 2, 2],
  [128],
  [250, 2048],
  [250],
  [10, 250],
  [10],
];
const FAN_IN = [4, 4, 128, 128, 256, 256, 2048, 2048, 250, 250];

Deno.test("seedNotebookCnn()", async (t) => {
  await t.step("layers in nn.Sequential order", () => {
    assertEquals(seedNotebookCnn().layers.map((l) => l.constructor), [
      Conv2d,
      ReLU,
      Conv2d,
      ReLU,
      Conv2d,
      ReLU,
      Flatten,
      Linear,
      ReLU,
      Linear,
    ]);
  });

  await t.step("parameter shapes and count = PyTorch's 556072", () => {
    const params = seedNotebookCnn().parameters();
    assertEquals(params.map((p) => p.value.shape), SHAPES);
    // By hand: 32·4 + 32 + 64·32·4 + 64 + 128·64·4 + 128 + 250·2048 + 250 + 10·250 + 10.
    assertEquals(128 + 32 + 8192 + 64 + 32768 + 128 + 512000 + 250 + 2500 + 10, 556072);
    assertEquals(params.reduce((n, p) => n + p.value.size, 0), 556072);
  });

  await t.step("x=[2,1,28,28]: spatial 28 → 14 → 8 (padding 1) → 4, logits [2, 10]", () => {
    let x = Tensor.uniform([2, 1, 28, 28], { seed: 1 });
    const shapes: string[] = [];
    for (const layer of seedNotebookCnn({ seed: 2 }).layers) {
      x = layer.forward(x);
      shapes.push(x.shape.join());
    }
    assertEquals(shapes, [
      "2,32,14,14",
      "2,32,14,14",
      "2,64,8,8",
      "2,64,8,8",
      "2,128,4,4",
      "2,128,4,4",
      "2,2048",
      "2,250",
      "2,250",
      "2,10",
    ]);
  });

  await t.step("init: U(±1/√fan_in), spread over the interval", () => {
    seedNotebookCnn({ seed: 9 }).parameters().forEach((p, i) => {
      const bound = 1 / Math.sqrt(FAN_IN[i]);
      const max = maxAbs(p.value.data);
      assert(max <= bound && max > 0.5 * bound, `${SHAPES[i]}: max ${max}, bound ${bound}`);
    });
  });

  await t.step("impl reference and fast agree (seeded random input)", () => {
    const x = Tensor.uniform([2, 1, 28, 28], { seed: 3 });
    assertTensorClose(
      seedNotebookCnn({ seed: 1, impl: "fast" }).forward(x),
      seedNotebookCnn({ seed: 1, impl: "reference" }).forward(x),
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  await t.step("errors", () => {
    assertThrows(() => seedNotebookCnn({ seed: "1" as unknown as number }), TypeError, "seed");
    assertThrows(() => seedNotebookCnn({ seed: 2 ** 32 }), RangeError, "seed must be in");
  });
});

function maxAbs(data: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(data[i]));
  return max;
}
