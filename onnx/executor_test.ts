import { assert, assertEquals, assertThrows } from "@std/assert";
import { assertTensorClose } from "../testing/assert_tensor.ts";
import { loadCase } from "./case.ts";
import { GraphExecutor, UnsupportedOpError } from "./executor.ts";
import { OnnxFormatError } from "./format_error.ts";
import type { OnnxGraphInit } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import {
  assertValues,
  checkGradients,
  f32,
  f64,
  graphModel,
  i64,
  nodeModel,
  rand,
} from "./_ops/_ops_test_util.ts";

/** Conv → Relu → MaxPool → Flatten → Gemm → SoftmaxCrossEntropyLoss on [2, 1, 5, 5]. */
function cnnGraph(): OnnxGraphInit {
  return {
    nodes: [
      {
        name: "conv",
        opType: "Conv",
        inputs: ["x", "cw", "cb"],
        outputs: ["c"],
        attributes: { pads: [1, 1, 1, 1] },
      },
      { name: "relu", opType: "Relu", inputs: ["c"], outputs: ["r"] },
      {
        name: "pool",
        opType: "MaxPool",
        inputs: ["r"],
        outputs: ["p"],
        attributes: { kernel_shape: [2, 2], strides: [2, 2] },
      },
      { name: "flat", opType: "Flatten", inputs: ["p"], outputs: ["f"] },
      {
        name: "fc",
        opType: "Gemm",
        inputs: ["f", "fw", "fb"],
        outputs: ["logits"],
        attributes: { transB: 1 },
      },
      {
        name: "loss",
        opType: "SoftmaxCrossEntropyLoss",
        inputs: ["logits", "labels"],
        outputs: ["loss"],
      },
    ],
    initializers: [
      rand([2, 1, 3, 3], 201, "cw"),
      rand([2], 202, "cb"),
      rand([3, 8], 203, "fw"),
      rand([3], 204, "fb"),
    ],
    inputs: [
      { name: "x", dtype: "float64", shape: ["N", 1, 5, 5] },
      { name: "labels", dtype: "int64", shape: ["N"] },
    ],
    outputs: [{ name: "loss", dtype: "float64", shape: [] }],
  };
}

