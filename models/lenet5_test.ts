import { assert, assertEquals, assertThrows } from "@std/assert";
import { Conv2d } from "../layers/conv.ts";
import { Flatten } from "../layers/flatten.ts";
import { Linear } from "../layers/linear.ts";
import { MaxPool2d } from "../layers/max_pool.ts";
import { ReLU } from "../layers/relu.ts";
import { Tensor } from "../layers/tensor.ts";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { lenet5 } from "./lenet5.ts";

// PyTorch's LeNet5 (tasks/golden_torch/models.py) parameter shapes, in named_parameters() order.
const SHAPES = [
  [6, 1, 5, 5],
  [6],
  [16, 6, 5, 5],
  [16],
  [120, 256],
  [120],
  [84, 120],
  [84],
  [10, 84],
  [10],
];
// fan_in per parameter: weight.shape[1] × kernel (biases share their weight's).
const FAN_IN = [25, 25, 150, 150, 256, 256, 120, 120, 84, 84];

Deno.test("lenet5()", async (t) => {
  await t.step("layers in nn.Sequential order", () => {
    const kinds = lenet5().layers.map((l) => l.constructor);
    assertEquals(kinds, [
      Conv2d,
      ReLU,
      MaxPool2d,
      Conv2d,
      ReLU,
      MaxPool2d,
      Flatten,
      Linear,
      ReLU,
      Linear,
      ReLU,
      Linear,
    ]);
  });

  await t.step("parameter shapes and count = PyTorch's 44426", () => {
    const params = lenet5().parameters();
    assertEquals(params.map((p) => p.value.shape), SHAPES);
    // By hand: 6·25 + 6 + 16·6·25 + 16 + 120·256 + 120 + 84·120 + 84 + 10·84 + 10.
    assertEquals(150 + 6 + 2400 + 16 + 30720 + 120 + 10080 + 84 + 840 + 10, 44426);
    assertEquals(params.reduce((n, p) => n + p.value.size, 0), 44426);
  });

  await t.step("x=[3,1,28,28]: spatial 28 → 24 → 12 → 8 → 4, logits [3, 10]", () => {
    const net = lenet5({ seed: 4 });
    let x = Tensor.uniform([3, 1, 28, 28], { seed: 1 });
    const shapes: number[][] = [];
    for (const layer of net.layers) {
      x = layer.forward(x);
      shapes.push([...x.shape]);
    }
    assertEquals(shapes.map((s) => s.join()), [
      "3,6,24,24",
      "3,6,24,24",
      "3,6,12,12",
      "3,16,8,8",
      "3,16,8,8",
      "3,16,4,4",
      "3,256",
      "3,120",
      "3,120",
      "3,84",
      "3,84",
      "3,10",
    ]);
  });

  await t.step("init: U(±1/√fan_in), spread over the interval", () => {
    lenet5({ seed: 7 }).parameters().forEach((p, i) => {
      const bound = 1 / Math.sqrt(FAN_IN[i]);
      const max = maxAbs(p.value.data);
      assert(max <= bound, `${SHAPES[i]}: ${max} > ${bound}`);
      // 6 values or more: the largest |v| of a uniform sample sits near the bound.
      if (p.value.size >= 6) assert(max > 0.5 * bound, `${SHAPES[i]}: ${max} ≪ ${bound}`);
    });
  });

  await t.step("seeded: same seed same weights, another seed other weights", () => {
    const a = lenet5({ seed: 3 }).parameters(), b = lenet5({ seed: 3 }).parameters();
    const c = lenet5({ seed: 4 }).parameters();
    a.forEach((p, i) => assertEquals(p.value.data, b[i].value.data));
    assert(a.every((p, i) => p.value.data[0] !== c[i].value.data[0]));
    // Layers draw their own seeds: the two convolutions do not start alike.
    assert(a[0].value.data[0] * 5 !== a[2].value.data[0] * Math.sqrt(150));
  });

  await t.step("impl reference and fast agree (seeded random input)", () => {
    const x = Tensor.uniform([2, 1, 28, 28], { seed: 2 });
    const fast = lenet5({ seed: 5, impl: "fast" }).forward(x);
    const reference = lenet5({ seed: 5, impl: "reference" }).forward(x);
    assertTensorClose(fast, reference, { rtol: 1e-4, atol: 1e-6 });
  });

  await t.step("errors: seed and impl", () => {
    assertThrows(() => lenet5({ seed: 1.5 }), TypeError, "seed must be an integer, got 1.5");
    assertThrows(() => lenet5({ seed: -1 }), RangeError, "seed must be in [0, 2^32), got -1");
    assertThrows(
      () => lenet5({ impl: "gpu" as "fast" }),
      TypeError,
      'impl must be "reference" or "fast", got "gpu"',
    );
  });
});

function maxAbs(data: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) max = Math.max(max, Math.abs(data[i]));
  return max;
}
