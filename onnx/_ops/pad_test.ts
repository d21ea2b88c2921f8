import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import {
  assertValues,
  checkGradients,
  f32,
  f64,
  i64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

Deno.test("Pad node", async (t) => {
  const x = f32([1, 2, 3], [1, 3], "x");
  const padInput = (pads: number[], mode = "constant", extra: OnnxTensor[] = [], opset = 13) =>
    runNode({
      opType: "Pad",
      inputs: [x],
      initializers: [i64(pads, [pads.length], "pads"), ...extra],
      attributes: { mode },
      opset,
    })[0];
  await t.step("attribute form (opset 10): pads and value attributes", () => {
    const [y] = runNode({
      opType: "Pad",
      inputs: [x],
      opset: 10,
      attributes: { pads: [0, 1, 0, 2], value: { type: "float", value: 9 } },
    });
    assertValues(y, [9, 1, 2, 3, 9, 9], [1, 6]);
  });
  await t.step("input form (opset 11+): pads and constant_value inputs", () => {
    assertValues(padInput([0, 1, 0, 2], "constant", [f32([9], [], "v")]), [9, 1, 2, 3, 9, 9]);
    assertValues(padInput([0, 1, 0, 2]), [0, 1, 2, 3, 0, 0]);
  });
  await t.step("axes input (opset 18) pads only the listed axes", () => {
    const [y] = runNode({
      opType: "Pad",
      inputs: [x],
      initializers: [i64([1, 0], [2], "pads"), f32([5], [], "v"), i64([-1], [1], "axes")],
      opset: 18,
    });
    assertValues(y, [5, 1, 2, 3], [1, 4]);
  });
  await t.step("edge and reflect; negative pads crop", () => {
    assertValues(padInput([0, 2, 0, 1], "edge"), [1, 1, 1, 2, 3, 3]);
    assertValues(padInput([0, 2, 0, 1], "reflect"), [3, 2, 1, 2, 3, 2]);
    assertValues(padInput([0, -1, 0, 1]), [2, 3, 0]);
  });
  await t.step("reflect pads beyond the axis reflect again (numpy)", () => {
    assertValues(padInput([0, 4, 0, 0], "reflect"), [1, 2, 3, 2, 1, 2, 3]);
    // ONNX's Pad documentation example: [3, 2] padded [0, 2, 0, 0] in reflect mode.
    const data = f32([1.0, 1.2, 2.3, 3.4, 4.5, 5.7], [3, 2], "x");
    const [y] = runNode({
      opType: "Pad",
      inputs: [data],
      initializers: [i64([0, 2, 0, 0], [4], "pads")],
      attributes: { mode: "reflect" },
    });
    assertValues(y, [1.0, 1.2, 1.0, 1.2, 2.3, 3.4, 2.3, 3.4, 4.5, 5.7, 4.5, 5.7].map(Math.fround), [
      3,
      4,
    ]);
  });
  await t.step("int32 data pads exactly", () => {
    const ints = new OnnxTensor(new Int32Array([7, 8]), [2], { name: "x" });
    const [y] = runNode({
      opType: "Pad",
      inputs: [ints],
      initializers: [i64([1, 1], [2], "pads")],
      attributes: { mode: "edge" },
    });
    if (y.dtype !== "int32") throw new Error(y.dtype);
    assertValues(y, [7, 7, 8, 8]);
  });
  await t.step("wrap mode is unsupported", () => {
    const model = nodeModel({
      opType: "Pad",
      inputs: [x],
      initializers: [i64([0, 0, 0, 0], [4], "pads")],
      attributes: { mode: "wrap" },
      opset: 19,
    });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, `mode "wrap"`);
  });
  await t.step("finite differences: reflect beyond the axis, edge, constant_value", () => {
    for (
      const [mode, pads] of [["reflect", [1, 5, 0, 2]], ["edge", [2, 1, 1, 0]], ["reflect", [
        0,
        -1,
        1,
        1,
      ]]] as const
    ) {
      const model = nodeModel({
        opType: "Pad",
        inputs: [rand([2, 3], 81, "x")],
        initializers: [i64([...pads], [4], "pads")],
        attributes: { mode },
      });
      checkGradients(model, [rand([2, 3], 81)]);
    }
    const constant = nodeModel({
      opType: "Pad",
      inputs: [rand([2, 3], 82, "x")],
      initializers: [i64([1, 0, 0, 2], [4], "pads"), f64([0.5], [1], "v")],
    });
    checkGradients(constant, [rand([2, 3], 82)]);
  });
});