Deno.test("GraphExecutor: names and run", async (t) => {
  await t.step("inputNames skip initializers listed as inputs (IR < 4)", () => {
    const model = graphModel({
      nodes: [{ opType: "Add", inputs: ["x", "b"], outputs: ["y"] }],
      initializers: [f32([1], [1], "b")],
      inputs: [{ name: "x", dtype: "float32", shape: [1] }, {
        name: "b",
        dtype: "float32",
        shape: [1],
      }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    const executor = new GraphExecutor(model);
    assertEquals([...executor.inputNames], ["x"]);
    assertEquals([...executor.initializerNames], ["b"]);
    assertEquals([...executor.outputNames], ["y"]);
    const [y] = executor.run([f32([2], [1])]);
    assertEquals(y.name, "y");
    assertValues(y, [3]);
  });
  await t.step("a graph output may be a graph input (no node)", () => {
    const model = graphModel({
      nodes: [{ opType: "Relu", inputs: ["x"], outputs: ["y"] }],
      inputs: [{ name: "x", dtype: "float64", shape: [2] }],
      outputs: [{ name: "y", dtype: "float64" }, { name: "x", dtype: "float64" }],
    });
    const executor = new GraphExecutor(model);
    executor.run([f64([-1, 2], [2])]);
    const { inputs } = executor.backward([f64([1, 1], [2]), f64([10, 10], [2])]);
    assertValues(inputs[0], [10, 11]);
  });
  await t.step(
    "dtype float64 computes a float32 model in float64, accepting either input type",
    () => {
      const model = nodeModel({
        opType: "Conv",
        inputs: [f32([1, 2, 3], [1, 1, 3], "x")],
        initializers: [f32([1, 1], [1, 1, 2], "w")],
      });
      const executor = new GraphExecutor(model, { dtype: "float64" });
      const [a] = executor.run([f32([1, 2, 3], [1, 1, 3])]);
      const [b] = executor.run([f64([1, 2, 3], [1, 1, 3])]);
      assertEquals([a.dtype, b.dtype], ["float64", "float64"]);
      assertValues(a, [3, 5]);
      assertEquals(executor.parameters()[0].value.dtype, "float64");
    },
  );
  await t.step("absolute: |X| ⋆ |W| for a Conv with mixed signs", () => {
    const model = nodeModel({
      opType: "Conv",
      inputs: [f32([1, -2, 3], [1, 1, 3], "x")],
      initializers: [f32([1, -1], [1, 1, 2], "w")],
    });
    const executor = new GraphExecutor(model, {
      absolute: true,
      dtype: "float64",
      impl: "reference",
    });
    assertValues(executor.run([f32([1, -2, 3], [1, 1, 3])])[0], [3, 5]);
    const plain = new GraphExecutor(model).run([f32([1, -2, 3], [1, 1, 3])])[0];
    assertValues(plain, [3, -5]);
  });
  await t.step("reference and fast agree on the CNN graph in float32", () => {
    const graph = cnnGraph();
    const model = graphModel(graph);
    const x = rand([2, 1, 5, 5], 205), labels = i64([0, 2], [2]);
    const run = (impl: "fast" | "reference") => {
      const executor = new GraphExecutor(model, { impl, dtype: "float32" });
      const [loss] = executor.run([x, labels]);
      const grads = executor.backward([f32([1], [])]);
      return { loss, grads };
    };
    const fast = run("fast"), reference = run("reference");
    assertTensorClose(fast.loss, reference.loss, { rtol: 1e-5, atol: 1e-6 });
    fast.grads.initializers.forEach((g, k) => {
      assertTensorClose(g!, reference.grads.initializers[k]!, { rtol: 1e-4, atol: 1e-6 });
    });
  });
});

Deno.test("GraphExecutor: backward of multi-node graphs by finite differences", async (t) => {
  await t.step("Conv → Relu → MaxPool → Flatten → Gemm → SoftmaxCrossEntropyLoss", () => {
    checkGradients(graphModel(cnnGraph()), [rand([2, 1, 5, 5], 205), i64([0, 2], [2])]);
  });
  await t.step("fan-out: x feeds Mul and Tanh, whose results are Added", () => {
    const model = graphModel({
      nodes: [
        { opType: "Mul", inputs: ["x", "w"], outputs: ["m"] },
        { opType: "Tanh", inputs: ["x"], outputs: ["t"] },
        { opType: "Add", inputs: ["m", "t"], outputs: ["s"] },
        { opType: "Mul", inputs: ["s", "s"], outputs: ["y"] },
      ],
      initializers: [rand([3], 211, "w")],
      inputs: [{ name: "x", dtype: "float64", shape: [2, 3] }],
      outputs: [{ name: "y", dtype: "float64" }],
    });
    checkGradients(model, [rand([2, 3], 212)]);
  });
  await t.step("fan-out by hand: y = x·x + x has dy/dx = 2x + 1", () => {
    const model = graphModel({
      nodes: [
        { opType: "Mul", inputs: ["x", "x"], outputs: ["sq"] },
        { opType: "Add", inputs: ["sq", "x"], outputs: ["y"] },
      ],
      inputs: [{ name: "x", dtype: "float64", shape: [2] }],
      outputs: [{ name: "y", dtype: "float64" }],
    });
    const executor = new GraphExecutor(model);
    executor.run([f64([3, -1], [2])]);
    assertValues(executor.backward([f64([1, 1], [2])]).inputs[0], [7, -1]);
  });
  await t.step("Reshape → Transpose → MatMul → Reshape chain, outputs used twice", () => {
    const model = graphModel({
      nodes: [
        { opType: "Reshape", inputs: ["x", "shape"], outputs: ["r"] },
        { opType: "Transpose", inputs: ["r"], outputs: ["t"], attributes: { perm: [1, 0] } },
        { opType: "MatMul", inputs: ["t", "w"], outputs: ["m"] },
        { opType: "Flatten", inputs: ["m"], outputs: ["f"], attributes: { axis: 0 } },
        { opType: "Sigmoid", inputs: ["f"], outputs: ["y"] },
      ],
      initializers: [i64([6, 4], [2], "shape"), rand([6, 2], 213, "w")],
      inputs: [{ name: "x", dtype: "float64", shape: [2, 3, 4] }],
      outputs: [{ name: "y", dtype: "float64" }, { name: "m", dtype: "float64" }],
    });
    checkGradients(model, [rand([2, 3, 4], 214)]);
  });
  await t.step("disconnected float initializer gets zeros, int input gets undefined", () => {
    const model = graphModel({
      nodes: [{ opType: "Reshape", inputs: ["x", "shape"], outputs: ["y"] }],
      initializers: [f32([5], [1], "unused")],
      inputs: [{ name: "x", dtype: "float32", shape: [2] }, {
        name: "shape",
        dtype: "int64",
        shape: [1],
      }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    const executor = new GraphExecutor(model);
    executor.run([f32([1, 2], [2]), i64([2], [1])]);
    const grads = executor.backward([f32([3, 4], [2])]);
    assertValues(grads.inputs[0], [3, 4]);
    assertEquals(grads.inputs[1], undefined);
    assertValues(grads.initializers[0], [0]);
  });
});

Deno.test("GraphExecutor: parameters() fine-tune an imported model", () => {
  const model = graphModel(cnnGraph());
  const executor = new GraphExecutor(model, { dtype: "float64" });
  const x = rand([2, 1, 5, 5], 205), labels = i64([0, 2], [2]);
  const parameters = executor.parameters();
  assertEquals(parameters.map((p) => p.name), ["cw", "cb", "fw", "fb"]);
  const [before] = executor.run([x, labels]);
  executor.backward([f64([1], [])]);
  // The accumulated grad equals the returned initializer gradient; a second backward doubles it.
  const once = Array.from(parameters[2].grad.data);
  executor.backward([f64([1], [])]);
  assertTensorClose(parameters[2].grad, { shape: [3, 8], data: once.map((v) => 2 * v) });
  for (const p of parameters) {
    for (let i = 0; i < p.value.size; i++) p.value.data[i] -= 0.1 * p.grad.data[i];
    p.zeroGrad();
  }
  const [after] = executor.run([x, labels]);
  assert(
    (after.data[0] as number) < (before.data[0] as number),
    `loss ${after.data[0]} ≥ ${before.data[0]}`,
  );
});

Deno.test("GraphExecutor: reductionLengths compose along the graph", () => {
  // Conv (Cin 2, kernel 2×2: n 8) → Relu (0) → Flatten → Gemm (K 27 + C: 28) with 5 outputs.
  const model = graphModel({
    nodes: [
      { opType: "Conv", inputs: ["x", "w"], outputs: ["c"] },
      { opType: "Relu", inputs: ["c"], outputs: ["r"] },
      { opType: "Flatten", inputs: ["r"], outputs: ["f"] },
      { opType: "Gemm", inputs: ["f", "fw", "fb"], outputs: ["y"], attributes: { transB: 1 } },
    ],
    initializers: [rand([3, 2, 2, 2], 221, "w"), rand([5, 27], 222, "fw"), rand([5], 223, "fb")],
    inputs: [{ name: "x", dtype: "float64", shape: [1, 2, 4, 4] }],
    outputs: [{ name: "y", dtype: "float64" }],
  });
  const executor = new GraphExecutor(model);
  executor.run([rand([1, 2, 4, 4], 224)]);
  const n = executor.reductionLengths();
  assertEquals(n.outputs, [8 + 28]);
  // The upstream gradient is given exactly: n starts at 0 (not at the forward's 36).
  // Gemm: dA sums N = 5 terms, dB sums M = 1, dC nothing (no broadcast).
  // Conv: dX sums Cout·Πk = 12, dW sums N·Πout = 9.
  assertEquals(n.gradInitializers, [5 + 9, 1, 0]);
  assertEquals(n.gradInputs, [5 + 12]);
});

Deno.test("GraphExecutor: errors", async (t) => {
  const x = f32([1, 2], [2], "x");
  await t.step("unsupported operator names the node and op type", () => {
    const error = assertThrows(
      () => new GraphExecutor(nodeModel({ opType: "GatherElements", inputs: [x], name: "g1" })),
      UnsupportedOpError,
      `"g1" (GatherElements): operator GatherElements is not supported`,
    );
    assertEquals([error.node, error.opType], ["g1", "GatherElements"]);
  });
  await t.step("an unnamed node is named by its position", () => {
    const model = graphModel({
      nodes: [{ opType: "Relu", inputs: ["x"], outputs: ["r"] }, {
        opType: "Erf",
        inputs: ["r"],
        outputs: ["y"],
      }],
      inputs: [{ name: "x", dtype: "float32", shape: [2] }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    const error = assertThrows(() => new GraphExecutor(model), UnsupportedOpError, "#1 (Erf)");
    assertEquals(error.node, "#1");
  });
  await t.step("unsupported attribute value and unknown attribute", () => {
    const mode = nodeModel({
      opType: "SoftmaxCrossEntropyLoss",
      inputs: [x, i64([0], [1], "l")],
      attributes: { reduction: "max" },
    });
    assertThrows(
      () => new GraphExecutor(mode),
      UnsupportedOpError,
      `reduction must be "mean", "sum" or "none", got "max"`,
    );
    const unknown = nodeModel({ opType: "Relu", inputs: [x], attributes: { alpha: 1 } });
    assertThrows(
      () => new GraphExecutor(unknown),
      UnsupportedOpError,
      "attribute alpha is not defined for Relu at opset 17",
    );
  });
  await t.step("opsets above 21 and ops below their opset", () => {
    assertThrows(
      () => new GraphExecutor(nodeModel({ opType: "Relu", inputs: [x], opset: 22 })),
      UnsupportedOpError,
      "opset 22",
    );
    const sce = nodeModel({
      opType: "SoftmaxCrossEntropyLoss",
      inputs: [x, i64([0], [1], "l")],
      opset: 11,
    });
    assertThrows(
      () => new GraphExecutor(sce),
      UnsupportedOpError,
      "does not exist before opset 12",
    );
  });
  await t.step("custom domain", () => {
    const model = graphModel({
      nodes: [{ opType: "Relu", domain: "com.example", inputs: ["x"], outputs: ["y"] }],
      inputs: [{ name: "x", dtype: "float32", shape: [2] }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    assertThrows(() => new GraphExecutor(model), UnsupportedOpError, `domain "com.example"`);
  });
  await t.step("nodes not topologically sorted, undefined inputs and outputs", () => {
    const graph = (nodes: OnnxGraphInit["nodes"], outputs = ["y"]) =>
      graphModel({
        nodes,
        inputs: [{ name: "x", dtype: "float32", shape: [2] }],
        outputs: outputs.map((name) => ({ name, dtype: "float32" as const })),
      });
    const unsorted = graph([
      { opType: "Relu", inputs: ["r"], outputs: ["y"] },
      { opType: "Relu", inputs: ["x"], outputs: ["r"] },
    ]);
    assertThrows(() => new GraphExecutor(unsorted), OnnxFormatError, "not topologically sorted");
    const dangling = graph([{ opType: "Relu", inputs: ["nowhere"], outputs: ["y"] }]);
    assertThrows(() => new GraphExecutor(dangling), OnnxFormatError, `input "nowhere" is neither`);
    const missing = graph([{ opType: "Relu", inputs: ["x"], outputs: ["y"] }], ["y", "z"]);
    assertThrows(() => new GraphExecutor(missing), OnnxFormatError, `output "z" is not produced`);
  });
  await t.step("input count, shape and dtype mismatches are TypeErrors", () => {
    const model = graphModel({
      nodes: [{ opType: "Relu", inputs: ["x"], outputs: ["y"] }],
      inputs: [{ name: "x", dtype: "float32", shape: ["N", 2] }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    const executor = new GraphExecutor(model);
    assertThrows(() => executor.run([]), TypeError, "expected 1 inputs (x), got 0");
    assertThrows(
      () => executor.run([f32([1, 2, 3], [1, 3])]),
      TypeError,
      `must have shape ["N", 2], got [1, 3]`,
    );
    assertThrows(
      () => executor.run([f64([1, 2], [1, 2])]),
      TypeError,
      "must have dtype float32, got float64",
    );
    assertValues(executor.run([f32([-1, 2, 3, -4], [2, 2])])[0], [0, 2, 3, 0]);
  });
  await t.step("float16 input is unsupported, naming the node and the dtype", () => {
    const model = graphModel({
      nodes: [{ name: "r", opType: "Relu", inputs: ["x"], outputs: ["y"] }],
      inputs: [{ name: "x", dtype: "float16", shape: [2] }],
      outputs: [{ name: "y", dtype: "float16" }],
    });
    assertThrows(
      () => new GraphExecutor(model),
      UnsupportedOpError,
      `"r" (Relu): input "x" has dtype float16`,
    );
    const half = new OnnxTensor(new Float32Array([1]), [1], { dtype: "float16", name: "h" });
    // An input without a declared element type reaches the kernel, which refuses float16.
    const typed = graphModel({
      nodes: [{ name: "r", opType: "Relu", inputs: ["h"], outputs: ["y"] }],
      inputs: [{ name: "h", dtype: "float32" }],
      outputs: [{ name: "y", dtype: "float32" }],
    });
    const untyped = {
      ...typed,
      graph: { ...typed.graph, inputs: [{ name: "h", kind: "tensor" as const, elemType: 0 }] },
    };
    assertThrows(
      () => new GraphExecutor(untyped).run([half]),
      UnsupportedOpError,
      "X has dtype float16",
    );
  });
  await t.step("backward before run; gradient of the wrong shape", () => {
    const executor = new GraphExecutor(nodeModel({ opType: "Relu", inputs: [x] }));
    assertThrows(() => executor.backward([f32([1, 1], [2])]), Error, "call run first");
    assertThrows(() => executor.reductionLengths(), Error, "call run first");
    executor.run([x]);
    assertThrows(
      () => executor.backward([f32([1], [1])]),
      TypeError,
      'has shape [1], but output "y" has shape [2]',
    );
  });
  await t.step("layer errors are re-thrown naming the node", () => {
    const model = nodeModel({
      opType: "MatMul",
      inputs: [f32([1, 2], [1, 2], "a"), f32([1, 2], [1, 2], "b")],
      name: "mm",
    });
    assertThrows(
      () => new GraphExecutor(model).run([f32([1, 2], [1, 2]), f32([1, 2], [1, 2])]),
      TypeError,
      `"mm" (MatMul)`,
    );
  });
});

Deno.test("GraphExecutor: ONNX backend node tests", async (t) => {
  const root = "/usr/share/libonnx-testdata/data/node";
  try {
    await Deno.stat(root);
  } catch {
    console.log(`skipped: ${root} does not exist (install libonnx-testdata to run these)`);
    return;
  }
  const cases = [
    "test_conv_with_strides_padding",
    "test_maxpool_2d_pads",
    "test_maxpool_with_argmax_2d_precomputed_strides",
    "test_averagepool_2d_pads_count_include_pad",
    "test_softmax_axis_0",
    "test_gemm_all_attributes",
    "test_reshape_negative_extended_dims",
    "test_reshape_allowzero_reordered",
    "test_transpose_all_permutations_4",
    "test_convtranspose_output_shape",
    "test_batchnorm_example_training_mode",
    "test_sce_mean_weight_ii_log_prob",
  ];
  for (const name of cases) {
    await t.step(name, async () => {
      const golden = await loadCase(`${root}/${name}`);
      const executor = new GraphExecutor(golden.model);
      for (const set of golden.dataSets) {
        executor.run(set.inputs).forEach((output, k) => {
          assertTensorClose(
            output,
            set.outputs[k],
            { rtol: 1e-4, atol: 1e-6 },
            `${name} output ${k}`,
          );
        });
      }
    });
  }
});
