// Opsets 1 to 6: the legacy attributes of the operators whose older versions the executor runs
// (ONNX's pytorch-converted backend tests are opset 6). Values by hand; gradients by finite
// differences.

import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { OnnxFormatError } from "../format_error.ts";
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

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

Deno.test("Add/Sub/Mul/Div before opset 7: broadcast and axis", async (t) => {
  const a = f64(range(12), [2, 3, 2], "a");
  await t.step("broadcast = 1, axis = 1: B [3] runs along A's axis 1", () => {
    const b = f64([100, 200, 300], [3], "b");
    const [y] = runNode({
      opType: "Add",
      inputs: [a, b],
      attributes: { broadcast: 1, axis: 1 },
      opset: 6,
    });
    const expected = range(12).map((v, i) => v + [100, 200, 300][Math.floor(i / 2) % 3]);
    assertValues(y, expected, [2, 3, 2]);
  });
  await t.step("broadcast = 1 without axis: suffix matching, B [3, 2]", () => {
    const b = f64(range(6, 10), [3, 2], "b");
    const [y] = runNode({ opType: "Sub", inputs: [a, b], attributes: { broadcast: 1 }, opset: 6 });
    assertValues(y, range(12).map((v, i) => v - (10 + (i % 6))));
  });
  await t.step("a one-element B of any rank is a scalar; opset 1 takes consumed_inputs", () => {
    const b = f64([3], [1, 1], "b");
    const [y] = runNode({
      opType: "Mul",
      inputs: [a, b],
      attributes: { broadcast: 1, consumed_inputs: [0] },
      opset: 1,
    });
    assertValues(y, range(12).map((v) => 3 * v), [2, 3, 2]);
  });
  await t.step("int64 operands broadcast the same way", () => {
    const [y] = runNode({
      opType: "Div",
      inputs: [i64([7, 9, -9, 8], [2, 2], "p"), i64([2, 3], [2], "q")],
      attributes: { broadcast: 1 },
      opset: 6,
    });
    assertValues(y, [3, 3, -4, 2]);
  });
  await t.step("without broadcast = 1 the shapes must be equal", () => {
    const model = nodeModel({ opType: "Add", inputs: [a, f64([1, 2], [2], "b")], opset: 6 });
    assertThrows(
      () => new GraphExecutor(model).run([a, f64([1, 2], [2])]),
      TypeError,
      "must have the same shape without broadcast = 1 (legacy broadcasting of Add-6)",
    );
  });
  await t.step("B must match A's shape from axis on", () => {
    const b = f64([1, 2], [2], "b");
    const model = nodeModel({
      opType: "Add",
      inputs: [a, b],
      attributes: { broadcast: 1, axis: 1 },
      opset: 6,
    });
    assertThrows(
      () => new GraphExecutor(model).run([a, b]),
      TypeError,
      "B's shape must equal A's (or be 1) from axis 1 on: A [2, 3, 2] and B [2] do not match",
    );
  });
  await t.step("a size-1 axis of B broadcasts numpy-style (ONNX's pytorch-operator data)", () => {
    // test_operator_add_size1_broadcast: A [2, 3] + B [2, 1], axis 0.
    const b = f64([10, 20, 30, 40], [2, 1, 2], "b");
    const model = nodeModel({
      opType: "Add",
      inputs: [a, b],
      attributes: { broadcast: 1 },
      opset: 6,
    });
    const [y] = new GraphExecutor(model).run([a, b]);
    // a = 0..11 as [2, 3, 2]; b[n, 0, k] is added to every a[n, c, k].
    assertValues(y, [10, 21, 12, 23, 14, 25, 36, 47, 38, 49, 40, 51]);
  });
  await t.step("B may not broadcast A, nor have a higher rank", () => {
    const wide = f64([1, 2, 3, 4], [4], "b");
    const model = nodeModel({
      opType: "Add",
      inputs: [a, wide],
      attributes: { broadcast: 1 },
      opset: 6,
    });
    assertThrows(() => new GraphExecutor(model).run([a, wide]), TypeError, "do not match");
    const deep = f64(range(12), [2, 3, 2, 1], "b");
    const higher = nodeModel({
      opType: "Add",
      inputs: [a, deep],
      attributes: { broadcast: 1 },
      opset: 6,
    });
    assertThrows(() => new GraphExecutor(higher).run([a, deep]), TypeError, "higher rank");
  });
  await t.step("finite differences: B's gradient sums over A's other axes", () => {
    for (const opType of ["Add", "Sub", "Mul", "Div"]) {
      const model = nodeModel({
        opType,
        inputs: [rand([2, 3, 2], 51, "a"), rand([3], 52, "b")],
        attributes: { broadcast: 1, axis: 1 },
        opset: 6,
      });
      const b = rand([3], 52);
      if (opType === "Div") (b.data as Float64Array).forEach((v, i, d) => (d[i] = v + 3));
      checkGradients(model, [rand([2, 3, 2], 51), b]);
    }
  });
});

