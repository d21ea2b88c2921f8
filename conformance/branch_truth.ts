/**
 * The float64 truth of a graph *on a float32 run's branches*: where a ReLU-like kink decision of
 * the float32 run differs from the exact one, no float32 evaluation order is wrong — the
 * pre-activation lies within float32 rounding of the kink, the gradient is discontinuous there,
 * and one flipped element can move every upstream gradient (a flipped ReLU in resnet18's layer3
 * moved 17% of the input gradient by up to 0.17). Comparing such a run with the plain float64
 * truth measures that flip, not the implementation.
 *
 * {@linkcode branchPinnedTruth} runs the graph once in float32 with the implementation under
 * test, records the decisions of every Relu, LeakyRelu and Clip (the kinks of torchvision's
 * CNNs), rewrites each into the linear map it took (`x·M + C` with constant masks), and runs the
 * rewritten graph in float64 on the reference path: its outputs and gradients are the exact values
 * on the float32 run's branches. It also lists the decisions that differ from the float64 run's
 * own (`flips`), with both pre-activation values.
 *
 * @module
 */

import { type ExecutorOptions, GraphExecutor, type GraphGradients } from "../onnx/executor.ts";
import type { OnnxModel, OnnxNode } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";

/** A kink decision of the float32 run that the float64 run takes the other way. */
export interface KinkFlip {
  /** The node's name (or `#<index>`). */
  node: string;
  /** Relu, LeakyRelu or Clip. */
  opType: string;
  /** Flat index of the element in the node's input. */
  index: number;
  /** The pre-activation in the float32 run. */
  x32: number;
  /** The pre-activation in the float64 run. */
  x64: number;
  /** The largest finite magnitude of the node's input in the float64 run (its scale). */
  scale: number;
}

/** What {@linkcode branchPinnedTruth} returns. */
export interface BranchTruth {
  /** The float32 run's outputs (implementation under test). */
  outputs32: OnnxTensor[];
  /** The float32 run's gradients. */
  gradients32: GraphGradients;
  /** The float64 outputs on the float32 run's branches. */
  outputs: OnnxTensor[];
  /** The float64 gradients on the float32 run's branches (the graph's own initializers). */
  gradients: GraphGradients;
  /** Kink decisions that differ between the float32 and the float64 run. */
  flips: KinkFlip[];
}

const KINKED = new Set(["Relu", "LeakyRelu", "Clip"]);

/**
 * Runs `model` in float32 with `options.impl`, then the same graph in float64 with every kink
 * pinned to the float32 run's decision.
 *
 * @param model A decoded model whose Clip bounds are constants (attributes, Constant nodes or
 * initializers), as exporters write them.
 * @param inputs The graph inputs.
 * @param gradOutputs One output gradient per graph output (or `undefined`).
 * @param options `impl` of the float32 run (the float64 runs use the reference path).
 * @returns Both runs and the flipped decisions.
 * @throws {TypeError} If a Clip bound is not a constant.
 *
 * @example A flip the float32 run cannot avoid: 1 + 2⁻³⁰ is stored as 1
 * ```ts
 * import { branchPinnedTruth } from "./branch_truth.ts";
 * import { decodeModel, encodeModel } from "../onnx/model.ts";
 * import { OnnxTensor } from "../onnx/onnx_tensor.ts";
 * const model = decodeModel(encodeModel({
 *   graph: {
 *     nodes: [
 *       { opType: "Add", inputs: ["x", "one"], outputs: ["s"] },
 *       { opType: "Sub", inputs: ["s", "one"], outputs: ["d"] },
 *       { opType: "Relu", inputs: ["d"], outputs: ["y"] },
 *     ],
 *     initializers: [new OnnxTensor(new Float32Array([1]), [1], { name: "one" })],
 *     inputs: [{ name: "x", dtype: "float32", shape: [1] }],
 *     outputs: [{ name: "y", dtype: "float32" }],
 *   },
 * }));
 * const x = new OnnxTensor(new Float32Array([2 ** -30]), [1]);
 * const truth = branchPinnedTruth(model, [x], [new OnnxTensor(new Float32Array([1]), [1])]);
 * console.log(truth.flips); // [{ node: "#2", opType: "Relu", index: 0, x32: 0, x64: 2^-30, scale: 2^-30 }]
 * if (truth.gradients.inputs[0]!.data[0] !== 0) throw new Error("pinned: blocked like float32");
 * ```
 */
