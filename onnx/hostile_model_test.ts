// Regression cases of issue 12 for models: hostile attribute values and inputs whose shape
// differs from the declared one, built in memory as single-node models and run on both
// implementations; values are exact hand arithmetic on all-ones data.

import { assertEquals, assertThrows } from "@std/assert";
import { GraphExecutor } from "./executor.ts";
import { decodeModel } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { singleNodeModel, type ValueSpec } from "./single_node.ts";
import type { AttributeInput } from "./model.ts";

const IMPLS = ["reference", "fast"] as const;

function ones(dims: number[]): OnnxTensor {
  return new OnnxTensor(new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(1), dims);
}

function model(
  opType: string,
  attributes: Record<string, AttributeInput>,
  inputs: ValueSpec[],
  initializers: OnnxTensor[] = [],
  nodeInputs?: string[],
) {
  return decodeModel(singleNodeModel({
    opType,
    attributes,
    inputs,
    initializers,
    nodeInputs,
    outputs: [{ name: "y", dtype: "float32" }],
    opset: 13,
  }));
}

Deno.test("hostile ONNX models", async (t) => {
  const weight = new OnnxTensor(new Float32Array(9).fill(1), [1, 1, 3, 3], { name: "w" });
  const x = [{ name: "x", dtype: "float32" as const, dims: [1, 1, 8, 8] }];

  await t.step("Conv strides [4, 2^32]: RangeError naming the node and attribute", () => {
    const m = model("Conv", { strides: [4, 2 ** 32], kernel_shape: [3, 3] }, x, [weight]);
    for (const impl of IMPLS) {
      // Before: "RuntimeError: divide by zero" on the fast path.
      assertThrows(
        () => new GraphExecutor(m, { impl }),
        RangeError,
        "Cannot run ONNX node #0 (Conv): attribute strides must hold values of at most " +
          "2147483647 (MAX_EXTENT), got [4, 4294967296]",
      );
    }
  });

  await t.step("MaxPool dilations [2^40], pads [2^31]: RangeError naming them", () => {
    const x1 = [{ name: "x", dtype: "float32" as const, dims: [1, 1, 9] }];
    const dilated = model("MaxPool", { kernel_shape: [2], dilations: [2 ** 40] }, x1);
    const padded = model("MaxPool", { kernel_shape: [2], pads: [2 ** 31, 0] }, x1);
    for (const impl of IMPLS) {
      assertThrows(() => new GraphExecutor(dilated, { impl }), RangeError, "attribute dilations");
      assertThrows(() => new GraphExecutor(padded, { impl }), RangeError, "attribute pads");
    }
  });

  await t.step("ConvTranspose output_shape [2^31, 4]: RangeError naming the attribute", () => {
    const m = model("ConvTranspose", { output_shape: [2 ** 31, 4], kernel_shape: [3, 3] }, x, [
      weight,
    ]);
    for (const impl of IMPLS) {
      assertThrows(
        () => new GraphExecutor(m, { impl }),
        RangeError,
        "(ConvTranspose): attribute output_shape must hold values of at most 2147483647",
      );
    }
  });

  await t.step("AveragePool kernel_shape [2^30] SAME_UPPER: three windows at once", () => {
    // Drove the reference loops over 2^30 empty taps per window (a 10 s timeout in fuzzing).
    const m = model(
      "AveragePool",
      { kernel_shape: [2 ** 30], strides: [2], auto_pad: "SAME_UPPER" },
      [{ name: "x", dtype: "float32", dims: [1, 1, 5] }],
    );
    for (const impl of IMPLS) {
      const started = performance.now();
      const [y] = new GraphExecutor(m, { impl }).run([
        new OnnxTensor(new Float32Array([1, 2, 3, 4, 5]), [1, 1, 5]),
      ]);
      assertEquals(Array.from(y.data as Float32Array), [3, 3, 3]); // count_include_pad = 0
      const ms = performance.now() - started;
      if (ms > 2000) throw new Error(`${impl}: ${ms.toFixed(0)} ms`);
    }
  });

  await t.step("ConvTranspose on an input shaped unlike its declaration", () => {
    // Declared [N, C, H, W] symbolically, run at [1, 1, 4, 5]: the actual shape is followed on
    // both paths. All-ones 2×2 kernel, no padding: every input gradient is Σ w = 4.
    const w = new OnnxTensor(new Float32Array(4).fill(1), [1, 1, 2, 2], { name: "w" });
    const m = model(
      "ConvTranspose",
      { kernel_shape: [2, 2], strides: [2, 1] },
      [{ name: "x", dtype: "float32", dims: ["N", "C", "H", "W"] }],
      [w],
    );
    for (const impl of IMPLS) {
      const executor = new GraphExecutor(m, { impl });
      const [y] = executor.run([ones([1, 1, 4, 5])]);
      assertEquals(y.dims, [1, 1, 8, 6]);
      const grads = executor.backward([ones([1, 1, 8, 6])]);
      assertEquals(Array.from(grads.inputs[0]!.data as Float32Array), new Array(20).fill(4));
      // dW[kh, kw] = Σ x over the windows = 20 inputs each.
      assertEquals(Array.from(grads.initializers[0]!.data as Float32Array), [20, 20, 20, 20]);
    }
  });

  await t.step("Clip with min omitted: backward gives max its gradient, min none", () => {
    // Backward read the omitted min ("") as a tensor: "Cannot read properties of undefined".
    const m = model(
      "Clip",
      {},
      [{ name: "x", dtype: "float32", dims: [4] }, { name: "max", dtype: "float32", dims: [] }],
      [],
      ["x", "", "max"],
    );
    for (const impl of IMPLS) {
      const executor = new GraphExecutor(m, { impl });
      const [y] = executor.run([
        new OnnxTensor(new Float32Array([-1, 0.5, 2, 3]), [4]),
        new OnnxTensor(new Float32Array([1]), []),
      ]);
      assertEquals(Array.from(y.data as Float32Array), [-1, 0.5, 1, 1]);
      const grads = executor.backward([ones([4])]);
      assertEquals(Array.from(grads.inputs[0]!.data as Float32Array), [1, 1, 0, 0]);
      assertEquals(Array.from(grads.inputs[1]!.data as Float32Array), [2]); // two clipped
    }
  });
});
