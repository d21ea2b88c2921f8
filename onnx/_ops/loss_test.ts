import { assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import {
  assertValues,
  checkGradients,
  f64,
  i64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

Deno.test("SoftmaxCrossEntropyLoss node", async (t) => {
  const scores = f64([0, 0, Math.log(3), 0], [2, 2], "s");
  const labels = i64([0, 1], [2], "l");
  const sce = (
    attributes: Record<string, string | number>,
    extra: ReturnType<typeof f64>[] = [],
    outputs = ["y"],
  ) =>
    runNode({
      opType: "SoftmaxCrossEntropyLoss",
      inputs: [scores, labels],
      initializers: extra,
      attributes,
      outputs,
    });
  await t.step("reduction none / sum / mean (default)", () => {
    assertValues(sce({ reduction: "none" })[0], [Math.LN2, Math.log(4)], [2]);
    assertValues(sce({ reduction: "sum" })[0], [Math.LN2 + Math.log(4)], []);
    assertValues(sce({})[0], [(Math.LN2 + Math.log(4)) / 2], []);
  });
  await t.step("log_prob output", () => {
    const [, logProb] = sce({}, [], ["y", "lp"]);
    assertValues(logProb, [-Math.LN2, -Math.LN2, Math.log(0.75), Math.log(0.25)], [2, 2]);
  });
  await t.step("weights: the mean divides by Σ w[label]", () => {
    const [y] = sce({}, [f64([1, 3], [2], "w")]);
    assertValues(y, [(Math.LN2 + 3 * Math.log(4)) / 4]);
  });
  await t.step("ignore_index drops an element; without it −100 is out of range", () => {
    const ignored = runNode({
      opType: "SoftmaxCrossEntropyLoss",
      inputs: [scores, i64([0, -100], [2], "l")],
      attributes: { ignore_index: -100 },
    });
    assertValues(ignored[0], [Math.LN2]);
    const model = nodeModel({
      opType: "SoftmaxCrossEntropyLoss",
      inputs: [scores, i64([0, -100], [2], "l")],
    });
    assertThrows(
      () => new GraphExecutor(model).run([scores, i64([0, -100], [2])]),
      RangeError,
      "target[1] = -100",
    );
  });
  await t.step("finite differences: scores, weights, log_prob output, [N, C, d] layout", () => {
    for (const reduction of ["mean", "sum", "none"]) {
      const model = nodeModel({
        opType: "SoftmaxCrossEntropyLoss",
        inputs: [rand([3, 4, 2], 111, "s"), i64([0, 3, 2, 1, 1, 2], [3, 2], "l")],
        initializers: [f64([0.5, 1, 2, 1.5], [4], "w")],
        outputs: ["y", "lp"],
        attributes: { reduction, ignore_index: 2 },
      });
      checkGradients(model, [rand([3, 4, 2], 111), i64([0, 3, 2, 1, 1, 2], [3, 2])]);
    }
  });
});

Deno.test("NegativeLogLikelihoodLoss node", async (t) => {
  const input = f64([-1, -2, -3, -0.5, -0.25, -4], [2, 3], "x");
  await t.step("mean of −x[n, t]", () => {
    const [y] = runNode({
      opType: "NegativeLogLikelihoodLoss",
      inputs: [input, i64([2, 0], [2], "t")],
    });
    assertValues(y, [1.75], []);
  });
  await t.step("labels of the wrong shape are a TypeError", () => {
    const model = nodeModel({
      opType: "NegativeLogLikelihoodLoss",
      inputs: [input, i64([2], [1], "t")],
    });
    assertThrows(
      () => new GraphExecutor(model).run([input, i64([2], [1])]),
      TypeError,
      "labels [1] must have shape [2]",
    );
  });
  await t.step("finite differences with weights, every reduction", () => {
    for (const reduction of ["mean", "sum", "none"]) {
      const model = nodeModel({
        opType: "NegativeLogLikelihoodLoss",
        inputs: [rand([4, 3], 112, "x"), i64([0, 2, 2, 1], [4], "t")],
        initializers: [f64([0.5, 2, 1.5], [3], "w")],
        attributes: { reduction },
      });
      checkGradients(model, [rand([4, 3], 112), i64([0, 2, 2, 1], [4])]);
    }
  });
});
