import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import {
  crossEntropy,
  crossEntropyBackward,
  CrossEntropyLoss,
  type CrossEntropyLossOptions,
  crossEntropyWithLogProb,
} from "./cross_entropy.ts";
import { Tensor } from "./tensor.ts";

const LN2 = Math.log(2), LN3 = Math.log(3), LN4 = Math.log(4), LN7 = Math.log(7);
const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(Float64Array.from(values), shape);
const close = { rtol: 1e-12, atol: 1e-14 };

// Rows [0, 0] and [ln 3, 0]: softmax [1/2, 1/2] and [3/4, 1/4].
const twoRows = (): Tensor => f64([0, 0, LN3, 0], [2, 2]);

Deno.test("crossEntropy()", async (t) => {
  await t.step("x=[2,2] closed form, reductions none/sum/mean", () => {
    const none = crossEntropy(twoRows(), [0, 1], { reduction: "none" });
    assertTensorClose(none, f64([LN2, LN4], [2]), close);
    const sum = crossEntropy(twoRows(), [0, 1], { reduction: "sum" });
    assertTensorClose(sum, f64([3 * LN2], []), close);
    const mean = crossEntropy(twoRows(), new Int32Array([0, 1]));
    assertTensorClose(mean, f64([1.5 * LN2], []), close);
    assertEquals(mean.shape, []);
    assertEquals(mean.size, 1);
  });

  await t.step("target as BigInt64Array (ONNX int64)", () => {
    const loss = crossEntropy(twoRows(), new BigInt64Array([1n, 0n]), { reduction: "none" });
    // Row 1 target 0: ln 4 − ln 3.
    assertTensorClose(loss, f64([LN2, LN4 - LN3], [2]), close);
  });

  await t.step("weight [1, 3], ignoreIndex default −100: mean divides by Σ w[t]", () => {
    // Third row is ignored: its NaN logits must not reach the loss.
    const logits = f64([0, 0, LN3, 0, NaN, NaN], [3, 2]);
    const weight = f64([1, 3], [2]);
    const none = crossEntropy(logits, [0, 1, -100], { weight, reduction: "none" });
    assertTensorClose(none, f64([LN2, 3 * LN4, 0], [3]), close);
    const sum = crossEntropy(logits, [0, 1, -100], { weight, reduction: "sum" });
    assertTensorClose(sum, f64([7 * LN2], []), close);
    const mean = crossEntropy(logits, [0, 1, -100], { weight });
    assertTensorClose(mean, f64([7 * LN2 / 4], []), close); // (1·ln 2 + 3·ln 4) / (1 + 3)
  });

  await t.step("ignoreIndex inside [0, C) ignores that class", () => {
    const mean = crossEntropy(twoRows(), [0, 1], { ignoreIndex: 1 });
    assertTensorClose(mean, f64([LN2], []), close);
  });

  await t.step("every target ignored: mean NaN (0/0 as PyTorch), sum 0, none zeros", () => {
    const mean = crossEntropy(twoRows(), [-100, -100]);
    assert(Number.isNaN(mean.data[0]));
    assertEquals(crossEntropy(twoRows(), [-100, -100], { reduction: "sum" }).data[0], 0);
    const none = crossEntropy(twoRows(), [-100, -100], { reduction: "none" });
    assertTensorClose(none, f64([0, 0], [2]));
  });

  await t.step("x=[2,2,2,2] spatial, reduction none is [N, H, W] in row-major order", () => {
    // Element (n, h, w) has logits (x[n,0,h,w], x[n,1,h,w]).
    const logits = f64([
      ...[0, LN3, LN3, 0], // n=0, class 0
      ...[0, 0, 0, LN7], // n=0, class 1
      ...[LN3, 0, 0, 0], // n=1, class 0
      ...[0, 0, LN3, 0], // n=1, class 1
    ], [2, 2, 2, 2]);
    const target = [1, 0, 1, 1, 1, 0, 1, 0];
    const expected = [
      LN2, // (0, 0) → class 1
      LN4 - LN3, // (ln 3, 0) → class 0
      LN4, // (ln 3, 0) → class 1
      Math.log(8) - LN7, // (0, ln 7) → class 1
      LN4, // (ln 3, 0) → class 1
      LN2, // (0, 0) → class 0
      LN4 - LN3, // (0, ln 3) → class 1
      LN2, // (0, 0) → class 0
    ];
    const none = crossEntropy(logits, target, { reduction: "none" });
    assertTensorClose(none, f64(expected, [2, 2, 2]), close);
    const mean = crossEntropy(logits, target);
    assertAlmostEquals(mean.data[0], expected.reduce((a, b) => a + b) / 8, 1e-14);
  });

  await t.step("stability: logits ±1000 stay finite (float64 and float32)", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const logits = new Tensor([1000, 0, 1000, 1000, -1000, 1000], [3, 2]).astype(dtype);
      const loss = crossEntropy(logits, [0, 1, 0], { reduction: "none" });
      assertEquals(loss.dtype, dtype);
      // log(1 + e^−1000) = 0 in float64; ln 2; 2000 + log(1 + e^−2000).
      assertTensorClose(loss, new Tensor([0, LN2, 2000], [3]).astype(dtype), { rtol: 1e-6 });
    }
  });

  await t.step("float32 input gives float32 loss", () => {
    const loss = crossEntropy(twoRows().astype("float32"), [0, 1]);
    assertEquals(loss.dtype, "float32");
    assertAlmostEquals(loss.data[0], 1.5 * LN2, 1e-6);
  });

  await t.step("NaN/±Inf logits give NaN, −Inf on the target gives +Inf (PyTorch)", () => {
    const logits = f64([NaN, 0, Infinity, 0, -Infinity, 0, -Infinity, -Infinity], [4, 2]);
    const loss = crossEntropy(logits, [1, 1, 0, 0], { reduction: "none" });
    assert(Number.isNaN(loss.data[0]));
    assert(Number.isNaN(loss.data[1]));
    assertEquals(loss.data[2], Infinity);
    assert(Number.isNaN(loss.data[3]));
  });

  await t.step("errors", () => {
    const logits = Tensor.zeros([4, 10]);
    assertThrows(
      () => crossEntropy(logits, [0, 1, 2, 10]),
      RangeError,
      "Cannot compute crossEntropy: target[3] = 10 must be in [0, 10) or equal ignoreIndex (-100)",
    );
    assertThrows(() => crossEntropy(logits, [0, -1, 2, 3]), RangeError, "target[1] = -1");
    assertThrows(() => crossEntropy(logits, [0, 1.5, 2, 3]), TypeError, "target[1] = 1.5");
    assertThrows(() => crossEntropy(logits, [0, NaN, 2, 3]), TypeError, "must be an integer");
    assertThrows(() => crossEntropy(logits, [0, 1, 2]), TypeError, "4 entries");
    assertThrows(
      () => crossEntropy(Tensor.zeros([10]), [0]),
      TypeError,
      "input must have shape [N, C] or [N, C, d1, ..., dk], got [10]",
    );
    assertThrows(
      () => crossEntropy(logits, [0, 1, 2, 3], { weight: Tensor.zeros([9]) }),
      TypeError,
      "weight must have shape [C] = [10], got [9]",
    );
    assertThrows(
      // @ts-expect-error: an invalid reduction, as from untyped code
      () => crossEntropy(logits, [0, 1, 2, 3], { reduction: "avg" }),
      TypeError,
      'reduction must be "mean", "sum" or "none", got "avg"',
    );
    assertThrows(
      () => crossEntropy(logits, [0, 1, 2, 3], { ignoreIndex: 0.5 }),
      TypeError,
      "ignoreIndex must be an integer, got 0.5",
    );
  });
});

