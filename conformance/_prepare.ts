// Turns an Implementation into something the runner can drive for one case: a whole-graph runner
// when the implementation has `graph`, else, for a single-node case, the layer functions of that
// operator (with the ONNX attributes resolved into explicit per-axis numbers by the same geometry
// code our layers use) or the ONNX-level `node` forward. Anything else is skipped with the reason.

import { type Geometry, transposedGeometry, windowGeometry } from "../layers/_geometry.ts";
import type { GraphGradients } from "../onnx/executor.ts";
import type { OnnxModel, OnnxNode } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { NodeContext } from "../onnx/_ops/_context.ts";
import { windowAttributes } from "../onnx/_ops/_window.ts";
import type {
  AvgPoolParams,
  Awaitable,
  ConvGradientResults,
  ConvParams,
  ConvTransposeParams,
  FloatTensor,
  Implementation,
  PoolParams,
  TensorResult,
} from "./adapter.ts";

/** An implementation ready to run one case's data sets. */
export interface PreparedRun {
  /** Forward: one tensor per graph output. */
  run(inputs: readonly OnnxTensor[]): Promise<readonly (OnnxTensor | undefined)[]>;
  /**
   * Backward from the last run, or undefined when the implementation has none; `omitted` says
   * why the gradients left `undefined` are absent (they are then skipped, not failed).
   */
  backward?(
    seeds: readonly (OnnxTensor | undefined)[],
  ): Promise<GraphGradients & { omitted?: string }>;
  /** Why there is no backward (`"tfjs-wasm lacks convTransposeBackward"`). */
  backwardLacks?: string;
}

/** A prepared run, or why the implementation cannot run the case. */
export type Prepared = { run: PreparedRun } | { skip: string };

/** Operators with layer functions, and the names of those functions. */
const LAYER_OPS: Readonly<Record<string, readonly [keyof Implementation, keyof Implementation]>> = {
  Conv: ["conv", "convBackward"],
  ConvTranspose: ["convTranspose", "convTransposeBackward"],
  MaxPool: ["maxPool", "maxPoolBackward"],
  AveragePool: ["avgPool", "avgPoolBackward"],
};

/**
 * Prepares `impl` for `model`.
 *
 * @throws What `impl.graph` throws (the runner tells unsupported from broken).
 */
export async function prepare(impl: Implementation, model: OnnxModel): Promise<Prepared> {
  if (impl.graph !== undefined) {
    const runner = await impl.graph(model);
    const backward = runner.backward;
    return {
      run: {
        run: async (inputs) => await runner.run(inputs),
        backward: backward === undefined
          ? undefined
          : async (seeds) => await backward.call(runner, seeds),
        backwardLacks: backward === undefined ? `${impl.name} has no backward` : undefined,
      },
    };
  }
  const nodes = model.graph.nodes;
  if (nodes.length !== 1 || nodes[0].domain !== "") {
    return {
      skip: `${impl.name} runs single default-domain nodes only; the graph has ${nodes.length} ` +
        `nodes (${[...new Set(nodes.map((n) => n.opType))].join(", ")})`,
    };
  }
  const node = nodes[0];
  const opset = model.opsetImports[""] ?? 1;
  const layer = LAYER_OPS[node.opType];
  if (layer !== undefined && impl[layer[0]] !== undefined) {
    return { run: layerRun(impl, model, node, opset) };
  }
  if (impl.node !== undefined) return { run: nodeRun(impl, model, node, opset) };
  return { skip: `${impl.name} lacks ${layer === undefined ? node.opType : layer[0]}` };
}

/** Graph inputs and initializers by name. */
function feeds(model: OnnxModel, inputs: readonly OnnxTensor[]): Map<string, OnnxTensor> {
  const values = new Map<string, OnnxTensor>();
  for (const t of model.graph.initializers) values.set(t.name!, t);
  const initializerNames = new Set(values.keys());
  const names = model.graph.inputs.map((v) => v.name).filter((n) => !initializerNames.has(n));
  names.forEach((name, i) => {
    if (inputs[i] !== undefined) values.set(name, inputs[i]);
  });
  return values;
}

