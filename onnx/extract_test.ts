import { assert, assertEquals, assertThrows } from "@std/assert";
import { Tensor } from "../layers/tensor.ts";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { GraphExecutor } from "./executor.ts";
import { extractModel } from "./extract.ts";
import { decodeModel, encodeModel, type OnnxModel, readModelFile } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";

const canRunOrt = (await Deno.permissions.query({ name: "ffi" })).state === "granted";
if (!canRunOrt) {
  console.log("onnx/extract_test.ts: ONNX Runtime steps skipped (run with --allow-ffi)");
}

const LENET = new URL("../golden/torch-models/lenet5/model.onnx", import.meta.url);

/** ONNX Runtime's value `name` of `model`, made a graph output of the full model. */
async function ortIntermediate(model: OnnxModel, name: string, x: Tensor): Promise<Tensor> {
  const ort = await import("onnxruntime-node");
  const bytes = encodeModel({
    ...model,
    graph: { ...model.graph, outputs: [{ name, dtype: "float32" }] },
  });
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { X: new ort.Tensor("float32", x.data as Float32Array, [...x.shape]) };
    const y = (await session.run(feeds))[name];
    return new Tensor(y.data as Float32Array, y.dims);
  } finally {
    await session.release();
  }
}

Deno.test("extractModel()", async (t) => {
  const lenet = await readModelFile(LENET);
  const x = Tensor.uniform([2, 1, 28, 28], { seed: 7 });

  await t.step("LeNet-5 cut before fc3: the nodes and initializers it needs", () => {
    const sub = extractModel(lenet, ["/Relu_3_output_0"]);
    assertEquals(sub.graph.nodes.length, lenet.graph.nodes.length - 1);
    assertEquals(
      sub.graph.initializers.map((i) => i.name),
      lenet.graph.initializers.map((i) => i.name).filter((n) => !n!.startsWith("fc3")),
    );
    assertEquals(sub.graph.inputs.map((v) => v.name), ["X"]);
    assertEquals(sub.graph.outputs, [{ name: "/Relu_3_output_0", kind: "tensor", elemType: 0 }]);
    // The original is untouched and the tensors are shared.
    assertEquals(lenet.graph.outputs[0].name, "Y");
    assert(sub.graph.initializers[0] === lenet.graph.initializers[0]);
  });

  await t.step({
    name: "the cut graph computes ONNX Runtime's intermediate value",
    ignore: !canRunOrt,
    fn: async () => {
      for (const name of ["/Relu_3_output_0", "/MaxPool_output_0"]) {
        const [ours] = new GraphExecutor(extractModel(lenet, [name])).run([
          OnnxTensor.fromTensor(x),
        ]);
        const ort = await ortIntermediate(lenet, name, x);
        // A few float32 sums of ≤ 256 terms of O(0.1) values; a wrong cut gives another shape.
        assertTensorClose(ours, ort, { rtol: 1e-4, atol: 1e-6 });
      }
    },
  });

  await t.step("two outputs, a declared output type, an unused input dropped", () => {
    const model = decodeModel(encodeModel({
      graph: {
        nodes: [
          { opType: "Relu", inputs: ["a"], outputs: ["ra"] },
          { opType: "Neg", inputs: ["b"], outputs: ["nb"] },
          { opType: "Add", inputs: ["ra", "nb"], outputs: ["y"] },
        ],
        inputs: [
          { name: "a", dtype: "float32", shape: [2] },
          { name: "b", dtype: "float32", shape: [2] },
        ],
        outputs: [{ name: "y", dtype: "float32", shape: [2] }],
      },
    }));
    const onlyA = extractModel(model, ["ra"]);
    assertEquals(onlyA.graph.nodes.map((n) => n.opType), ["Relu"]);
    assertEquals(onlyA.graph.inputs.map((v) => v.name), ["a"]);
    const both = extractModel(model, ["y", "ra"]);
    assertEquals(both.graph.nodes.length, 3);
    assertEquals(both.graph.outputs.map((v) => [v.name, v.dtype]), [["y", "float32"], [
      "ra",
      undefined,
    ]]);
  });

  await t.step("errors name the value", () => {
    assertThrows(
      () => extractModel(lenet, ["/nope"]),
      TypeError,
      'graph "torch_jit" has no value "/nope" (not a node output, graph input or initializer)',
    );
    assertThrows(() => extractModel(lenet, []), TypeError, "outputs must be a non-empty array");
    assertThrows(
      () => extractModel(lenet, ["Y", "Y"]),
      TypeError,
      'outputs repeats "Y"',
    );
    assertThrows(
      () => extractModel({} as OnnxModel, ["Y"]),
      TypeError,
      "model must be a decoded OnnxModel",
    );
  });
});
