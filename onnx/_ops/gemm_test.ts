import { assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import { assertValues, checkGradients, f32, nodeModel, rand, runNode } from "./_ops_test_util.ts";

Deno.test("Gemm node", async (t) => {
  // A' = [[1, 2], [3, 4]] stored transposed; B' = [[1, 0], [1, 1]] stored transposed.
  const a = f32([1, 3, 2, 4], [2, 2], "a"), b = f32([1, 1, 0, 1], [2, 2], "b");
  await t.step("transA, transB, alpha 2, beta 0.5, C [2] broadcast over rows", () => {
    const [y] = runNode({
      opType: "Gemm",
      inputs: [a, b],
      initializers: [f32([10, 20], [2], "c")],
      attributes: {
        transA: 1,
        transB: 1,
        alpha: { type: "float", value: 2 },
        beta: { type: "float", value: 0.5 },
      },
    });
    // 2·[[3, 2], [7, 4]] + 0.5·[10, 20].
    assertValues(y, [11, 14, 19, 18], [2, 2]);
  });
  await t.step("no C (opset 11+), C [2, 1] broadcast over columns", () => {
    // A·B = [[1, 3], [2, 4]]·[[1, 1], [0, 1]].
    assertValues(runNode({ opType: "Gemm", inputs: [a, b] })[0], [1, 4, 2, 6]);
    const [y] = runNode({
      opType: "Gemm",
      inputs: [a, b],
      initializers: [f32([1, 2], [2, 1], "c")],
    });
    assertValues(y, [2, 5, 4, 8]);
  });
  await t.step("C that would grow the output is a TypeError", () => {
    const model = nodeModel({
      opType: "Gemm",
      inputs: [a, b],
      initializers: [f32([1, 2, 3], [3], "c")],
    });
    assertThrows(() => new GraphExecutor(model).run([a, b]), TypeError, "do not broadcast");
  });
  await t.step("finite differences for every transA/transB with C [1, N]", () => {
    for (const transA of [0, 1]) {
      for (const transB of [0, 1]) {
        const sa = transA ? [3, 2] : [2, 3], sb = transB ? [4, 3] : [3, 4];
        const model = nodeModel({
          opType: "Gemm",
          inputs: [rand(sa, 31, "a")],
          initializers: [rand(sb, 32, "b"), rand([1, 4], 33, "c")],
          attributes: {
            transA,
            transB,
            alpha: { type: "float", value: 1.5 },
            beta: { type: "float", value: -2 },
          },
        });
        checkGradients(model, [rand(sa, 31)]);
      }
    }
  });
});

Deno.test("MatMul node", async (t) => {
  const m = f32([1, 2, 3, 4], [2, 2], "m");
  await t.step("1-D · 2-D and 2-D · 1-D drop the promoted axis", () => {
    assertValues(runNode({ opType: "MatMul", inputs: [f32([1, 2], [2], "v"), m] })[0], [7, 10], [
      2,
    ]);
    assertValues(runNode({ opType: "MatMul", inputs: [m, f32([1, 2], [2], "v")] })[0], [5, 11], [
      2,
    ]);
  });
  await t.step("batch [2] against a shared matrix", () => {
    const [y] = runNode({
      opType: "MatMul",
      inputs: [f32([1, 2, 3, 4], [2, 1, 2], "a"), f32([1, 1], [2, 1], "b")],
    });
    assertValues(y, [3, 7], [2, 1, 1]);
  });
  await t.step("mismatched inner sizes are a TypeError", () => {
    const model = nodeModel({ opType: "MatMul", inputs: [m, f32([1, 2, 3], [3], "v")] });
    assertThrows(
      () => new GraphExecutor(model).run([m, f32([1, 2, 3], [3])]),
      TypeError,
      "inner dimensions",
    );
  });
  await t.step("finite differences: batch broadcasting [2,1,3,4]·[3,4,2] and 1-D", () => {
    const model = nodeModel({
      opType: "MatMul",
      inputs: [rand([2, 1, 3, 4], 34, "a"), rand([3, 4, 2], 35, "b")],
    });
    checkGradients(model, [rand([2, 1, 3, 4], 34), rand([3, 4, 2], 35)]);
    const vector = nodeModel({
      opType: "MatMul",
      inputs: [rand([4], 36, "a"), rand([2, 4, 3], 37, "b")],
    });
    checkGradients(vector, [rand([4], 36), rand([2, 4, 3], 37)]);
  });
});
