import { assert, assertEquals } from "@std/assert";
import type { DataSet, Float32Error } from "../onnx/case.ts";
import { decodeModel, encodeModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { canPinBranches, recheckOnPinnedBranches } from "./kink_pinned.ts";
import { float32ErrorOf } from "./truth.ts";

const f32 = (v: number[], dims: number[], name?: string) =>
  new OnnxTensor(Float32Array.from(v), dims, { name });
const f64 = (v: number[], dims: number[]) => new OnnxTensor(Float64Array.from(v), dims);

// y = Relu(Conv1x1(x, w) + residual), two output channels. Channel 0 sums w00·x0 + w01·x1 and
// cancels it with the residual; channel 1 is x0·w10 + r1, of scale 1.
function block(w: number[], residual: number[]) {
  return decodeModel(encodeModel({
    opsetImports: { "": 17 },
    graph: {
      nodes: [
        {
          opType: "Conv",
          inputs: ["x", "w"],
          outputs: ["c"],
          attributes: { kernel_shape: [1, 1] },
        },
        { opType: "Add", inputs: ["c", "residual"], outputs: ["s"] },
        { name: "relu", opType: "Relu", inputs: ["s"], outputs: ["y"] },
      ],
      initializers: [f32(w, [2, 2, 1, 1], "w"), f32(residual, [1, 2, 1, 1], "residual")],
      inputs: [{ name: "x", dtype: "float32", shape: [1, 2, 1, 1] }],
      outputs: [{ name: "y", dtype: "float32" }],
    },
  }));
}

/**
 * A data set whose "PyTorch" float32 result is the exact one (every value is representable: a
 * float32 run summing `x0·w00 + r0` first, then `x1`, takes no rounding) and whose truth is
 * given by hand.
 */
function dataSet(x: number[], truth: { y: number[]; dx: number[]; dw: number[]; dr: number[] }) {
  const t = {
    outputs: [f64(truth.y, [1, 2, 1, 1])],
    gradInputs: [f64(truth.dx, [1, 2, 1, 1])],
    gradInitializers: [f64(truth.dw, [2, 2, 1, 1]), f64(truth.dr, [1, 2, 1, 1])],
  };
  const p = (v: OnnxTensor) => f32(Array.from(v.data as Float64Array), [...v.dims]);
  const stems: [string, OnnxTensor][] = [
    ["output_0", t.outputs[0]],
    ["grad_input_0", t.gradInputs[0]],
    ["grad_initializer_0", t.gradInitializers[0]],
    ["grad_initializer_1", t.gradInitializers[1]],
  ];
  const float32Error: Record<string, Float32Error> = {};
  for (const [stem, v] of stems) {
    float32Error[stem] = float32ErrorOf(p(v).data as Float32Array, v.data as Float64Array);
  }
  const set: DataSet = {
    inputs: [f32(x, [1, 2, 1, 1], "x")],
    outputs: [p(t.outputs[0])],
    gradOutputs: [f32([1, 1], [1, 2, 1, 1])],
    gradInputs: [p(t.gradInputs[0])],
    gradInitializers: t.gradInitializers.map(p),
    truth: { ...t, float32Error },
  };
  return set;
}

Deno.test("recheckOnPinnedBranches()", async (t) => {
  // Exactly, s = [2⁻³⁰, 1]: both ReLUs pass. Any float32 Conv stores 1 + 2⁻³⁰ as 1, so s₀ = 0
  // and channel 0's gradient is blocked: a flip within float32 rounding of the kink.
  const near = block([1, 1, 1, 0], [-1, 0]);
  const exact = {
    y: [2 ** -30, 1],
    dx: [2, 1],
    dw: [1, 2 ** -30, 1, 2 ** -30],
    dr: [1, 1],
  };
  assert(canPinBranches(near, dataSet([1, 2 ** -30], exact)));
  for (const impl of ["reference", "fast"] as const) {
    await t.step(`a flip within float32 noise passes on its own branches (${impl})`, () => {
      const r = recheckOnPinnedBranches(near, dataSet([1, 2 ** -30], exact), impl);
      assertEquals(r.flips.map((f) => [f.node, f.index, f.x32, f.x64, f.scale]), [
        ["relu", 0, 0, 2 ** -30, 1],
      ]);
      assert(r.ok, r.reason);
      assertEquals(r.tensors.length, 4);
      // On the run's branch: dx = w's row 1, dw's row 0 is zero.
      assert(r.tensors.every((c) => c.accuracy === 0), JSON.stringify(r.tensors));
    });
  }
  await t.step("a wrong golden (or a wrong operator) fails the float64 reference check", () => {
    const r = recheckOnPinnedBranches(
      near,
      dataSet([1, 2 ** -30], { ...exact, dx: [2, 2] }),
      "fast",
    );
    assert(!r.ok);
    assert(r.reason.includes("grad_input_0") && r.reason.includes("not a kink flip"), r.reason);
  });
  await t.step("a flip far from float32 noise fails", () => {
    // 2²⁴ + 0.75 rounds to 2²⁴ in float32; exactly s₀ = 0.75, on a scale of 0.75.
    const far = block([1, 1, 0, 0], [-(2 ** 24), 0]);
    const r = recheckOnPinnedBranches(
      far,
      dataSet([2 ** 24, 0.75], { y: [0.75, 0], dx: [1, 1], dw: [2 ** 24, 0.75, 0, 0], dr: [1, 0] }),
      "fast",
    );
    assert(!r.ok);
    assertEquals(r.flips.map((f) => [f.index, f.x32, f.x64]), [[0, 0, 0.75]]);
    assert(r.reason.includes("farther than float32 noise"), r.reason);
  });
});
