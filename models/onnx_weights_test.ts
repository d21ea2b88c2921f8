import { assertEquals, assertThrows } from "@std/assert";
import { BatchNorm1d } from "../layers/batch_norm.ts";
import { Linear } from "../layers/linear.ts";
import { ReLU } from "../layers/relu.ts";
import { Sequential } from "../layers/sequential.ts";
import { decodeModel, encodeModel, type OnnxModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { lenet5 } from "./lenet5.ts";
import { exportOnnx } from "./onnx_export.ts";
import { loadOnnxWeights } from "./onnx_weights.ts";

/** A model holding only the given initializers (a Relu keeps the graph valid). */
function modelWith(initializers: OnnxTensor[]): OnnxModel {
  return decodeModel(encodeModel({
    graph: {
      nodes: [{ opType: "Relu", inputs: ["x"], outputs: ["y"] }],
      initializers,
      inputs: [{ name: "x", dtype: "float32", shape: [1] }],
      outputs: [{ name: "y", dtype: "float32" }],
    },
  }));
}

const f32 = (values: number[], dims: number[], name: string): OnnxTensor =>
  new OnnxTensor(Float32Array.from(values), dims, { name });

Deno.test("loadOnnxWeights()", async (t) => {
  await t.step("copies in state-dict order, under PyTorch's names", () => {
    const net = new Sequential(new Linear({ inFeatures: 2, outFeatures: 2 }), new ReLU());
    loadOnnxWeights(
      net,
      modelWith([
        f32([1, 2, 3, 4], [2, 2], "fc.weight"),
        new OnnxTensor(new BigInt64Array([2n, 2n]), [2], { name: "shape" }), // skipped: not float
        f32([0.5, -0.5], [2], "fc.bias"),
      ]),
    );
    const [w, b] = net.parameters();
    assertEquals(Array.from(w.value.data), [1, 2, 3, 4]);
    assertEquals(Array.from(b.value.data), [0.5, -0.5]);
  });

  await t.step("float64 initializers are rounded into float32 parameters", () => {
    const layer = new Linear({ inFeatures: 1, outFeatures: 1, bias: false });
    loadOnnxWeights(
      layer,
      modelWith([new OnnxTensor(new Float64Array([0.1]), [1, 1], { name: "w" })]),
    );
    assertEquals(layer.weight.value.data[0], Math.fround(0.1));
  });

  await t.step("batch-norm running statistics come after weight and bias", () => {
    const bn = new BatchNorm1d({ numFeatures: 2 });
    loadOnnxWeights(
      bn,
      modelWith([
        f32([2, 3], [2], "bn.weight"),
        f32([4, 5], [2], "bn.bias"),
        f32([6, 7], [2], "bn.running_mean"),
        f32([8, 9], [2], "bn.running_var"),
      ]),
    );
    assertEquals(Array.from(bn.runningMean.data), [6, 7]);
    assertEquals(Array.from(bn.runningVar.data), [8, 9]);
    assertEquals(Array.from(bn.bias!.value.data), [4, 5]);
  });

  await t.step("round trip through exportOnnx: another seed becomes this one", () => {
    const source = lenet5({ seed: 1 }), target = lenet5({ seed: 2 });
    loadOnnxWeights(target, decodeModel(exportOnnx(source, { inputShape: [1, 1, 28, 28] })));
    source.parameters().forEach((p, i) => {
      assertEquals(target.parameters()[i].value.data, p.value.data);
    });
  });

  await t.step("errors: count, shape (nothing copied), arguments", () => {
    const net = new Sequential(new Linear({ inFeatures: 2, outFeatures: 2 }));
    const before = Array.from(net.parameters()[0].value.data);
    assertThrows(
      () => loadOnnxWeights(net, modelWith([f32([1, 2, 3, 4], [2, 2], "w")])),
      TypeError,
      "the model has 1 float initializers but the module has 2 parameters and buffers " +
        "(first unmatched parameter is 0.bias)",
    );
    assertThrows(
      () =>
        loadOnnxWeights(
          net,
          modelWith([f32([1, 2, 3, 4], [2, 2], "w"), f32([1], [1], "b"), f32([1], [1], "extra")]),
        ),
      TypeError,
      "has 3 float initializers but the module has 2 parameters and buffers (first unmatched " +
        'initializer is "extra")',
    );
    assertThrows(
      () => loadOnnxWeights(net, modelWith([f32([1, 2, 3, 4], [2, 2], "w"), f32([1], [1], "b")])),
      TypeError,
      'initializer "b" has shape [1] but parameter 0.bias (number 1) has shape [2]',
    );
    assertEquals(Array.from(net.parameters()[0].value.data), before, "weight left untouched");
    assertThrows(
      () => loadOnnxWeights({} as Sequential, modelWith([])),
      TypeError,
      "module must be a Module",
    );
    assertThrows(
      () => loadOnnxWeights(net, {} as OnnxModel),
      TypeError,
      "model must be a decoded ONNX model",
    );
  });
});
