import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { tolerance } from "../conformance/tolerance.ts";
import { AvgPool1d, AvgPool2d, AvgPool3d } from "../layers/avg_pool.ts";
import { BatchNorm2d, BatchNorm3d } from "../layers/batch_norm.ts";
import { Conv1d, Conv2d, Conv3d, type ConvModuleOptions } from "../layers/conv.ts";
import { ConvTranspose2d, type ConvTransposeModuleOptions } from "../layers/conv_transpose.ts";
import { Dropout } from "../layers/dropout.ts";
import { Flatten } from "../layers/flatten.ts";
import { GlobalAvgPool, GlobalMaxPool } from "../layers/global_pool.ts";
import { LeakyReLU } from "../layers/leaky_relu.ts";
import { Linear } from "../layers/linear.ts";
import { MaxPool1d, MaxPool2d, MaxPool3d } from "../layers/max_pool.ts";
import { Module } from "../layers/module.ts";
import { Pad } from "../layers/pad.ts";
import { ReLU } from "../layers/relu.ts";
import { Sequential } from "../layers/sequential.ts";
import { Sigmoid } from "../layers/sigmoid.ts";
import { LogSoftmax, Softmax } from "../layers/softmax.ts";
import { Tanh } from "../layers/tanh.ts";
import { Tensor } from "../layers/tensor.ts";
import { decodeModel, type OnnxNode } from "../onnx/model.ts";
import { assertTensorClose, type Tolerance } from "../testing/assert_tensor.ts";
import { lenet5 } from "./lenet5.ts";
import { exportOnnx } from "./onnx_export.ts";
import { seedNotebookCnn } from "./seed_notebook_cnn.ts";

// ONNX Runtime loads a native library: it needs --allow-ffi, which the project's test task grants.
// Without it the round-trip steps are skipped with a note.
const canRunOrt = (await Deno.permissions.query({ name: "ffi" })).state === "granted";
if (!canRunOrt) {
  console.log("models/onnx_export_test.ts: ONNX Runtime steps skipped (run with --allow-ffi)");
}

async function runOrt(bytes: Uint8Array, x: Tensor): Promise<Tensor> {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = {
      input: new ort.Tensor("float32", x.data as Float32Array, [...x.shape]),
    };
    const out = (await session.run(feeds)).output;
    return new Tensor(out.data as Float32Array, out.dims);
  } finally {
    await session.release();
  }
}

/** An attribute's value (undefined for a missing or unsupported one). */
function attr(node: OnnxNode, name: string): unknown {
  const a = node.attributes[name];
  return a !== undefined && "value" in a ? a.value : undefined;
}

/** A convolution module whose window options the exporter can read. */
function conv<T extends Module>(
  Layer: new (o: ConvTransposeModuleOptions) => T,
  options: ConvModuleOptions & ConvTransposeModuleOptions,
): T {
  return new Layer(options);
}

/**
 * Tolerance of a whole ReLU/max-pool network's output: each of its layers sums `n_l` float32
 * terms with error ≤ n_l·2⁻²⁴ times its absolute-value evaluation, and the later (non-negative,
 * 1-Lipschitz-monotone) layers carry that error at most as the network run on |weights| and |x|
 * carries values. Hence the policy's bound with n = Σ n_l and A = that absolute network's output.
 */
function networkTolerance(make: () => Sequential, reductions: number[], x: Tensor): Tolerance {
  const absolute = make();
  for (const p of absolute.parameters()) p.value.data.set(p.value.data.map(Math.abs));
  const a = absolute.forward(new Tensor(x.data.map(Math.abs), x.shape));
  return tolerance(reductions.reduce((s, n) => s + n, 0), a.data);
}

// Small mixed networks, values O(1) and at most 54 terms per sum: float32 accumulation error is
// below 54·2⁻²⁴·O(1) ≈ 3e-6 on either side, so atol 1e-5 with the policy's rtol covers it;
// sigmoid/tanh/softmax are 1-Lipschitz and do not amplify it.
const SMALL_NET: Tolerance = { rtol: 1e-4, atol: 1e-5 };