Deno.test("Gemm before opset 7: broadcast", async (t) => {
  const a = f32([1, 2, 3, 4], [2, 2], "a"), b = f32([1, 0, 0, 1], [2, 2], "b");
  await t.step("broadcast = 1: C [2] added to every row", () => {
    const [y] = runNode({
      opType: "Gemm",
      inputs: [a, b],
      initializers: [f32([10, 20], [2], "c")],
      attributes: { broadcast: 1, transB: 1 },
      opset: 6,
    });
    assertValues(y, [11, 22, 13, 24], [2, 2]);
  });
  await t.step("without broadcast C must be [M, N]", () => {
    const model = nodeModel({
      opType: "Gemm",
      inputs: [a, b],
      initializers: [f32([10, 20], [2], "c")],
      opset: 6,
    });
    assertThrows(
      () => new GraphExecutor(model).run([a, b]),
      TypeError,
      "C [2] must be [2, 2] without broadcast = 1 (Gemm-6)",
    );
  });
});

Deno.test("BatchNormalization and Dropout before opset 7: is_test", async (t) => {
  const x = f64([1, 3, 2, 4], [1, 2, 1, 2], "x");
  const params = [
    f64([2, 1], [2], "scale"),
    f64([0, 1], [2], "bias"),
    f64([2, 3], [2], "mean"),
    f64([0.75, 3.75], [2], "var"),
  ];
  const bn = (attributes: Record<string, unknown>, opset: number) =>
    nodeModel({
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      attributes: { epsilon: { type: "float", value: 0.25 }, ...attributes } as never,
      opset,
    });
  await t.step("BatchNormalization-6 with is_test = 1 is inference", () => {
    // channel 0: (x − 2)·2/1; channel 1: (x − 3)·1/2 + 1.
    assertValues(new GraphExecutor(bn({ is_test: 1 }, 6)).run([x])[0], [-2, 2, 0.5, 1.5]);
  });
  await t.step("BatchNormalization-1 ignores consumed_inputs", () => {
    const model = bn({ is_test: 1, consumed_inputs: [0, 0, 0, 1, 1] }, 5);
    assertValues(new GraphExecutor(model).run([x])[0], [-2, 2, 0.5, 1.5]);
  });
  await t.step("is_test = 0, the default, is training: unsupported", () => {
    assertThrows(() => new GraphExecutor(bn({}, 6)), UnsupportedOpError, "is_test = 0");
  });
  await t.step("is_test is not an attribute from opset 7", () => {
    assertThrows(
      () => new GraphExecutor(bn({ is_test: 1 }, 7)),
      UnsupportedOpError,
      "attribute is_test is not defined for BatchNormalization at opset 7",
    );
  });
  const dropout = (attributes: Record<string, unknown>) =>
    nodeModel({
      opType: "Dropout",
      inputs: [x],
      outputs: ["y", "m"],
      attributes: attributes as never,
      opset: 6,
    });
  await t.step("Dropout-6 with is_test = 1 is the identity, float mask of ones", () => {
    const [y, mask] = new GraphExecutor(dropout({ is_test: 1 })).run([x]);
    assertValues(y, [1, 3, 2, 4]);
    if (mask.dtype !== "float64") throw new Error(mask.dtype);
    assertValues(mask, [1, 1, 1, 1]);
  });
  await t.step("Dropout-6 training: unsupported unless the ratio is 0", () => {
    assertThrows(() => new GraphExecutor(dropout({})), UnsupportedOpError, "with ratio 0.5");
    const zero = dropout({ ratio: { type: "float", value: 0 } });
    assertValues(new GraphExecutor(zero).run([x])[0], [1, 3, 2, 4]);
  });
});

