/**
 * Run an ONNX graph on the package's layers, forward and in reverse mode.
 *
 * {@linkcode GraphExecutor} validates a decoded {@linkcode OnnxModel} once (opset, operators,
 * attribute values, topological order), then `run` evaluates the nodes in order, `backward`
 * propagates output gradients to every float graph input and initializer (accumulating over
 * fan-out), `reductionLengths` gives the tolerance policy's `n` per compared tensor, and
 * `parameters` exposes the float initializers to the optimizers for fine-tuning.
 *
 * Supported: the default domain at opsets 1 to 21 (below 7 with the legacy attributes: the
 * `broadcast`/`axis` broadcasting of Add/Sub/Mul/Div and Gemm, `is_test` of BatchNormalization
 * and Dropout, Reshape's `shape` and Pad's `paddings` attributes, Cast's string `to`, and the
 * ignored `consumed_inputs`), float32/float64 data (int64 for shapes, labels and indices), and the
 * operators Add, AveragePool, BatchNormalization, Cast, Clip, Concat, Constant, Conv,
 * ConvTranspose, Div, Dropout, Expand, Flatten, Gather, Gemm, GlobalAveragePool, GlobalMaxPool,
 * HardSigmoid, HardSwish, Identity, LeakyRelu, LogSoftmax, MatMul, MaxPool, Mul,
 * NegativeLogLikelihoodLoss, Pad, ReduceMean, ReduceSum, Relu, Reshape, Shape, Sigmoid, Slice,
 * Softmax, SoftmaxCrossEntropyLoss, Split, Squeeze, Sub, Tanh, Transpose and Unsqueeze. Anything
 * else throws {@linkcode UnsupportedOpError}.
 *
 * @module
 */

import { type Impl, resolveImpl } from "../layers/_impl.ts";
import { getThreads, withThreads } from "../layers/threads.ts";
import { checkThreads } from "../layers/_threads/option.ts";
import { formatShape } from "../layers/_errors.ts";
import { Parameter } from "../layers/module.ts";
import { Tensor } from "../layers/tensor.ts";
import { dataTypeName, type OnnxDType } from "./dtype.ts";
import { OnnxFormatError } from "./format_error.ts";
import type { OnnxModel, OnnxValueInfo } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { UnsupportedOpError } from "./unsupported_error.ts";
import {
  type Grad,
  type KernelOptions,
  NodeContext,
  type NodeForward,
  type NodeRun,
} from "./_ops/_context.ts";
import { absolute, addGrad, isFloat } from "./_ops/_data.ts";
import { adoptFloat } from "./_ops/constant.ts";
import { MAX_OPSET, MIN_OPSET, OPS } from "./_ops/mod.ts";

export { UnsupportedOpError } from "./unsupported_error.ts";

/** Options of {@linkcode GraphExecutor}. */
export interface ExecutorOptions {
  /** Implementation for Conv/ConvTranspose/pooling nodes. @default "fast" */
  impl?: Impl;
  /**
   * Compute float tensors (graph inputs, initializers, Constant values and float Cast targets)
   * in this type; inputs may then be given in either float type.
   * @default as stored
   */
  dtype?: "float32" | "float64";
  /**
   * Replace every float graph input, initializer, Constant value and output gradient by its
   * absolute value, and make the few kernels whose subtractions cancel (Sub, the softmax and
   * cross-entropy backward, BatchNormalization's `x − mean`) add instead: the result bounds the
   * magnitude of the terms each element sums (the `A` of the tolerance bound `|X| ⋆ |W|`).
   * @default false
   */
  absolute?: boolean;
  /**
   * Threads the fast path's kernels may use while this executor runs (see `setThreads`); the
   * results are the same bits for any count.
   * @default the global setting (`getThreads()`)
   */
  threads?: number;
}

/** Gradients returned by {@linkcode GraphExecutor.backward}. */
export interface GraphGradients {
  /**
   * Per graph input (in {@linkcode GraphExecutor.inputNames} order): the gradient of a float
   * input (zeros if the outputs do not depend on it), `undefined` for other types.
   */
  inputs: (OnnxTensor | undefined)[];
  /** Per initializer (in {@linkcode GraphExecutor.initializerNames} order), likewise. */
  initializers: (OnnxTensor | undefined)[];
}

