import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import { assertValues, checkGradients, f32, nodeModel, rand, runNode } from "./_ops_test_util.ts";

Deno.test("Dropout node", async (t) => {
  const x = f32([1, -2, 3], [3], "x");
  await t.step("inference is the identity; mask all true (bool, opset 13)", () => {
    const [y, mask] = runNode({ opType: "Dropout", inputs: [x], outputs: ["y", "m"] });
    assertValues(y, [1, -2, 3]);
    if (mask.dtype !== "bool") throw new Error(mask.dtype);
    assertValues(mask, [1, 1, 1]);
  });
  await t.step("opset 7: ratio attribute, float mask of ones", () => {
    const [, mask] = runNode({
      opType: "Dropout",
      inputs: [x],
      outputs: ["y", "m"],
      opset: 7,
      attributes: { ratio: { type: "float", value: 0.3 } },
    });
    if (mask.dtype !== "float32") throw new Error(mask.dtype);
    assertValues(mask, [1, 1, 1]);
  });
  const training = (ratio: number) =>
    nodeModel({
      opType: "Dropout",
      inputs: [x],
      initializers: [
        f32([ratio], [], "r"),
        new OnnxTensor(new Uint8Array([1]), [], { dtype: "bool", name: "t" }),
      ],
    });
  await t.step("training_mode true with ratio 0.5 is unsupported (random mask)", () => {
    assertThrows(
      () => new GraphExecutor(training(0.5)).run([x]),
      UnsupportedOpError,
      "training_mode = true",
    );
  });
  await t.step("training_mode true with ratio 0 is the identity", () => {
    assertValues(new GraphExecutor(training(0)).run([x])[0], [1, -2, 3]);
  });
  await t.step("finite differences", () => {
    checkGradients(nodeModel({ opType: "Dropout", inputs: [rand([4], 101, "x")] }), [
      rand([4], 101),
    ]);
  });
});
