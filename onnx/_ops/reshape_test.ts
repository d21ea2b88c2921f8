import { assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import {
  assertValues,
  checkGradients,
  f32,
  i64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

const x = f32([0, 1, 2, 3, 4, 5], [1, 2, 3], "x");

Deno.test("Flatten node", async (t) => {
  await t.step("axis 0, default 1, 2 and −1 (opset 11)", () => {
    const dims = (axis?: number, opset = 13) =>
      runNode({
        opType: "Flatten",
        inputs: [x],
        opset,
        attributes: axis === undefined ? {} : { axis },
      })[0].dims;
    if (dims(0).join() !== "1,6" || dims().join() !== "1,6" || dims(2).join() !== "2,3") {
      throw new Error("flatten dims");
    }
    if (dims(-1).join() !== "2,3") throw new Error("negative axis");
  });
  await t.step("negative axis before opset 11 is a RangeError", () => {
    const model = nodeModel({ opType: "Flatten", inputs: [x], opset: 9, attributes: { axis: -1 } });
    assertThrows(() => new GraphExecutor(model).run([x]), RangeError, "axis -1 must be in [0, 3]");
  });
  await t.step("int64 data flattens too", () => {
    const [y] = runNode({
      opType: "Flatten",
      inputs: [i64([1, 2, 3, 4], [2, 2], "x")],
      attributes: { axis: 0 },
    });
    assertValues(y, [1, 2, 3, 4], [1, 4]);
  });
});

Deno.test("Reshape node", async (t) => {
  const reshape = (input: ReturnType<typeof f32>, shape: number[], allowzero?: number) =>
    runNode({
      opType: "Reshape",
      inputs: [input],
      initializers: [i64(shape, [shape.length], "shape")],
      attributes: allowzero === undefined ? {} : { allowzero },
    })[0];
  await t.step("0 copies the input dim, −1 is inferred", () => {
    const y = reshape(x, [0, -1]);
    assertValues(y, [0, 1, 2, 3, 4, 5], [1, 6]);
    if (reshape(x, [3, 0, -1]).dims.join() !== "3,2,1") throw new Error("copy axis 1");
  });
  await t.step("allowzero 1 keeps a 0 as an empty axis", () => {
    const empty = f32([], [0, 3, 4], "x");
    if (reshape(empty, [3, 4, 0], 1).dims.join() !== "3,4,0") throw new Error("allowzero");
    const model = nodeModel({
      opType: "Reshape",
      inputs: [empty],
      initializers: [i64([3, 4, 0], [3], "shape")],
    });
    // Without allowzero the 0 copies axis 2 (4): 48 elements ≠ 0.
    assertThrows(() => new GraphExecutor(model).run([empty]), TypeError, "cannot reshape");
  });
  await t.step("two −1 entries are a TypeError", () => {
    const model = nodeModel({
      opType: "Reshape",
      inputs: [x],
      initializers: [i64([-1, -1], [2], "shape")],
    });
    assertThrows(() => new GraphExecutor(model).run([x]), TypeError, "at most one -1");
  });
  await t.step("finite differences", () => {
    const model = nodeModel({
      opType: "Reshape",
      inputs: [rand([2, 3], 51, "x")],
      initializers: [i64([3, 2], [2], "shape")],
    });
    checkGradients(model, [rand([2, 3], 51)]);
  });
});

Deno.test("Squeeze, Unsqueeze and Identity nodes", async (t) => {
  const y = f32([1, 2, 3], [1, 3, 1], "x");
  await t.step("Squeeze: attribute form (opset 11), input form (13), all size-1 axes", () => {
    const attr =
      runNode({ opType: "Squeeze", inputs: [y], opset: 11, attributes: { axes: [-1] } })[0];
    if (attr.dims.join() !== "1,3") throw new Error(`${attr.dims}`);
    const input = runNode({
      opType: "Squeeze",
      inputs: [y],
      initializers: [i64([0], [1], "axes")],
      opset: 13,
    })[0];
    if (input.dims.join() !== "3,1") throw new Error(`${input.dims}`);
    if (runNode({ opType: "Squeeze", inputs: [y] })[0].dims.join() !== "3") throw new Error("all");
  });
  await t.step("Squeeze of a size-3 axis is a TypeError", () => {
    const model = nodeModel({
      opType: "Squeeze",
      inputs: [y],
      initializers: [i64([1], [1], "axes")],
    });
    assertThrows(
      () => new GraphExecutor(model).run([y]),
      TypeError,
      "cannot squeeze axis 1 of size 3",
    );
  });
  await t.step("Unsqueeze: attribute form (opset 11) and input form (13), negative axes", () => {
    const v = f32([1, 2], [2], "x");
    const attr =
      runNode({ opType: "Unsqueeze", inputs: [v], opset: 11, attributes: { axes: [0, -1] } })[0];
    if (attr.dims.join() !== "1,2,1") throw new Error(`${attr.dims}`);
    const input =
      runNode({ opType: "Unsqueeze", inputs: [v], initializers: [i64([1], [1], "axes")] })[0];
    if (input.dims.join() !== "2,1") throw new Error(`${input.dims}`);
  });
  await t.step("Identity passes values through", () => {
    assertValues(runNode({ opType: "Identity", inputs: [y] })[0], [1, 2, 3], [1, 3, 1]);
  });
  await t.step("finite differences", () => {
    const sq = nodeModel({
      opType: "Squeeze",
      inputs: [rand([2, 1, 3], 52, "x")],
      initializers: [i64([1], [1], "axes")],
    });
    checkGradients(sq, [rand([2, 1, 3], 52)]);
    const un = nodeModel({
      opType: "Unsqueeze",
      inputs: [rand([2, 3], 53, "x")],
      initializers: [i64([1], [1], "axes")],
    });
    checkGradients(un, [rand([2, 3], 53)]);
    checkGradients(nodeModel({ opType: "Identity", inputs: [rand([4], 54, "x")] }), [
      rand([4], 54),
    ]);
  });
});
