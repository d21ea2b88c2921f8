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

// x[a, b, c] = 12a + 4b + c over [2, 3, 4].
const x = f64(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4], "x");

function reduce(opType: string, opset: number, axes?: number[], attributes = {}) {
  const axesAsInput = opset >= (opType === "ReduceSum" ? 13 : 18);
  const spec = axesAsInput
    ? {
      opType,
      opset,
      inputs: [x],
      initializers: axes === undefined ? [] : [i64(axes, [axes.length], "axes")],
      attributes,
    }
    : {
      opType,
      opset,
      inputs: [x],
      attributes: axes === undefined ? attributes : { axes, ...attributes },
    };
  return { model: nodeModel(spec), y: runNode(spec)[0] };
}

Deno.test("ReduceSum and ReduceMean nodes", async (t) => {
  for (
    const [opType, opset] of [["ReduceSum", 11], ["ReduceSum", 13], ["ReduceMean", 13], [
      "ReduceMean",
      18,
    ]] as const
  ) {
    const mean = opType === "ReduceMean";
    await t.step(`${opType}-${opset}: axes [1] keepdims, [0, 2] without, all axes`, () => {
      // Σ_b (12a + 4b + c) = 36a + 12 + 3c.
      const expected1 = [0, 1].flatMap((a) =>
        [0, 1, 2, 3].map((c) => (36 * a + 12 + 3 * c) / (mean ? 3 : 1))
      );
      const r1 = reduce(opType, opset, [1]);
      assertValues(r1.y, expected1, [2, 1, 4]);
      // Σ_{a,c} = 12·(0+1)·4 + 4b·8 + (0+1+2+3)·2 = 48 + 32b + 12.
      const r02 = reduce(opType, opset, [0, -1], { keepdims: 0 });
      assertValues(r02.y, [0, 1, 2].map((b) => (60 + 32 * b) / (mean ? 8 : 1)), [3]);
      const all = reduce(opType, opset, undefined);
      assertValues(all.y, [mean ? 11.5 : 276], [1, 1, 1]);
    });
    await t.step(`${opType}-${opset}: finite differences`, () => {
      const data = rand([2, 3, 4], 9, "x");
      const axesAsInput = opset >= (mean ? 18 : 13);
      checkGradients(
        nodeModel(
          axesAsInput
            ? { opType, opset, inputs: [data], initializers: [i64([2, 0], [2], "axes")] }
            : { opType, opset, inputs: [data], attributes: { axes: [2, 0], keepdims: 0 } },
        ),
        [data],
      );
    });
  }
  await t.step("noop_with_empty_axes: identity with no axes; empty axes input too", () => {
    const { y } = reduce("ReduceSum", 13, undefined, { noop_with_empty_axes: 1 });
    assertValues(y, values(x), [2, 3, 4]);
    const empty = reduce("ReduceSum", 13, [], { noop_with_empty_axes: 1 });
    assertValues(empty.y, values(x), [2, 3, 4]);
    assertValues(reduce("ReduceSum", 13, []).y, [276], [1, 1, 1]);
  });
  await t.step("mean gradient divides by the reduced count; reduction lengths", () => {
    const { model } = reduce("ReduceMean", 13, [1, 2]);
    const executor = new GraphExecutor(model);
    executor.run([x]);
    const grads = executor.backward([f64([12, 24], [2, 1, 1])]);
    assertValues(grads.inputs[0], [...new Array(12).fill(1), ...new Array(12).fill(2)]);
    const run = kernelRun({ opType: "ReduceMean", inputs: [x], attributes: { axes: [1, 2] } }, [x]);
    assertEquals(run.reduction, [12]);
    assertEquals(run.gradReduction, [1]);
  });
  await t.step("empty reduction: sum 0, mean NaN", () => {
    const e = f64([], [2, 0], "x");
    const [s] = runNode({
      opType: "ReduceSum",
      inputs: [e],
      initializers: [i64([1], [1], "axes")],
    });
    assertValues(s, [0, 0], [2, 1]);
    const [m] = runNode({ opType: "ReduceMean", inputs: [e], attributes: { axes: [1] } });
    assertEquals(values(m).map(Number.isNaN), [true, true]);
  });
  await t.step(
    "errors: repeated and out-of-range axes; negative axes count from the back at opset 10 too",
    () => {
      assertThrows(() => reduce("ReduceSum", 13, [1, -2]), TypeError, "repeat an axis");
      assertThrows(
        () => reduce("ReduceMean", 13, [3]),
        RangeError,
        "axes 3 is out of range for rank 3",
      );
      // Opset 10 reads a negative axis as opset 11 does.
      assertValues(reduce("ReduceMean", 10, [-1]).y, values(reduce("ReduceMean", 13, [2]).y));
      assertThrows(
        () =>
          new GraphExecutor(
            nodeModel({ opType: "ReduceMean", inputs: [x], opset: 18, attributes: { axes: [1] } }),
          ),
        Error,
        "attribute axes is not defined for ReduceMean at opset 18",
      );
    },
  );
});