Deno.test("Reshape, Pad, Concat, Cast and activations at opsets 1 to 6", async (t) => {
  const x = f64(range(6), [2, 3], "x");
  await t.step("Reshape-1: shape attribute with 0 (copy) and −1 (infer)", () => {
    const [y] = runNode({
      opType: "Reshape",
      inputs: [x],
      attributes: { shape: [0, -1, 1], consumed_inputs: [0] },
      opset: 4,
    });
    assertValues(y, range(6), [2, 3, 1]);
  });
  await t.step("Pad-1 `paddings` and Pad-2 `pads`: begins then ends", () => {
    for (const [opset, name] of [[1, "paddings"], [2, "pads"]] as const) {
      const [y] = runNode({
        opType: "Pad",
        inputs: [x],
        attributes: { [name]: [0, 1, 0, 0], value: { type: "float", value: 9 } },
        opset,
      });
      assertValues(y, [9, 0, 1, 2, 9, 3, 4, 5], [2, 4]);
    }
  });
  await t.step("Concat-1: axis defaults to 1", () => {
    const [y] = runNode({
      opType: "Concat",
      inputs: [x, f64([7, 8], [2, 1], "z")],
      opset: 3,
    });
    assertValues(y, [0, 1, 2, 7, 3, 4, 5, 8], [2, 4]);
  });
  await t.step('Cast-1: `to` is a STRING like "FLOAT"', () => {
    const [y] = runNode({ opType: "Cast", inputs: [x], attributes: { to: "FLOAT" }, opset: 5 });
    if (y.dtype !== "float32") throw new Error(y.dtype);
    assertValues(y, range(6));
    const bad = nodeModel({ opType: "Cast", inputs: [x], attributes: { to: "REAL" }, opset: 5 });
    assertThrows(() => new GraphExecutor(bad), OnnxFormatError, 'got "REAL"');
  });
  await t.step("Relu-1 ignores consumed_inputs; Relu-6 does not define it", () => {
    const relu = (opset: number) =>
      nodeModel({ opType: "Relu", inputs: [x], attributes: { consumed_inputs: [0] }, opset });
    assertValues(new GraphExecutor(relu(1)).run([x])[0], range(6));
    assertThrows(
      () => new GraphExecutor(relu(6)),
      UnsupportedOpError,
      "attribute consumed_inputs is not defined for Relu at opset 6",
    );
  });
  await t.step(
    "ConvTranspose-1: output_shape with an even total padding runs, odd is refused",
    () => {
      // x = [0, 1, 2], w = [1, 1], stride 2: the full output [0, 0, 1, 1, 2, 2] has 6 elements.
      const model = (out: number) =>
        nodeModel({
          opType: "ConvTranspose",
          inputs: [f64(range(3), [1, 1, 3], "x"), f64([1, 1], [1, 1, 2], "w")],
          attributes: { output_shape: [out], strides: [2] },
          opset: 6,
        });
      const x = f64(range(3), [1, 1, 3]), w = f64([1, 1], [1, 1, 2]);
      assertValues(new GraphExecutor(model(4)).run([x, w])[0], [0, 1, 1, 2], [1, 1, 4]);
      assertThrows(
        () => new GraphExecutor(model(5)).run([x, w]),
        UnsupportedOpError,
        "odd total padding (1) on axis 0",
      );
    },
  );
});
