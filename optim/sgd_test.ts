import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { SGD, type SGDOptions } from "./sgd.ts";
import { Parameter } from "../layers/module.ts";
import { type DType, Tensor } from "../layers/tensor.ts";

/** Runs `steps` with gradient sequence `grads` on a one-element parameter; returns the values. */
function trajectory(options: SGDOptions, p0: number, grads: number[], dtype: DType): number[] {
  const w = new Parameter("w", Tensor.full([1], p0, dtype));
  const opt = new SGD([w], options);
  return grads.map((g) => {
    w.grad.data[0] = g;
    opt.step();
    return w.value.data[0];
  });
}

// Torch 1.13.1 trajectories (float32, CPU) produced by:
//   p = torch.nn.Parameter(torch.tensor(P0)); opt = torch.optim.SGD([p], **kw)
//   for g in GRADS: p.grad = torch.tensor(g); opt.step(); print(p.tolist())
const P0 = [0.5, -1.25, 2.0, 0.0, -0.1];
const GRADS = [
  [0.3, -0.2, 1.5, -0.05, 0.0],
  [0.1, 0.4, -2.0, 0.05, 0.01],
  [-0.6, 0.0, 0.7, 1e-3, -0.2],
];
const TORCH: { options: SGDOptions; steps: number[][] }[] = [
  {
    options: { lr: 0.1, momentum: 0.9, dampening: 0.25 },
    steps: [
      [
        0.4699999988079071,
        -1.2300000190734863,
        1.850000023841858,
        0.005000000353902578,
        -0.10000000149011612,
      ],
      [
        0.43549999594688416,
        -1.2419999837875366,
        1.8650000095367432,
        0.005750000011175871,
        -0.10074999928474426,
      ],
      [
        0.44944998621940613,
        -1.2527999877929688,
        1.8259999752044678,
        0.00634999992325902,
        -0.08642499893903732,
      ],
    ],
  },
  {
    options: { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
    steps: [
      [
        0.4420500099658966,
        -1.209625005722046,
        1.7111999988555908,
        0.009499999694526196,
        -0.09981000423431396,
      ],
      [
        0.39750510454177856,
        -1.2661142349243164,
        1.9648287296295166,
        0.0040319496765732765,
        -0.10143936425447464,
      ],
      [
        0.4800572991371155,
        -1.2796375751495361,
        1.8779014348983765,
        0.0034215939231216908,
        -0.06390288472175598,
      ],
    ],
  },
  {
    options: { lr: 0.1, momentum: 0.5, weightDecay: 0.1, maximize: true },
    steps: [
      [
        0.5249999761581421,
        -1.2575000524520874,
        2.130000114440918,
        -0.005000000353902578,
        -0.0989999994635582,
      ],
      [
        0.5422499775886536,
        -1.2086750268936157,
        1.9737000465393066,
        -0.002450000261887908,
        -0.09651000052690506,
      ],
      [
        0.48545247316360474,
        -1.1721757650375366,
        1.9458130598068237,
        -0.001050500082783401,
        -0.11429990082979202,
      ],
    ],
  },
];

Deno.test("SGD", async (t) => {
  // Hand arithmetic on dyadic numbers, exact in float32 and float64: p0 = 1, grads 1, 0.5, −1.
  const grads = [1, 0.5, -1];
  for (const dtype of ["float32", "float64"] as const) {
    await t.step(`${dtype} lr=0.5: p −= lr·g`, () => {
      // 1 − 0.5 = 0.5; 0.5 − 0.25 = 0.25; 0.25 + 0.5 = 0.75
      assertEquals(trajectory({ lr: 0.5 }, 1, grads, dtype), [0.5, 0.25, 0.75]);
    });
    await t.step(`${dtype} momentum=0.5 dampening=0.5: b = g, then μb + (1−τ)g`, () => {
      // b1 = 1 → 0.5; b2 = 0.5 + 0.25 = 0.75 → 0.125; b3 = 0.375 − 0.5 = −0.125 → 0.1875
      assertEquals(
        trajectory({ lr: 0.5, momentum: 0.5, dampening: 0.5 }, 1, grads, dtype),
        [0.5, 0.125, 0.1875],
      );
    });
    await t.step(`${dtype} nesterov momentum=0.5: d = g + μb`, () => {
      // b1 = 1, d = 1.5 → 0.25; b2 = 1, d = 1 → −0.25; b3 = −0.5, d = −1.25 → 0.375
      assertEquals(
        trajectory({ lr: 0.5, momentum: 0.5, nesterov: true }, 1, grads, dtype),
        [0.25, -0.25, 0.375],
      );
    });
    await t.step(`${dtype} weightDecay=0.5: g + λp`, () => {
      // g = 1.5 → 0.25; g = 0.625 → −0.0625; g = −1.03125 → 0.453125
      assertEquals(
        trajectory({ lr: 0.5, weightDecay: 0.5 }, 1, grads, dtype),
        [0.25, -0.0625, 0.453125],
      );
    });
    await t.step(`${dtype} maximize with momentum and decay: −g + λp enters the buffer`, () => {
      // PyTorch 1.13 negates the gradient first:
      // g = −1 + 0.5 = −0.5, b = −0.5 → 1.25; g = −0.5 + 0.625 = 0.125, b = −0.125 → 1.3125;
      // g = 1 + 0.65625 = 1.65625, b = −0.0625 + 1.65625 = 1.59375 → 0.515625
      assertEquals(
        trajectory({ lr: 0.5, momentum: 0.5, weightDecay: 0.5, maximize: true }, 1, grads, dtype),
        [1.25, 1.3125, 0.515625],
      );
    });
  }

  await t.step("float32 matches torch 1.13 bit for bit over 3 steps", () => {
    for (const { options, steps } of TORCH) {
      const w = new Parameter("w", new Tensor(Float32Array.from(P0), [5]));
      const opt = new SGD([w], options);
      GRADS.forEach((g, s) => {
        w.grad.data.set(g);
        opt.step();
        assertEquals(
          Array.from(w.value.data),
          steps[s],
          `${JSON.stringify(options)} step ${s + 1}`,
        );
      });
    }
  });

  await t.step("several parameters keep separate momentum buffers", () => {
    const a = new Parameter("a", Tensor.full([2], 1)), b = new Parameter("b", Tensor.full([1], 0));
    const opt = new SGD([a, b], { lr: 1, momentum: 1 });
    a.grad.data.fill(1);
    b.grad.data.fill(-2);
    opt.step(); // a: b=1 → 0; b: b=−2 → 2
    opt.step(); // a: b=2 → −2; b: b=−4 → 6
    assertEquals(Array.from(a.value.data), [-2, -2]);
    assertEquals(Array.from(b.value.data), [6]);
  });

  await t.step("lr can change between steps; lr = 0 leaves parameters unchanged", () => {
    const w = new Parameter("w", Tensor.full([1], 1));
    const opt = new SGD([w], { lr: 0 });
    w.grad.data[0] = 3;
    opt.step();
    assertStrictEquals(w.value.data[0], 1);
    opt.lr = 0.25;
    assertStrictEquals(opt.lr, 0.25);
    opt.step();
    assertStrictEquals(w.value.data[0], 0.25);
  });

  await t.step("zeroGrad() zeroes every gradient", () => {
    const a = new Parameter("a", Tensor.full([3], 1)), b = new Parameter("b", Tensor.full([2], 1));
    a.grad.data.fill(4);
    b.grad.data.fill(-1);
    new SGD([a, b], { lr: 1 }).zeroGrad();
    assertEquals([...a.grad.data, ...b.grad.data], [0, 0, 0, 0, 0]);
  });

  await t.step("NaN and ±Inf gradients propagate elementwise", () => {
    const w = new Parameter("w", Tensor.full([3], 1));
    w.grad.data.set([NaN, Infinity, 1]);
    new SGD([w], { lr: 0.5 }).step();
    assertEquals(Array.from(w.value.data), [NaN, -Infinity, 0.5]);
  });

  await t.step("errors", () => {
    const w = new Parameter("w", Tensor.full([1], 1));
    assertThrows(
      () => new SGD([w], { lr: -0.1 }),
      RangeError,
      "SGD: lr must be finite and >= 0, got -0.1",
    );
    assertThrows(
      () => new SGD([w], { lr: NaN }),
      RangeError,
      "lr must be finite and >= 0, got NaN",
    );
    assertThrows(() => new SGD([w], { lr: Infinity }), RangeError, "got Infinity");
    assertThrows(
      () => new SGD([w], {} as SGDOptions),
      TypeError,
      "lr must be a number, got undefined",
    );
    assertThrows(
      () => new SGD([w], { lr: 0.1, momentum: -1 }),
      RangeError,
      "momentum must be finite and >= 0, got -1",
    );
    assertThrows(
      () => new SGD([w], { lr: 0.1, weightDecay: -1 }),
      RangeError,
      "weightDecay must be finite and >= 0, got -1",
    );
    assertThrows(
      () => new SGD([w], { lr: 0.1, dampening: NaN }),
      RangeError,
      "dampening must be finite, got NaN",
    );
    assertThrows(
      () => new SGD([w], { lr: 0.1, nesterov: true }),
      RangeError,
      "nesterov requires momentum > 0 and dampening = 0, got momentum 0 and dampening 0",
    );
    assertThrows(
      () => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
      RangeError,
      "got momentum 0.9 and dampening 0.1",
    );
    assertThrows(
      () => new SGD(w as unknown as Parameter[], { lr: 1 }),
      TypeError,
      "params must be an array of Parameter",
    );
    assertThrows(
      () => new SGD([w, w], { lr: 1 }),
      TypeError,
      "params must not list a Parameter twice",
    );
    assertThrows(
      () => new SGD([{}] as Parameter[], { lr: 1 }),
      TypeError,
      "params[0] must be a Parameter",
    );
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    assertThrows(() => (opt.lr = -1), RangeError, "lr must be finite and >= 0, got -1");
    opt.step();
    w.value = Tensor.full([2], 1);
    w.grad = Tensor.zeros([2]);
    assertThrows(() => opt.step(), TypeError, "parameter w changed size to 2");
  });
});
