// FineTuner against independent references: ONNX Runtime runs the saved models (and the
// originals, for a kept head); the committed LeNet-5 is PyTorch's export. Data: a Fashion-MNIST
// slice, or seeded synthetic images where Debian's dataset-fashion-mnist is not installed.

import { assert, assertEquals, assertThrows } from "@std/assert";
import type { ImageDataset } from "../data/batches.ts";
import { loadFashionMnist } from "../data/fashion_mnist.ts";
import { imageTransform } from "../data/image_transform.ts";
import { crossEntropy } from "../layers/cross_entropy.ts";
import { Tensor } from "../layers/tensor.ts";
import { GraphExecutor } from "../onnx/executor.ts";
import {
  decodeModel,
  encodeModel,
  type OnnxModel,
  type OnnxNodeInit,
  readModelFile,
} from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { Adam } from "../optim/adam.ts";
import { SGD } from "../optim/sgd.ts";
import { assertTensorClose, compareTensors, type Tolerance } from "../testing/assert_tensor.ts";
import { FineTuner } from "./fine_tuner.ts";

const canRunOrt = (await Deno.permissions.query({ name: "ffi" })).state === "granted";
if (!canRunOrt) {
  console.log("train/fine_tuner_test.ts: ONNX Runtime steps skipped (run with --allow-ffi)");
}

const LENET = new URL("../golden/torch-models/lenet5/model.onnx", import.meta.url);

/** The first `n` images of a set, copied. */
function slice(set: ImageDataset, n: number): ImageDataset {
  const item = set.images.size / set.labels.length;
  return {
    images: new Tensor(set.images.data.slice(0, n * item), [n, ...set.images.shape.slice(1)]),
    labels: set.labels.slice(0, n),
  };
}

/** Ten classes of 28×28 images: a bright bar whose row depends on the class, plus noise. */
function synthetic(n: number, seed: number): ImageDataset {
  const noise = Tensor.uniform([n, 1, 28, 28], { seed });
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 10);
  const data = noise.data.map((v) => 0.3 * v);
  for (let i = 0; i < n; i++) {
    const row = 2 + labels[i] * 2;
    for (let c = 4; c < 24; c++) data[i * 784 + row * 28 + c] += 0.7;
  }
  return { images: new Tensor(data, [n, 1, 28, 28]), labels };
}

async function loadData(): Promise<{ train: ImageDataset; test: ImageDataset; source: string }> {
  try {
    const { train, test } = await loadFashionMnist();
    return { train: slice(train, 512), test: slice(test, 256), source: "Fashion-MNIST" };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    console.log(
      "train/fine_tuner_test.ts: Fashion-MNIST not installed (apt-get install " +
        "dataset-fashion-mnist); using synthetic images",
    );
    return { train: synthetic(512, 1), test: synthetic(256, 2), source: "synthetic" };
  }
}

const DATA = await loadData();

/** Mean cross-entropy of the tuner on a whole set. */
function loss(tuner: FineTuner, set: ImageDataset, transform = (x: Tensor) => x): number {
  return crossEntropy(tuner.forward(transform(set.images)), set.labels).data[0];
}

/** ONNX Runtime's output for one input. */
async function runOrt(bytes: Uint8Array, input: string, output: string, x: Tensor) {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { [input]: new ort.Tensor("float32", x.data as Float32Array, [...x.shape]) };
    const y = (await session.run(feeds))[output];
    return new Tensor(y.data as Float32Array, y.dims);
  } finally {
    await session.release();
  }
}

/** Our executor's output of a model (fast path, float32). */
function runOurs(model: OnnxModel, x: Tensor): Tensor {
  const [y] = new GraphExecutor(model).run([OnnxTensor.fromTensor(x)]);
  return y.toTensor();
}

/**
 * The float64 truth of `bytes` on `x` (our reference path in float64) and the tolerance for a
 * float32 result against it: the policy's atol and rtol plus twice ONNX Runtime's own worst
 * error against the truth. That error is first checked to be float32 rounding (≤ 1e-5 of the
 * largest |truth|), which vouches for the truth. (The policy's |X|⋆|W| bound is too loose for a
 * network this deep to reject a bias off by 1e-3: PITFALLS, "Tolerance on deep graphs".)
 */
