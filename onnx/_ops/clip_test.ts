import { assertEquals, assertThrows } from "@std/assert";
import { GraphExecutor } from "../executor.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import {
  assertValues,
  checkGradients,
  f32,
  f64,
  graphModel,
  i64,
  nodeModel,
  rand,
  runNode,
  values,
} from "./_ops_test_util.ts";

const x = f64([-3, -1, 0, 2.5, 6, 7, NaN], [7], "x");
const scalar = (v: number, name: string) => f64([v], [], name);

function gradient(model: ReturnType<typeof nodeModel>, feed: OnnxTensor[], g: number[]) {
  const executor = new GraphExecutor(model);
  executor.run(feed);
  return executor.backward([f64(g, [g.length])]);
}

Deno.test("Clip node", async (t) => {
  await t.step("opset 13, min 0 and max 6 as inputs (ReLU6): NaN kept", () => {
    const [y] = runNode({ opType: "Clip", inputs: [x, scalar(0, "lo"), scalar(6, "hi")] });
    assertEquals(values(y).slice(0, 6), [0, 0, 0, 2.5, 6, 6]);
    assertEquals(Number.isNaN(values(y)[6]), true);
  });
  await t.step(
    "gradient is hardtanh's: blocked at the bounds and at NaN; the bounds take the rest",
    () => {
      const g = [1, 2, 3, 4, 5, 6, 7];
      const model = nodeModel({
        opType: "Clip",
        inputs: [x],
        initializers: [scalar(0, "lo"), scalar(6, "hi")],
      });
      const grads = gradient(model, [x], g);
      assertValues(grads.inputs[0], [0, 0, 0, 4, 0, 0, 0]);
      assertValues(grads.initializers[0], [1 + 2 + 3], []); // x ≤ 0
      assertValues(grads.initializers[1], [5 + 6], []); // x ≥ 6
      // min > max: every non-NaN element took max.
      const crossed = nodeModel({
        opType: "Clip",
        inputs: [x],
        initializers: [scalar(3, "lo"), scalar(1, "hi")],
      });
      const c = gradient(crossed, [x], g);
      assertValues(c.inputs[0], [0, 0, 0, 0, 0, 0, 0]);
      assertValues(c.initializers[0], [0], []);
      assertValues(c.initializers[1], [21], []);
    },
  );
  await t.step(
    "the same on long float32 tensors (the SIMD kernels): bound sums by hand per pattern",
    () => {
      // x repeats [-3, -1, 0, 2.5, 6, 7, NaN] and g repeats 1..7 over 70001 elements (10000
      // patterns and one element): x ≤ 0 takes 1+2+3 per pattern, x ≥ 6 takes 5+6, plus the
      // last element (x = -3, g = 1) to min. Small integers: the float64 sums are exact.
      const n = 70001;
      const pattern = [-3, -1, 0, 2.5, 6, 7, NaN];
      const xs = Array.from({ length: n }, (_, i) => pattern[i % 7]);
      const gs = Array.from({ length: n }, (_, i) => (i % 7) + 1);
      const x32 = f32(xs, [n], "x");
      const f32Scalar = (v: number, name: string) => f32([v], [], name);
      const model = nodeModel({
        opType: "Clip",
        inputs: [x32],
        initializers: [f32Scalar(0, "lo"), f32Scalar(6, "hi")],
      });
      const executor = new GraphExecutor(model);
      const [y] = executor.run([x32]);
      const expectedY = xs.map((v) => Number.isNaN(v) ? NaN : Math.min(Math.max(v, 0), 6));
      assertValues(y, expectedY);
      const grads = executor.backward([f32(gs, [n])]);
      assertValues(grads.inputs[0], gs.map((g, i) => (i % 7 === 3 ? g : 0)));
      assertValues(grads.initializers[0], [10000 * 6 + 1], []);
      assertValues(grads.initializers[1], [10000 * 11], []);
      // min > max: every non-NaN element's gradient goes to max.
      const crossed = nodeModel({
        opType: "Clip",
        inputs: [x32],
        initializers: [f32Scalar(3, "lo"), f32Scalar(1, "hi")],
      });
      const c = new GraphExecutor(crossed);
      c.run([x32]);
      const cg = c.backward([f32(gs, [n])]);
      assertValues(cg.initializers[0], [0], []);
      assertValues(cg.initializers[1], [10000 * 21 + 1], []);
    },
  );
  await t.step("as exported by torch.onnx: Constant bounds feeding Clip", () => {
    const model = graphModel({
      nodes: [
        { opType: "Constant", inputs: [], outputs: ["lo"], attributes: { value: scalar(0, "") } },
        { opType: "Constant", inputs: [], outputs: ["hi"], attributes: { value: scalar(6, "") } },
        { opType: "Clip", inputs: ["x", "lo", "hi"], outputs: ["y"] },
      ],
      inputs: [{ name: "x", dtype: "float64", shape: [7] }],
      outputs: [{ name: "y", dtype: "float64" }],
    });
    const executor = new GraphExecutor(model);
    assertEquals(values(executor.run([x])[0]).slice(0, 6), [0, 0, 0, 2.5, 6, 6]);
    assertValues(executor.backward([f64([1, 1, 1, 1, 1, 1, 1], [7])]).inputs[0], [
      0,
      0,
      0,
      1,
      0,
      0,
      0,
    ]);
  });
  await t.step("omitted bounds: min only (empty max name), max only, neither", () => {
    const lo = scalar(0, "lo"), hi = scalar(2, "hi");
    const minOnly = runNode({ opType: "Clip", inputs: [x, lo], nodeInputs: ["x", "lo", ""] });
    assertEquals(values(minOnly[0]).slice(0, 6), [0, 0, 0, 2.5, 6, 7]);
    const maxOnly = runNode({ opType: "Clip", inputs: [x, hi], nodeInputs: ["x", "", "hi"] });
    assertEquals(values(maxOnly[0]).slice(0, 6), [-3, -1, 0, 2, 2, 2]);
    const neither = runNode({ opType: "Clip", inputs: [x] });
    assertEquals(values(neither[0]).slice(0, 6), [-3, -1, 0, 2.5, 6, 7]);
  });
  await t.step("min > max gives max everywhere (ONNX and torch.clamp)", () => {
    const [y] = runNode({ opType: "Clip", inputs: [x, scalar(3, "lo"), scalar(1, "hi")] });
    assertEquals(values(y).slice(0, 6), [1, 1, 1, 1, 1, 1]);
  });
  await t.step("opset 6 attributes; defaults are float32's extremes", () => {
    const attributes = {
      min: { type: "float" as const, value: -1 },
      max: { type: "float" as const, value: 2 },
    };
    const [y] = runNode({ opType: "Clip", inputs: [x], opset: 6, attributes });
    assertEquals(values(y).slice(0, 6), [-1, -1, 0, 2, 2, 2]);
    const big = f32([-1e38, 3e38, Infinity, -Infinity], [4], "x");
    const [z] = runNode({ opType: "Clip", inputs: [big], opset: 6 });
    assertEquals(
      values(z),
      [-1e38, 3e38, 3.4028234663852886e38, -3.4028234663852886e38].map(Math.fround),
    );
  });
  await t.step("int64 input (opset 12+) clamps exactly", () => {
    const ints = i64([-5, 0, 5, 9], [4], "x");
    const [y] = runNode({ opType: "Clip", inputs: [ints, i64([0], [], "lo"), i64([6], [], "hi")] });
    assertEquals(values(y), [0, 0, 5, 6]);
    assertEquals(y.dtype, "int64");
  });
  await t.step("finite differences (float64, away from the kinks), opsets 6 and 13", () => {
    const data = rand([3, 4], 5, "x");
    const d = data.data as Float64Array;
    for (let i = 0; i < d.length; i++) if (Math.abs(Math.abs(d[i]) - 0.5) < 0.05) d[i] *= 1.3;
    const model13 = nodeModel({
      opType: "Clip",
      inputs: [data],
      initializers: [scalar(-0.5, "lo"), scalar(0.5, "hi")],
    });
    checkGradients(model13, [data]);
    const attributes = {
      min: { type: "float" as const, value: -0.5 },
      max: { type: "float" as const, value: 0.5 },
    };
    checkGradients(nodeModel({ opType: "Clip", inputs: [data], opset: 6, attributes }), [data]);
  });
  await t.step("errors: bound shape, dtype and NaN; float16-like dtypes", () => {
    const run = (lo: OnnxTensor) =>
      new GraphExecutor(nodeModel({ opType: "Clip", inputs: [x, lo] })).run([x, lo]);
    assertThrows(
      () => run(f64([0, 1], [2], "lo")),
      TypeError,
      "min must be a scalar, got shape [2]",
    );
    assertThrows(
      () => run(f32([0], [], "lo")),
      TypeError,
      "min must have X's dtype float64, got float32",
    );
    assertThrows(() => run(scalar(NaN, "lo")), RangeError, "min must not be NaN");
    const model = nodeModel({ opType: "Clip", inputs: [x], opset: 6, attributes: { axis: 1 } });
    assertThrows(() => new GraphExecutor(model), Error, "attribute axis is not defined for Clip");
  });
});
