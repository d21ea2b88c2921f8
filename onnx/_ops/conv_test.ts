import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import {
  assertValues,
  checkGradients,
  f32,
  f64,
  nodeModel,
  rand,
  runNode,
} from "./_ops_test_util.ts";

const ones = (n: number) => new Array(n).fill(1);

Deno.test("Conv node", async (t) => {
  await t.step("x=[1,1,3,3] arange, w=ones 2×2, bias 10", () => {
    const [y] = runNode({
      opType: "Conv",
      inputs: [f32([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 3, 3], "x")],
      initializers: [f32(ones(4), [1, 1, 2, 2], "w"), f32([10], [1], "b")],
      attributes: { kernel_shape: [2, 2] },
    });
    assertValues(y, [18, 22, 30, 34], [1, 1, 2, 2]);
  });
  await t.step("1-D k=2 auto_pad SAME_UPPER pads at the end, SAME_LOWER at the start", () => {
    const spec = (autoPad: string) => ({
      opType: "Conv",
      inputs: [f32([0, 1, 2], [1, 1, 3], "x")],
      initializers: [f32([1, 1], [1, 1, 2], "w")],
      attributes: { auto_pad: autoPad },
    });
    assertValues(runNode(spec("SAME_UPPER"))[0], [1, 3, 2]);
    assertValues(runNode(spec("SAME_LOWER"))[0], [0, 1, 3]);
    assertValues(runNode(spec("VALID"))[0], [1, 3]);
  });
  await t.step("groups=2 strides=2 pads=[1,0]: each group sums its own channel", () => {
    const [y] = runNode({
      opType: "Conv",
      inputs: [f32([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 4], "x")],
      initializers: [f32([1, 1, 1, 2], [2, 1, 2], "w")],
      attributes: { group: 2, strides: [2], pads: [1, 0] },
    });
    // channel 0: [0+1, 2+3]; channel 1 (w [1, 2]): [0·1 + 10·2, 20 + 30·2].
    assertValues(y, [1, 5, 20, 80], [1, 2, 2]);
  });
  await t.step("kernel_shape differing from the weight is a TypeError naming the node", () => {
    const model = nodeModel({
      opType: "Conv",
      inputs: [f32([0, 1, 2], [1, 1, 3], "x")],
      initializers: [f32([1, 1], [1, 1, 2], "w")],
      attributes: { kernel_shape: [3] },
    });
    assertThrows(
      () => new GraphExecutor(model).run([f32([0, 1, 2], [1, 1, 3])]),
      TypeError,
      `"n" (Conv): kernel_shape [3] differs`,
    );
  });
  await t.step("auto_pad value outside the spec is unsupported", () => {
    const model = nodeModel({
      opType: "Conv",
      inputs: [f32([0, 1, 2], [1, 1, 3], "x")],
      initializers: [f32([1, 1], [1, 1, 2], "w")],
      attributes: { auto_pad: "SAME" },
    });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, `auto_pad must be NOTSET`);
  });
  await t.step("gradients of x, w, b by finite differences (groups 2, stride 2, pads)", () => {
    const model = nodeModel({
      opType: "Conv",
      inputs: [rand([2, 4, 5, 4], 1, "x")],
      initializers: [rand([4, 2, 3, 2], 2, "w"), rand([4], 3, "b")],
      attributes: { group: 2, strides: [2, 1], pads: [1, 0, 1, 1], dilations: [1, 2] },
    });
    checkGradients(model, [rand([2, 4, 5, 4], 1)]);
  });
});

Deno.test("ConvTranspose node", async (t) => {
  const spec = (attributes: Record<string, number[] | string>) => ({
    opType: "ConvTranspose",
    inputs: [f32([1, 2], [1, 1, 2], "x")],
    initializers: [f32([1, 1, 1], [1, 1, 3], "w")],
    attributes,
  });
  await t.step("stride 2 spreads each input over 3 taps", () => {
    assertValues(runNode(spec({ strides: [2] }))[0], [1, 1, 3, 2, 2], [1, 1, 5]);
  });
  await t.step("output_padding 1 adds a zero at the end", () => {
    assertValues(runNode(spec({ strides: [2], output_padding: [1] }))[0], [1, 1, 3, 2, 2, 0]);
  });
  await t.step("output_shape smaller than natural: the odd pad goes to the start (spec)", () => {
    // Natural output [1, 1, 3, 2, 2]; a total pad of 1 without auto_pad crops the first element
    // (ONNX spec: pads[start] = total − total/2; ONNX Runtime 1.30 agrees).
    assertValues(runNode(spec({ strides: [2], output_shape: [4] }))[0], [1, 3, 2, 2]);
    assertValues(runNode(spec({ strides: [2], output_shape: [1, 1, 4] }))[0], [1, 3, 2, 2]);
  });
  await t.step("output_shape with SAME_LOWER: the odd pad goes to the start", () => {
    const y = runNode(spec({ strides: [2], output_shape: [4], auto_pad: "SAME_LOWER" }))[0];
    assertValues(y, [1, 3, 2, 2]);
  });
  await t.step("output_shape larger than natural: zeros at the end (ONNX Runtime)", () => {
    assertValues(runNode(spec({ strides: [2], output_shape: [6] }))[0], [1, 1, 3, 2, 2, 0]);
  });
  await t.step("auto_pad SAME_UPPER: out = in·stride, extra pad at the end", () => {
    assertValues(runNode(spec({ strides: [2], auto_pad: "SAME_UPPER" }))[0], [1, 1, 3, 2]);
  });
  await t.step(
    "gradients by finite differences (groups 2, output_padding, asymmetric pads)",
    () => {
      const model = nodeModel({
        opType: "ConvTranspose",
        inputs: [rand([1, 4, 3, 3], 4, "x")],
        initializers: [rand([4, 1, 2, 3], 5, "w"), rand([2], 6, "b")],
        attributes: { group: 2, strides: [2, 2], pads: [1, 0, 0, 1], output_padding: [1, 0] },
      });
      checkGradients(model, [rand([1, 4, 3, 3], 4)]);
    },
  );
  await t.step("float64 values run in float64", () => {
    const [y] = runNode({
      opType: "ConvTranspose",
      inputs: [f64([1, 2], [1, 1, 2], "x")],
      initializers: [f64([1, 1, 1], [1, 1, 3], "w")],
      attributes: { strides: [2] },
    });
    if (y.dtype !== "float64") throw new Error(`dtype ${y.dtype}`);
  });
});
