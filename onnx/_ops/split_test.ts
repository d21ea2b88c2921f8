import { assertEquals, assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import {
  assertValues,
  checkGradients,
  f64,
  i64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

const x = f64(Array.from({ length: 12 }, (_, i) => i), [2, 6], "x");

Deno.test("Split node", async (t) => {
  await t.step("equal parts by output count along axis 1", () => {
    const ys = runNode({
      opType: "Split",
      inputs: [x],
      outputs: ["a", "b", "c"],
      attributes: { axis: 1 },
    });
    assertValues(ys[0], [0, 1, 6, 7], [2, 2]);
    assertValues(ys[1], [2, 3, 8, 9], [2, 2]);
    assertValues(ys[2], [4, 5, 10, 11], [2, 2]);
  });
  await t.step(
    "sizes as attribute (opset 11, negative axis) and as input (13), zero-size part",
    () => {
      const attr = runNode({
        opType: "Split",
        opset: 11,
        inputs: [x],
        outputs: ["a", "b"],
        attributes: { axis: -1, split: [1, 5] },
      });
      assertValues(attr[0], [0, 6], [2, 1]);
      assertValues(attr[1], [1, 2, 3, 4, 5, 7, 8, 9, 10, 11], [2, 5]);
      const input = runNode({
        opType: "Split",
        inputs: [x],
        initializers: [i64([4, 0, 2], [3], "split")],
        outputs: ["a", "b", "c"],
        attributes: { axis: 1 },
      });
      assertEquals(input.map((y) => y.dims), [[2, 4], [2, 0], [2, 2]]);
      assertValues(input[2], [4, 5, 10, 11]);
    },
  );
  await t.step("opset 18 num_outputs: ceil-sized parts, the last smaller", () => {
    const y = f64([1, 2, 3, 4, 5], [5], "x");
    const ys = runNode({
      opType: "Split",
      opset: 18,
      inputs: [y],
      outputs: ["a", "b", "c"],
      attributes: { num_outputs: 3 },
    });
    assertEquals(ys.map((v) => v.dims), [[2], [2], [1]]);
    assertValues(ys[2], [5]);
  });
  await t.step("backward concatenates the part gradients (zeros for an ungraded part)", () => {
    const executor = new GraphExecutor(
      nodeModel({ opType: "Split", inputs: [x], outputs: ["a", "b"] }),
    );
    executor.run([x]);
    const grads = executor.backward([f64([1, 2, 3, 4, 5, 6], [1, 6]), undefined]);
    assertValues(grads.inputs[0], [1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0], [2, 6]);
  });
  await t.step("finite differences", () => {
    const data = rand([3, 5], 6, "x");
    checkGradients(
      nodeModel({
        opType: "Split",
        inputs: [data],
        initializers: [i64([2, 3], [2], "split")],
        outputs: ["a", "b"],
        attributes: { axis: 1 },
      }),
      [data],
    );
  });
  await t.step("errors: uneven equal split, sizes not summing, num_outputs mismatch", () => {
    assertThrows(
      () =>
        runNode({
          opType: "Split",
          inputs: [x],
          outputs: ["a", "b", "c", "d"],
          attributes: { axis: 1 },
        }),
      RangeError,
      "axis 1 of size 6 does not split into 4 equal parts",
    );
    assertThrows(
      () =>
        runNode({
          opType: "Split",
          inputs: [x],
          initializers: [i64([2, 2], [2], "split")],
          outputs: ["a", "b"],
          attributes: { axis: 1 },
        }),
      RangeError,
      "split [2, 2] must be non-negative sizes summing to axis 1's size 6",
    );
    assertThrows(
      () =>
        new GraphExecutor(
          nodeModel({
            opType: "Split",
            opset: 18,
            inputs: [x],
            outputs: ["a", "b"],
            attributes: { num_outputs: 3 },
          }),
        ),
      Error,
      "num_outputs 3 must equal the number of outputs 2",
    );
    assertThrows(
      () =>
        runNode({
          opType: "Split",
          inputs: [x],
          initializers: [i64([6], [1], "split")],
          outputs: ["a", "b"],
        }),
      TypeError,
      "split [6] must have one size per output (2)",
    );
  });
});
