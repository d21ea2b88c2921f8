/**
 * Export a network built from this package's modules as an ONNX model that ONNX Runtime runs.
 *
 * @module
 */

import { formatShape, formatValue } from "../layers/_errors.ts";
import { Module } from "../layers/module.ts";
import { Sequential } from "../layers/sequential.ts";
import { Tensor } from "../layers/tensor.ts";
import { encodeModel, type OnnxDim, type OnnxNodeInit } from "../onnx/model.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { describeLayer, type EmitContext, emitLayer } from "./_onnx_nodes.ts";

/** Options of {@linkcode exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * Shape of one input, batch axis included, e.g. `[1, 1, 28, 28]` (required). The exporter runs
   * one forward pass of zeros of this shape to learn every layer's input shape.
   */
  inputShape: readonly number[];
  /** ONNX opset of the default domain, 13 to 22. @default 17 */
  opset?: number;
  /**
   * Declare the batch axis as the symbolic size `"N"`, so the model accepts any batch size.
   * @default true
   */
  dynamicBatch?: boolean;
}

/** Lowest and highest supported opset, and the IR version each opset range needs. */
const MIN_OPSET = 13, MAX_OPSET = 22;
const irVersionFor = (opset: number): number => opset <= 17 ? 8 : opset <= 20 ? 9 : 10;

/**
 * Encodes a module (usually a {@linkcode Sequential}) as an ONNX model with one float32 input
 * `"input"` and one output `"output"`. Parameters become float32 initializers named like
 * PyTorch's `state_dict` (`"0.weight"`, `"0.bias"`, `"7.weight"`, ...; batch-norm running
 * statistics as `"<i>.running_mean"`/`"<i>.running_var"`), in parameter order, so
 * `loadOnnxWeights` reads them back.
 *
 * Mapping: ConvNd → Conv, ConvTransposeNd → ConvTranspose, MaxPool* → MaxPool, AvgPool* →
 * AveragePool, GlobalAvgPool/GlobalMaxPool → GlobalAveragePool/GlobalMaxPool, Linear → Gemm
 * (transB = 1) on 2-D inputs, else Transpose + MatMul + Add; ReLU, LeakyReLU, Sigmoid, Tanh,
 * Softmax, LogSoftmax, Flatten → the ONNX op of the same name; Dropout → Identity (the graph is
 * for inference); BatchNorm* → BatchNormalization with the running statistics (ONNX
 * `momentum = 1 − ours`); Pad → Pad; a nested Sequential is inlined. Padding is written as
 * explicit `pads` resolved for `inputShape` (with `dynamicBatch` only the batch axis may vary).
 *
 * The probe forward runs in evaluation mode and restores every layer's training flag; it
 * replaces what each layer kept from its last forward, so call `backward` only after a new
 * forward.
 *
 * @param module The network: a Sequential of supported modules, or one supported module.
 * @param options `inputShape` (required), `opset`, `dynamicBatch`.
 * @returns The `.onnx` bytes.
 * @throws {TypeError} If `module` is not a Module, a layer has no ONNX mapping (the message
 * names the layer class and index), `inputShape` is not a list of positive integers, or the
 * network rejects an input of that shape.
 * @throws {RangeError} If `opset` is not an integer in [13, 22].
 *
 * @example Export LeNet-5 and inspect the graph
 * ```ts
 * import { exportOnnx } from "./onnx_export.ts";
 * import { lenet5 } from "./lenet5.ts";
 * import { decodeModel } from "../onnx/model.ts";
 * const bytes = exportOnnx(lenet5(), { inputShape: [1, 1, 28, 28] });
 * const { graph } = decodeModel(bytes);
 * console.log(graph.nodes.map((n) => n.opType).join(" "));
 * // Conv Relu MaxPool Conv Relu MaxPool Flatten Gemm Relu Gemm Relu Gemm
 * console.log(graph.initializers[0].name, graph.inputs[0].shape); // 0.weight ["N", 1, 28, 28]
 * ```
 */