async function truthAndOrt(bytes: Uint8Array, input: string, output: string, x: Tensor) {
  const ort = await runOrt(bytes, input, output, x);
  const executor = new GraphExecutor(decodeModel(bytes), { impl: "reference", dtype: "float64" });
  const truth = executor.run([OnnxTensor.fromTensor(x)])[0].toTensor();
  let ortError = 0, largest = 0;
  truth.data.forEach((v, i) => {
    ortError = Math.max(ortError, Math.abs(ort.data[i] - v));
    largest = Math.max(largest, Math.abs(v));
  });
  assert(ortError <= 1e-5 * largest, `ONNX Runtime vs float64: ${ortError} (max |y| ${largest})`);
  const bound: Tolerance = {
    rtol: 1e-4,
    atol: 1e-7,
    bound: new Float64Array(truth.size).fill(2 * ortError),
  };
  return { ort, truth: truth.astype("float32"), bound };
}

function assertDiffers<T>(actual: T, unexpected: T, message: string): void {
  assert(JSON.stringify(actual) !== JSON.stringify(unexpected), message);
}

/** Bytes of every initializer by name. */
function initializerBytes(model: OnnxModel): Map<string, string> {
  return new Map(
    model.graph.initializers.map((t) => [t.name!, Array.from(t.data as Float32Array).join()]),
  );
}

/** A copy of `bytes` (an encoded model) with initializer `name` changed by `edit`. */
function perturbed(
  bytes: Uint8Array,
  name: string,
  edit: (data: Float32Array) => void,
): Uint8Array {
  const model = decodeModel(bytes);
  const initializers = model.graph.initializers.map((t) => {
    if (t.name !== name) return t;
    const data = (t.data as Float32Array).slice();
    edit(data);
    return new OnnxTensor(data, t.dims, { name });
  });
  return encodeModel({ ...model, graph: { ...model.graph, initializers } });
}

