// Test helpers for the node kernels and the executor: tiny tensors, one-node and multi-node
// models (encoded then decoded, as a file would be), and a central finite-difference check of
// `GraphExecutor.backward` for every float input and initializer.

import { Random } from "../../layers/random.ts";
import { assertTensorClose } from "../../testing/assert_tensor.ts";
import type { OnnxDType } from "../dtype.ts";
import { type ExecutorOptions, GraphExecutor } from "../executor.ts";
import {
  type AttributeInput,
  decodeModel,
  encodeModel,
  type OnnxGraphInit,
  type OnnxModel,
} from "../model.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import { NodeContext, type NodeRun } from "./_context.ts";
import { OPS } from "./mod.ts";

/** A float64 tensor. */
export function f64(data: readonly number[], dims: readonly number[], name?: string): OnnxTensor {
  return new OnnxTensor(Float64Array.from(data), dims, { name });
}

/** A float32 tensor. */
export function f32(data: readonly number[], dims: readonly number[], name?: string): OnnxTensor {
  return new OnnxTensor(Float32Array.from(data), dims, { name });
}

/** An int64 tensor. */
export function i64(data: readonly number[], dims: readonly number[], name?: string): OnnxTensor {
  return new OnnxTensor(BigInt64Array.from(data, (v) => BigInt(v)), dims, { name });
}

/** A seeded uniform float64 tensor in [−1, 1). */
export function rand(dims: readonly number[], seed: number, name?: string): OnnxTensor {
  const rng = new Random(seed);
  const size = dims.reduce((p, d) => p * d, 1);
  return new OnnxTensor(Float64Array.from({ length: size }, () => rng.uniform(-1, 1)), dims, {
    name,
  });
}

/** Encodes then decodes a graph (default opset 17). */
export function graphModel(graph: OnnxGraphInit, opset = 17): OnnxModel {
  return decodeModel(encodeModel({ opsetImports: { "": opset }, graph }));
}

/** A one-node test: graph inputs (named tensors, fed to `run`), initializers and attributes. */
export interface NodeSpec {
  opType: string;
  /** Graph inputs fed at run time; their names become node inputs. */
  inputs?: readonly OnnxTensor[];
  /** Initializers (named). */
  initializers?: readonly OnnxTensor[];
  /** Node input names. @default inputs' then initializers' names */
  nodeInputs?: readonly string[];
  /** Node outputs. @default ["y"] */
  outputs?: readonly string[];
  attributes?: Readonly<Record<string, AttributeInput>>;
  opset?: number;
  /** Node name. @default "n" */
  name?: string;
}

/** The model of a {@linkcode NodeSpec}. */
export function nodeModel(spec: NodeSpec): OnnxModel {
  const inputs = spec.inputs ?? [], initializers = spec.initializers ?? [];
  const outputs = spec.outputs ?? ["y"];
  return graphModel({
    nodes: [{
      name: spec.name ?? "n",
      opType: spec.opType,
      inputs: spec.nodeInputs ?? [...inputs, ...initializers].map((t) => t.name!),
      outputs,
      attributes: spec.attributes ?? {},
    }],
    initializers,
    inputs: inputs.map((t) => ({ name: t.name!, dtype: t.dtype, shape: t.dims })),
    outputs: outputs.filter((o) => o !== "").map((name) => ({
      name,
      dtype: "float32" as OnnxDType,
    })),
  }, spec.opset ?? 17);
}

/** Runs a one-node model; returns its outputs. */
export function runNode(spec: NodeSpec, options: ExecutorOptions = {}): OnnxTensor[] {
  return new GraphExecutor(nodeModel(spec), options).run(spec.inputs ?? []);
}

