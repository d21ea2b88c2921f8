/**
 * What an implementation under test gives the conformance harness: an {@linkcode Implementation}
 * is a plain object with a `name` and the operations it has, each optional. The harness runs a
 * golden case through the most complete level the implementation offers:
 *
 * 1. `graph` — a whole ONNX graph, forward and (optionally) backward: what our own
 *    `reference`, `fast` and `fast-ts` paths provide (the `GraphExecutor`);
 * 2. layer functions for a single-node case — `conv`, `convBackward`, `convTranspose`,
 *    `convTransposeBackward`, `maxPool`, `maxPoolBackward`, `avgPool`, `avgPoolBackward` — in our
 *    layouts (input `[N, C, *spatial]`, Conv weight `[M, C / groups, *kernel]`, ConvTranspose
 *    weight `[C, M / groups, *kernel]`), with the ONNX attributes already resolved into explicit
 *    per-axis numbers (see {@linkcode ConvParams}, {@linkcode PoolParams});
 * 3. `node` — the forward of one ONNX node, for anything else a single-node case holds.
 *
 * What the implementation lacks is skipped with the reason (`"tfjs-wasm lacks convTranspose"`);
 * a forward without its backward checks the outputs and reports the gradients as skipped. An
 * implementation that meets a configuration it cannot express (tfjs has no grouped convolution
 * besides depthwise) throws {@linkcode NotSupportedError}: the case is skipped with that message.
 * Any other error thrown is a failure of the implementation.
 *
 * @module
 */

import type { GraphGradients } from "../onnx/executor.ts";
import type { OnnxModel, OnnxNode } from "../onnx/model.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";

/** A value or a promise of it: every adapter function may be synchronous or not. */
export type Awaitable<T> = T | Promise<T>;

/** A dense row-major float tensor as the harness hands it to an implementation. */
export interface FloatTensor {
  /** Elements in row-major order (float32 for the goldens). */
  readonly data: Float32Array | Float64Array;
  /** Extent of each axis, outermost first. */
  readonly shape: readonly number[];
}

/**
 * A tensor an implementation returns: its elements are rounded to the element type of the
 * operation's input before the comparison (a float32 layer answers in float32).
 */
export interface TensorResult {
  /** Elements in row-major order. */
  readonly data: Float32Array | Float64Array | ArrayLike<number>;
  /** Extent of each axis, outermost first. */
  readonly shape: readonly number[];
}

/**
 * A convolution's window, resolved from the ONNX attributes (auto_pad, pads, strides, dilations,
 * group) into explicit numbers, one per spatial axis.
 */
export interface ConvParams {
  /** Kernel taps per axis. */
  readonly kernel: readonly number[];
  /** Window step per axis. */
  readonly stride: readonly number[];
  /** Tap spacing per axis. */
  readonly dilation: readonly number[];
  /** Zero padding before the first element, per axis. */
  readonly padBegin: readonly number[];
  /** Zero padding after the last element, per axis. */
  readonly padEnd: readonly number[];
  /** Channel groups (1: dense; input channels: depthwise). */
  readonly groups: number;
  /** Spatial size of the output the golden expects. */
  readonly outSize: readonly number[];
}

/**
 * A transposed convolution's window. It is the input gradient of the convolution with the same
 * kernel, stride, dilation and pads whose input has the spatial size `outSize`:
 * `outSize = stride·(in − 1) + dilation·(kernel − 1) + 1 + outputPadding − padBegin − padEnd`.
 */
export interface ConvTransposeParams extends ConvParams {
  /** Extra output size at the end of each axis (already included in `outSize`). */
  readonly outputPadding: readonly number[];
}

/** A pooling window, resolved from the ONNX attributes. */
export interface PoolParams {
  /** Window size per axis. */
  readonly kernel: readonly number[];
  /** Window step per axis. */
  readonly stride: readonly number[];
  /** Tap spacing per axis. */
  readonly dilation: readonly number[];
  /** Padding before the first element, per axis (max pool: −∞; average pool: see below). */
  readonly padBegin: readonly number[];
  /** Padding after the last element, per axis, not counting a ceil-mode overhang. */
  readonly padEnd: readonly number[];
  /**
   * Whether the output size was rounded up (ONNX `ceil_mode`, PyTorch's rule: the last window
   * must start inside the input or its front padding).
   */
  readonly ceilMode: boolean;
  /** Spatial size of the output the golden expects. */
  readonly outSize: readonly number[];
}

/** An average-pooling window. */
export interface AvgPoolParams extends PoolParams {
  /**
   * Whether the divisor counts the explicit padding (never the ceil-mode overhang; ONNX
   * `count_include_pad`, whose default is 0).
   */
  readonly countIncludePad: boolean;
}