function mixed2d(): Sequential {
  const bn = new BatchNorm2d({ numFeatures: 6, momentum: 0.3, eps: 1e-3 });
  bn.runningMean.data.set([0.1, -0.2, 0.3, 0, 0.5, -0.1]);
  bn.runningVar.data.set([1.5, 0.5, 2, 1, 0.8, 1.2]);
  bn.weight!.value.data.set([1, 2, 0.5, -1, 1.5, 0.7]);
  bn.bias!.value.data.set([0, 0.1, -0.2, 0.3, 0, 0.05]);
  return new Sequential(
    new Pad({ pads: [0, 0, 1, 2, 0, 0, 2, 1], value: 0.5 }), // [2,4,9,9] → [2,4,12,12]
    conv(Conv2d, {
      inChannels: 4,
      outChannels: 6,
      kernelSize: 3,
      stride: 2,
      padding: "same",
      groups: 2,
      seed: 1,
    }), // → [2,6,6,6]
    bn,
    new LeakyReLU({ negativeSlope: 0.1 }),
    new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1, ceilMode: true }), // ceil mode → [2,6,4,4]
    new AvgPool2d({ kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }),
    conv(ConvTranspose2d, {
      inChannels: 6,
      outChannels: 3,
      kernelSize: 3,
      stride: 2,
      padding: 1,
      outputPadding: 1,
      seed: 2,
    }),
    new Sigmoid(),
    new GlobalAvgPool(),
    new Flatten(),
    new Dropout({ p: 0.5 }),
    new Linear({ inFeatures: 3, outFeatures: 5, seed: 3 }),
    new Tanh(),
    new Softmax({ axis: 1 }),
  );
}

function mixed1d(): Sequential {
  return new Sequential(
    new Pad({ pads: [0, 0, 2, 0, 0, 1], mode: "reflect" }), // [2,2,10] → [2,2,13]
    conv(Conv1d, {
      inChannels: 2,
      outChannels: 4,
      kernelSize: 3,
      dilation: 2,
      padding: [1, 2],
      seed: 4,
    }), // → [2,4,12]
    new ReLU(),
    new MaxPool1d({ kernelSize: 2 }), // → [2,4,6]
    new Sequential(new Linear({ inFeatures: 6, outFeatures: 3, seed: 5 }), new Tanh()), // MatMul
    new AvgPool1d({ kernelSize: 2, stride: 1, padding: 1 }), // → [2,4,4]
    new GlobalMaxPool(), // → [2,4,1]
    new Flatten(),
    new Linear({ inFeatures: 4, outFeatures: 3, bias: false, seed: 6 }),
    new LogSoftmax({ axis: -1 }),
  );
}

function mixed3d(): Sequential {
  const bn = new BatchNorm3d({ numFeatures: 2, affine: false });
  bn.runningMean.data.set([0.2, -0.3]);
  bn.runningVar.data.set([0.5, 2]);
  return new Sequential(
    new Pad({ pads: [0, 0, 1, 0, 0, 0, 0, 0, 1, 1], mode: "edge" }), // → [N,1,5,7,7]
    conv(Conv3d, {
      inChannels: 1,
      outChannels: 2,
      kernelSize: [2, 3, 3],
      stride: [1, 2, 2],
      seed: 7,
    }),
    bn,
    new ReLU(),
    new AvgPool3d({ kernelSize: 2, stride: 1 }),
    new MaxPool3d({ kernelSize: [1, 2, 2] }),
    new GlobalAvgPool(),
    new Flatten(),
  );
}

