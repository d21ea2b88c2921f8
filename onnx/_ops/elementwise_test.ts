import { assertThrows } from "@std/assert";
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

Deno.test("Add, Sub, Mul and Div nodes", async (t) => {
  const a = f64([1, 2], [2, 1], "a"), b = f64([10, 20, 40], [3], "b");
  await t.step("[2, 1] with [3] broadcasts to [2, 3]", () => {
    assertValues(runNode({ opType: "Add", inputs: [a, b] })[0], [11, 21, 41, 12, 22, 42], [2, 3]);
    assertValues(runNode({ opType: "Sub", inputs: [a, b] })[0], [-9, -19, -39, -8, -18, -38]);
    assertValues(runNode({ opType: "Mul", inputs: [a, b] })[0], [10, 20, 40, 20, 40, 80]);
    assertValues(runNode({ opType: "Div", inputs: [a, b] })[0], [0.1, 0.05, 0.025, 0.2, 0.1, 0.05]);
  });
  await t.step("backward sums over the broadcast axes", () => {
    const grad = (opType: string) => {
      const executor = new GraphExecutor(nodeModel({ opType, inputs: [a, b] }));
      executor.run([a, b]);
      return executor.backward([f64([1, 1, 1, 1, 1, 1], [2, 3])]).inputs;
    };
    const add = grad("Add");
    assertValues(add[0], [3, 3], [2, 1]);
    assertValues(add[1], [2, 2, 2], [3]);
    const sub = grad("Sub");
    assertValues(sub[1], [-2, -2, -2]);
    const mul = grad("Mul");
    assertValues(mul[0], [70, 70]); // Σ b
    assertValues(mul[1], [3, 3, 3]); // Σ a
    const div = grad("Div");
    assertValues(div[0], [0.175, 0.175]); // Σ 1/b
    assertValues(div[1], [-3 / 100, -3 / 400, -3 / 1600]); // −Σ a / b²
  });
  await t.step("int64 operands compute exactly; Div truncates toward zero", () => {
    const x = i64([-7, 7], [2], "p"), y = i64([2], [1], "q");
    assertValues(runNode({ opType: "Div", inputs: [x, y] })[0], [-3, 3]);
    const [sum] = runNode({ opType: "Add", inputs: [x, y] });
    if (sum.dtype !== "int64") throw new Error(sum.dtype);
    assertValues(sum, [-5, 9]);
  });
  await t.step("shapes that do not broadcast are a TypeError", () => {
    const c = f64([1, 2], [2], "c");
    const model = nodeModel({ opType: "Add", inputs: [b, c] });
    assertThrows(() => new GraphExecutor(model).run([b, c]), TypeError, "do not broadcast");
  });
  await t.step("absolute mode: Sub bounds |a| + |b|", () => {
    const [y] = runNode({ opType: "Sub", inputs: [f64([1], [1], "p"), f64([-2], [1], "q")] }, {
      absolute: true,
    });
    assertValues(y, [3]);
  });
  await t.step("finite differences with broadcasting both ways", () => {
    for (const opType of ["Add", "Sub", "Mul", "Div"]) {
      const model = nodeModel({
        opType,
        inputs: [rand([2, 1, 3], 41, "a"), rand([4, 1], 42, "b")],
      });
      const denominator = rand([4, 1], 42);
      if (opType === "Div") (denominator.data as Float64Array).forEach((v, i, d) => (d[i] = v + 3));
      checkGradients(model, [rand([2, 1, 3], 41), denominator]);
    }
  });
});