export function branchPinnedTruth(
  model: OnnxModel,
  inputs: readonly OnnxTensor[],
  gradOutputs: readonly (OnnxTensor | undefined)[],
  options: Pick<ExecutorOptions, "impl"> = {},
): BranchTruth {
  const graph = model.graph;
  const kinked = graph.nodes.flatMap((node, index) =>
    KINKED.has(node.opType) ? [{ node, index }] : []
  );
  const probe = withOutputs(model, kinked.map(({ node }) => node.inputs[0]));
  const extra = kinked.map(() => undefined);

  const run32 = new GraphExecutor(probe, { impl: options.impl });
  const all32 = run32.run(inputs);
  const gradients32 = run32.backward([...gradOutputs, ...extra]);
  const outputs32 = all32.slice(0, graph.outputs.length);
  const pre32 = all32.slice(graph.outputs.length);
  const pre64 = new GraphExecutor(probe, { impl: "reference", dtype: "float64" }).run(inputs)
    .slice(graph.outputs.length);

  const flips: KinkFlip[] = [];
  const nodes: OnnxNode[] = [];
  const initializers = [...graph.initializers];
  let k = 0;
  graph.nodes.forEach((node, index) => {
    if (!KINKED.has(node.opType)) {
      nodes.push(node);
      return;
    }
    const rule = kinkRule(model, node);
    const x32 = pre32[k], x64 = pre64[k];
    const mask = new Float64Array(x32.size), offset = new Float64Array(x32.size);
    const label = node.name === "" ? `#${index}` : node.name;
    let scale = 0;
    for (let i = 0; i < x64.size; i++) {
      const v = Math.abs(Number(x64.data[i]));
      if (v > scale && Number.isFinite(v)) scale = v;
    }
    for (let i = 0; i < x32.size; i++) {
      const a = Number(x32.data[i]), b = Number(x64.data[i]);
      [mask[i], offset[i]] = rule(a);
      const [mb, ob] = rule(b);
      if (mb !== mask[i] || ob !== offset[i]) {
        flips.push({ node: label, opType: node.opType, index: i, x32: a, x64: b, scale });
      }
    }
    const m = `__branch_mask_${k}`, c = `__branch_offset_${k}`, scaled = `__branch_scaled_${k}`;
    initializers.push(
      new OnnxTensor(mask, x32.dims, { name: m }),
      new OnnxTensor(offset, x32.dims, { name: c }),
    );
    nodes.push({
      ...node,
      opType: "Mul",
      inputs: [node.inputs[0], m],
      outputs: [scaled],
      attributes: {},
    });
    nodes.push({
      ...node,
      opType: "Add",
      inputs: [scaled, c],
      outputs: [node.outputs[0]],
      attributes: {},
    });
    k++;
  });
  const pinned: OnnxModel = { ...model, graph: { ...graph, nodes, initializers } };
  const run64 = new GraphExecutor(pinned, { impl: "reference", dtype: "float64" });
  const outputs = run64.run(inputs);
  const g = run64.backward(gradOutputs);
  const count = graph.initializers.length;
  return {
    outputs32,
    gradients32: {
      inputs: gradients32.inputs,
      initializers: gradients32.initializers.slice(0, count),
    },
    outputs,
    gradients: { inputs: g.inputs, initializers: g.initializers.slice(0, count) },
    flips,
  };
}

/** The model with extra graph outputs (the kinks' inputs). */
function withOutputs(model: OnnxModel, names: readonly string[]): OnnxModel {
  const dtype = model.graph.inputs[0]?.dtype ?? "float32";
  const outputs = [
    ...model.graph.outputs,
    ...names.map((name) => ({ name, kind: "tensor" as const, elemType: 0, dtype })),
  ];
  return { ...model, graph: { ...model.graph, outputs } };
}

/** `x ↦ [mask, offset]` of a kink node: the linear map `y = mask·x + offset` it takes at x. */
function kinkRule(model: OnnxModel, node: OnnxNode): (x: number) => [number, number] {
  if (node.opType === "Relu") return (x) => (x > 0 ? [1, 0] : [0, 0]);
  if (node.opType === "LeakyRelu") {
    const attribute = node.attributes.alpha;
    const alpha = attribute?.type === "float" ? attribute.value as number : Math.fround(0.01);
    return (x) => (x > 0 ? [1, 0] : [alpha, 0]);
  }
  const opset = model.opsetImports[""] ?? 0;
  const bound = (k: number, name: "min" | "max", fallback: number): number => {
    if (opset < 11) {
      const a = node.attributes[name];
      return a?.type === "float" ? a.value as number : fallback;
    }
    const input = node.inputs[k];
    if (input === undefined || input === "") return fallback;
    const value = constantValue(model, input);
    if (value === undefined) {
      throw new TypeError(
        `Cannot pin the branches of Clip node ${JSON.stringify(node.name)}: its ${name} ` +
          `(${JSON.stringify(input)}) is not a constant`,
      );
    }
    return value;
  };
  const min = bound(1, "min", -Infinity), max = bound(2, "max", Infinity);
  // The executor's Clip: the gradient only where min < x < max; elsewhere y is the clamped
  // constant `v = x < min ? min : x; v > max ? max : v`.
  return (x) => {
    if (min < x && x < max) return [1, 0];
    const v = x < min ? min : x;
    return [0, v > max ? max : v];
  };
}

function constantValue(model: OnnxModel, name: string): number | undefined {
  const init = model.graph.initializers.find((t) => t.name === name);
  if (init !== undefined) return Number(init.data[0]);
  const producer = model.graph.nodes.find((n) => n.outputs.includes(name));
  const value = producer?.opType === "Constant" ? producer.attributes.value : undefined;
  return value?.type === "tensor" ? Number((value.value as OnnxTensor).data[0]) : undefined;
}
