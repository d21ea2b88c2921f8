// Finding a classifier's last layer in an ONNX graph: the Gemm, MatMul or MatMul + Add whose
// weight is an initializer and whose result is the graph output. Also reads that layer as a
// PyTorch-layout weight [classes, features] and bias [classes], and lists the initializers
// that are running statistics (BatchNormalization mean and variance), which fine-tuning freezes.

import type { OnnxModel, OnnxNode } from "../onnx/model.ts";
import { Tensor } from "../layers/tensor.ts";

/** Where the last layer of a classifier sits in its graph. */
export interface OnnxHead {
  /** The graph input (the images). */
  readonly inputName: string;
  /** The graph output (the logits). */
  readonly outputName: string;
  /** The value the last layer reads: the features, `[N, features]`. */
  readonly featureName: string;
  /** The node(s) of the last layer: `[Gemm]`, `[MatMul]` or `[MatMul, Add]`. */
  readonly nodes: readonly OnnxNode[];
  /** Name of the weight initializer. */
  readonly weightName: string;
  /** Name of the bias initializer, if the layer has one. */
  readonly biasName: string | undefined;
  /** Input features of the layer. */
  readonly features: number;
  /** Outputs (classes) of the layer. */
  readonly classes: number;
}

const WHAT = "Cannot fine-tune ONNX model";

/** Finds the last layer, or throws a `TypeError` saying what the graph has instead. */
export function findHead(model: OnnxModel): OnnxHead {
  const graph = model.graph;
  const initializers = new Map(graph.initializers.map((t) => [t.name ?? "", t]));
  const inputs = graph.inputs.filter((v) => !initializers.has(v.name));
  if (inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new TypeError(
      `${WHAT}: the graph must have one input and one output (images → logits), got ` +
        `${inputs.length} inputs and ${graph.outputs.length} outputs`,
    );
  }
  const outputName = graph.outputs[0].name;
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of graph.nodes) {
    for (const name of node.outputs) producer.set(name, node);
    for (const name of node.inputs) consumers.set(name, [...consumers.get(name) ?? [], node]);
  }
  const last = producer.get(outputName);
  const rule = `fine-tuning needs the graph output to be computed by a Gemm, MatMul or ` +
    `MatMul + Add whose weight is an initializer`;
  if (last === undefined) {
    throw new TypeError(`${WHAT}: no node computes the graph output ${JSON.stringify(outputName)}`);
  }
  const weightOf = (node: OnnxNode, k: number) => {
    const t = initializers.get(node.inputs[k] ?? "");
    return t !== undefined && t.dims.length === 2 && isFloat(t.dtype) ? t : undefined;
  };
  let nodes: OnnxNode[], matmul: OnnxNode, biasName: string | undefined;
  if (last.opType === "Gemm") {
    nodes = [last];
    matmul = last;
    biasName = last.inputs[2] || undefined;
  } else if (last.opType === "MatMul") {
    nodes = [last];
    matmul = last;
  } else if (last.opType === "Add") {
    const k = last.inputs.findIndex((name) => producer.get(name)?.opType === "MatMul");
    const bias = initializers.get(last.inputs[1 - k] ?? "");
    if (k < 0 || bias === undefined) {
      throw new TypeError(
        `${WHAT}: the graph output comes from an Add node that is not MatMul + bias ` +
          `initializer; ${rule}`,
      );
    }
    matmul = producer.get(last.inputs[k])!;
    nodes = [matmul, last];
    biasName = bias.name;
  } else {
    const label = last.name === "" ? "" : ` (${JSON.stringify(last.name)})`;
    throw new TypeError(
      `${WHAT}: the graph output ${JSON.stringify(outputName)} is computed by a ` +
        `${last.opType} node${label}; ${rule}`,
    );
  }
  const weight = weightOf(matmul, 1);
  if (weight === undefined || initializers.has(matmul.inputs[0])) {
    throw new TypeError(
      `${WHAT}: the last ${matmul.opType} node must multiply a computed value by a 2-D float ` +
        `initializer, got inputs ${JSON.stringify(matmul.inputs.slice(0, 2))}; ${rule}`,
    );
  }
  if (biasName !== undefined && !initializers.has(biasName)) {
    throw new TypeError(
      `${WHAT}: the bias ${JSON.stringify(biasName)} of the last Gemm is computed, not an ` +
        `initializer; ${rule}`,
    );
  }
  const transB = matmul.opType === "Gemm" && intAttribute(matmul, "transB") === 1;
  if (matmul.opType === "Gemm" && intAttribute(matmul, "transA") === 1) {
    throw new TypeError(`${WHAT}: the last Gemm has transA = 1 (features as columns)`);
  }
  const [features, classes] = transB ? [weight.dims[1], weight.dims[0]] : weight.dims;
  // Replacing these initializers must not change any other node.
  for (const name of [weight.name!, biasName, ...nodes.slice(0, -1).flatMap((n) => n.outputs)]) {
    if (name === undefined) continue;
    const other = (consumers.get(name) ?? []).find((node) => !nodes.includes(node));
    if (other !== undefined) {
      throw new TypeError(
        `${WHAT}: ${JSON.stringify(name)} of the last layer is also read by the ${other.opType} ` +
          `node ${JSON.stringify(other.name)}, so the layer cannot be replaced alone`,
      );
    }
  }
  return {
    inputName: inputs[0].name,
    outputName,
    featureName: matmul.inputs[0],
    nodes,
    weightName: weight.name!,
    biasName,
    features,
    classes,
  };
}

