import { assertEquals, assertThrows } from "@std/assert";
import { GraphExecutor } from "../onnx/executor.ts";
import { decodeModel, encodeModel, type OnnxGraphInit } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { branchPinnedTruth } from "./branch_truth.ts";

const f32 = (v: number[], dims: number[], name?: string) =>
  new OnnxTensor(Float32Array.from(v), dims, { name });
const model = (graph: OnnxGraphInit, opset = 17) =>
  decodeModel(encodeModel({ opsetImports: { "": opset }, graph }));
const list = (t: OnnxTensor | undefined) => Array.from(t!.data as ArrayLike<number>);

// The resnet18 regime in three nodes: a convolution output (1 + 2⁻³⁰, stored in float32 as 1)
// plus a residual (−1) feeds a ReLU. Exactly, the pre-activation is 2⁻³⁰ > 0 and the gradient
// passes; every float32 evaluation stores the convolution output as 1 and blocks it.
const block = model({
  nodes: [
    { opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: { kernel_shape: [1, 1] } },
    { opType: "Add", inputs: ["c", "residual"], outputs: ["s"] },
    { name: "relu", opType: "Relu", inputs: ["s"], outputs: ["y"] },
  ],
  initializers: [f32([1, 1], [1, 2, 1, 1], "w"), f32([-1], [1], "residual")],
  inputs: [{ name: "x", dtype: "float32", shape: [1, 2, 1, 1] }],
  outputs: [{ name: "y", dtype: "float32" }],
});
const near = f32([1, 2 ** -30], [1, 2, 1, 1]);
const one = f32([1], [1, 1, 1, 1]);

Deno.test("branchPinnedTruth()", async (t) => {
  for (const impl of ["reference", "fast"] as const) {
    await t.step(
      `kink flip at a ReLU within float32 rounding of 0 (resnet18 layer3), ${impl}`,
      () => {
        // Plain float64 truth by hand: y = 2⁻³⁰, dx = w = [1, 1], dw = x = [1, 2⁻³⁰].
        const exact = new GraphExecutor(block, { impl: "reference", dtype: "float64" });
        assertEquals(list(exact.run([near])[0]), [2 ** -30]);
        const g64 = exact.backward([one]);
        assertEquals(list(g64.inputs[0]), [1, 1]);
        assertEquals(list(g64.initializers[0]), [1, 2 ** -30]);
        // Any float32 run: y = 0 and every gradient 0 — a 100% error against that truth.
        const truth = branchPinnedTruth(block, [near], [one], { impl });
        assertEquals(list(truth.outputs32[0]), [0]);
        assertEquals(list(truth.gradients32.inputs[0]), [0, 0]);
        assertEquals(truth.flips, [{
          node: "relu",
          opType: "Relu",
          index: 0,
          x32: 0,
          x64: 2 ** -30,
          scale: 2 ** -30,
        }]);
        // On the float32 run's branch the exact gradient is 0 too: the run is right.
        assertEquals(list(truth.gradients.inputs[0]), [0, 0]);
        assertEquals(list(truth.gradients.initializers[0]), [0, 0]);
        assertEquals(truth.gradients.initializers.length, 2, "only the graph's own initializers");
        assertEquals(list(truth.outputs[0]), [0]);
      },
    );
  }
  await t.step("far from the kink: no flips, the pinned truth is the plain truth", () => {
    const x = f32([1, 0.5], [1, 2, 1, 1]);
    const truth = branchPinnedTruth(block, [x], [one]);
    assertEquals(truth.flips, []);
    assertEquals(list(truth.outputs[0]), [0.5]);
    assertEquals(list(truth.gradients.inputs[0]), [1, 1]);
    assertEquals(list(truth.gradients.initializers[0]), [1, 0.5]);
  });
  await t.step("Clip with Constant bounds (ReLU6 as exported) and LeakyRelu", () => {
    const m = model({
      nodes: [
        { opType: "Constant", inputs: [], outputs: ["lo"], attributes: { value: f32([0], []) } },
        { opType: "Constant", inputs: [], outputs: ["hi"], attributes: { value: f32([6], []) } },
        { opType: "Clip", inputs: ["x", "lo", "hi"], outputs: ["c"] },
        {
          opType: "LeakyRelu",
          inputs: ["c"],
          outputs: ["y"],
          attributes: { alpha: { type: "float", value: 0.5 } },
        },
      ],
      inputs: [{ name: "x", dtype: "float32", shape: [4] }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    const x = f32([-1, 3, 6, 9], [4]);
    const truth = branchPinnedTruth(m, [x], [f32([1, 1, 1, 1], [4])]);
    assertEquals(truth.flips, []);
    assertEquals(list(truth.outputs[0]), [0, 3, 6, 6]);
    // Clip passes only inside (0, 6); LeakyRelu after it sees c = 0 at x = −1 (slope 0.5).
    assertEquals(list(truth.gradients.inputs[0]), [0, 1, 0, 0]);
    assertEquals(list(truth.gradients.inputs[0]), list(truth.gradients32.inputs[0]));
  });
  await t.step("a Clip bound that is not a constant is refused", () => {
    const m = model({
      nodes: [{ name: "clip", opType: "Clip", inputs: ["x", "lo"], outputs: ["y"] }],
      inputs: [{ name: "x", dtype: "float32", shape: [2] }, {
        name: "lo",
        dtype: "float32",
        shape: [],
      }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    assertThrows(
      () => branchPinnedTruth(m, [f32([1, 2], [2]), f32([0], [])], [f32([1, 1], [2])]),
      TypeError,
      'Cannot pin the branches of Clip node "clip": its min ("lo") is not a constant',
    );
  });
});
