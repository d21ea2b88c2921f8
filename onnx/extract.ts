/**
 * Cut a model's graph at named values: the sub-model that computes them from the graph inputs
 * (ONNX's `onnx.utils.extract_model` with the original inputs kept).
 *
 * @module
 */

import type { OnnxGraph, OnnxModel, OnnxNode, OnnxValueInfo } from "./model.ts";

/**
 * The part of `model` that computes `outputs`: the nodes those values depend on (in their
 * original order), the initializers and graph inputs those nodes read, and graph outputs named
 * `outputs` (typed from the graph's outputs or `valueInfo` where it declares them, else with
 * unknown type and shape). Every other field is copied. Run it with `GraphExecutor` to get an
 * intermediate value — e.g. the features a classifier's last layer reads — without the
 * executor holding on to the rest of the graph.
 *
 * A graph input that the kept nodes do not read is dropped, so the sub-model may take fewer
 * arguments than the model.
 *
 * @param model A decoded model.
 * @param outputs Names of values of the graph (node outputs, graph inputs or initializers), at
 * least one, no repeats.
 * @returns The sub-model; its tensors are shared with `model`, not copied.
 * @throws {TypeError} If `model` has no graph, `outputs` is empty, repeats a name, or names a
 * value the graph does not have.
 *
 * @example The features before a classifier's Gemm
 * ```ts
 * import { extractModel } from "./extract.ts";
 * import { decodeModel, encodeModel } from "./model.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const model = decodeModel(encodeModel({
 *   graph: {
 *     nodes: [
 *       { opType: "Relu", inputs: ["x"], outputs: ["h"] },
 *       { opType: "Gemm", inputs: ["h", "w"], outputs: ["y"], attributes: { transB: 1 } },
 *     ],
 *     initializers: [new OnnxTensor(new Float32Array(6), [3, 2], { name: "w" })],
 *     inputs: [{ name: "x", dtype: "float32", shape: ["N", 2] }],
 *     outputs: [{ name: "y", dtype: "float32", shape: ["N", 3] }],
 *   },
 * }));
 * const features = extractModel(model, ["h"]);
 * console.log(features.graph.nodes.map((n) => n.opType), features.graph.initializers.length);
 * // ["Relu"] 0
 * if (features.graph.outputs[0].name !== "h") throw new Error("output");
 * ```
 */
export function extractModel(
  model: OnnxModel,
  outputs: readonly string[],
): OnnxModel {
  const op = "Cannot extract a sub-model";
  const graph = model?.graph;
  if (graph === null || typeof graph !== "object" || !Array.isArray(graph.nodes)) {
    throw new TypeError(`${op}: model must be a decoded OnnxModel`);
  }
  if (!Array.isArray(outputs) || outputs.length === 0) {
    throw new TypeError(`${op}: outputs must be a non-empty array of value names`);
  }
  const producer = new Map<string, OnnxNode>();
  for (const node of graph.nodes) for (const name of node.outputs) producer.set(name, node);
  const initializerNames = new Set(graph.initializers.map((t) => t.name ?? ""));
  const inputNames = new Set(graph.inputs.map((v) => v.name));
  const seen = new Set<string>();
  for (const name of outputs) {
    if (seen.has(name)) throw new TypeError(`${op}: outputs repeats ${JSON.stringify(name)}`);
    seen.add(name);
    if (!producer.has(name) && !initializerNames.has(name) && !inputNames.has(name)) {
      throw new TypeError(
        `${op}: graph ${JSON.stringify(graph.name)} has no value ${JSON.stringify(name)} ` +
          `(not a node output, graph input or initializer)`,
      );
    }
  }

  // Walk back from the requested values; every name reached is needed.
  const needed = new Set<string>(), kept = new Set<OnnxNode>(), stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === "" || needed.has(name)) continue;
    needed.add(name);
    const node = producer.get(name);
    if (node !== undefined && !kept.has(node)) {
      kept.add(node);
      stack.push(...node.inputs);
    }
  }
  const declared = new Map<string, OnnxValueInfo>();
  for (const v of [...graph.valueInfo, ...graph.inputs, ...graph.outputs]) declared.set(v.name, v);
  const sub: OnnxGraph = {
    ...graph,
    nodes: graph.nodes.filter((node) => kept.has(node)),
    initializers: graph.initializers.filter((t) => needed.has(t.name ?? "")),
    inputs: graph.inputs.filter((v) => needed.has(v.name)),
    outputs: outputs.map((name) => declared.get(name) ?? { name, kind: "tensor", elemType: 0 }),
    valueInfo: graph.valueInfo.filter((v) => needed.has(v.name)),
  };
  return { ...model, graph: sub };
}
