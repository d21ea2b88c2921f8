import { assertEquals, assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import {
  assertValues,
  checkGradients,
  f64,
  nodeModel,
  rand,
  runNode,
  values,
} from "./_ops_test_util.ts";

const x = f64([-4, -3, -1.5, 0, 1.5, 3, 4], [7], "x");
const sixth = Math.fround(1 / 6);

Deno.test("HardSigmoid node", async (t) => {
  await t.step("ONNX defaults alpha 0.2, beta 0.5", () => {
    const [y] = runNode({ opType: "HardSigmoid", inputs: [x] });
    const a = Math.fround(0.2);
    assertValues(
      y,
      [0, 0, 0.5 - 1.5 * a, 0.5, 0.5 + 1.5 * a, 0.5 + 3 * a, 0.5 + 4 * a].map((v) =>
        Math.min(1, Math.max(0, v))
      ),
    );
  });
  await t.step("PyTorch's export: alpha float32(1/6), beta 0.5; gradient 0 at ±3", () => {
    const attributes = {
      alpha: { type: "float" as const, value: 1 / 6 },
      beta: { type: "float" as const, value: 0.5 },
    };
    const model = nodeModel({ opType: "HardSigmoid", inputs: [x], attributes });
    const executor = new GraphExecutor(model);
    const [y] = executor.run([x]);
    assertValues(y, [0, 0, 0.5 - 1.5 * sixth, 0.5, 0.5 + 1.5 * sixth, 1, 1]);
    const grads = executor.backward([f64([1, 1, 1, 1, 1, 1, 1], [7])]);
    assertValues(grads.inputs[0], [0, 0, sixth, sixth, sixth, 0, 0]);
  });
  await t.step("finite differences, alpha 0.3, beta 0.4", () => {
    const attributes = {
      alpha: { type: "float" as const, value: 0.3 },
      beta: { type: "float" as const, value: 0.4 },
    };
    const data = rand([2, 5], 3, "x");
    checkGradients(nodeModel({ opType: "HardSigmoid", inputs: [data], attributes }), [data]);
  });
  await t.step("opset 1 takes consumed_inputs; unknown attributes are refused", () => {
    const [y] = runNode({
      opType: "HardSigmoid",
      inputs: [x],
      opset: 1,
      attributes: { consumed_inputs: [0] },
    });
    assertEquals(values(y)[3], 0.5);
    const model = nodeModel({ opType: "HardSigmoid", inputs: [x], attributes: { gamma: 1 } });
    assertThrows(() => new GraphExecutor(model), Error, "attribute gamma is not defined");
  });
});

Deno.test("HardSwish node", async (t) => {
  await t.step("values and PyTorch's gradient (-1/2 at -3, 1 at 3)", () => {
    const executor = new GraphExecutor(nodeModel({ opType: "HardSwish", inputs: [x], opset: 14 }));
    const [y] = executor.run([x]);
    assertValues(y, [0, 0, -1.5 * 0.25, 0, 1.5 * 0.75, 3, 4]);
    const grads = executor.backward([f64([1, 1, 1, 1, 1, 1, 1], [7])]);
    assertValues(grads.inputs[0], [0, -0.5, 0, 0.5, 1, 1, 1]);
  });
  await t.step("finite differences", () => {
    const data = rand([3, 4], 8, "x");
    checkGradients(nodeModel({ opType: "HardSwish", inputs: [data], opset: 14 }), [data]);
  });
  await t.step("does not exist before opset 14", () => {
    assertThrows(
      () => new GraphExecutor(nodeModel({ opType: "HardSwish", inputs: [x], opset: 13 })),
      Error,
      "HardSwish does not exist before opset 14",
    );
  });
});