Deno.test("crossEntropyWithLogProb()", async (t) => {
  await t.step("x=[2,2] log_prob closed form", () => {
    const { loss, logProb } = crossEntropyWithLogProb(twoRows(), [0, 1]);
    assertTensorClose(logProb, f64([-LN2, -LN2, LN3 - LN4, -LN4], [2, 2]), close);
    assertTensorClose(loss, f64([1.5 * LN2], []), close);
  });

  await t.step("float32 input: log_prob in float32, shape of the logits", () => {
    const { logProb } = crossEntropyWithLogProb(Tensor.zeros([1, 4, 3]), [0, 1, 2]);
    assertEquals(logProb.dtype, "float32");
    assertEquals(logProb.shape, [1, 4, 3]);
    assertTensorClose(logProb, Tensor.full([1, 4, 3], -Math.log(4)), { rtol: 1e-6 });
  });
});

Deno.test("crossEntropyBackward()", async (t) => {
  await t.step("x=[2,2] closed form: (softmax − onehot) / N", () => {
    const g = crossEntropyBackward(f64([1], []), { input: twoRows(), target: [0, 1] });
    // Row 0: ([1/2, 1/2] − [1, 0]) / 2; row 1: ([3/4, 1/4] − [0, 1]) / 2.
    assertTensorClose(g.input, f64([-0.25, 0.25, 0.375, -0.375], [2, 2]), close);
  });

  await t.step("weights and ignore: w[t]·g / Σ w[t], ignored rows 0", () => {
    const options = { weight: f64([1, 3], [2]) };
    const input = f64([0, 0, LN3, 0, 5, -5], [3, 2]);
    const g = crossEntropyBackward(f64([2], []), { input, target: [0, 1, -100] }, options);
    // Scale per row: 2·w[t] / 4 → 0.5 and 1.5.
    assertTensorClose(g.input, f64([-0.25, 0.25, 1.125, -1.125, 0, 0], [3, 2]), close);
  });

  await t.step("every target ignored: zero gradient (PyTorch)", () => {
    const g = crossEntropyBackward(f64([1], []), { input: twoRows(), target: [-100, -100] });
    assertTensorClose(g.input, f64([0, 0, 0, 0], [2, 2]));
  });

  const input = Tensor.randn([3, 4, 2, 3], { seed: 7, dtype: "float64" });
  const targets = [0, 1, 2, 3, -100, 1, 2, 2, 0, 3, 1, -100, 3, 0, 0, 1, 2, 3];
  const weight = f64([0.5, 1, 2, 4], [4]);
  const cases: [string, CrossEntropyLossOptions][] = [
    ["mean", {}],
    ["mean, weight", { weight }],
    ["sum, weight, ignoreIndex 2", { weight, reduction: "sum", ignoreIndex: 2 }],
    ["none, weight", { weight, reduction: "none" }],
  ];
  for (const [name, options] of cases) {
    const target = options.ignoreIndex === 2 ? targets.map((v) => (v < 0 ? 2 : v)) : targets;
    await t.step(`x=[3,4,2,3] finite differences, ${name}`, () => {
      const gradOutput = options.reduction === "none"
        ? Tensor.randn([3, 2, 3], { seed: 3, dtype: "float64" })
        : f64([0.7], []);
      const numeric = numericalGradient(
        (x) => crossEntropy(x, target, options),
        input,
        gradOutput,
      );
      const analytic = crossEntropyBackward(gradOutput, { input, target }, options).input;
      assertTensorClose(analytic, numeric, { rtol: 1e-6, atol: 1e-8 });
    });
  }

  await t.step("errors", () => {
    assertThrows(
      () => crossEntropyBackward(f64([1, 1], [2]), { input: twoRows(), target: [0, 1] }),
      TypeError,
      'gradOutput must have one element (reduction "mean"), got shape [2]',
    );
    assertThrows(
      () =>
        crossEntropyBackward(f64([1], [1]), { input: twoRows(), target: [0, 1] }, {
          reduction: "none",
        }),
      TypeError,
      "gradOutput must have the loss shape [2]",
    );
    assertThrows(
      () => crossEntropyBackward(f64([1], []), { input: twoRows(), target: [0, 2] }),
      RangeError,
      "Cannot compute crossEntropyBackward: target[1] = 2 must be in [0, 2)",
    );
  });
});

