import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { decodeModel } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { singleNodeModel } from "./single_node.ts";

// ONNX Runtime loads a native library: it needs --allow-ffi (and env/sys), which the project's
// test task grants. Without them the acceptance steps print a note instead of running.
const ORT = "onnxruntime-node";
const canRunOrt = (await Deno.permissions.query({ name: "ffi" })).state === "granted";

type Ort = typeof import("onnxruntime-node");

async function run(
  ort: Ort,
  model: Uint8Array,
  feeds: Record<string, { type: "float32"; data: Float32Array; dims: number[] }>,
): Promise<Record<string, { dims: readonly number[]; data: unknown }>> {
  const session = await ort.InferenceSession.create(model);
  try {
    const inputs = Object.fromEntries(
      Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor(v.type, v.data, v.dims)]),
    );
    const out = await session.run(inputs);
    return Object.fromEntries(
      Object.entries(out).map(([k, v]) => [k, { dims: v.dims, data: v.data }]),
    );
  } finally {
    await session.release();
  }
}

Deno.test("singleNodeModel()", async (t) => {
  const conv = singleNodeModel({
    opType: "Conv",
    attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] },
    inputs: [{ name: "x", dtype: "float32", dims: [1, 1, 5, 5] }],
    initializers: [
      new OnnxTensor(new Float32Array(9).fill(1), [1, 1, 3, 3], { name: "w" }),
      new OnnxTensor(new Float32Array([0.5]), [1], { name: "b" }),
    ],
    outputs: [{ name: "y", dtype: "float32", dims: [1, 1, 3, 3] }],
    opset: 13,
  });

  await t.step("structure: node inputs = graph inputs then initializers", () => {
    const m = decodeModel(conv, "conv.onnx");
    assertStrictEquals(m.irVersion, 8);
    assertEquals({ ...m.opsetImports }, { "": 13 });
    assertStrictEquals(m.graph.name, "Conv");
    assertEquals(m.graph.nodes[0].inputs, ["x", "w", "b"]);
    assertEquals(m.graph.nodes[0].outputs, ["y"]);
    assertEquals(m.graph.initializers.map((i) => i.name), ["w", "b"]);
    assertEquals(m.graph.inputs.map((v) => v.name), ["x"]);
  });

  await t.step("custom domain, explicit node inputs, unknown output rank", () => {
    const m = decodeModel(singleNodeModel({
      opType: "MyOp",
      domain: "com.example",
      inputs: [{ name: "a", dtype: "int64", dims: ["n"] }],
      nodeInputs: ["a", ""],
      outputs: [{ name: "z", dtype: "bool" }],
    }));
    assertEquals({ ...m.opsetImports }, { "": 17, "com.example": 1 });
    assertStrictEquals(m.graph.nodes[0].domain, "com.example");
    assertEquals(m.graph.nodes[0].inputs, ["a", ""]);
    assertEquals(m.graph.inputs[0].shape, ["n"]);
    assertStrictEquals(m.graph.outputs[0].shape, undefined);
    assertStrictEquals(m.graph.outputs[0].dtype, "bool");
  });

  await t.step("errors", () => {
    assertThrows(
      () => singleNodeModel({ opType: "Relu", inputs: {} as never, outputs: [] }),
      TypeError,
      "Cannot build single-node model Relu: inputs must be an array",
    );
    assertThrows(
      () =>
        singleNodeModel({
          opType: "LeakyRelu",
          attributes: { alpha: 0.1 },
          inputs: [{ name: "x", dtype: "float32" }],
          outputs: [{ name: "y", dtype: "float32" }],
        }),
      TypeError,
      "attribute alpha: 0.1 is not an integer",
    );
  });

  if (!canRunOrt) {
    console.log(`  note: no --allow-ffi; ONNX Runtime acceptance steps skipped`);
    return;
  }
  const ort: Ort = await import(ORT);

  await t.step(
    "ONNX Runtime runs our Conv: x=[1,1,5,5] arange, k=3 ones, s=2, p=1, bias 0.5",
    async () => {
      const x = Float32Array.from({ length: 25 }, (_, i) => i);
      const { y } = await run(ort, conv, { x: { type: "float32", data: x, dims: [1, 1, 5, 5] } });
      assertEquals(y.dims, [1, 1, 3, 3]);
      // Window sums by hand, x[r][c] = 5r + c, windows at rows/cols 2i-1..2i+1 clipped to 0..4:
      // (0,0) 0+1+5+6 = 12; (0,1) 1+2+3+6+7+8 = 27; (0,2) 3+4+8+9 = 24; (1,0) 5+6+10+11+15+16 = 63;
      // (1,1) 108; (1,2) 8+9+13+14+18+19 = 81; (2,0) 15+16+20+21 = 72; (2,1) 16+17+18+21+22+23 = 117;
      // (2,2) 18+19+23+24 = 84; each plus the bias 0.5.
      assertEquals(
        [...(y.data as Float32Array)],
        [12, 27, 24, 63, 108, 81, 72, 117, 84].map((v) => v + 0.5),
      );
    },
  );

  await t.step("ONNX Runtime reads our int64 initializer (Reshape to [2, -1])", async () => {
    const model = singleNodeModel({
      opType: "Reshape",
      inputs: [{ name: "x", dtype: "float32", dims: [3, 2] }],
      initializers: [new OnnxTensor(new BigInt64Array([2n, -1n]), [2], { name: "shape" })],
      outputs: [{ name: "y", dtype: "float32" }],
      opset: 14,
    });
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const { y } = await run(ort, model, { x: { type: "float32", data: x, dims: [3, 2] } });
    assertEquals(y.dims, [2, 3]);
    assertEquals([...(y.data as Float32Array)], [1, 2, 3, 4, 5, 6]);
  });

  await t.step("ONNX Runtime reads our float16 initializer (Cast to float32)", async () => {
    // The model has no runtime inputs: Cast reads the float16 initializer and widens it.
    const model = singleNodeModel({
      opType: "Cast",
      attributes: { to: 1 },
      inputs: [],
      initializers: [
        new OnnxTensor(new Float32Array([1, -2, 0.5, 65504, 2 ** -24]), [5], {
          name: "h",
          dtype: "float16",
        }),
      ],
      outputs: [{ name: "y", dtype: "float32", dims: [5] }],
      opset: 13,
    });
    const { y } = await run(ort, model, {});
    assertEquals([...(y.data as Float32Array)], [1, -2, 0.5, 65504, 2 ** -24]);
  });
});
