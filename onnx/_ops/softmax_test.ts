import { assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import { assertValues, checkGradients, f64, nodeModel, rand, runNode } from "./_ops_test_util.ts";

Deno.test("Softmax and LogSoftmax nodes", async (t) => {
  // x[0, 0, :] = [0, 0], x[0, 1, :] = [ln 3, 0].
  const x = f64([0, 0, Math.log(3), 0], [1, 2, 2], "x");
  const run = (opType: string, opset: number, axis?: number) =>
    runNode({ opType, inputs: [x], opset, attributes: axis === undefined ? {} : { axis } })[0];
  await t.step("opset 13 axis 1: along one axis", () => {
    assertValues(run("Softmax", 13, 1), [0.25, 0.5, 0.75, 0.5]);
  });
  await t.step("opset 11 axis 1: over the flattened trailing block [1, 4]", () => {
    assertValues(run("Softmax", 11, 1), [1 / 6, 1 / 6, 1 / 2, 1 / 6]);
  });
  await t.step("default axis: −1 at opset 13, 1 at opset 11", () => {
    assertValues(run("Softmax", 13), [0.5, 0.5, 0.75, 0.25]);
    assertValues(run("Softmax", 11), [1 / 6, 1 / 6, 1 / 2, 1 / 6]);
  });
  await t.step("opset 11 axis 2 equals opset 13 axis 2 (the last axis)", () => {
    assertValues(run("Softmax", 11, 2), [0.5, 0.5, 0.75, 0.25]);
  });
  await t.step("LogSoftmax is the log of Softmax in both regimes", () => {
    assertValues(run("LogSoftmax", 13, 1), [0.25, 0.5, 0.75, 0.5].map(Math.log));
    assertValues(run("LogSoftmax", 11, 1), [1 / 6, 1 / 6, 1 / 2, 1 / 6].map(Math.log));
  });
  await t.step("absolute mode: the backward adds, y·(g + Σ g·y)", () => {
    const v = f64([0, Math.log(3)], [2], "x");
    const backward = (absolute: boolean) => {
      const executor = new GraphExecutor(nodeModel({ opType: "Softmax", inputs: [v] }), {
        absolute,
      });
      executor.run([v]);
      return executor.backward([f64([1, 1], [2])]).inputs[0];
    };
    assertValues(backward(false), [0, 0]);
    assertValues(backward(true), [0.5, 1.5]);
  });
  await t.step("axis out of range is a RangeError", () => {
    const model = nodeModel({ opType: "Softmax", inputs: [x], attributes: { axis: 3 } });
    assertThrows(() => new GraphExecutor(model).run([x]), RangeError, "axis 3 is out of range");
  });
  await t.step("finite differences at opsets 11 and 13", () => {
    for (const opType of ["Softmax", "LogSoftmax"]) {
      for (const opset of [11, 13]) {
        const model = nodeModel({
          opType,
          inputs: [rand([2, 3, 4], 22, "x")],
          opset,
          attributes: { axis: 1 },
        });
        checkGradients(model, [rand([2, 3, 4], 22)]);
      }
    }
  });
});
