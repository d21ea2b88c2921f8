import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { assertValues, checkGradients, f64, nodeModel, rand, runNode } from "./_ops_test_util.ts";

// x: channel 0 = [1, 3], channel 1 = [2, 4] ([N=1, C=2, 1, 2]).
const x = f64([1, 3, 2, 4], [1, 2, 1, 2], "x");
const params = [
  f64([2, 1], [2], "scale"),
  f64([0, 1], [2], "bias"),
  f64([2, 3], [2], "mean"),
  f64([0.75, 3.75], [2], "var"),
];
const eps = { type: "float" as const, value: 0.25 };

Deno.test("BatchNormalization node", async (t) => {
  await t.step("inference: (x − mean)·scale/√(var + ε) + B", () => {
    const [y] = runNode({
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      attributes: { epsilon: eps },
    });
    // channel 0: (x − 2)·2/1; channel 1: (x − 3)·1/2 + 1.
    assertValues(y, [-2, 2, 0.5, 1.5]);
  });
  await t.step("absolute mode bounds x − mean by |x| + |mean|", () => {
    const spec = {
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      attributes: { epsilon: eps },
    };
    assertValues(runNode(spec, { absolute: true })[0], [6, 10, 3.5, 4.5]);
  });
  await t.step("training_mode (opset 15): batch statistics and running outputs", () => {
    const outputs = runNode({
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      outputs: ["y", "rm", "rv"],
      attributes: { epsilon: eps, momentum: { type: "float", value: 0.5 }, training_mode: 1 },
      opset: 15,
    });
    // Batch mean [2, 3], biased variance [1, 1]: (x − μ)/√(1 + 0.25)·scale + B.
    const s = 1 / Math.sqrt(1.25);
    assertValues(outputs[0], [-2 * s, 2 * s, -s + 1, s + 1]);
    assertValues(outputs[1], [2, 3]); // 0.5·mean + 0.5·batch mean
    assertValues(outputs[2], [0.875, 2.375]); // 0.5·var + 0.5·1 (biased)
  });
  await t.step(
    "legacy training outputs (opset 9) and spatial = 0 (opset 7) are unsupported",
    () => {
      const legacy = nodeModel({
        opType: "BatchNormalization",
        inputs: [x],
        initializers: params,
        outputs: ["y", "m", "v"],
        opset: 9,
      });
      assertThrows(
        () => new GraphExecutor(legacy),
        UnsupportedOpError,
        "training outputs of BatchNormalization-9",
      );
      const spatial = nodeModel({
        opType: "BatchNormalization",
        inputs: [x],
        initializers: params,
        attributes: { spatial: 0 },
        opset: 7,
      });
      assertThrows(() => new GraphExecutor(spatial), UnsupportedOpError, "spatial = 0");
    },
  );
  await t.step("finite differences, inference: X, scale, B, mean and var", () => {
    const varPositive = rand([3], 93, "var");
    (varPositive.data as Float64Array).forEach((v, i, d) => (d[i] = v + 1.5));
    const model = nodeModel({
      opType: "BatchNormalization",
      inputs: [rand([2, 3, 2], 91, "x")],
      initializers: [
        rand([3], 92, "scale"),
        rand([3], 94, "bias"),
        rand([3], 95, "mean"),
        varPositive,
      ],
    });
    checkGradients(model, [rand([2, 3, 2], 91)]);
  });
  await t.step("finite differences, training: Y and the running outputs", () => {
    const varPositive = rand([3], 93, "var");
    (varPositive.data as Float64Array).forEach((v, i, d) => (d[i] = v + 1.5));
    const model = nodeModel({
      opType: "BatchNormalization",
      inputs: [rand([2, 3, 2], 96, "x")],
      initializers: [
        rand([3], 92, "scale"),
        rand([3], 94, "bias"),
        rand([3], 95, "mean"),
        varPositive,
      ],
      outputs: ["y", "rm", "rv"],
      attributes: { training_mode: 1 },
      opset: 15,
    });
    checkGradients(model, [rand([2, 3, 2], 96)], { tol: 1e-5 });
  });
});
