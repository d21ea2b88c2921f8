import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import {
  BatchNorm,
  batchNorm,
  BatchNorm1d,
  BatchNorm2d,
  BatchNorm3d,
  batchNormBackward,
  type BatchNormOptions,
} from "./batch_norm.ts";
import { Tensor } from "./tensor.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(Float64Array.from(values), shape);
const close = { rtol: 1e-12, atol: 1e-14 };

// x = [N=2, C=2, L=2]: channel 0 holds {0, 4, 0, 4} (mean 2, biased variance 4, unbiased 16/3),
// channel 1 holds {3, 3, 3, 3} (mean 3, variance 0).
const step1 = (): Tensor => f64([0, 4, 3, 3, 0, 4, 3, 3], [2, 2, 2]);
// Channel 0 holds {1, 1, 1, 1} (mean 1, variance 0); channel 1 holds {1, 2, 3, 6} (mean 3,
// biased variance 3.5, unbiased 14/3).
const step2 = (): Tensor => f64([1, 1, 1, 2, 1, 1, 3, 6], [2, 2, 2]);
const gamma = (): Tensor => f64([2, 0.5], [2]);
const beta = (): Tensor => f64([1, -1], [2]);

Deno.test("batchNorm()", async (t) => {
  await t.step("training x=[2,2,2]: batch mean and biased variance, γ/β", () => {
    const y = batchNorm(step1(), { weight: gamma(), bias: beta(), training: true });
    const s = Math.sqrt(4 + 1e-5);
    // Channel 0: (x − 2)/s·2 + 1; channel 1: 0·… − 1.
    const a = 1 - 4 / s, b = 1 + 4 / s;
    assertTensorClose(y, f64([a, b, -1, -1, a, b, -1, -1], [2, 2, 2]), close);
  });

  await t.step("training x=[2,2] (rank 2), no affine, eps 0.75 → exact", () => {
    // Channel 0 {1.5, 2.5}: mean 2, variance 0.25, √(0.25 + 0.75) = 1. Channel 1 {10, 20}: mean
    // 15, variance 25.
    const x = f64([1.5, 10, 2.5, 20], [2, 2]);
    const y = batchNorm(x, { training: true, eps: 0.75 });
    const s = Math.sqrt(25.75);
    assertTensorClose(y, f64([-0.5, -5 / s, 0.5, 5 / s], [2, 2]), close);
  });

  await t.step("running statistics after two steps, momentum 0.1 (PyTorch, unbiased var)", () => {
    const runningMean = Tensor.zeros([2], "float64");
    const runningVar = Tensor.full([2], 1, "float64");
    const options = { training: true, runningMean, runningVar };
    batchNorm(step1(), options);
    assertTensorClose(runningMean, f64([0.2, 0.3], [2]), close);
    assertTensorClose(runningVar, f64([0.9 + 0.1 * 16 / 3, 0.9], [2]), close); // 43/30, 0.9
    batchNorm(step2(), options);
    assertTensorClose(runningMean, f64([0.28, 0.57], [2]), close);
    assertTensorClose(runningVar, f64([1.29, 383 / 300], [2]), close);
  });

  await t.step("ONNX mapping: momentum 1 − 0.9, biased running variance", () => {
    const runningMean = Tensor.zeros([2], "float64");
    const runningVar = Tensor.full([2], 1, "float64");
    batchNorm(step1(), {
      training: true,
      runningMean,
      runningVar,
      momentum: 1 - 0.9,
      unbiasedRunningVar: false,
    });
    // ONNX: input_var·0.9 + current_var·0.1 with the population variance 4.
    assertTensorClose(runningMean, f64([0.2, 0.3], [2]), { rtol: 1e-15 });
    assertTensorClose(runningVar, f64([1.3, 0.9], [2]), { rtol: 1e-15 });
  });

  await t.step("momentum 0 keeps, momentum 1 replaces the running statistics", () => {
    const runningMean = f64([5, 5], [2]), runningVar = f64([7, 7], [2]);
    batchNorm(step1(), { training: true, runningMean, runningVar, momentum: 0 });
    assertTensorClose(runningMean, f64([5, 5], [2]));
    batchNorm(step1(), { training: true, runningMean, runningVar, momentum: 1 });
    assertTensorClose(runningMean, f64([2, 3], [2]));
    assertTensorClose(runningVar, f64([16 / 3, 0], [2]), close);
  });

  await t.step("evaluation x=[2,2,2]: running statistics, left unchanged", () => {
    const runningMean = f64([1, 2], [2]), runningVar = f64([3, 0], [2]);
    const x = Tensor.arange([2, 2, 2], { dtype: "float64" });
    const y = batchNorm(x, {
      weight: gamma(),
      bias: beta(),
      runningMean,
      runningVar,
      eps: 1,
    });
    // Channel 0: (x − 1)/2·2 + 1 = x; channel 1: (x − 2)/1·0.5 − 1.
    const c1 = (v: number): number => (v - 2) * 0.5 - 1;
    assertTensorClose(y, f64([0, 1, c1(2), c1(3), 4, 5, c1(6), c1(7)], [2, 2, 2]), close);
    assertTensorClose(runningMean, f64([1, 2], [2]));
    assertTensorClose(runningVar, f64([3, 0], [2]));
  });

  await t.step("float32 input, float32 output; float64 statistics", () => {
    const x = step1().astype("float32");
    const runningMean = Tensor.zeros([2]), runningVar = Tensor.full([2], 1);
    const y = batchNorm(x, { training: true, runningMean, runningVar });
    assertEquals(y.dtype, "float32");
    assertAlmostEquals(y.data[1], 2 / Math.sqrt(4 + 1e-5), 1e-6);
    assertAlmostEquals(runningVar.data[0], 43 / 30, 1e-6);
  });

  await t.step("NaN propagates to its channel only", () => {
    const x = f64([NaN, 4, 3, 3, 0, 4, 3, 3], [2, 2, 2]);
    const y = batchNorm(x, { training: true });
    assertEquals([0, 1, 4, 5].map((i) => Number.isNaN(y.data[i])), [true, true, true, true]);
    assertTensorClose(f64([y.data[2], y.data[3]], [2]), f64([0, 0], [2]));
  });

  await t.step("errors", () => {
    const x = step1();
    assertThrows(
      () => batchNorm(x, { weight: f64([1, 1, 1], [3]), training: true }),
      TypeError,
      "Cannot compute batchNorm: weight must have shape [C] = [2] (input channels), got [3]",
    );
    assertThrows(
      () => batchNorm(x, { runningMean: Tensor.zeros([3]), runningVar: Tensor.zeros([2]) }),
      TypeError,
      "runningMean must have shape [C] = [2]",
    );
    assertThrows(
      () => batchNorm(Tensor.zeros([1, 3]), { training: true }),
      RangeError,
      "expected more than 1 value per channel when training, got input shape [1, 3]",
    );
    assertThrows(
      () => batchNorm(Tensor.zeros([1, 3, 1, 1]), { training: true }),
      RangeError,
      "more than 1 value per channel",
    );
    assertThrows(
      () => batchNorm(x, { training: true, eps: 0 }),
      RangeError,
      "eps must be positive, got 0",
    );
    assertThrows(
      () => batchNorm(x, { training: true, eps: -1e-5 }),
      RangeError,
      "eps must be positive",
    );
    assertThrows(
      () => batchNorm(x, { training: true, momentum: 1.5 }),
      RangeError,
      "momentum must be in [0, 1], got 1.5",
    );
    assertThrows(() => batchNorm(x, { training: true, momentum: -0.1 }), RangeError, "momentum");
    assertThrows(
      () => batchNorm(Tensor.zeros([4]), { training: true }),
      TypeError,
      "input must have shape [N, C, ...] (at least 2 axes), got [4]",
    );
    assertThrows(
      () => batchNorm(x),
      TypeError,
      "runningMean and runningVar are required in evaluation mode",
    );
    assertThrows(
      () => batchNorm(x, { training: true, runningMean: Tensor.zeros([2]) }),
      TypeError,
      "runningMean and runningVar must be given together",
    );
  });
});