/** The tolerance policy's reduction lengths `n` (see {@linkcode GraphExecutor.reductionLengths}). */
export interface ReductionLengths {
  /** Per graph output. */
  outputs: number[];
  /** Per graph input's gradient (0 for inputs without one). */
  gradInputs: number[];
  /** Per initializer's gradient (0 for initializers without one). */
  gradInitializers: number[];
}

interface Step {
  readonly ctx: NodeContext;
  readonly forward: NodeForward;
}

interface RunRecord {
  readonly values: Map<string, OnnxTensor>;
  readonly runs: NodeRun[];
  /** Forward reduction length per value name. */
  readonly lengths: Map<string, number>;
}

const SUPPORTED_DTYPES: readonly OnnxDType[] = [
  "float32",
  "float64",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "bool",
];

/**
 * Executes an ONNX graph with the package's layers, forward and backward.
 *
 * @example Run a Conv → Relu graph and back-propagate
 * ```ts
 * import { GraphExecutor } from "./executor.ts";
 * import { decodeModel, encodeModel } from "./model.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const model = decodeModel(encodeModel({
 *   opsetImports: { "": 13 },
 *   graph: {
 *     nodes: [
 *       { opType: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: { kernel_shape: [2] } },
 *       { opType: "Relu", inputs: ["c"], outputs: ["y"] },
 *     ],
 *     initializers: [new OnnxTensor(new Float32Array([1, -1]), [1, 1, 2], { name: "w" })],
 *     inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 3] }],
 *     outputs: [{ name: "y", dtype: "float32" }],
 *   },
 * }));
 * const executor = new GraphExecutor(model);
 * const [y] = executor.run([new OnnxTensor(new Float32Array([3, 1, 2]), [1, 1, 3])]);
 * console.log(y.data); // [2, 0]: relu(3 − 1), relu(1 − 2)
 * if (y.data.join() !== "2,0") throw new Error(`got ${y.data}`);
 * const grads = executor.backward([new OnnxTensor(new Float32Array([1, 1]), [1, 1, 2])]);
 * console.log(grads.inputs[0]?.data, grads.initializers[0]?.data); // [1, -1, 0] [3, 1]
 * if (grads.initializers[0]?.data.join() !== "3,1") throw new Error("dW = [3·1 + 1·0, 1·1 + 2·0]");
 * console.log(executor.reductionLengths().outputs); // [2]: two terms per Conv output
 * ```
 */
export class GraphExecutor {
  /** Graph inputs that are not initializers, in graph order: the arguments of `run`. */
  readonly inputNames: readonly string[];
  /** Graph outputs in order: what `run` returns. */
  readonly outputNames: readonly string[];
  /** Initializer names in `graph.initializer` order (`grad_initializer_<k>` indexes this). */
  readonly initializerNames: readonly string[];
  readonly #graph: string;
  readonly #inputs: readonly OnnxValueInfo[];
  readonly #steps: readonly Step[];
  readonly #initializers: readonly OnnxTensor[];
  readonly #parameters: Map<string, Parameter>;
  readonly #options: KernelOptions;
  readonly #threads: number | undefined;
  #last: RunRecord | undefined = undefined;

