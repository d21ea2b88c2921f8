import { assert, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import { MSELoss, mseLoss, mseLossBackward, type MSELossOptions } from "./mse_loss.ts";
import { Tensor } from "./tensor.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(Float64Array.from(values), shape);
// Differences [−1, 0, −2, 3]: squares [1, 0, 4, 9], sum 14, mean 3.5.
const input = (): Tensor => f64([1, 2, 3, 4], [2, 2]);
const target = (): Tensor => f64([2, 2, 5, 1], [2, 2]);

Deno.test("mseLoss()", async (t) => {
  await t.step("x=[2,2] reductions none/sum/mean", () => {
    assertTensorClose(mseLoss(input(), target(), { reduction: "none" }), f64([1, 0, 4, 9], [2, 2]));
    assertTensorClose(mseLoss(input(), target(), { reduction: "sum" }), f64([14], []));
    const mean = mseLoss(input(), target());
    assertTensorClose(mean, f64([3.5], []));
    assertEquals(mean.shape, []);
  });

  await t.step("dtype follows the input; mixed dtypes allowed", () => {
    const loss = mseLoss(input().astype("float32"), target());
    assertEquals(loss.dtype, "float32");
    assertEquals(loss.data[0], 3.5);
  });

  await t.step("NaN and Infinity propagate; empty mean is NaN (PyTorch)", () => {
    const loss = mseLoss(f64([NaN, Infinity], [2]), f64([0, 0], [2]), { reduction: "none" });
    assert(Number.isNaN(loss.data[0]));
    assertEquals(loss.data[1], Infinity);
    assert(Number.isNaN(mseLoss(f64([], [0]), f64([], [0])).data[0]));
  });

  await t.step("errors", () => {
    assertThrows(
      () => mseLoss(input(), f64([1, 2, 3, 4], [4])),
      TypeError,
      "Cannot compute mseLoss: target shape [4] must equal input shape [2, 2]",
    );
    assertThrows(
      // @ts-expect-error: not a Tensor
      () => mseLoss(input(), [1, 2, 3, 4]),
      TypeError,
      "target must be a Tensor",
    );
    assertThrows(
      // @ts-expect-error: an invalid reduction
      () => mseLoss(input(), target(), { reduction: "max" }),
      TypeError,
      'reduction must be "mean", "sum" or "none", got "max"',
    );
  });
});

Deno.test("mseLossBackward()", async (t) => {
  await t.step("x=[2,2] mean: 2·(x − y)·g / n and its negation", () => {
    const g = mseLossBackward(f64([2], []), { input: input(), target: target() });
    assertTensorClose(g.input, f64([-1, 0, -2, 3], [2, 2])); // 2·2/4 = 1 × difference
    assertTensorClose(g.target, f64([1, 0, 2, -3], [2, 2]));
  });

  await t.step("gradients keep each argument's dtype", () => {
    const g = mseLossBackward(Tensor.full([], 1), {
      input: input().astype("float32"),
      target: target(),
    });
    assertEquals(g.input.dtype, "float32");
    assertEquals(g.target.dtype, "float64");
  });

  const x = Tensor.randn([2, 3, 2], { seed: 1, dtype: "float64" });
  const y = Tensor.randn([2, 3, 2], { seed: 2, dtype: "float64" });
  const cases: MSELossOptions[] = [{}, { reduction: "sum" }, { reduction: "none" }];
  for (const options of cases) {
    await t.step(
      `x=[2,3,2] finite differences wrt input and target, ${options.reduction ?? "mean"}`,
      () => {
        const gradOutput = options.reduction === "none"
          ? Tensor.randn([2, 3, 2], { seed: 3, dtype: "float64" })
          : f64([0.6], []);
        const analytic = mseLossBackward(gradOutput, { input: x, target: y }, options);
        const dx = numericalGradient((v) => mseLoss(v, y, options), x, gradOutput);
        const dy = numericalGradient((v) => mseLoss(x, v, options), y, gradOutput);
        assertTensorClose(analytic.input, dx, { rtol: 1e-6, atol: 1e-8 });
        assertTensorClose(analytic.target, dy, { rtol: 1e-6, atol: 1e-8 });
      },
    );
  }

  await t.step("errors", () => {
    assertThrows(
      () => mseLossBackward(f64([1, 1], [2]), { input: input(), target: target() }),
      TypeError,
      "Cannot compute mseLossBackward: gradOutput must have one element",
    );
  });
});

Deno.test("MSELoss", async (t) => {
  await t.step("forward, backward with default gradient 1", () => {
    const criterion = new MSELoss({ reduction: "sum" });
    assertTensorClose(criterion.forward(input(), target()), f64([14], []));
    assertTensorClose(criterion.backward(), f64([-2, 0, -4, 6], [2, 2]));
  });

  await t.step("errors", () => {
    assertThrows(() => new MSELoss().backward(), Error, "MSELoss.backward: call forward first");
    const criterion = new MSELoss({ reduction: "none" });
    criterion.forward(input(), target());
    assertThrows(
      () => criterion.backward(),
      TypeError,
      'gradOutput is required with reduction "none"',
    );
  });
});