Deno.test("batchNormBackward()", async (t) => {
  await t.step("training, gradOutput all ones: dx = 0, dβ = count, dγ = Σx̂ = 0", () => {
    const g = batchNormBackward(Tensor.full([2, 2, 2], 1, "float64"), {
      input: step1(),
      weight: gamma(),
    }, {
      training: true,
    });
    assertTensorClose(g.input, Tensor.zeros([2, 2, 2], "float64"), { atol: 1e-15 });
    assertTensorClose(g.bias, f64([4, 4], [2]));
    assertTensorClose(g.weight, f64([0, 0], [2]), { atol: 1e-15 });
  });

  await t.step("evaluation: dx = g·γ/√(var + eps), dγ = Σ g·x̂, dβ = Σ g", () => {
    const gradOutput = Tensor.arange([2, 2, 2], { dtype: "float64" });
    const g = batchNormBackward(gradOutput, { input: step1(), weight: gamma() }, {
      runningMean: f64([1, 2], [2]),
      runningVar: f64([3, 0], [2]),
      eps: 1,
    });
    // Channel 0 scale 2/2 = 1, channel 1 scale 0.5/1.
    assertTensorClose(g.input, f64([0, 1, 1, 1.5, 4, 5, 3, 3.5], [2, 2, 2]), close);
    // x̂ channel 0 = (x − 1)/2 = [−0.5, 1.5, −0.5, 1.5]; channel 1 = x − 2 = 1.
    assertTensorClose(g.weight, f64([0 * -0.5 + 1 * 1.5 + 4 * -0.5 + 5 * 1.5, 2 + 3 + 6 + 7], [2]));
    assertTensorClose(g.bias, f64([0 + 1 + 4 + 5, 2 + 3 + 6 + 7], [2]));
  });

  const input = Tensor.randn([3, 2, 2, 2], { seed: 21, dtype: "float64", mean: 0.5, std: 2 });
  const gradOutput = Tensor.randn([3, 2, 2, 2], { seed: 22, dtype: "float64" });
  const weight = f64([1.5, -0.7], [2]), bias = f64([0.3, -2], [2]);
  const eval_ = { runningMean: f64([0.2, -0.4], [2]), runningVar: f64([1.7, 0.6], [2]) };
  const cases: [string, BatchNormOptions][] = [
    ["training", { training: true }],
    ["training, eps 0.1", { training: true, eps: 0.1 }],
    ["evaluation", { ...eval_ }],
  ];
  const tol = { rtol: 1e-6, atol: 1e-8 };
  for (const [name, options] of cases) {
    await t.step(`x=[3,2,2,2] finite differences wrt input, γ, β: ${name}`, () => {
      const analytic = batchNormBackward(gradOutput, { input, weight }, options);
      const at = (x: Tensor, w: Tensor, b: Tensor): Tensor =>
        batchNorm(x, { ...options, weight: w, bias: b });
      const dx = numericalGradient((x) => at(x, weight, bias), input, gradOutput);
      const dw = numericalGradient((w) => at(input, w, bias), weight, gradOutput);
      const db = numericalGradient((b) => at(input, weight, b), bias, gradOutput);
      assertTensorClose(analytic.input, dx, tol);
      assertTensorClose(analytic.weight, dw, tol);
      assertTensorClose(analytic.bias, db, tol);
    });
  }

  await t.step("x=[4,3] (rank 2) training without γ: finite differences wrt input", () => {
    const x = Tensor.randn([4, 3], { seed: 5, dtype: "float64" });
    const go = Tensor.randn([4, 3], { seed: 6, dtype: "float64" });
    const analytic = batchNormBackward(go, { input: x }, { training: true });
    const dx = numericalGradient((v) => batchNorm(v, { training: true }), x, go);
    assertTensorClose(analytic.input, dx, tol);
  });

  await t.step("errors", () => {
    assertThrows(
      () => batchNormBackward(Tensor.zeros([2, 2]), { input: step1() }, { training: true }),
      TypeError,
      "Cannot compute batchNormBackward: gradOutput must have the input shape [2, 2, 2], got [2, 2]",
    );
    assertThrows(
      () => batchNormBackward(Tensor.zeros([2, 2, 2]), { input: step1() }),
      TypeError,
      "runningMean and runningVar are required in evaluation mode",
    );
    assertThrows(
      () =>
        batchNormBackward(Tensor.zeros([2, 2, 2]), { input: step1(), weight: f64([1], [1]) }, {
          training: true,
        }),
      TypeError,
      "weight must have shape [C] = [2]",
    );
  });
});