  /**
   * Validates the model and prepares every node.
   *
   * @param model A decoded model (see `decodeModel` / `readModelFile`).
   * @param options Implementation, compute dtype, absolute mode and threads.
   * @throws {UnsupportedOpError} Naming the node, its op type and the reason: a domain other
   * than the default one, a default-domain opset outside 1..21, an unsupported operator, an op
   * used below the opset that introduced it, an unsupported attribute or attribute value, or an
   * input declared with an unsupported element type (float16, ...).
   * @throws {OnnxFormatError} For a malformed graph: nodes not in topological order, an input
   * or graph output no one produces, a value produced twice, a wrong attribute type or arity.
   * @throws {TypeError} If `model` is not a decoded model or an option has the wrong type.
   * @throws {RangeError} If `threads` is not an integer from 1 to 64.
   */
  constructor(model: OnnxModel, options: ExecutorOptions = {}) {
    if (model === null || typeof model !== "object" || typeof model.graph !== "object") {
      throw new TypeError(`Cannot create GraphExecutor: model must be a decoded OnnxModel`);
    }
    const { dtype, absolute = false } = options ?? {};
    const impl = resolveImpl("GraphExecutor", options?.impl);
    if (dtype !== undefined && dtype !== "float32" && dtype !== "float64") {
      throw new TypeError(
        `Cannot create GraphExecutor: dtype must be "float32" or "float64", got ${
          JSON.stringify(dtype)
        }`,
      );
    }
    if (typeof absolute !== "boolean") {
      throw new TypeError(`Cannot create GraphExecutor: absolute must be a boolean`);
    }
    this.#threads = options?.threads === undefined
      ? undefined
      : checkThreads("create GraphExecutor", options.threads);
    this.#options = { impl, absolute, floatType: dtype };
    const graph = model.graph;
    this.#graph = graph.name;
    this.initializerNames = Object.freeze(graph.initializers.map((t) => t.name ?? ""));
    const initializerSet = new Set(this.initializerNames);
    this.#inputs = graph.inputs.filter((v) => !initializerSet.has(v.name));
    this.inputNames = Object.freeze(this.#inputs.map((v) => v.name));
    this.outputNames = Object.freeze(graph.outputs.map((v) => v.name));

    // Element type of every value known before the nodes run, for the up-front dtype check.
    const declared = new Map<string, string>();
    for (const v of this.#inputs) {
      const type = v.kind !== "tensor"
        ? `a ${v.kind}`
        : v.dtype ?? dataTypeName(v.elemType) ?? `type code ${v.elemType}`;
      if (v.elemType !== 0 || v.kind !== "tensor") declared.set(v.name, type);
    }
    for (const t of graph.initializers) declared.set(t.name ?? "", t.dtype);
    const producer = new Map<string, number>();
    graph.nodes.forEach((node, i) => node.outputs.forEach((name) => producer.set(name, i)));

    const available = new Set<string>([...this.inputNames, ...this.initializerNames]);
    const opset = model.opsetImports[""];
    this.#steps = graph.nodes.map((node, index) => {
      const ctx = new NodeContext(node, index, opset, this.#options, graph.name);
      if (node.domain !== "") {
        ctx.unsupported(
          `domain ${JSON.stringify(node.domain)} is not supported (only ONNX's ` +
            `default domain)`,
        );
      }
      if (opset === undefined) ctx.malformed("", `the model imports no default-domain opset`);
      if (opset < MIN_OPSET || opset > MAX_OPSET) {
        ctx.unsupported(
          `opset ${opset} of the default domain is not supported ` +
            `(${MIN_OPSET} to ${MAX_OPSET})`,
        );
      }
      if (!Object.hasOwn(OPS, node.opType)) {
        ctx.unsupported(`operator ${node.opType} is not supported`);
      }
      const kernel = OPS[node.opType];
      if (opset < kernel.since) {
        ctx.unsupported(
          `${node.opType} does not exist before opset ${kernel.since} (the model ` +
            `imports opset ${opset})`,
        );
      }
      node.inputs.forEach((name, j) => {
        if (name === "") return;
        if (!available.has(name)) {
          const later = producer.get(name);
          ctx.malformed(
            `input[${j}]`,
            later !== undefined && later >= index
              ? `input ${JSON.stringify(name)} is produced by the later node #${later}: the ` +
                `nodes are not topologically sorted`
              : `input ${JSON.stringify(name)} is neither a graph input, an initializer nor ` +
                `the output of an earlier node`,
          );
        }
        const type = declared.get(name);
        if (type !== undefined && !SUPPORTED_DTYPES.includes(type as OnnxDType)) {
          ctx.unsupported(
            `input ${JSON.stringify(name)} has dtype ${type}; supported are ` +
              `float32 and float64 (integers and bool for shapes, labels and masks)`,
          );
        }
      });
      const forward = OPS[node.opType].prepare(ctx);
      node.outputs.forEach((name, k) => {
        if (name === "") return;
        if (available.has(name)) {
          ctx.malformed(`output[${k}]`, `output ${JSON.stringify(name)} is already defined`);
        }
        available.add(name);
      });
      return { ctx, forward };
    });
    graph.outputs.forEach((v, k) => {
      if (!available.has(v.name)) {
        throw new OnnxFormatError(
          `graph ${JSON.stringify(graph.name)}`,
          `graph.output[${k}]`,
          `Cannot run ONNX graph ${JSON.stringify(graph.name)}: graph.output[${k}]: output ` +
            `${JSON.stringify(v.name)} is not produced by any node`,
        );
      }
    });

    // The executor owns copies of the float initializers: optimizers update them in place.
    this.#initializers = graph.initializers.map((t) =>
      isFloat(t.dtype) ? owned(adoptFloat(t, this.#options), t) : t
    );
    this.#parameters = new Map();
    this.#initializers.forEach((t, k) => {
      if (isFloat(t.dtype)) {
        const name = this.initializerNames[k];
        this.#parameters.set(name, new Parameter(name, t.toTensor()));
      }
    });
  }

  /**
   * Evaluates the graph.
   *
   * @param inputs One tensor per graph input, in {@linkcode GraphExecutor.inputNames} order.
   * @returns The graph outputs, in order, each named after its graph output.
   * @throws {TypeError} If the input count differs, or an input's dtype or shape differs from
   * its declaration (symbolic and unknown dims match any size; with the `dtype` option a float
   * input may be float32 or float64); also for shape errors inside a node, naming it.
   * @throws {RangeError} For out-of-range values inside a node (a label outside [0, C), ...).
   * @throws {UnsupportedOpError} For a value a node cannot handle at run time (a float16 input,
   * Dropout in training mode, ...).
   */
  run(inputs: readonly OnnxTensor[]): OnnxTensor[] {
    const threads = this.#threads;
    if (threads !== undefined && threads !== getThreads()) {
      return withThreads(threads, () => this.run(inputs));
    }
    const what = `Cannot run ONNX graph ${JSON.stringify(this.#graph)}`;
    if (!Array.isArray(inputs)) throw new TypeError(`${what}: inputs must be an array`);
    if (inputs.length !== this.inputNames.length) {
      throw new TypeError(
        `${what}: expected ${this.inputNames.length} inputs (${this.inputNames.join(", ")}), ` +
          `got ${inputs.length}`,
      );
    }
    const values = new Map<string, OnnxTensor>();
    const lengths = new Map<string, number>();
    this.#initializers.forEach((t, k) => {
      const name = this.initializerNames[k];
      const parameter = this.#parameters.get(name);
      values.set(name, parameter === undefined ? t : OnnxTensor.fromTensor(parameter.value, name));
      lengths.set(name, 0);
    });
    inputs.forEach((t, k) => {
      const info = this.#inputs[k];
      values.set(info.name, this.#checkInput(what, t, info, k));
      lengths.set(info.name, 0);
    });
    const runs: NodeRun[] = [];
    for (const { ctx, forward } of this.#steps) {
      const node = ctx.node;
      const args = node.inputs.map((name) => (name === "" ? undefined : values.get(name)));
      const result = guarded(ctx, () => forward(args));
      let upstream = 0;
      node.inputs.forEach((name, j) => {
        if (name !== "" && args[j] !== undefined && isFloat(args[j]!.dtype)) {
          upstream = Math.max(upstream, lengths.get(name) ?? 0);
        }
      });
      node.outputs.forEach((name, k) => {
        const value = result.outputs[k];
        if (name === "" || value === undefined) return;
        values.set(name, value);
        lengths.set(name, (result.reduction[k] ?? 0) + upstream);
      });
      runs.push(result);
    }
    this.#last = { values, runs, lengths };
    return this.outputNames.map((name) => values.get(name)!.withName(name));
  }

  /**
   * Propagates output gradients back to the float graph inputs and initializers. Nodes run in
   * reverse order; a value consumed by several nodes sums their gradients; integer and bool
   * values get none. The float initializers' {@linkcode Parameter}s accumulate their gradient.
   *
   * @param gradOutputs Per graph output, the gradient of the loss with respect to it (its shape,
   * float), or `undefined` for none.
   * @returns Gradients of the graph inputs and of the initializers; zeros for float tensors the
   * outputs do not depend on, `undefined` for non-float ones.
   * @throws {Error} If `run` has not been called.
   * @throws {TypeError} If the count differs or a gradient's shape or dtype does not fit its
   * output.
   */
  backward(gradOutputs: readonly (OnnxTensor | undefined)[]): GraphGradients {
    const threads = this.#threads;
    if (threads !== undefined && threads !== getThreads()) {
      return withThreads(threads, () => this.backward(gradOutputs));
    }
    const last = this.#requireRun("backward");
    const what = `Cannot compute backward of ONNX graph ${JSON.stringify(this.#graph)}`;
    if (!Array.isArray(gradOutputs) || gradOutputs.length !== this.outputNames.length) {
      throw new TypeError(
        `${what}: expected an array of ${this.outputNames.length} gradients (one per output, ` +
          `undefined for none), got ${
            Array.isArray(gradOutputs) ? gradOutputs.length : "no array"
          }`,
      );
    }
    const grads = new Map<string, Tensor>();
    const add = (name: string, g: Tensor) => {
      const existing = grads.get(name);
      grads.set(name, existing === undefined ? g : addGrad(existing, g));
    };
    gradOutputs.forEach((g, k) => {
      if (g === undefined) return;
      const name = this.outputNames[k];
      const output = last.values.get(name)!;
      if (!(g instanceof OnnxTensor) || !isFloat(g.dtype)) {
        throw new TypeError(`${what}: gradOutputs[${k}] must be a float32/float64 OnnxTensor`);
      }
      if (!isFloat(output.dtype)) {
        throw new TypeError(
          `${what}: output ${JSON.stringify(name)} is ${output.dtype}, which ` +
            `has no gradient; pass undefined`,
        );
      }
      if (g.dims.join() !== output.dims.join() || g.dims.length !== output.dims.length) {
        throw new TypeError(
          `${what}: gradOutputs[${k}] has shape ${formatShape(g.dims)}, but ` +
            `output ${JSON.stringify(name)} has shape ${formatShape(output.dims)}`,
        );
      }
      let t = g.toTensor().astype(output.dtype);
      if (this.#options.absolute) t = absolute(t);
      add(name, t);
    });
    for (let i = this.#steps.length - 1; i >= 0; i--) {
      const { ctx } = this.#steps[i];
      const run = last.runs[i];
      if (run.backward === undefined) continue;
      const node = ctx.node;
      const upstream: Grad[] = node.outputs.map((name) => grads.get(name));
      if (upstream.every((g) => g === undefined)) continue;
      // Missing gradients of float outputs are zeros, so kernels see a full set.
      node.outputs.forEach((name, k) => {
        const value = last.values.get(name);
        if (upstream[k] === undefined && name !== "" && value && isFloat(value.dtype)) {
          upstream[k] = Tensor.zeros(value.dims, value.dtype);
        }
      });
      const downstream = guarded(ctx, () => run.backward!(upstream));
      node.inputs.forEach((name, j) => {
        const g = downstream[j];
        const value = last.values.get(name);
        if (name === "" || g === undefined || value === undefined || !isFloat(value.dtype)) return;
        add(name, g);
      });
    }
    const gradientOf = (name: string): OnnxTensor | undefined => {
      const value = last.values.get(name);
      if (value === undefined || !isFloat(value.dtype)) return undefined;
      const g = grads.get(name) ?? Tensor.zeros(value.dims, value.dtype);
      return OnnxTensor.fromTensor(g, name);
    };
    for (const [name, parameter] of this.#parameters) {
      const g = grads.get(name);
      if (g !== undefined) parameter.accumulate(g);
    }
    return {
      inputs: this.inputNames.map(gradientOf),
      initializers: this.initializerNames.map(gradientOf),
    };
  }

  /**
   * The tolerance policy's `n` (terms summed into one element) for every compared tensor of the
   * last `run`, composed over the graph:
   *
   * - forward: `n(output of a node) = n_node + max over the node's float inputs of n(input)`,
   *   where graph inputs and initializers have 0 and `n_node` is the op's own reduction length
   *   (Conv `Cin/groups·Πkernel`, Gemm/MatMul `K`, Softmax the axis length, elementwise ops 0
   *   or 1, ...);
   * - backward: a graph output's gradient starts at 0 — the upstream gradient is given exactly
   *   (read from a file or passed in), it carries no rounding history — and the gradient of a value
   *   is the max over its consumers of (the consumer's largest output-gradient `n` + the
   *   consumer's backward reduction length for that input: Conv `dX` `Cout/groups·Πkernel`,
   *   `dW` and `dB` `N·Πout`, pooling the most overlapping windows, ...).
   *
   * Errors of composed float32 sums add (each sum of `n` terms contributes at most `n·u` of its
   * absolute terms), so the sum of the lengths along the longest path bounds the accumulated
   * error against the absolute evaluation `A`.
   *
   * @returns `n` per graph output, per input gradient and per initializer gradient (0 where a
   * tensor has no gradient).
   * @throws {Error} If `run` has not been called.
   */
  reductionLengths(): ReductionLengths {
    const last = this.#requireRun("reductionLengths");
    const forward = (name: string) => last.lengths.get(name) ?? 0;
    const gradient = new Map<string, number>();
    const raise = (name: string, n: number) =>
      gradient.set(name, Math.max(gradient.get(name) ?? 0, n));
    for (const name of this.outputNames) {
      const value = last.values.get(name);
      if (value !== undefined && isFloat(value.dtype)) raise(name, 0);
    }
    for (let i = this.#steps.length - 1; i >= 0; i--) {
      const node = this.#steps[i].ctx.node, run = last.runs[i];
      if (run.backward === undefined) continue;
      const reached = node.outputs.filter((name) => name !== "" && gradient.has(name));
      if (reached.length === 0) continue;
      const upstream = Math.max(...reached.map((name) => gradient.get(name)!));
      node.inputs.forEach((name, j) => {
        const own = run.gradReduction[j];
        const value = last.values.get(name);
        if (name === "" || own === undefined || value === undefined || !isFloat(value.dtype)) {
          return;
        }
        raise(name, upstream + own);
      });
    }
    return {
      outputs: this.outputNames.map(forward),
      gradInputs: this.inputNames.map((name) => gradient.get(name) ?? 0),
      gradInitializers: this.initializerNames.map((name) => gradient.get(name) ?? 0),
    };
  }

  /**
   * The float initializers as trainable parameters, in initializer order. Each `value` is the
   * tensor the executor computes with (an optimizer's in-place update changes the next `run`),
   * and each `grad` accumulates on every `backward` (call `zeroGrad()` between steps).
   *
   * @returns One {@linkcode Parameter} per float initializer, named after it.
   */
  parameters(): Parameter[] {
    return [...this.#parameters.values()];
  }

  #requireRun(what: string): RunRecord {
    if (this.#last === undefined) {
      throw new Error(`Cannot compute GraphExecutor.${what}: call run first`);
    }
    return this.#last;
  }

  #checkInput(what: string, t: OnnxTensor, info: OnnxValueInfo, k: number): OnnxTensor {
    const label = `input ${k} (${JSON.stringify(info.name)})`;
    if (!(t instanceof OnnxTensor)) {
      throw new TypeError(`${what}: ${label} must be an OnnxTensor, got ${describe(t)}`);
    }
    const declared = info.dtype;
    const floatOk = this.#options.floatType !== undefined && declared !== undefined &&
      isFloat(declared) && isFloat(t.dtype);
    if (declared !== undefined && t.dtype !== declared && !floatOk) {
      throw new TypeError(`${what}: ${label} must have dtype ${declared}, got ${t.dtype}`);
    }
    const shape = info.shape;
    if (
      shape !== undefined && (shape.length !== t.dims.length ||
        shape.some((d, i) => typeof d === "number" && d !== t.dims[i]))
    ) {
      const expected = `[${
        shape.map((d) => (typeof d === "string" ? JSON.stringify(d) : d ?? "?")).join(", ")
      }]`;
      throw new TypeError(
        `${what}: ${label} must have shape ${expected}, got ${formatShape(t.dims)}`,
      );
    }
    return isFloat(t.dtype) ? adoptFloat(t, this.#options) : t;
  }
}

/** A float initializer the executor owns (copied unless adopting already copied it). */
function owned(adopted: OnnxTensor, original: OnnxTensor): OnnxTensor {
  if (adopted !== original) return adopted.withName(original.name);
  return new OnnxTensor(adopted.data.slice(), adopted.dims, { name: original.name });
}

/** Runs a kernel call, naming the node in layer errors (which name only the layer op). */
function guarded<T>(ctx: NodeContext, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof UnsupportedOpError || error instanceof OnnxFormatError) throw error;
    if (
      (error instanceof TypeError || error instanceof RangeError) &&
      !error.message.startsWith("Cannot run ONNX node")
    ) {
      const label = ctx.node.name === "" ? `#${ctx.index}` : JSON.stringify(ctx.node.name);
      const Class = error instanceof TypeError ? TypeError : RangeError;
      throw new Class(`Cannot run ONNX node ${label} (${ctx.node.opType}): ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  return value.constructor?.name ?? "object";
}