Deno.test("CrossEntropyLoss", async (t) => {
  await t.step("forward/backward match the functions; default gradient 1", () => {
    const weight = f64([1, 3], [2]);
    const criterion = new CrossEntropyLoss({ weight });
    const loss = criterion.forward(twoRows(), [0, 1]);
    assertTensorClose(loss, f64([7 * LN2 / 4], []), close);
    // Scales 1/4 and 3/4.
    const dx = criterion.backward();
    assertTensorClose(dx, f64([-0.125, 0.125, 0.5625, -0.5625], [2, 2]), close);
  });

  await t.step("the target is copied at forward", () => {
    const criterion = new CrossEntropyLoss({ reduction: "sum" });
    const target = [0, 1];
    criterion.forward(twoRows(), target);
    target[0] = 1;
    assertTensorClose(criterion.backward(), f64([-0.5, 0.5, 0.75, -0.75], [2, 2]), close);
  });

  await t.step("reduction none needs gradOutput", () => {
    const criterion = new CrossEntropyLoss({ reduction: "none" });
    criterion.forward(twoRows(), [0, 1]);
    assertThrows(
      () => criterion.backward(),
      TypeError,
      'gradOutput is required with reduction "none"',
    );
    const dx = criterion.backward(f64([1, 0], [2]));
    assertTensorClose(dx, f64([-0.5, 0.5, 0, 0], [2, 2]), close);
  });

  await t.step("errors", () => {
    assertThrows(
      () => new CrossEntropyLoss().backward(),
      Error,
      "CrossEntropyLoss.backward: call forward first",
    );
    assertThrows(
      () => new CrossEntropyLoss({ ignoreIndex: 1.5 }),
      TypeError,
      "ignoreIndex must be an integer",
    );
  });
});