Deno.test(`FineTuner: LeNet-5 exported by PyTorch, last layer on ${DATA.source}`, async (t) => {
  const model = await readModelFile(LENET);
  const original = initializerBytes(model);

  await t.step("the last layer is fc3, its input the 84 features", () => {
    const tuner = new FineTuner(model);
    assertEquals(tuner.layer.nodes.map((n) => n.opType), ["Gemm"]);
    assertEquals([tuner.layer.weightName, tuner.layer.biasName], ["fc3.weight", "fc3.bias"]);
    assertEquals([tuner.layer.features, tuner.layer.classes], [84, 10]);
    assertEquals(tuner.layer.featureName, "/Relu_3_output_0");
    assertEquals(tuner.parameters().map((p) => p.value.shape), [[10, 84], [10]]);
    // The export fixed the batch at 2; dynamicBatch lets 5 images through.
    assertEquals(tuner.features(Tensor.zeros([5, 1, 28, 28])).shape, [5, 84]);
  });

  const tuner = new FineTuner(model, { seed: 3 });
  const initialHead = Array.from(tuner.head.weight.value.data);
  const before = loss(tuner, DATA.train);
  const result = tuner.fit(DATA.train, {
    optimizer: new Adam(tuner.parameters(), { lr: 0.1 }),
    epochs: 4,
    batchSize: 64,
    test: DATA.test,
  });
  const saved = tuner.toOnnx();

  await t.step("the training loss decreases", () => {
    const after = loss(tuner, DATA.train);
    // A frozen random LeNet-5 gives weak features (|f| ≤ 0.12, nearly the same for every
    // image), hence Adam's large lr and a modest gain (2.302 → 2.251 on Fashion-MNIST).
    assert(after < before - 0.02, `loss ${before} → ${after}`);
    assertEquals(result.losses.length, 4 * 8);
    assertEquals(result.epochs.length, 4);
    assert(result.extractSeconds > 0, "features were cached");
  });

  await t.step("only the head changed; the graph keeps its nodes", () => {
    const m = decodeModel(saved);
    assertEquals(m.graph.nodes.map((n) => n.opType), model.graph.nodes.map((n) => n.opType));
    const written = initializerBytes(m);
    assertEquals([...written.keys()].sort(), [...original.keys()].sort());
    for (const [name, bytes] of original) {
      if (name === "fc3.weight" || name === "fc3.bias") {
        assertDiffers(written.get(name), bytes, `${name} is the trained one`);
      } else {
        assertEquals(written.get(name), bytes, `${name} must be unchanged`);
      }
    }
    const w = m.graph.initializers.find((x) => x.name === "fc3.weight")!;
    assertEquals(Array.from(w.data as Float32Array), Array.from(tuner.head.weight.value.data));
    assertDiffers(Array.from(w.data as Float32Array), initialHead, "the head was trained");
    assertEquals(m.graph.inputs[0].shape, ["N", 1, 28, 28]);
    assertEquals(m.graph.outputs[0].shape, ["N", 10]);
  });

  await t.step("cached and uncached features train the same head", () => {
    const other = new FineTuner(model, { seed: 3 });
    const again = other.fit(DATA.train, {
      optimizer: new Adam(other.parameters(), { lr: 0.1 }),
      epochs: 4,
      batchSize: 64,
      test: DATA.test,
      cache: false,
    });
    assertEquals(again.losses, result.losses);
    assertEquals(again.extractSeconds, 0);
    assertEquals(
      Array.from(other.head.weight.value.data),
      Array.from(tuner.head.weight.value.data),
    );
  });

  await t.step({
    name: "the saved model: our executor = ONNX Runtime = the tuner; same predictions",
    ignore: !canRunOrt,
    fn: async () => {
      const x = DATA.test.images;
      const { ort, truth, bound } = await truthAndOrt(saved, "X", "Y", x);
      assertTensorClose(runOurs(decodeModel(saved), x), truth, bound, "executor vs float64");
      assertTensorClose(tuner.forward(x), truth, bound, "tuner vs float64");
      // A wrong answer it rejects: the saved model with the head's first bias off by 1e-3.
      const wrong = await runOrt(perturbed(saved, "fc3.bias", (b) => b[0] += 1e-3), "X", "Y", x);
      assert(!compareTensors(wrong, truth, bound).ok, "a bias off by 1e-3 must fail");
      const predictions = tuner.evaluate(DATA.test).predictions;
      assertEquals(Array.from(predictions), Array.from(result.testPredictions!));
      const ortPredictions = Array.from({ length: 256 }, (_, r) => {
        const row = Array.from(ort.data.subarray(r * 10, r * 10 + 10));
        return row.indexOf(Math.max(...row));
      });
      assertEquals(ortPredictions, Array.from(predictions));
    },
  });

  await t.step({
    name: 'head "keep" starts from fc3: the tuner equals ONNX Runtime on the original',
    ignore: !canRunOrt,
    fn: async () => {
      const kept = new FineTuner(model, { head: "keep" });
      const x = DATA.test.images.reshape([256, 1, 28, 28]);
      const two = new Tensor(x.data.slice(0, 2 * 784), [2, 1, 28, 28]);
      const { truth, bound } = await truthAndOrt(encodeModel(model), "X", "Y", two);
      assertTensorClose(kept.forward(two), truth, bound);
    },
  });
});