/**
 * The last layer as `y = x·Wᵀ + b` (PyTorch's Linear): W `[classes, features]` = alpha·B' and
 * b `[classes]` = beta·C broadcast (Gemm), or W = Bᵀ and the Add's bias (MatMul + Add).
 */
export function headWeights(model: OnnxModel, head: OnnxHead): { weight: Tensor; bias?: Tensor } {
  const byName = new Map(model.graph.initializers.map((t) => [t.name ?? "", t]));
  const gemm = head.nodes[0].opType === "Gemm" ? head.nodes[0] : undefined;
  const alpha = gemm ? floatAttribute(gemm, "alpha", 1) : 1;
  const beta = gemm ? floatAttribute(gemm, "beta", 1) : 1;
  const transB = gemm !== undefined && intAttribute(gemm, "transB") === 1;
  const b = byName.get(head.weightName)!.toTensor();
  const { features: f, classes: c } = head;
  const weight = Tensor.zeros([c, f], b.dtype);
  for (let j = 0; j < c; j++) {
    for (let p = 0; p < f; p++) {
      weight.data[j * f + p] = alpha * b.data[transB ? j * f + p : p * c + j];
    }
  }
  if (head.biasName === undefined) return { weight };
  const source = byName.get(head.biasName)!;
  const size = source.dims.reduce((a, d) => a * d, 1);
  if (size !== 1 && size !== c) {
    throw new TypeError(
      `${WHAT}: bias ${JSON.stringify(head.biasName)} of the last layer has shape ` +
        `[${source.dims.join(", ")}], expected ${c} values (one per class) or 1`,
    );
  }
  const values = source.toTensor().data;
  const bias = Tensor.zeros([c], b.dtype);
  for (let j = 0; j < c; j++) bias.data[j] = beta * values[size === 1 ? 0 : j];
  return { weight, bias };
}

/**
 * Initializers that hold running statistics (BatchNormalization's mean and variance, read
 * directly or through Identity nodes): frozen by fine-tuning. Throws if one of them also feeds
 * a trainable input, which would train the statistics with it (torch.onnx.export merges
 * initializers of equal value, e.g. a zero bias and a zero running mean).
 */
export function statisticInitializers(model: OnnxModel): Set<string> {
  const graph = model.graph;
  const initializers = new Set(graph.initializers.map((t) => t.name ?? ""));
  const alias = new Map<string, string>();
  for (const node of graph.nodes) {
    if (node.opType === "Identity" && node.inputs.length === 1) {
      alias.set(node.outputs[0], alias.get(node.inputs[0]) ?? node.inputs[0]);
    }
  }
  const source = (name: string) => alias.get(name) ?? name;
  const stats = new Set<string>(), trainable = new Map<string, OnnxNode>();
  for (const node of graph.nodes) {
    node.inputs.forEach((name, j) => {
      const root = source(name);
      if (!initializers.has(root) || node.opType === "Identity") return;
      if (node.opType === "BatchNormalization" && j >= 3) stats.add(root);
      else trainable.set(root, node);
    });
  }
  for (const name of stats) {
    const node = trainable.get(name);
    if (node !== undefined) {
      throw new TypeError(
        `${WHAT}: initializer ${JSON.stringify(name)} is both a BatchNormalization running ` +
          `statistic and an input of the ${node.opType} node ${JSON.stringify(node.name)}, so ` +
          `training all layers would change the statistic (torch.onnx.export merges ` +
          `initializers of equal value; tasks/export_torchvision.py writes them apart)`,
      );
    }
  }
  return stats;
}

/**
 * Throws unless every node computes as in inference: a BatchNormalization exported in training
 * mode (`training_mode = 1`) normalises with the statistics of each batch, so its predictions
 * would depend on the batch, and our fine-tuning (which keeps the statistics frozen) would not
 * be what the saved model computes.
 */
export function checkInferenceGraph(model: OnnxModel): void {
  for (const node of model.graph.nodes) {
    if (node.opType === "BatchNormalization" && intAttribute(node, "training_mode") === 1) {
      throw new TypeError(
        `${WHAT}: BatchNormalization node ${JSON.stringify(node.name)} has training_mode = 1 ` +
          `(a training-mode export); export the model in evaluation mode (model.eval())`,
      );
    }
  }
}

function isFloat(dtype: string): boolean {
  return dtype === "float32" || dtype === "float64";
}

function intAttribute(node: OnnxNode, name: string): number | undefined {
  const a = node.attributes[name];
  return a?.type === "int" ? a.value : undefined;
}

function floatAttribute(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a?.type === "float" ? a.value : fallback;
}
