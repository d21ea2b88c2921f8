import { assert, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { numericalGradient } from "../testing/gradcheck.ts";
import { NLLLoss, nllLoss, nllLossBackward, type NLLLossOptions } from "./nll_loss.ts";
import { Tensor } from "./tensor.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(Float64Array.from(values), shape);
// Losses of target [2, 0]: 3 and 0.5.
const logp = (): Tensor => f64([-1, -2, -3, -0.5, -0.25, -4], [2, 3]);

Deno.test("nllLoss()", async (t) => {
  await t.step("x=[2,3] reductions none/sum/mean", () => {
    assertTensorClose(nllLoss(logp(), [2, 0], { reduction: "none" }), f64([3, 0.5], [2]));
    assertTensorClose(nllLoss(logp(), [2, 0], { reduction: "sum" }), f64([3.5], []));
    assertTensorClose(nllLoss(logp(), [2, 0]), f64([1.75], []));
  });

  await t.step("weight [1, 2, 4]: mean = Σ w[t]·loss / Σ w[t]", () => {
    const weight = f64([1, 2, 4], [3]);
    assertTensorClose(
      nllLoss(logp(), [2, 0], { weight, reduction: "none" }),
      f64([12, 0.5], [2]),
    );
    assertTensorClose(nllLoss(logp(), [2, 0], { weight }), f64([2.5], [])); // 12.5 / 5
  });

  await t.step("x=[1,2,3] spatial with an ignored element (NaN input never read)", () => {
    const input = f64([-1, -2, NaN, -4, -5, NaN], [1, 2, 3]);
    const none = nllLoss(input, [0, 1, -100], { reduction: "none" });
    assertTensorClose(none, f64([1, 5, 0], [1, 3]));
    assertTensorClose(nllLoss(input, [0, 1, -100]), f64([3], []));
  });

  await t.step("every target ignored: mean NaN, as PyTorch", () => {
    assert(Number.isNaN(nllLoss(logp(), [-100, -100]).data[0]));
    assert(Number.isNaN(nllLoss(logp(), [1, 1], { ignoreIndex: 1 }).data[0]));
  });

  await t.step("zero total weight without ignores: mean 0/0 = NaN, as PyTorch", () => {
    const weight = f64([1, 2, 0], [3]);
    assert(Number.isNaN(nllLoss(logp(), [2, 2], { weight }).data[0]));
  });

  await t.step("float32 in, float32 out", () => {
    const loss = nllLoss(logp().astype("float32"), [2, 0]);
    assertEquals(loss.dtype, "float32");
    assertEquals(loss.data[0], 1.75);
  });

  await t.step("errors", () => {
    assertThrows(
      () => nllLoss(logp(), [3, 0]),
      RangeError,
      "Cannot compute nllLoss: target[0] = 3 must be in [0, 3) or equal ignoreIndex (-100)",
    );
    assertThrows(
      () => nllLoss(logp(), [-1, 0], { ignoreIndex: 2 }),
      RangeError,
      "target[0] = -1 must be in [0, 3) or equal ignoreIndex (2)",
    );
    assertThrows(() => nllLoss(logp(), [2]), TypeError, "target must have N·d1·…·dk = 2 entries");
    assertThrows(
      // @ts-expect-error: a non-array target, as from untyped code
      () => nllLoss(logp(), 2),
      TypeError,
      "target must be an array of class indices, got 2",
    );
    assertThrows(
      () => nllLoss(logp(), [2, 0], { weight: f64([1, 1, 1, 1], [2, 2]) }),
      TypeError,
      "weight must have shape [C] = [3], got [2, 2]",
    );
    assertThrows(
      // @ts-expect-error: not a Tensor
      () => nllLoss([[0, 1]], [0]),
      TypeError,
      "input must be a Tensor",
    );
  });
});

Deno.test("nllLossBackward()", async (t) => {
  await t.step("x=[2,3] weighted mean: −w[t]·g / Σ w[t] at the targets", () => {
    const weight = f64([1, 2, 4], [3]);
    const g = nllLossBackward(f64([1], []), { input: logp(), target: [2, 0] }, { weight });
    assertTensorClose(g.input, f64([0, 0, -0.8, -0.2, 0, 0], [2, 3]));
  });

  await t.step("reduction none uses each element's gradient; ignored elements get 0", () => {
    const g = nllLossBackward(f64([3, 5], [2]), { input: logp(), target: [1, -100] }, {
      reduction: "none",
    });
    assertTensorClose(g.input, f64([0, -3, 0, 0, 0, 0], [2, 3]));
  });

  await t.step("every target ignored: zero gradient, as PyTorch", () => {
    const g = nllLossBackward(f64([1], []), { input: logp(), target: [-100, -100] });
    assertTensorClose(g.input, Tensor.zeros([2, 3], "float64"));
  });

  await t.step("zero total weight: NaN at the targets, as PyTorch", () => {
    const g = nllLossBackward(f64([1], []), { input: logp(), target: [2, 2] }, {
      weight: f64([1, 2, 0], [3]),
    });
    assert(Number.isNaN(g.input.data[2]) && Number.isNaN(g.input.data[5]));
    assertEquals(g.input.data[0], 0);
  });

  const input = Tensor.randn([2, 3, 4], { seed: 11, dtype: "float64" });
  const target = [0, 1, 2, -100, 2, 2, 1, 0];
  const weight = f64([0.5, 2, 3], [3]);
  const cases: [string, NLLLossOptions][] = [
    ["mean, weight", { weight }],
    ["sum", { reduction: "sum" }],
    ["none, weight", { weight, reduction: "none" }],
  ];
  for (const [name, options] of cases) {
    await t.step(`x=[2,3,4] finite differences, ${name}`, () => {
      const gradOutput = options.reduction === "none"
        ? Tensor.randn([2, 4], { seed: 5, dtype: "float64" })
        : f64([1.3], []);
      const numeric = numericalGradient((x) => nllLoss(x, target, options), input, gradOutput);
      const analytic = nllLossBackward(gradOutput, { input, target }, options).input;
      assertTensorClose(analytic, numeric, { rtol: 1e-6, atol: 1e-8 });
    });
  }

  await t.step("errors", () => {
    assertThrows(
      () =>
        nllLossBackward(f64([1], [1]), { input: logp(), target: [2, 0] }, { reduction: "none" }),
      TypeError,
      "Cannot compute nllLossBackward: gradOutput must have the loss shape [2]",
    );
  });
});

Deno.test("NLLLoss", async (t) => {
  await t.step("forward, then backward with the default gradient 1", () => {
    const criterion = new NLLLoss({ reduction: "sum", weight: f64([1, 2, 4], [3]) });
    assertTensorClose(criterion.forward(logp(), [2, 0]), f64([12.5], []));
    assertTensorClose(criterion.backward(), f64([0, 0, -4, -1, 0, 0], [2, 3]));
    assertTensorClose(criterion.backward(f64([0.5], [])), f64([0, 0, -2, -0.5, 0, 0], [2, 3]));
  });

  await t.step("errors", () => {
    assertThrows(() => new NLLLoss().backward(), Error, "NLLLoss.backward: call forward first");
    assertThrows(
      // @ts-expect-error: an invalid reduction
      () => new NLLLoss({ reduction: "batchmean" }),
      TypeError,
      'Cannot compute NLLLoss: reduction must be "mean", "sum" or "none", got "batchmean"',
    );
    const criterion = new NLLLoss({ reduction: "none" });
    criterion.forward(logp(), [2, 0]);
    assertThrows(() => criterion.backward(), TypeError, "gradOutput is required");
  });
});