Deno.test("BatchNorm", async (t) => {
  await t.step("parameters weight (ones) then bias (zeros); buffers zeros and ones", () => {
    const bn = new BatchNorm({ numFeatures: 3 });
    assertEquals(bn.parameters().map((p) => p.name), ["weight", "bias"]);
    assertEquals(Array.from(bn.weight!.value.data), [1, 1, 1]);
    assertEquals(Array.from(bn.bias!.value.data), [0, 0, 0]);
    assertEquals(Array.from(bn.runningMean.data), [0, 0, 0]);
    assertEquals(Array.from(bn.runningVar.data), [1, 1, 1]);
    assertEquals([bn.numFeatures, bn.momentum, bn.eps, bn.affine, bn.training], [
      3,
      0.1,
      1e-5,
      true,
      true,
    ]);
    assertEquals(bn.weight!.value.dtype, "float32");
    assertEquals(new BatchNorm({ numFeatures: 3, affine: false }).parameters(), []);
  });

  await t.step("training updates buffers (two steps), eval uses them", () => {
    const bn = new BatchNorm({ numFeatures: 2, dtype: "float64" });
    bn.forward(step1());
    bn.forward(step2());
    assertTensorClose(bn.runningMean, f64([0.28, 0.57], [2]), close);
    assertTensorClose(bn.runningVar, f64([1.29, 383 / 300], [2]), close);
    bn.eval();
    const y = bn.forward(step1());
    const s0 = Math.sqrt(1.29 + 1e-5);
    assertAlmostEquals(y.data[1], (4 - 0.28) / s0, 1e-12);
    assertTensorClose(bn.runningMean, f64([0.28, 0.57], [2]), close); // unchanged in eval
  });

  await t.step("backward accumulates γ/β gradients and matches batchNormBackward", () => {
    const bn = new BatchNorm({ numFeatures: 2, dtype: "float64" });
    bn.weight!.value.data.set([2, 0.5]);
    const x = Tensor.randn([3, 2, 4], { seed: 9, dtype: "float64" });
    const go = Tensor.randn([3, 2, 4], { seed: 10, dtype: "float64" });
    const expected = batchNormBackward(go, { input: x, weight: gamma() }, { training: true });
    bn.forward(x);
    const dx = bn.backward(go);
    bn.forward(x);
    bn.backward(go);
    assertTensorClose(dx, expected.input, close);
    const twice = (v: Tensor): Tensor => new Tensor(v.data.map((e) => 2 * e), v.shape);
    assertTensorClose(bn.weight!.grad, twice(expected.weight), close);
    assertTensorClose(bn.bias!.grad, twice(expected.bias), close);
    bn.zeroGrad();
    assertEquals(Array.from(bn.bias!.grad.data), [0, 0]);
  });

  await t.step("eval backward: dx = g·γ/√(runningVar + eps)", () => {
    const bn = new BatchNorm({ numFeatures: 2, dtype: "float64", eps: 1 }).eval();
    bn.runningVar.data.set([3, 0]);
    bn.forward(step1());
    const dx = bn.backward(Tensor.full([2, 2, 2], 1, "float64"));
    assertTensorClose(dx, f64([0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1], [2, 2, 2]), close);
  });

  await t.step("BatchNorm1d/2d/3d accept only their ranks", () => {
    new BatchNorm1d({ numFeatures: 2 }).forward(Tensor.randn([3, 2]));
    new BatchNorm1d({ numFeatures: 2 }).forward(Tensor.randn([3, 2, 4]));
    new BatchNorm3d({ numFeatures: 2 }).forward(Tensor.randn([2, 2, 1, 2, 2]));
    const y = new BatchNorm2d({ numFeatures: 2 }).forward(Tensor.randn([2, 2, 3, 3]));
    assertEquals(y.dtype, "float32");
    assertThrows(
      () => new BatchNorm2d({ numFeatures: 2 }).forward(Tensor.randn([2, 2, 3])),
      TypeError,
      "Cannot compute BatchNorm2d: input must have shape [N, C, H, W], got [2, 2, 3]",
    );
    assertThrows(
      () => new BatchNorm1d({ numFeatures: 2 }).forward(Tensor.randn([2, 2, 3, 3])),
      TypeError,
      "BatchNorm1d: input must have shape [N, C] or [N, C, L]",
    );
    assertThrows(
      () => new BatchNorm3d({ numFeatures: 2 }).forward(Tensor.randn([2, 2, 3, 3])),
      TypeError,
      "BatchNorm3d: input must have shape [N, C, D, H, W]",
    );
  });

  await t.step("errors", () => {
    assertThrows(
      () => new BatchNorm({ numFeatures: 3 }).forward(Tensor.randn([2, 4, 2])),
      TypeError,
      "weight must have shape [C] = [4] (input channels), got [3]",
    );
    assertThrows(
      () => new BatchNorm({ numFeatures: 3 }).forward(Tensor.randn([1, 3])),
      RangeError,
      "more than 1 value per channel when training",
    );
    assertThrows(
      () => new BatchNorm({ numFeatures: 0 }),
      RangeError,
      "numFeatures must be positive, got 0",
    );
    assertThrows(
      () => new BatchNorm2d({ numFeatures: 1.5 }),
      TypeError,
      "Cannot compute BatchNorm2d: numFeatures must be an integer",
    );
    assertThrows(
      () => new BatchNorm({ numFeatures: 2, eps: 0 }),
      RangeError,
      "eps must be positive",
    );
    assertThrows(
      () => new BatchNorm({ numFeatures: 2, momentum: 2 }),
      RangeError,
      "momentum must be in [0, 1], got 2",
    );
    assertThrows(
      () => new BatchNorm({ numFeatures: 2 }).backward(Tensor.zeros([2, 2])),
      Error,
      "BatchNorm.backward: call forward first",
    );
  });
});