// A residual block with batch norm, as in resnet18: Conv BN Relu Conv BN Add Relu GAP Flatten
// Gemm, input [N, 1, 8, 8], 4 channels, 3 classes, seeded values; running variance ≠ 1.
function residualModel(
  options: { matmulHead?: boolean; plainGemm?: boolean; trainingBn?: boolean } = {},
): OnnxModel {
  const tensor = (name: string, dims: number[], seed: number, scale = 0.5, offset = 0) =>
    new OnnxTensor(
      Float32Array.from(Tensor.randn(dims, { seed }).data, (v) => offset + scale * v),
      dims,
      { name },
    );
  const bn = (i: number) => [
    tensor(`bn${i}.weight`, [4], 10 + i, 0.2, 1),
    tensor(`bn${i}.bias`, [4], 20 + i, 0.1),
    tensor(`bn${i}.running_mean`, [4], 30 + i, 0.1),
    new OnnxTensor(Float32Array.from([0.5, 1, 1.5, 2]), [4], { name: `bn${i}.running_var` }),
  ];
  const bnNode = (i: number, x: string, y: string): OnnxNodeInit => ({
    opType: "BatchNormalization",
    name: `/bn${i}`,
    inputs: [x, `bn${i}.weight`, `bn${i}.bias`, `bn${i}.running_mean`, `bn${i}.running_var`],
    outputs: [y],
    attributes: options.trainingBn && i === 2 ? { training_mode: 1 } : {},
  });
  const conv = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };
  const head: OnnxNodeInit[] = options.matmulHead
    ? [
      { opType: "MatMul", name: "/fc/MatMul", inputs: ["f", "fc.weight"], outputs: ["m"] },
      { opType: "Add", name: "/fc/Add", inputs: ["m", "fc.bias"], outputs: ["logits"] },
    ]
    : [{
      opType: "Gemm",
      name: "/fc/Gemm",
      inputs: ["f", "fc.weight", "fc.bias"],
      outputs: ["logits"],
      // transB = 0 and alpha, beta ≠ 1: W = 0.5·Bᵀ, b = 2·C.
      attributes: options.plainGemm
        ? { alpha: { type: "float", value: 0.5 }, beta: { type: "float", value: 2 } }
        : { transB: 1 },
    }];
  return decodeModel(encodeModel({
    graph: {
      name: "residual",
      nodes: [
        {
          opType: "Conv",
          name: "/conv1",
          inputs: ["x", "conv1.weight"],
          outputs: ["c1"],
          attributes: conv,
        },
        bnNode(1, "c1", "b1"),
        { opType: "Relu", name: "/relu1", inputs: ["b1"], outputs: ["r1"] },
        {
          opType: "Conv",
          name: "/conv2",
          inputs: ["r1", "conv2.weight"],
          outputs: ["c2"],
          attributes: conv,
        },
        bnNode(2, "c2", "b2"),
        { opType: "Add", name: "/add", inputs: ["b2", "r1"], outputs: ["s"] },
        { opType: "Relu", name: "/relu2", inputs: ["s"], outputs: ["r2"] },
        { opType: "GlobalAveragePool", name: "/gap", inputs: ["r2"], outputs: ["g"] },
        { opType: "Flatten", name: "/flatten", inputs: ["g"], outputs: ["f"] },
        ...head,
      ],
      initializers: [
        tensor("conv1.weight", [4, 1, 3, 3], 1),
        ...bn(1),
        tensor("conv2.weight", [4, 4, 3, 3], 2, 0.3),
        ...bn(2),
        options.matmulHead || options.plainGemm
          ? tensor("fc.weight", [4, 3], 3)
          : tensor("fc.weight", [3, 4], 3),
        tensor("fc.bias", [3], 4, 0.1),
      ],
      inputs: [{ name: "x", dtype: "float32", shape: ["N", 1, 8, 8] }],
      outputs: [{ name: "logits", dtype: "float32", shape: ["N", 3] }],
    },
  }));
}

const TO_8X8 = imageTransform({ size: [8, 8] });