/** Element values as plain numbers. */
export function values(t: OnnxTensor | undefined): number[] {
  if (t === undefined) throw new Error("no tensor");
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** Asserts values (and dims when given) within 1e-12 absolute + 1e-6 relative. */
export function assertValues(
  actual: OnnxTensor | undefined,
  expected: readonly number[],
  dims?: readonly number[],
): void {
  if (actual === undefined) throw new Error("missing output");
  const shape = dims ?? actual.dims;
  assertTensorClose(
    { shape: actual.dims, data: values(actual) },
    { shape, data: expected },
    { rtol: 1e-6, atol: 1e-12 },
  );
}

/** Options of {@linkcode checkGradients}. */
export interface GradCheckOptions {
  /** Seed of the random output gradients. @default 7 */
  seed?: number;
  /** Finite-difference step. @default 1e-6 */
  eps?: number;
  /** Tolerance (rtol and atol). @default 1e-6 */
  tol?: number;
  /** Output indices that get no gradient. @default [] */
  skipOutputs?: readonly number[];
}

/**
 * Checks `backward` against central differences of `L = Σ_k ⟨output_k, g_k⟩` (random g) for
 * every float graph input and initializer, in float64 with the reference implementation.
 */
export function checkGradients(
  model: OnnxModel,
  inputs: readonly OnnxTensor[],
  options: GradCheckOptions = {},
): void {
  const { seed = 7, eps = 1e-6, tol = 1e-6, skipOutputs = [] } = options;
  const executor = new GraphExecutor(model, { dtype: "float64", impl: "reference" });
  const feed = inputs.map((t) =>
    t.dtype === "float32" || t.dtype === "float64"
      ? new OnnxTensor(Float64Array.from(t.data as ArrayLike<number>), t.dims)
      : t
  );
  const outputs = executor.run(feed);
  const grads = outputs.map((o, k) =>
    skipOutputs.includes(k) || !(o.dtype === "float64") ? undefined : rand(o.dims, seed + k)
  );
  const objective = (): number => {
    let sum = 0;
    executor.run(feed).forEach((o, k) => {
      const g = grads[k];
      if (g === undefined) return;
      for (let i = 0; i < o.size; i++) sum += (o.data[i] as number) * (g.data[i] as number);
    });
    return sum;
  };
  executor.run(feed);
  const analytic = executor.backward(grads);
  const numeric = (data: Float64Array): Float64Array => {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const saved = data[i];
      data[i] = saved + eps;
      const plus = objective();
      data[i] = saved - eps;
      const minus = objective();
      data[i] = saved;
      out[i] = (plus - minus) / (2 * eps);
    }
    return out;
  };
  feed.forEach((t, i) => {
    if (t.dtype !== "float64") {
      if (analytic.inputs[i] !== undefined) throw new Error(`input ${i} is not float`);
      return;
    }
    const expected = numeric(t.data as Float64Array);
    assertTensorClose(analytic.inputs[i]!, { shape: t.dims, data: expected }, {
      rtol: tol,
      atol: tol,
    }, `gradient of input ${i} (${executor.inputNames[i]})`);
  });
  const parameters = new Map(executor.parameters().map((p) => [p.name, p]));
  executor.initializerNames.forEach((name, k) => {
    const p = parameters.get(name);
    if (p === undefined) return;
    const expected = numeric(p.value.data as Float64Array);
    assertTensorClose(analytic.initializers[k]!, { shape: p.value.shape, data: expected }, {
      rtol: tol,
      atol: tol,
    }, `gradient of initializer ${k} (${name})`);
  });
}

/**
 * Runs one kernel's forward directly (no executor): its outputs and its own reduction lengths
 * `reduction` / `gradReduction`, independent of how the executor composes them over a graph.
 */
export function kernelRun(spec: NodeSpec, feed: readonly (OnnxTensor | undefined)[]): NodeRun {
  const node = nodeModel(spec).graph.nodes[0];
  const ctx = new NodeContext(node, 0, spec.opset ?? 17, {
    impl: "reference",
    absolute: false,
    floatType: undefined,
  }, "test");
  return OPS[spec.opType].prepare(ctx)(feed);
}