/** Graph outputs in order, picked from the node's outputs by name. */
function graphOutputs(
  model: OnnxModel,
  node: OnnxNode,
  outputs: readonly (OnnxTensor | undefined)[],
): (OnnxTensor | undefined)[] {
  return model.graph.outputs.map((o) => {
    const at = node.outputs.indexOf(o.name);
    return at < 0 ? undefined : outputs[at];
  });
}

function nodeInputs(node: OnnxNode, values: Map<string, OnnxTensor>): (OnnxTensor | undefined)[] {
  return node.inputs.map((name) => (name === "" ? undefined : values.get(name)));
}

function nodeRun(
  impl: Implementation,
  model: OnnxModel,
  node: OnnxNode,
  opset: number,
): PreparedRun {
  const lacks = LAYER_OPS[node.opType]?.[1] ?? `${node.opType} backward`;
  return {
    run: async (inputs) => {
      const outputs = await impl.node!(node, nodeInputs(node, feeds(model, inputs)), opset);
      return graphOutputs(model, node, outputs);
    },
    backwardLacks: `${impl.name} lacks ${lacks}`,
  };
}

/** The layer-function run of a Conv, ConvTranspose, MaxPool or AveragePool node. */
function layerRun(
  impl: Implementation,
  model: OnnxModel,
  node: OnnxNode,
  opset: number,
): PreparedRun {
  const [forwardName, backwardName] = LAYER_OPS[node.opType];
  const ctx = new NodeContext(
    node,
    0,
    opset,
    { impl: "reference", absolute: false, floatType: undefined },
    model.graph.name,
  );
  const window = windowAttributes(ctx);
  const float = (t: OnnxTensor | undefined, what: string): FloatTensor | undefined => {
    if (t === undefined) return undefined;
    if (t.dtype !== "float32" && t.dtype !== "float64") {
      ctx.unsupported(`${what} has element type ${t.dtype}; layer functions take floats`);
    }
    return { data: t.data as Float32Array | Float64Array, shape: t.dims };
  };
  let saved: { x: FloatTensor; w?: FloatTensor; b?: FloatTensor; params: unknown } | undefined;
  if (node.outputs.filter((o) => o !== "").length > 1) {
    ctx.unsupported(`${impl.name} layer functions give no second output (MaxPool's Indices)`);
  }
  const run = async (inputs: readonly OnnxTensor[]) => {
    const [xT, wT, bT] = nodeInputs(node, feeds(model, inputs));
    const x = float(xT, "X")!;
    const w = float(wT, "W"), b = float(bT, "B");
    const params = paramsOf(ctx, node.opType, window, x, w);
    saved = { x, w, b, params };
    // deno-lint-ignore no-explicit-any
    const fn = impl[forwardName] as (...args: any[]) => Awaitable<TensorResult>;
    const result =
      await (w === undefined ? fn.call(impl, x, params) : fn.call(impl, x, w, b, params));
    return graphOutputs(model, node, [toOnnx(result, x, `${impl.name} ${forwardName}`)]);
  };
  if (impl[backwardName] === undefined) {
    return { run, backwardLacks: `${impl.name} lacks ${backwardName}` };
  }
  const backward = async (
    seeds: readonly (OnnxTensor | undefined)[],
  ): Promise<GraphGradients & { omitted?: string }> => {
    if (saved === undefined) throw new TypeError(`${impl.name}: backward before run`);
    const { x, w, b, params } = saved;
    const at = node.outputs.indexOf(model.graph.outputs[0]?.name ?? "");
    const seed = float(seeds[at < 0 ? 0 : at], "the output gradient")!;
    // deno-lint-ignore no-explicit-any
    const fn = impl[backwardName] as (...args: any[]) => Awaitable<unknown>;
    const what = `${impl.name} ${backwardName}`;
    const byName = new Map<string, OnnxTensor>();
    let omitted: string | undefined;
    if (w === undefined) {
      const dx = await fn.call(impl, seed, x, params) as TensorResult;
      byName.set(node.inputs[0], toOnnx(dx, x, what));
    } else {
      const grads = await fn.call(impl, seed, x, w, b, params) as ConvGradientResults;
      omitted = grads.omitted;
      const parts = [grads.input, grads.weight, b === undefined ? undefined : grads.bias];
      parts.forEach((g, i) => {
        if (g !== undefined && node.inputs[i]) byName.set(node.inputs[i], toOnnx(g, x, what));
      });
    }
    const initializerNames = new Set(model.graph.initializers.map((t) => t.name));
    return {
      inputs: model.graph.inputs.filter((v) => !initializerNames.has(v.name))
        .map((v) => byName.get(v.name)),
      initializers: model.graph.initializers.map((t) => byName.get(t.name!)),
      omitted,
    };
  };
  return { run, backward };
}