Deno.test("exportOnnx()", async (t) => {
  await t.step("lenet5: graph structure, initializers = state dict", () => {
    const net = lenet5({ seed: 1 });
    const model = decodeModel(exportOnnx(net, { inputShape: [1, 1, 28, 28] }));
    assertEquals(model.opsetImports[""], 17);
    assertEquals(model.irVersion, 8);
    const { graph } = model;
    assertEquals(graph.nodes.map((n) => n.opType), [
      "Conv",
      "Relu",
      "MaxPool",
      "Conv",
      "Relu",
      "MaxPool",
      "Flatten",
      "Gemm",
      "Relu",
      "Gemm",
      "Relu",
      "Gemm",
    ]);
    const names = ["0", "3", "7", "9", "11"].flatMap((i) => [`${i}.weight`, `${i}.bias`]);
    assertEquals(graph.initializers.map((i) => i.name), names);
    const params = net.parameters();
    graph.initializers.forEach((init, i) => {
      assertEquals(init.dims, params[i].value.shape);
      assertEquals(init.data, params[i].value.data);
    });
    assertEquals(graph.inputs[0].name, "input");
    assertEquals(graph.inputs[0].shape, ["N", 1, 28, 28]);
    assertEquals(graph.outputs[0].name, "output");
    assertEquals(graph.outputs[0].shape, ["N", 10]);
    const [conv0, , pool] = graph.nodes;
    assertEquals(conv0.inputs, ["input", "0.weight", "0.bias"]);
    assertEquals({ ...conv0.attributes }, {
      kernel_shape: { type: "ints", value: [5, 5] },
      strides: { type: "ints", value: [1, 1] },
      dilations: { type: "ints", value: [1, 1] },
      pads: { type: "ints", value: [0, 0, 0, 0] },
      group: { type: "int", value: 1 },
    });
    assertEquals(pool.attributes.kernel_shape, { type: "ints", value: [2, 2] });
    assertEquals(pool.attributes.strides, { type: "ints", value: [2, 2] }); // stride = kernel
    assertEquals(graph.nodes[7].attributes.transB, { type: "int", value: 1 });
    assertEquals(graph.nodes[11].outputs, ["output"]);
  });

  await t.step("seedNotebookCnn: stride 2, padding 1 on the second conv", () => {
    const { graph } = decodeModel(exportOnnx(seedNotebookCnn(), { inputShape: [2, 1, 28, 28] }));
    const convs = graph.nodes.filter((n) => n.opType === "Conv");
    assertEquals(convs.map((n) => attr(n, "pads")), [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [0, 0, 0, 0],
    ]);
    assert(convs.every((n) => `${attr(n, "strides")}` === "2,2"));
    assertEquals(graph.initializers.length, 10);
  });

  await t.step("dynamicBatch false, opset 13: fixed shapes, IR 8", () => {
    const model = decodeModel(
      exportOnnx(lenet5(), { inputShape: [3, 1, 28, 28], dynamicBatch: false, opset: 13 }),
    );
    assertEquals(model.opsetImports[""], 13);
    assertEquals(model.graph.inputs[0].shape, [3, 1, 28, 28]);
    assertEquals(model.graph.outputs[0].shape, [3, 10]);
  });

  await t.step("'same' padding and BatchNorm: explicit pads, ONNX momentum = 1 − ours", () => {
    const { graph } = decodeModel(exportOnnx(mixed2d(), { inputShape: [1, 4, 9, 9] }));
    const conv = graph.nodes.find((n) => n.opType === "Conv")!;
    // Input 12, kernel 3, stride 2: output 6, total pad (6−1)·2 + 3 − 12 = 1, extra at the end.
    assertEquals(attr(conv, "pads"), [0, 0, 1, 1]);
    assertEquals(attr(conv, "group"), 2);
    const bn = graph.nodes.find((n) => n.opType === "BatchNormalization")!;
    assertEquals(bn.inputs.slice(1), ["2.weight", "2.bias", "2.running_mean", "2.running_var"]);
    assertEquals(attr(bn, "momentum"), Math.fround(0.7));
    assertEquals(attr(bn, "epsilon"), Math.fround(1e-3));
    const ct = graph.nodes.find((n) => n.opType === "ConvTranspose")!;
    assertEquals(attr(ct, "output_padding"), [1, 1]);
    assertEquals(attr(ct, "pads"), [1, 1, 1, 1]);
    assertEquals(graph.nodes.find((n) => n.opType === "Dropout"), undefined);
    assertEquals(graph.nodes.filter((n) => n.opType === "Identity").length, 1);
    // Pad's pads and fill value are Constant nodes, not initializers (those are only state).
    assert(graph.initializers.every((i) => i.dtype === "float32"));
  });

  await t.step("probe forward restores every training flag", () => {
    const net = mixed2d();
    exportOnnx(net, { inputShape: [1, 4, 9, 9] });
    assert(net.training && net.layers.every((l) => l.training));
    net.layers[2].eval();
    exportOnnx(net, { inputShape: [1, 4, 9, 9] });
    assert(net.training && !net.layers[2].training && net.layers[10].training);
  });

  await t.step({
    name: "ONNX Runtime round trip: lenet5 and seedNotebookCnn, batch 3 on a batch-1 export",
    ignore: !canRunOrt,
    fn: async () => {
      const x = Tensor.uniform([3, 1, 28, 28], { seed: 11 });
      const cases: [() => Sequential, number[]][] = [
        [() => lenet5({ seed: 2 }), [25, 150, 256, 120, 84]],
        [() => seedNotebookCnn({ seed: 2 }), [4, 128, 256, 2048, 250]],
      ];
      for (const [make, reductions] of cases) {
        const net = make();
        const ours = net.forward(x);
        const theirs = await runOrt(exportOnnx(net, { inputShape: [1, 1, 28, 28] }), x);
        assertTensorClose(theirs, ours, networkTolerance(make, reductions, x));
      }
    },
  });

  await t.step({
    name: "ONNX Runtime round trip: every mapped module (1-D, 2-D, 3-D, nested, MatMul)",
    ignore: !canRunOrt,
    fn: async () => {
      const cases: [() => Sequential, number[]][] = [
        [mixed2d, [2, 4, 9, 9]],
        [mixed1d, [2, 2, 10]],
        [mixed3d, [2, 1, 4, 6, 6]],
      ];
      for (const [make, shape] of cases) {
        const net = make().eval();
        const x = Tensor.uniform(shape, { seed: 3, low: -1, high: 1 });
        const ours = net.forward(x);
        const bytes = exportOnnx(net, { inputShape: [1, ...shape.slice(1)] });
        assertTensorClose(await runOrt(bytes, x), ours, SMALL_NET);
      }
    },
  });

  await t.step("errors: unsupported module, names its class and index", () => {
    class Custom extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
      backward(g: Tensor): Tensor {
        return g;
      }
    }
    assertThrows(
      () => exportOnnx(new Sequential(new ReLU(), new Custom()), { inputShape: [1, 2] }),
      TypeError,
      "Cannot export Custom (layer 1) to ONNX: no ONNX mapping",
    );
    assertThrows(
      () =>
        exportOnnx(
          new Sequential(new Sequential(new AvgPool1d({ kernelSize: 2, divisorOverride: 3 }))),
          {
            inputShape: [1, 1, 4],
          },
        ),
      TypeError,
      "AvgPool1d (layer 0.0) to ONNX: divisorOverride has no ONNX AveragePool equivalent",
    );
    assertThrows(
      () => exportOnnx(new AvgPool1d({ kernelSize: 2, dilation: 2 }), { inputShape: [1, 1, 6] }),
      TypeError,
      "dilated AveragePool needs opset ≥ 19, got 17",
    );
  });

  await t.step("errors: a Conv2d whose options are private cannot be exported", () => {
    const layer = new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 1 });
    if ("options" in layer) {
      // The layer class exposes its options: the exporter reads them directly.
      const { graph } = decodeModel(exportOnnx(layer, { inputShape: [1, 1, 2, 2] }));
      assertEquals(graph.nodes[0].opType, "Conv");
    } else {
      assertThrows(
        () => exportOnnx(layer, { inputShape: [1, 1, 2, 2] }),
        TypeError,
        "Cannot export Conv2d to ONNX: its stride, padding and dilation are not readable",
      );
    }
  });

  await t.step("errors: options and input shape", () => {
    const net = lenet5();
    assertThrows(
      () => exportOnnx(net, { inputShape: [1, 1, 28, 28], opset: 12 }),
      RangeError,
      "opset must be an integer in [13, 22], got 12",
    );
    assertThrows(() => exportOnnx(net, { inputShape: [] }), TypeError, "inputShape must be");
    assertThrows(() => exportOnnx(net, { inputShape: [1, 0, 28] }), TypeError, "inputShape");
    assertThrows(
      () => exportOnnx(net, { inputShape: [1, 1, 20, 20] }),
      TypeError,
      "Linear (layer 7) rejects input shape [1, 64] (from inputShape [1, 1, 20, 20])",
    );
    assertThrows(
      () => exportOnnx({} as Module, { inputShape: [1] }),
      TypeError,
      "module must be a Module",
    );
  });

  await t.step("a lone module and an empty Sequential", () => {
    const lone = decodeModel(exportOnnx(new Linear({ inFeatures: 2, outFeatures: 3 }), {
      inputShape: [1, 2],
    }));
    assertEquals(lone.graph.initializers.map((i) => i.name), ["weight", "bias"]);
    assertEquals(lone.graph.nodes.map((n) => n.outputs[0]), ["output"]);
    const empty = decodeModel(exportOnnx(new Sequential(), { inputShape: [1, 2] }));
    assertStrictEquals(empty.graph.nodes[0].opType, "Identity");
    assertEquals(empty.graph.nodes[0].outputs, ["output"]);
  });
});