Deno.test("FineTuner: residual block with batch norm, trainAll", async (t) => {
  const model = residualModel();
  const original = initializerBytes(model);
  const tuner = new FineTuner(model, { trainAll: true, seed: 1 });

  await t.step("trainable: every initializer but the running statistics", () => {
    assertEquals(tuner.parameters().map((p) => p.name), [
      "conv1.weight",
      "bn1.weight",
      "bn1.bias",
      "conv2.weight",
      "bn2.weight",
      "bn2.bias",
      "weight",
      "bias",
    ]);
  });

  const before = loss(tuner, DATA.train, TO_8X8);
  const result = tuner.fit(DATA.train, {
    optimizer: new SGD(tuner.parameters(), { lr: 0.1, momentum: 0.9 }),
    epochs: 3,
    batchSize: 32,
    transform: TO_8X8,
    test: DATA.test,
  });
  const saved = tuner.toOnnx();

  await t.step("the loss decreases; the statistics stay, everything else trained", () => {
    const after = loss(tuner, DATA.train, TO_8X8);
    assert(after < before - 0.1, `loss ${before} → ${after}`);
    assertEquals(result.extractSeconds, 0);
    const written = initializerBytes(decodeModel(saved));
    for (const [name, bytes] of original) {
      if (name.includes("running_")) assertEquals(written.get(name), bytes, name);
      else assertDiffers(written.get(name), bytes, `${name} must have trained`);
    }
    assertEquals(decodeModel(saved).graph.outputs[0].shape, ["N", 10]);
  });

  await t.step({
    name: "the saved model: our executor = ONNX Runtime = the tuner",
    ignore: !canRunOrt,
    fn: async () => {
      const x = TO_8X8(DATA.test.images);
      const { truth, bound } = await truthAndOrt(saved, "x", "logits", x);
      assertTensorClose(runOurs(decodeModel(saved), x), truth, bound, "executor vs float64");
      assertTensorClose(tuner.forward(x), truth, bound, "tuner vs float64");
      // A wrong answer it rejects: the first convolution's weights 0.1% too large.
      const scaled = perturbed(saved, "conv1.weight", (w) => w.forEach((v, i) => w[i] = v * 1.001));
      const wrong = await runOrt(scaled, "x", "logits", x);
      assert(!compareTensors(wrong, truth, bound).ok, "a changed conv weight must fail");
    },
  });

  await t.step("cache needs a frozen extractor", () => {
    assertThrows(
      () =>
        tuner.fit(DATA.train, { optimizer: new SGD(tuner.parameters(), { lr: 0.1 }), cache: true }),
      RangeError,
      "cache needs a frozen extractor, but trainAll is set",
    );
  });
});

Deno.test("FineTuner: Gemm with transB = 0, alpha and beta", async (t) => {
  await t.step({
    name: 'head "keep" reads W = alpha·Bᵀ, b = beta·C: equals ONNX Runtime on the original',
    ignore: !canRunOrt,
    fn: async () => {
      const model = residualModel({ plainGemm: true });
      const kept = new FineTuner(model, { head: "keep", classes: 3 });
      assertEquals([kept.layer.features, kept.layer.classes], [4, 3]);
      const x = TO_8X8(slice(DATA.test, 16).images);
      const { truth, bound } = await truthAndOrt(encodeModel(model), "x", "logits", x);
      assertTensorClose(kept.forward(x), truth, bound);
    },
  });
});

Deno.test("FineTuner: MatMul + Add head", async (t) => {
  const model = residualModel({ matmulHead: true });

  await t.step({
    name: 'head "keep" reads W = Bᵀ and the Add bias: equals ONNX Runtime on the original',
    ignore: !canRunOrt,
    fn: async () => {
      const kept = new FineTuner(model, { head: "keep", classes: 3 });
      assertEquals(kept.layer.nodes.map((n) => n.opType), ["MatMul", "Add"]);
      const x = TO_8X8(slice(DATA.test, 16).images);
      const { truth, bound } = await truthAndOrt(encodeModel(model), "x", "logits", x);
      assertTensorClose(kept.forward(x), truth, bound);
    },
  });

  await t.step({
    name: "the saved model has one Gemm in place of MatMul + Add; ONNX Runtime agrees",
    ignore: !canRunOrt,
    fn: async () => {
      const tuner = new FineTuner(model, { seed: 2 });
      tuner.fit(slice(DATA.train, 128), {
        optimizer: new SGD(tuner.parameters(), { lr: 0.1 }),
        transform: TO_8X8,
      });
      const saved = decodeModel(tuner.toOnnx());
      assertEquals(saved.graph.nodes.slice(-2).map((n) => n.opType), ["Flatten", "Gemm"]);
      assertEquals(saved.graph.nodes.at(-1)!.inputs, ["f", "fc.weight", "fc.bias"]);
      const x = TO_8X8(slice(DATA.test, 16).images);
      const { truth, bound } = await truthAndOrt(tuner.toOnnx(), "x", "logits", x);
      assertTensorClose(tuner.forward(x), truth, bound);
    },
  });
});

