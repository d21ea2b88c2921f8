import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { assertValues, checkGradients, f32, nodeModel, rand, runNode } from "./_ops_test_util.ts";

Deno.test("MaxPool node", async (t) => {
  // Channel 0 [[1, 5, 2], [0, 3, 4]], channel 1 [[9, 8, 7], [6, 5, 10]].
  const x = f32([1, 5, 2, 0, 3, 4, 9, 8, 7, 6, 5, 10], [1, 2, 2, 3], "x");
  await t.step("Indices: (n·C + c)·plane + row-major offset", () => {
    const [y, indices] = runNode({
      opType: "MaxPool",
      inputs: [x],
      outputs: ["y", "i"],
      attributes: { kernel_shape: [2, 2] },
    });
    assertValues(y, [5, 5, 9, 10], [1, 2, 1, 2]);
    if (indices.dtype !== "int64") throw new Error(`indices dtype ${indices.dtype}`);
    assertValues(indices, [1, 1, 6, 11], [1, 2, 1, 2]);
  });
  await t.step("Indices with storage_order 1: column-major offsets h + w·H", () => {
    const [, indices] = runNode({
      opType: "MaxPool",
      inputs: [x],
      outputs: ["y", "i"],
      attributes: { kernel_shape: [2, 2], storage_order: 1 },
    });
    // (0, 1) → 0 + 1·2 = 2 in plane 0; (0, 0) → 6 + 0; (1, 2) → 6 + 1 + 2·2 = 11.
    assertValues(indices, [2, 2, 6, 11]);
  });
  await t.step("strides default to 1 (not the kernel, as in PyTorch)", () => {
    const [y] = runNode({
      opType: "MaxPool",
      inputs: [f32([1, 3, 2, 4], [1, 1, 4], "x")],
      attributes: { kernel_shape: [2] },
    });
    assertValues(y, [3, 3, 4], [1, 1, 3]);
  });
  await t.step("pads, strides 2, ceil_mode (opset 10+)", () => {
    const [y] = runNode({
      opType: "MaxPool",
      inputs: [f32([1, 2, 3, 4, 5], [1, 1, 5], "x")],
      attributes: { kernel_shape: [2], strides: [2], pads: [1, 0], ceil_mode: 1 },
    });
    // Windows [pad, 1], [2, 3], [4, 5].
    assertValues(y, [1, 3, 5]);
  });
  await t.step("ceil_mode at opset 8 is an unknown attribute", () => {
    const model = nodeModel({
      opType: "MaxPool",
      inputs: [f32([1, 2, 3, 4], [1, 1, 4], "x")],
      attributes: { kernel_shape: [2], ceil_mode: 1 },
      opset: 8,
    });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, "ceil_mode is not defined");
  });
  await t.step("pads not smaller than the kernel are unsupported", () => {
    const model = nodeModel({
      opType: "MaxPool",
      inputs: [f32([1, 2, 3, 4], [1, 1, 4], "x")],
      attributes: { kernel_shape: [2], pads: [2, 0] },
    });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, "smaller than the effective");
  });
  await t.step("gradient goes to the first maximum; finite differences", () => {
    const model = nodeModel({
      opType: "MaxPool",
      inputs: [f32([1, 5, 5, 1], [1, 1, 2, 2], "x")],
      attributes: { kernel_shape: [2, 2] },
    });
    const executor = new GraphExecutor(model);
    executor.run([f32([1, 5, 5, 1], [1, 1, 2, 2])]);
    const { inputs } = executor.backward([f32([1], [1, 1, 1, 1])]);
    assertValues(inputs[0], [0, 1, 0, 0]);
    const big = nodeModel({
      opType: "MaxPool",
      inputs: [rand([1, 2, 5, 6], 11, "x")],
      attributes: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 1, 1, 0] },
    });
    checkGradients(big, [rand([1, 2, 5, 6], 11)]);
  });
});

Deno.test("AveragePool node", async (t) => {
  const x = f32([1, 2, 3], [1, 1, 3], "x");
  await t.step("count_include_pad defaults to 0 (ONNX), 1 counts the pads", () => {
    const attributes = { kernel_shape: [2], pads: [1, 1] };
    assertValues(runNode({ opType: "AveragePool", inputs: [x], attributes })[0], [1, 1.5, 2.5, 3]);
    const included = runNode({
      opType: "AveragePool",
      inputs: [x],
      attributes: { ...attributes, count_include_pad: 1 },
    })[0];
    assertValues(included, [0.5, 1.5, 2.5, 1.5]);
  });
  await t.step("dilations (opset 19): taps 2 apart", () => {
    const [y] = runNode({
      opType: "AveragePool",
      inputs: [f32([1, 2, 3, 4], [1, 1, 4], "x")],
      attributes: { kernel_shape: [2], dilations: [2] },
      opset: 19,
    });
    assertValues(y, [2, 3]);
  });
  await t.step("dilations before opset 19 are unsupported", () => {
    const model = nodeModel({
      opType: "AveragePool",
      inputs: [x],
      attributes: { kernel_shape: [2], dilations: [2] },
      opset: 18,
    });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, "dilations is not defined");
  });
  await t.step("ceil_mode: the overhang is not a pad", () => {
    const [y] = runNode({
      opType: "AveragePool",
      inputs: [f32([1, 2, 3, 4, 5], [1, 1, 5], "x")],
      attributes: { kernel_shape: [2], strides: [2], ceil_mode: 1 },
    });
    assertValues(y, [1.5, 3.5, 5]);
  });
  await t.step("finite differences with pads and overlap", () => {
    const model = nodeModel({
      opType: "AveragePool",
      inputs: [rand([2, 1, 4, 5], 12, "x")],
      attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 2] },
    });
    checkGradients(model, [rand([2, 1, 4, 5], 12)]);
  });
});

Deno.test("GlobalAveragePool and GlobalMaxPool nodes", async (t) => {
  const x = f32([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2], "x");
  await t.step("plane means and maxima", () => {
    assertValues(runNode({ opType: "GlobalAveragePool", inputs: [x] })[0], [1.5, 5.5], [
      1,
      2,
      1,
      1,
    ]);
    assertValues(runNode({ opType: "GlobalMaxPool", inputs: [x] })[0], [3, 7], [1, 2, 1, 1]);
  });
  await t.step("finite differences", () => {
    for (const opType of ["GlobalAveragePool", "GlobalMaxPool"]) {
      const model = nodeModel({ opType, inputs: [rand([2, 3, 2, 3], 13, "x")] });
      checkGradients(model, [rand([2, 3, 2, 3], 13)]);
    }
  });
  await t.step("rank 2 input is a TypeError", () => {
    const model = nodeModel({ opType: "GlobalMaxPool", inputs: [f32([1, 2], [1, 2], "x")] });
    assertThrows(() => new GraphExecutor(model).run([f32([1, 2], [1, 2])]), TypeError, "[N, C");
  });
});
