import {
  assertValues,
  checkGradients,
  f32,
  f64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

Deno.test("activation nodes", async (t) => {
  const x = f64([-1, 0, 2], [3], "x");
  await t.step("Relu, LeakyRelu alpha 0.5 and default (float32 0.01)", () => {
    assertValues(runNode({ opType: "Relu", inputs: [x] })[0], [0, 0, 2]);
    const leaky = runNode({
      opType: "LeakyRelu",
      inputs: [x],
      attributes: { alpha: { type: "float", value: 0.5 } },
    });
    assertValues(leaky[0], [-0.5, 0, 2]);
    assertValues(runNode({ opType: "LeakyRelu", inputs: [x] })[0], [-Math.fround(0.01), 0, 2]);
  });
  await t.step("Sigmoid(ln 3) = 3/4, Tanh(ln 3) = 8/10", () => {
    const ln3 = f64([0, Math.log(3)], [2], "x");
    assertValues(runNode({ opType: "Sigmoid", inputs: [ln3] })[0], [0.5, 0.75]);
    assertValues(runNode({ opType: "Tanh", inputs: [ln3] })[0], [0, 0.8]);
  });
  await t.step("float32 in, float32 out", () => {
    const [y] = runNode({ opType: "Sigmoid", inputs: [f32([0], [1], "x")] });
    if (y.dtype !== "float32") throw new Error(y.dtype);
  });
  await t.step("finite differences", () => {
    for (const opType of ["Relu", "LeakyRelu", "Sigmoid", "Tanh"]) {
      checkGradients(nodeModel({ opType, inputs: [rand([2, 5], 21, "x")] }), [rand([2, 5], 21)]);
    }
  });
});