/** An implementation's tensor as an OnnxTensor of the input's float type. */
function toOnnx(result: TensorResult, like: FloatTensor, what: string): OnnxTensor {
  if (result === null || typeof result !== "object" || !Array.isArray(result.shape)) {
    throw new TypeError(`${what} must return { data, shape }, got ${String(result)}`);
  }
  const size = result.shape.reduce((p, d) => p * d, 1);
  if (result.data?.length !== size) {
    throw new TypeError(
      `${what} returned ${result.data?.length} elements for shape [${result.shape.join(", ")}]`,
    );
  }
  const Kind = like.data instanceof Float64Array ? Float64Array : Float32Array;
  const data = result.data instanceof Kind ? result.data : Kind.from(result.data);
  return new OnnxTensor(data, result.shape);
}

/** The resolved window of a node, from its attributes and the input (and weight) shapes. */
function paramsOf(
  ctx: NodeContext,
  opType: string,
  window: ReturnType<typeof windowAttributes>,
  x: FloatTensor,
  w: FloatTensor | undefined,
): ConvParams | ConvTransposeParams | PoolParams | AvgPoolParams {
  const inSize = x.shape.slice(2);
  const resolved = (g: Geometry) => ({
    kernel: g.kernel,
    stride: g.stride,
    dilation: g.dilation,
    padBegin: g.padBegin,
    padEnd: g.padEnd,
  });
  if (opType === "Conv") {
    const kernel = w!.shape.slice(2);
    const g = windowGeometry("Conv", inSize, kernel, {
      stride: window.strides,
      dilation: window.dilations,
      padding: window.padding,
    });
    return { ...resolved(g), groups: ctx.int("group", 1), outSize: g.outSize };
  }
  if (opType === "ConvTranspose") {
    const kernel = w!.shape.slice(2);
    const outputShape = ctx.ints("output_shape");
    const outputPadding = ctx.ints("output_padding") ?? kernel.map(() => 0);
    // transposedGeometry returns the forward convolution whose input gradient this is: its
    // inSize is the transposed output.
    const g = transposedGeometry("ConvTranspose", inSize, kernel, {
      stride: window.strides,
      dilation: window.dilations,
      padding: window.padding,
      outputPadding,
      outputSize: outputShape?.slice(outputShape.length - inSize.length),
    });
    // An output_shape above the natural size adds its excess at the end as output padding.
    const natural = g.inSize.map((_, i) =>
      g.stride[i] * (inSize[i] - 1) + g.effectiveKernel[i] - g.padBegin[i] - g.padEnd[i]
    );
    return {
      ...resolved(g),
      groups: ctx.int("group", 1),
      outSize: g.inSize,
      outputPadding: g.inSize.map((n, i) => n - natural[i]),
    };
  }
  const kernel = window.kernelShape ?? [];
  const ceilMode = ctx.flag("ceil_mode", false);
  const g = windowGeometry(opType, inSize, kernel, {
    stride: window.strides ?? kernel.map(() => 1),
    dilation: window.dilations,
    padding: window.padding,
    ceilMode,
  });
  const pool: PoolParams = { ...resolved(g), ceilMode, outSize: g.outSize };
  if (opType === "MaxPool") return pool;
  return { ...pool, countIncludePad: ctx.flag("count_include_pad", false) };
}
