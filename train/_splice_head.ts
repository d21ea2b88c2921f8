// Writing a fine-tuned classifier: the original graph with its last layer replaced by one Gemm
// (transB = 1, PyTorch's Linear layout) over the trained weight and bias, and, after training
// all layers, the extractor's initializers replaced by their trained values.

import type { Tensor } from "../layers/tensor.ts";
import {
  encodeModel,
  type OnnxDim,
  type OnnxModel,
  type OnnxNodeInit,
  type OnnxValueInfo,
} from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import type { OnnxHead } from "./_onnx_head.ts";

/** What replaces the old last layer, and any other initializers that changed. */
export interface SpliceInput {
  /** `[classes, features]`. */
  weight: Tensor;
  /** `[classes]`, or none. */
  bias: Tensor | undefined;
  /** Trained values of other initializers, by name. */
  updated: ReadonlyMap<string, Tensor>;
  /** Declare the input's and output's first axis as `"N"`. */
  dynamicBatch: boolean;
}

/** Encodes `model` with its last layer replaced; see {@linkcode SpliceInput}. */
export function spliceHead(model: OnnxModel, head: OnnxHead, input: SpliceInput): Uint8Array {
  const graph = model.graph;
  const classes = input.weight.shape[0];
  const names = new Set<string>([
    ...graph.initializers.map((t) => t.name ?? ""),
    ...graph.inputs.map((v) => v.name),
    ...graph.nodes.flatMap((n) => n.outputs),
  ]);
  const removed = new Set([head.weightName, ...(head.biasName ? [head.biasName] : [])]);
  for (const node of head.nodes.slice(0, -1)) for (const name of node.outputs) removed.add(name);
  const biasName = input.bias === undefined ? undefined : head.biasName ?? freshName(
    names,
    /weight$/.test(head.weightName)
      ? head.weightName.replace(/weight$/, "bias")
      : `${head.weightName}_bias`,
  );

  const gemm: OnnxNodeInit = {
    opType: "Gemm",
    name: head.nodes[0].name,
    inputs: [head.featureName, head.weightName, ...(biasName ? [biasName] : [])],
    outputs: [head.outputName],
    // Before opset 7 a broadcast bias needs the explicit flag.
    attributes: (model.opsetImports[""] ?? 17) < 7 ? { transB: 1, broadcast: 1 } : { transB: 1 },
  };
  const nodes: OnnxNodeInit[] = [];
  for (const node of graph.nodes) {
    if (node === head.nodes[head.nodes.length - 1]) nodes.push(gemm);
    else if (!head.nodes.includes(node)) nodes.push(node);
  }
  const headTensors = [
    OnnxTensor.fromTensor(input.weight, head.weightName),
    ...(input.bias && biasName ? [OnnxTensor.fromTensor(input.bias, biasName)] : []),
  ];
  const initializers = [
    ...graph.initializers
      .filter((t) => !removed.has(t.name ?? ""))
      .map((t) => {
        const value = input.updated.get(t.name ?? "");
        return value === undefined ? t : OnnxTensor.fromTensor(value, t.name);
      }),
    ...headTensors,
  ];
  const batch = (v: OnnxValueInfo, rest: readonly OnnxDim[] | undefined) => {
    if (rest === undefined) return v;
    const first = input.dynamicBatch ? "N" : v.shape?.[0] ?? null;
    return { ...v, shape: [first, ...rest] };
  };
  // IR < 4 lists every initializer among the graph inputs: list the new ones too.
  const initializerNames = new Set(graph.initializers.map((t) => t.name ?? ""));
  const listsInitializers = graph.inputs.some((v) => initializerNames.has(v.name));
  const inputs = graph.inputs
    .filter((v) => !removed.has(v.name))
    .map((v) => v.name === head.inputName ? batch(v, v.shape?.slice(1)) : v);
  if (listsInitializers) {
    for (const t of headTensors) inputs.push({ ...valueOf(t) });
  }
  const output = graph.outputs[0];
  return encodeModel({
    ...model,
    graph: {
      ...graph,
      nodes,
      initializers,
      inputs,
      outputs: [batch(output, [classes])],
      // Optional type annotations: dropped, as they may state the old batch size or classes.
      valueInfo: [],
    },
  });
}

function valueOf(t: OnnxTensor): OnnxValueInfo {
  return { name: t.name!, kind: "tensor", elemType: 0, dtype: t.dtype, shape: [...t.dims] };
}

/** `base`, or `base_1`, `base_2`, ... if taken. */
function freshName(taken: ReadonlySet<string>, base: string): string {
  if (!taken.has(base)) return base;
  for (let i = 1;; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}
