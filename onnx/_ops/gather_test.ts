import { assertEquals, assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import {
  assertValues,
  checkGradients,
  f64,
  i64,
  kernelRun,
  nodeModel,
  rand,
  runNode,
  values,
} from "./_ops_test_util.ts";

// data[a, b] = 10a + b over [3, 4].
const data = f64([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], [3, 4], "data");

function gather(indices: number[], dims: number[], axis?: number, opset = 13) {
  return runNode({
    opType: "Gather",
    opset,
    inputs: [data],
    initializers: [i64(indices, dims, "indices")],
    attributes: axis === undefined ? {} : { axis },
  })[0];
}

Deno.test("Gather node", async (t) => {
  await t.step("axis 0 (default), 2-D indices: shape indices.shape + [4]", () => {
    assertValues(gather([2, 0, 1, 1], [2, 2]), [
      20,
      21,
      22,
      23,
      0,
      1,
      2,
      3,
      10,
      11,
      12,
      13,
      10,
      11,
      12,
      13,
    ], [2, 2, 4]);
  });
  await t.step("axis 1 and -1, negative indices; scalar index drops the axis", () => {
    assertValues(gather([-1, 0], [2], 1), [3, 0, 13, 10, 23, 20], [3, 2]);
    assertValues(gather([1], [], -1), [1, 11, 21], [3]);
  });
  await t.step("the exporters' form: Gather(Shape(x), [1]) on int64", () => {
    const shape = i64([2, 116, 8, 8], [4], "s");
    const [y] = runNode({
      opType: "Gather",
      inputs: [shape],
      initializers: [i64([1], [1], "i")],
      attributes: { axis: 0 },
    });
    assertEquals(y.dtype, "int64");
    assertEquals(values(y), [116]);
    assertEquals(y.dims, [1]);
  });
  await t.step("gradient scatters back; repeated indices accumulate", () => {
    const model = nodeModel({
      opType: "Gather",
      inputs: [data],
      initializers: [i64([1, 1, 2], [3], "indices")],
      attributes: { axis: 1 },
    });
    const executor = new GraphExecutor(model);
    executor.run([data]);
    const g = f64([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
    assertValues(executor.backward([g]).inputs[0], [0, 3, 3, 0, 0, 9, 6, 0, 0, 15, 9, 0]);
    const indices = i64([1, 1, 2], [3], "indices");
    const run = kernelRun({
      opType: "Gather",
      inputs: [data],
      initializers: [indices],
      attributes: { axis: 1 },
    }, [data, indices]);
    assertEquals(run.gradReduction, [2, undefined]); // index 1 appears twice
  });
  await t.step("finite differences", () => {
    const x = rand([2, 3, 4], 4, "x");
    const model = nodeModel({
      opType: "Gather",
      inputs: [x],
      initializers: [i64([2, -3, 2, 0], [2, 2], "indices")],
      attributes: { axis: 1 },
    });
    checkGradients(model, [x]);
  });
  await t.step("errors: index out of range, negative before opset 11, scalar data", () => {
    assertThrows(
      () => gather([4], [1], 1),
      RangeError,
      "indices[0] = 4 is out of range for axis 1 of size 4",
    );
    assertThrows(() => gather([-4], [1]), RangeError, "allowed [-3, 2]");
    assertThrows(() => gather([-1], [1], 0, 9), RangeError, "allowed [0, 2]");
    assertThrows(() => gather([0], [1], 2), RangeError, "axis 2 is out of range for rank 2");
    assertThrows(
      () =>
        runNode({
          opType: "Gather",
          inputs: [f64([1], [], "s")],
          initializers: [i64([0], [], "i")],
        }),
      TypeError,
      "data must have rank ≥ 1",
    );
  });
});