export function exportOnnx(module: Module, options: ExportOnnxOptions): Uint8Array {
  if (!(module instanceof Module)) {
    throw new TypeError(
      `Cannot export to ONNX: module must be a Module, got ${formatValue(module)}`,
    );
  }
  const { inputShape, opset = 17, dynamicBatch = true } = options ?? {};
  if (
    !Array.isArray(inputShape) || inputShape.length < 1 ||
    inputShape.some((d) => !Number.isInteger(d) || d < 1)
  ) {
    throw new TypeError(
      `Cannot export to ONNX: inputShape must be a non-empty list of positive integers, got ${
        formatValue(inputShape)
      }`,
    );
  }
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new RangeError(
      `Cannot export to ONNX: opset must be an integer in [${MIN_OPSET}, ${MAX_OPSET}], got ${
        formatValue(opset)
      }`,
    );
  }
  if (typeof dynamicBatch !== "boolean") {
    throw new TypeError(
      `Cannot export to ONNX: dynamicBatch must be a boolean, got ${formatValue(dynamicBatch)}`,
    );
  }
  const leaves = probe(module, inputShape);
  const ctx: EmitContext = { opset, nodes: [], initializers: [] };
  let value = "input";
  for (const { layer, path, inShape } of leaves) {
    value = emitLayer(ctx, { layer, path, input: value, inShape });
  }
  const outShape = leaves.length === 0 ? inputShape : leaves[leaves.length - 1].outShape;
  renameOutput(ctx.nodes, value);
  const batchDim = (shape: readonly number[]): OnnxDim[] | undefined => {
    if (!dynamicBatch) return [...shape];
    // Only a batch-preserving network can declare its output batch axis symbolic.
    return shape[0] === inputShape[0] ? ["N", ...shape.slice(1)] : undefined;
  };
  return encodeModel({
    irVersion: irVersionFor(opset),
    opsetImports: { "": opset },
    producerName: "@cnn/conv-layers",
    graph: {
      name: module.constructor.name,
      nodes: ctx.nodes,
      initializers: ctx.initializers as OnnxTensor[],
      inputs: [{ name: "input", dtype: "float32", shape: batchDim(inputShape) }],
      outputs: [{ name: "output", dtype: "float32", shape: batchDim(outShape) }],
    },
  });
}

interface Leaf {
  layer: Module;
  path: string;
  inShape: readonly number[];
  outShape: readonly number[];
}

/**
 * Runs zeros of `inputShape` through the network in evaluation mode, recording each leaf
 * module's input and output shapes; restores every training flag afterwards.
 */
function probe(module: Module, inputShape: readonly number[]): Leaf[] {
  const leaves: Leaf[] = [];
  const flags = new Map<Module, boolean>();
  const collect = (m: Module, path: string): void => {
    flags.set(m, m.training);
    if (m instanceof Sequential) {
      m.layers.forEach((layer, i) => collect(layer, path === "" ? `${i}` : `${path}.${i}`));
    } else {
      leaves.push({ layer: m, path, inShape: [], outShape: [] });
    }
  };
  collect(module, "");
  const dtype = module.parameters()[0]?.value.dtype ?? "float32";
  let x = Tensor.zeros(inputShape, dtype);
  try {
    for (const m of flags.keys()) m.training = false;
    for (const leaf of leaves) {
      leaf.inShape = x.shape;
      try {
        x = leaf.layer.forward(x);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new TypeError(
          `Cannot export to ONNX: ${describeLayer(leaf)} rejects input shape ${
            formatShape(x.shape)
          } (from inputShape ${formatShape(inputShape)}): ${message}`,
        );
      }
      leaf.outShape = x.shape;
    }
  } finally {
    for (const [m, training] of flags) m.training = training;
  }
  return leaves;
}

/** Makes the last node write the graph output `"output"` (or adds an Identity if none). */
function renameOutput(nodes: OnnxNodeInit[], value: string): void {
  const last = nodes[nodes.length - 1];
  if (last === undefined || value === "input") {
    nodes.push({ opType: "Identity", name: "/Identity", inputs: ["input"], outputs: ["output"] });
    return;
  }
  nodes[nodes.length - 1] = {
    ...last,
    outputs: last.outputs.map((o) => o === value ? "output" : o),
  };
}
