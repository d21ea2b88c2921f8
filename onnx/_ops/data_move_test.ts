import { assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import { OnnxFormatError } from "../format_error.ts";
import {
  assertValues,
  checkGradients,
  f32,
  i64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

const x = f32([0, 1, 2, 3, 4, 5], [2, 3], "x");

Deno.test("Transpose node", async (t) => {
  await t.step("default perm reverses the axes", () => {
    assertValues(runNode({ opType: "Transpose", inputs: [x] })[0], [0, 3, 1, 4, 2, 5], [3, 2]);
  });
  await t.step("perm [1, 2, 0] on [2, 1, 3]", () => {
    const [y] = runNode({
      opType: "Transpose",
      inputs: [f32([0, 1, 2, 3, 4, 5], [2, 1, 3], "x")],
      attributes: { perm: [1, 2, 0] },
    });
    assertValues(y, [0, 3, 1, 4, 2, 5], [1, 3, 2]);
  });
  await t.step("perm that is not a permutation is malformed", () => {
    const model = nodeModel({ opType: "Transpose", inputs: [x], attributes: { perm: [0, 0] } });
    assertThrows(() => new GraphExecutor(model), OnnxFormatError, "not a permutation");
  });
  await t.step("finite differences", () => {
    const model = nodeModel({
      opType: "Transpose",
      inputs: [rand([2, 3, 4], 61, "x")],
      attributes: { perm: [2, 0, 1] },
    });
    checkGradients(model, [rand([2, 3, 4], 61)]);
  });
});

Deno.test("Slice node", async (t) => {
  const slice = (starts: number[], ends: number[], axes?: number[], steps?: number[]) => {
    const initializers = [i64(starts, [starts.length], "s"), i64(ends, [ends.length], "e")];
    if (axes) initializers.push(i64(axes, [axes.length], "a"));
    if (steps) initializers.push(i64(steps, [steps.length], "t"));
    return runNode({ opType: "Slice", inputs: [x], initializers })[0];
  };
  await t.step("starts/ends per axis, ends clamped", () => {
    assertValues(slice([0, 1], [1, 1000]), [1, 2], [1, 2]);
  });
  await t.step("negative axes and steps: reverse the last axis", () => {
    assertValues(slice([-1], [-1000], [-1], [-1]), [2, 1, 0, 5, 4, 3], [2, 3]);
  });
  await t.step("step 2 from the end", () => {
    assertValues(slice([2], [0], [1], [-2]), [2, 5], [2, 1]);
  });
  await t.step("attribute form at opset 9", () => {
    const [y] = runNode({
      opType: "Slice",
      inputs: [x],
      opset: 9,
      attributes: { starts: [1], ends: [3], axes: [1] },
    });
    assertValues(y, [1, 2, 4, 5], [2, 2]);
  });
  await t.step("finite differences with a negative step", () => {
    const model = nodeModel({
      opType: "Slice",
      inputs: [rand([3, 5], 62, "x")],
      initializers: [
        i64([4, 0], [2], "s"),
        i64([0, 3], [2], "e"),
        i64([1, 0], [2], "a"),
        i64([-2, 2], [2], "t"),
      ],
    });
    checkGradients(model, [rand([3, 5], 62)]);
  });
});

Deno.test("Concat node", async (t) => {
  await t.step("axis 1 and axis −2", () => {
    const b = f32([6, 7], [2, 1], "b");
    assertValues(runNode({ opType: "Concat", inputs: [x, b], attributes: { axis: 1 } })[0], [
      0,
      1,
      2,
      6,
      3,
      4,
      5,
      7,
    ], [2, 4]);
    const c = f32([9, 9, 9], [1, 3], "c");
    assertValues(runNode({ opType: "Concat", inputs: [x, c], attributes: { axis: -2 } })[0], [
      0,
      1,
      2,
      3,
      4,
      5,
      9,
      9,
      9,
    ], [3, 3]);
  });
  await t.step("mismatched off-axis sizes are a TypeError", () => {
    const c = f32([1, 2], [1, 2], "c");
    const model = nodeModel({ opType: "Concat", inputs: [x, c], attributes: { axis: 0 } });
    assertThrows(() => new GraphExecutor(model).run([x, c]), TypeError, "differ off axis 0");
  });
  await t.step("int64 parts (shape building)", () => {
    const [y] = runNode({
      opType: "Concat",
      inputs: [i64([1], [1], "p"), i64([2, 3], [2], "q")],
      attributes: { axis: 0 },
    });
    if (y.dtype !== "int64") throw new Error(y.dtype);
    assertValues(y, [1, 2, 3]);
  });
  await t.step("finite differences", () => {
    const model = nodeModel({
      opType: "Concat",
      inputs: [rand([2, 2, 3], 63, "a"), rand([2, 1, 3], 64, "b")],
      attributes: { axis: 1 },
    });
    checkGradients(model, [rand([2, 2, 3], 63), rand([2, 1, 3], 64)]);
  });
});