/** Gradients of a convolution or transposed convolution. */
export interface ConvGradientResults {
  /** Gradient of the input, its shape. */
  readonly input?: TensorResult;
  /** Gradient of the weight, its shape. */
  readonly weight?: TensorResult;
  /** Gradient of the bias `[M]` (asked for only when the case has a bias). */
  readonly bias?: TensorResult;
  /**
   * Why some gradients are absent (`"no Conv2DBackpropFilter kernel"`): those are reported as
   * skipped. Without it, an absent gradient the case has a file for fails.
   */
  readonly omitted?: string;
}

/** A whole graph prepared by an implementation's {@linkcode Implementation.graph}. */
export interface GraphRunner {
  /**
   * Runs the graph forward.
   *
   * @param inputs The graph inputs that are not initializers, in graph order.
   * @returns One tensor per graph output.
   */
  run(inputs: readonly OnnxTensor[]): Awaitable<readonly (OnnxTensor | undefined)[]>;
  /**
   * Back-propagates from the outputs of the last `run` (absent: the implementation has no
   * gradients; the gradient files are reported as skipped).
   *
   * @param gradOutputs One per graph output (`undefined` for integer outputs).
   * @returns The gradients of the graph inputs and initializers.
   */
  backward?(gradOutputs: readonly (OnnxTensor | undefined)[]): Awaitable<GraphGradients>;
}

/**
 * An implementation under test. Only `name` is required; see the module documentation for how
 * the harness picks among the levels.
 */
export interface Implementation {
  /** Short name, printed in the report (`"reference"`, `"tfjs-cpu"`, `"my-conv"`). */
  readonly name: string;
  /**
   * Prepares a whole ONNX graph. Throw `UnsupportedOpError` or {@linkcode NotSupportedError}
   * for a graph it cannot run: the case is skipped with the reason.
   */
  graph?(model: OnnxModel): Awaitable<GraphRunner>;
  /** Convolution `y = x ⋆ w + b`: input `[N, C, *in]`, weight `[M, C/groups, *kernel]`. */
  conv?(
    input: FloatTensor,
    weight: FloatTensor,
    bias: FloatTensor | undefined,
    params: ConvParams,
  ): Awaitable<TensorResult>;
  /** Gradients of {@linkcode Implementation.conv} from the output gradient `[N, M, *out]`. */
  convBackward?(
    gradOutput: FloatTensor,
    input: FloatTensor,
    weight: FloatTensor,
    bias: FloatTensor | undefined,
    params: ConvParams,
  ): Awaitable<ConvGradientResults>;
  /** Transposed convolution: input `[N, C, *in]`, weight `[C, M/groups, *kernel]`. */
  convTranspose?(
    input: FloatTensor,
    weight: FloatTensor,
    bias: FloatTensor | undefined,
    params: ConvTransposeParams,
  ): Awaitable<TensorResult>;
  /** Gradients of {@linkcode Implementation.convTranspose}. */
  convTransposeBackward?(
    gradOutput: FloatTensor,
    input: FloatTensor,
    weight: FloatTensor,
    bias: FloatTensor | undefined,
    params: ConvTransposeParams,
  ): Awaitable<ConvGradientResults>;
  /** Max pooling over `[N, C, *in]` (padding counts as −∞). */
  maxPool?(input: FloatTensor, params: PoolParams): Awaitable<TensorResult>;
  /** Input gradient of {@linkcode Implementation.maxPool}. */
  maxPoolBackward?(
    gradOutput: FloatTensor,
    input: FloatTensor,
    params: PoolParams,
  ): Awaitable<TensorResult>;
  /** Average pooling over `[N, C, *in]`. */
  avgPool?(input: FloatTensor, params: AvgPoolParams): Awaitable<TensorResult>;
  /** Input gradient of {@linkcode Implementation.avgPool}. */
  avgPoolBackward?(
    gradOutput: FloatTensor,
    input: FloatTensor,
    params: AvgPoolParams,
  ): Awaitable<TensorResult>;
  /**
   * Forward of one ONNX node of a single-node case, for operators without a layer function
   * above (or all of them, for an ONNX-level implementation).
   *
   * @returns One tensor per node output.
   */
  node?(
    node: OnnxNode,
    inputs: readonly (OnnxTensor | undefined)[],
    opset: number,
  ): Awaitable<readonly (OnnxTensor | undefined)[]>;
  /** Releases what the implementation holds (sessions, workers); called once after a run. */
  dispose?(): Awaitable<void>;
}

/**
 * Thrown by an implementation for a configuration it cannot express: the harness skips the case
 * with `"<name>: <message>"` instead of failing it.
 *
 * @example Refuse grouped convolution
 * ```ts
 * import { NotSupportedError } from "./adapter.ts";
 * const groups = 2;
 * const error = new NotSupportedError(`groups ${groups}: only 1 is implemented`);
 * if (error.name !== "NotSupportedError") throw error;
 * ```
 */
export class NotSupportedError extends Error {
  /**
   * Creates the error.
   *
   * @param message What the implementation cannot do, e.g. `groups 2: only 1 is implemented`.
   */
  constructor(message: string) {
    super(message);
    this.name = "NotSupportedError";
  }
}
