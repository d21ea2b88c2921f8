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
} from "./_ops_test_util.ts";

const x = f64([1, 2, 3], [3, 1], "x");

Deno.test("Expand node", async (t) => {
  await t.step("[3, 1] to [2, 3, 4]; a 1 in shape keeps the input's size", () => {
    const [y] = runNode({
      opType: "Expand",
      inputs: [x],
      initializers: [i64([2, 1, 4], [3], "shape")],
    });
    assertEquals(y.dims, [2, 3, 4]);
    assertValues(y, [1, 2, 3, 1, 2, 3].flatMap((v) => [v, v, v, v]));
  });
  await t.step("gradient sums over the broadcast axes", () => {
    const model = nodeModel({
      opType: "Expand",
      inputs: [x],
      initializers: [i64([3, 2], [2], "shape")],
    });
    const executor = new GraphExecutor(model);
    executor.run([x]);
    assertValues(executor.backward([f64([1, 2, 3, 4, 5, 6], [3, 2])]).inputs[0], [3, 7, 11], [
      3,
      1,
    ]);
    const shape = i64([3, 2], [2], "shape");
    assertEquals(
      kernelRun({ opType: "Expand", inputs: [x], initializers: [shape] }, [x, shape]).gradReduction,
      [2, undefined],
    );
  });
  await t.step("finite differences", () => {
    const data = rand([2, 1, 3], 2, "x");
    checkGradients(
      nodeModel({
        opType: "Expand",
        inputs: [data],
        initializers: [i64([2, 2, 4, 3], [4], "shape")],
      }),
      [data],
    );
  });
  await t.step("errors", () => {
    assertThrows(
      () => runNode({ opType: "Expand", inputs: [x], initializers: [i64([2, 2], [2], "shape")] }),
      TypeError,
      "shapes [3, 1] and [2, 2] do not broadcast",
    );
    assertThrows(
      () => runNode({ opType: "Expand", inputs: [x], initializers: [i64([-1], [1], "shape")] }),
      RangeError,
      "must not hold negative sizes",
    );
  });
});