Deno.test("FineTuner: bad input", async (t) => {
  const lenet = await readModelFile(LENET);
  const withNodes = (model: OnnxModel, nodes: OnnxNodeInit[], extra: OnnxTensor[] = []) =>
    decodeModel(encodeModel({
      ...model,
      graph: {
        ...model.graph,
        nodes,
        initializers: [...model.graph.initializers, ...extra],
      },
    }));

  await t.step("no final Gemm/MatMul", () => {
    const nodes = [...lenet.graph.nodes.slice(0, -1), {
      opType: "Relu",
      name: "/relu_out",
      inputs: ["/Relu_3_output_0"],
      outputs: ["Y"],
    }];
    assertThrows(
      () => new FineTuner(withNodes(lenet, nodes)),
      TypeError,
      'the graph output "Y" is computed by a Relu node ("/relu_out"); fine-tuning needs the ' +
        "graph output to be computed by a Gemm, MatMul or MatMul + Add whose weight is an " +
        "initializer",
    );
  });

  await t.step("a Gemm of two computed values", () => {
    const nodes = [...lenet.graph.nodes.slice(0, -1), {
      opType: "Gemm",
      name: "/outer",
      inputs: ["/Relu_3_output_0", "/Relu_3_output_0"],
      outputs: ["Y"],
      attributes: { transB: 1 },
    }];
    assertThrows(
      () => new FineTuner(withNodes(lenet, nodes)),
      TypeError,
      "the last Gemm node must multiply a computed value by a 2-D float initializer",
    );
  });

  await t.step("the head's weight is read elsewhere", () => {
    const nodes = [...lenet.graph.nodes, {
      opType: "Identity",
      name: "/peek",
      inputs: ["fc3.weight"],
      outputs: ["peek"],
    }];
    assertThrows(
      () => new FineTuner(withNodes(lenet, nodes)),
      TypeError,
      '"fc3.weight" of the last layer is also read by the Identity node "/peek"',
    );
  });

  await t.step("wrong class count and option values", () => {
    assertThrows(
      () => new FineTuner(lenet, { head: "keep", classes: 5 }),
      RangeError,
      'with head "keep", classes (5) must equal the outputs of the model\'s last layer (10, ' +
        'weight "fc3.weight")',
    );
    assertThrows(
      () => new FineTuner(lenet, { classes: 0 }),
      RangeError,
      "classes must be a positive integer, got 0",
    );
    assertThrows(
      () => new FineTuner(lenet, { head: "old" as "new" }),
      TypeError,
      'head must be "new" or "keep", got "old"',
    );
    assertThrows(
      () => new FineTuner({} as OnnxModel),
      TypeError,
      "model must be a decoded OnnxModel",
    );
    const tuner = new FineTuner(lenet, { classes: 3 });
    assertThrows(
      () => tuner.fit(DATA.train, { optimizer: new SGD(tuner.parameters(), { lr: 0.1 }) }),
      RangeError,
      "outside [0, 3) (the head has 3 classes)",
    );
    assertThrows(
      () =>
        tuner.fit(DATA.train, { optimizer: new SGD(tuner.parameters(), { lr: 0.1 }), epochs: 0 }),
      RangeError,
      "epochs must be a positive integer, got 0",
    );
  });

  await t.step("images of the wrong shape", () => {
    const tuner = new FineTuner(lenet);
    assertThrows(
      () => tuner.features(Tensor.zeros([2, 1, 32, 32])),
      TypeError,
      `must have shape ["N", 1, 28, 28], got [2, 1, 32, 32]`,
    );
  });

  await t.step("batch norm in training mode; statistics shared with a bias", () => {
    assertThrows(
      () => new FineTuner(residualModel({ trainingBn: true })),
      TypeError,
      'BatchNormalization node "/bn2" has training_mode = 1',
    );
    // torch.onnx.export's merging of equal initializers: bn1's running mean read via Identity
    // from bn1's bias.
    const model = residualModel();
    const nodes = model.graph.nodes.map((n) =>
      n.name === "/bn1" ? { ...n, inputs: [...n.inputs.slice(0, 3), "shared", n.inputs[4]] } : n
    );
    const merged = withNodes(model, [
      { opType: "Identity", name: "Identity_0", inputs: ["bn1.bias"], outputs: ["shared"] },
      ...nodes,
    ]);
    new FineTuner(merged); // a frozen extractor is fine
    assertThrows(
      () => new FineTuner(merged, { trainAll: true }),
      TypeError,
      'initializer "bn1.bias" is both a BatchNormalization running statistic and an input of ' +
        'the BatchNormalization node "/bn1"',
    );
  });
});
