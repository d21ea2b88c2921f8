import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { OnnxFormatError } from "../format_error.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import {
  assertValues,
  checkGradients,
  f32,
  f64,
  graphModel,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

Deno.test("Constant node", async (t) => {
  const constant = (attributes: Record<string, unknown>, opset = 13, options = {}) =>
    new GraphExecutor(
      graphModel({
        nodes: [{
          opType: "Constant",
          inputs: [],
          outputs: ["y"],
          attributes: attributes as never,
        }],
        inputs: [],
        outputs: [{ name: "y", dtype: "float32" }],
      }, opset),
      options,
    ).run([])[0];
  await t.step("value tensor, value_float(s), value_int(s)", () => {
    assertValues(constant({ value: f32([1, -2], [2]) }), [1, -2], [2]);
    assertValues(constant({ value_float: { type: "float", value: 0.5 } }), [0.5], []);
    assertValues(constant({ value_floats: { type: "floats", value: [1, 2] } }), [1, 2], [2]);
    const ints = constant({ value_ints: [3, 4] });
    if (ints.dtype !== "int64") throw new Error(ints.dtype);
    assertValues(ints, [3, 4]);
    assertValues(constant({ value_int: 7 }), [7], []);
  });
  await t.step("dtype option converts float constants, absolute takes |value|", () => {
    const y = constant({ value: f32([1, -2], [2]) }, 13, { dtype: "float64", absolute: true });
    if (y.dtype !== "float64") throw new Error(y.dtype);
    assertValues(y, [1, 2]);
  });
  await t.step("value_float before opset 12 is unsupported; two values are malformed", () => {
    assertThrows(
      () => constant({ value_float: { type: "float", value: 1 } }, 11),
      UnsupportedOpError,
      "value_float is not defined",
    );
    assertThrows(
      () => constant({ value_int: 1, value_ints: [1] }),
      OnnxFormatError,
      "exactly one value attribute",
    );
  });
  await t.step("float16 constant is unsupported", () => {
    const half = new OnnxTensor(new Float32Array([1]), [1], { dtype: "float16" });
    assertThrows(() => constant({ value: half }), UnsupportedOpError, "dtype float16");
  });
});

Deno.test("Shape and Cast nodes", async (t) => {
  const x = f32([1.5, -2.7, 3, 0], [1, 2, 2], "x");
  await t.step("Shape, with start/end (opset 15)", () => {
    assertValues(runNode({ opType: "Shape", inputs: [x] })[0], [1, 2, 2], [3]);
    assertValues(runNode({ opType: "Shape", inputs: [x], attributes: { start: 1, end: -1 } })[0], [
      2,
    ], [1]);
  });
  await t.step("Cast float → int64 truncates, → bool is x ≠ 0, int64 → double", () => {
    const ints = runNode({ opType: "Cast", inputs: [x], attributes: { to: 7 } })[0];
    if (ints.dtype !== "int64") throw new Error(ints.dtype);
    assertValues(ints, [1, -2, 3, 0]);
    assertValues(runNode({ opType: "Cast", inputs: [x], attributes: { to: 9 } })[0], [1, 1, 1, 0]);
  });
  await t.step("Cast to float16 is unsupported", () => {
    const model = nodeModel({ opType: "Cast", inputs: [x], attributes: { to: 10 } });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, "cast to float16");
  });
  await t.step("Cast float64 → float32 rounds; its gradient flows back in float64", () => {
    const y = runNode({ opType: "Cast", inputs: [f64([0.1], [1], "x")], attributes: { to: 1 } })[0];
    if (y.dtype !== "float32" || y.data[0] !== Math.fround(0.1)) throw new Error("rounding");
    const executor = new GraphExecutor(
      nodeModel({ opType: "Cast", inputs: [f64([0.1], [1], "x")], attributes: { to: 1 } }),
    );
    executor.run([f64([0.1], [1])]);
    const g = executor.backward([f32([2], [1])]).inputs[0]!;
    if (g.dtype !== "float64" || g.data[0] !== 2) throw new Error("gradient");
  });
  await t.step("finite differences through a float Cast", () => {
    checkGradients(
      nodeModel({ opType: "Cast", inputs: [rand([3], 71, "x")], attributes: { to: 11 } }),
      [rand([3], 71)],
    );
  });
});
