/**
 * Max pooling over 1, 2 or 3 spatial axes (`[N, C, L]`, `[N, C, H, W]`, `[N, C, D, H, W]`),
 * forward and backward, as functions and as PyTorch-style modules.
 *
 * Semantics are PyTorch's (`max_pool{1,2,3}d`, CPU kernel):
 * - each window takes the **first** maximum in row-major tap order (comparison `>`, not `>=`);
 *   ties therefore send the whole gradient to the earliest tap;
 * - a **NaN wins** its window (`val > max || isnan(val)`): the output is NaN and, when a window
 *   holds several NaNs, the last one in row-major order takes the gradient;
 * - padding counts as −Infinity and never wins, not even against a real −Infinity;
 * - overlapping windows accumulate their gradients;
 * - a window that holds no input element — possible only with dilation, when every tap falls in
 *   padding — outputs −Infinity, has index −1 and passes no gradient.
 *
 * Padding limit: every pad (begin and end) must be smaller than the effective kernel
 * `dilation × (kernel − 1) + 1` on its axis. That is ONNX Runtime's rule, looser than PyTorch's
 * `pad ≤ effective kernel / 2`, so ONNX's own test models run.
 *
 * @module
 */

import { type Impl, resolveImpl } from "./_impl.ts";
import type { Padding } from "./_geometry.ts";
import {
  checkGradOutput,
  noForward,
  poolOpName,
  type PoolSetup,
  poolSetup,
  savedInput,
} from "./_pool_args.ts";
import { maxPoolFast, scatterMaxGradient } from "./_pool_fast.ts";
import { maxPoolBackwardReference, maxPoolReference } from "./_pool_reference.ts";
import { formatValue, perAxis, rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import { allocate, Tensor } from "./tensor.ts";

/** Options of {@linkcode maxPool}. */
export interface MaxPoolOptions {
  /** Window size: one positive integer for every spatial axis, or one per axis (required). */
  kernelSize: number | readonly number[];
  /** Step between windows, one for all axes or per axis. @default kernelSize */
  stride?: number | readonly number[];
  /**
   * Padding (counts as −Infinity): a number, one per axis, ONNX begin/end pads
   * (`[h_begin, w_begin, h_end, w_end]`), `"valid"`, `"same"` (SAME_UPPER) or `"same_lower"`.
   * Each pad must be smaller than the effective kernel on its axis.
   * @default 0
   */
  padding?: Padding;
  /** Spacing between window taps, one for all axes or per axis. @default 1 */
  dilation?: number | readonly number[];
  /**
   * Round the output size up instead of down; a last window that would start beyond the input
   * and its begin padding is dropped (PyTorch).
   * @default false
   */
  ceilMode?: boolean;
  /** Implementation: definitional loops or the fast kernels. @default "fast" */
  impl?: Impl;
}

/** Result of {@linkcode maxPoolWithIndices}. */
export interface MaxPoolResult {
  /** The pooled tensor `[N, C, *outSize]`, in the input's dtype. */
  output: Tensor;
  /**
   * For every output element, the flat offset of its maximum within its own `(n, c)` input plane
   * (`(d·H + h)·W + w`, PyTorch's `return_indices` convention), or −1 for a window holding no
   * input element.
   */
  indices: Int32Array;
}

/** Forward tensors of {@linkcode maxPoolBackward}. */
export interface MaxPoolSaved {
  /** The forward input. */
  input: Tensor;
  /**
   * The indices from {@linkcode maxPoolWithIndices} for the same input and options; when given,
   * the backward is a scatter and no maximum is searched again.
   */
  indices?: Int32Array;
}

/**
 * Max pooling with the position of every maximum.
 *
 * @param input `[N, C, L]`, `[N, C, H, W]` or `[N, C, D, H, W]`, float32 or float64.
 * @param options Kernel (required), stride, padding, dilation, ceil mode and implementation.
 * @returns The output and, per output element, the offset of its maximum in its input plane.
 * @throws {TypeError} If the input is not a rank-3 to rank-5 tensor, the kernel is missing or an
 * option has the wrong type or length.
 * @throws {RangeError} If kernel, stride or dilation is not positive, a pad is negative or not
 * smaller than the effective kernel, an output size would be below 1, the input has zero
 * channels or an empty spatial axis, or a size exceeds `MAX_EXTENT` or the memory budget.
 *
 * @example Indices into each input plane
 * ```ts
 * import { maxPoolWithIndices } from "./max_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor([1, 5, 2, 1, 0, 2, 3, 4], [1, 1, 2, 4]);
 * const { output, indices } = maxPoolWithIndices(x, { kernelSize: 2 });
 * if (output.data.join() !== "5,4" || indices.join() !== "1,7") throw new Error("wrong");
 * ```
 */
export function maxPoolWithIndices(input: Tensor, options: MaxPoolOptions): MaxPoolResult {
  const setup = poolSetup("maxPool", input, options);
  return runMaxPool(setup, resolveImpl(setup.op, options.impl));
}

/**
 * Max pooling over the spatial axes: `y[n, c, o] = max over the window taps of x`.
 *
 * Ties give the first maximum in row-major window order, NaN wins its window, padding counts as
 * −Infinity (see the module documentation).
 *
 * @param input `[N, C, L]`, `[N, C, H, W]` or `[N, C, D, H, W]`, float32 or float64.
 * @param options Kernel (required), stride, padding, dilation, ceil mode and implementation.
 * @returns `[N, C, *outSize]` in the input's dtype.
 * @throws {TypeError} If the input is not a rank-3 to rank-5 tensor, the kernel is missing or an
 * option has the wrong type or length.
 * @throws {RangeError} If kernel, stride or dilation is not positive, a pad is negative or not
 * smaller than the effective kernel, an output size would be below 1, the input has zero
 * channels or an empty spatial axis, or a size exceeds `MAX_EXTENT` or the memory budget.
 *
 * @example 2×2 windows on a 4×4 arange
 * ```ts
 * import { maxPool } from "./max_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = maxPool(Tensor.arange([1, 1, 4, 4]), { kernelSize: 2 });
 * if (y.data.join() !== "5,7,13,15") throw new Error("wrong maxima");
 * ```
 */
export function maxPool(input: Tensor, options: MaxPoolOptions): Tensor {
  const setup = poolSetup("maxPool", input, options);
  const impl = resolveImpl(setup.op, options.impl);
  if (impl === "reference") return runMaxPool(setup, impl).output;
  // Without indices the fast kernel only finds the values.
  const out = allocate(setup.window.planes * setup.window.outPlane, input.dtype);
  maxPoolFast(input.data, setup.window, out);
  return new Tensor(out, setup.outShape);
}

/**
 * Gradient of {@linkcode maxPool} with respect to its input: each output's gradient is added to
 * the input element that won its window (first maximum, NaN wins); inputs that win no window get
 * 0, and overlapping windows accumulate.
 *
 * @param gradOutput Gradient of the loss with respect to the output, shaped like the output.
 * @param saved `{ input }` of the forward call, optionally with its `indices`.
 * @param options The forward options.
 * @returns `{ input }`: the input gradient, in the input's dtype.
 * @throws {TypeError} For a bad input or options (as {@linkcode maxPool}), a gradOutput whose
 * shape differs from the forward output, or indices of the wrong length.
 * @throws {RangeError} For out-of-range options (as {@linkcode maxPool}) or an index outside the
 * input plane.
 *
 * @example The gradient goes to the first maximum
 * ```ts
 * import { maxPoolBackward } from "./max_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([1, 5, 5, 1], [1, 1, 2, 2]);
 * const { input: dx } = maxPoolBackward(Tensor.full([1, 1, 1, 1], 1), { input }, {
 *   kernelSize: 2,
 * });
 * if (dx.data.join() !== "0,1,0,0") throw new Error("tie must go to the first maximum");
 * ```
 */
export function maxPoolBackward(
  gradOutput: Tensor,
  saved: MaxPoolSaved,
  options: MaxPoolOptions,
): { input: Tensor } {
  const input = savedInput(`${poolOpName("maxPool", saved?.input)} backward`, saved);
  const setup = poolSetup("maxPool", input, options);
  const op = `${setup.op} backward`;
  checkGradOutput(op, gradOutput, setup.outShape);
  const impl = resolveImpl(op, options.impl);
  let indices = saved.indices;
  if (indices !== undefined) {
    checkIndices(op, indices, setup);
  } else if (impl === "reference") {
    const dx = allocate(input.size, input.dtype);
    maxPoolBackwardReference(input.data, gradOutput.data, setup.window, dx);
    return { input: new Tensor(dx, input.shape) };
  } else {
    indices = runMaxPool(setup, impl).indices;
  }
  return { input: scatter(gradOutput, indices, setup) };
}

function runMaxPool(setup: PoolSetup, impl: Impl): MaxPoolResult {
  const { input, window } = setup;
  const size = window.planes * window.outPlane;
  const out = allocate(size, input.dtype);
  const indices = new Int32Array(size);
  (impl === "reference" ? maxPoolReference : maxPoolFast)(input.data, window, out, indices);
  return { output: new Tensor(out, setup.outShape), indices };
}

function scatter(gradOutput: Tensor, indices: Int32Array, setup: PoolSetup): Tensor {
  const { input, window } = setup;
  const dx = allocate(input.size, input.dtype);
  scatterMaxGradient(gradOutput.data, indices, window, dx);
  return new Tensor(dx, input.shape);
}

function checkIndices(op: string, indices: unknown, setup: PoolSetup): void {
  const size = setup.window.planes * setup.window.outPlane;
  if (!(indices instanceof Int32Array) || indices.length !== size) {
    typeError(
      op,
      `saved.indices must be an Int32Array of ${size} elements (one per output), got ` +
        (indices instanceof Int32Array ? `${indices.length} elements` : formatValue(indices)),
    );
  }
  const limit = setup.window.inPlane;
  const bad = indices.findIndex((i) => i < -1 || i >= limit);
  if (bad >= 0) {
    rangeError(
      op,
      `saved.indices must lie in [-1, ${limit}) (offsets into an input plane), got ` +
        `${indices[bad]} at position ${bad}`,
    );
  }
}

/** Forward of the max-pool modules: output plus what backward needs. */
function moduleForward(
  spatialRank: number,
  options: MaxPoolOptions,
  input: Tensor,
): { setup: PoolSetup; indices: Int32Array; output: Tensor } {
  const setup = poolSetup("maxPool", input, options, spatialRank);
  const { output, indices } = runMaxPool(setup, resolveImpl(setup.op, options.impl));
  return { setup, indices, output };
}

function moduleBackward(
  spatialRank: number,
  cache: { setup: PoolSetup; indices: Int32Array } | undefined,
  gradOutput: Tensor,
): Tensor {
  const op = `maxPool${spatialRank}d backward`;
  if (cache === undefined) noForward(op);
  checkGradOutput(op, gradOutput, cache.setup.outShape);
  return scatter(gradOutput, cache.indices, cache.setup);
}

function checkModuleOptions(spatialRank: number, options: MaxPoolOptions): MaxPoolOptions {
  const op = `maxPool${spatialRank}d`;
  if (options === null || typeof options !== "object" || options.kernelSize === undefined) {
    typeError(op, "kernelSize is required (a positive integer or one per spatial axis)");
  }
  perAxis(op, "kernelSize", options.kernelSize, spatialRank, 1);
  perAxis(op, "stride", options.stride, spatialRank, 1);
  perAxis(op, "dilation", options.dilation, spatialRank, 1);
  resolveImpl(op, options.impl);
  return { ...options };
}

/**
 * 1-D max pooling layer over `[N, C, L]` (PyTorch `nn.MaxPool1d`); no parameters. Forward keeps
 * the argmax, so backward is a scatter.
 *
 * @example Forward and backward
 * ```ts
 * import { MaxPool1d } from "./max_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new MaxPool1d({ kernelSize: 2 });
 * const y = pool.forward(new Tensor([1, 3, 2, 0], [1, 1, 4]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data.join() !== "3,2" || dx.data.join() !== "0,1,1,0") throw new Error("wrong");
 * ```
 */
export class MaxPool1d extends Module {
  /** The pooling options. */
  readonly options: MaxPoolOptions;
  #cache: { setup: PoolSetup; indices: Int32Array } | undefined;

  /**
   * Creates the layer; options are checked now, sizes at each forward.
   *
   * @param options Kernel (required), stride, padding, dilation, ceil mode, implementation.
   * @throws {TypeError} If the kernel is missing or an option has the wrong type or length.
   * @throws {RangeError} If kernel, stride or dilation is not positive.
   */
  constructor(options: MaxPoolOptions) {
    super();
    this.options = checkModuleOptions(1, options);
  }

  /**
   * Pools `input` and keeps what backward needs.
   *
   * @param input `[N, C, L]`.
   * @returns `[N, C, outL]`.
   * @throws {TypeError} If the input is not rank 3.
   * @throws {RangeError} If the padding is too large or the output would be empty.
   */
  forward(input: Tensor): Tensor {
    const { setup, indices, output } = moduleForward(1, this.options, input);
    this.#cache = { setup, indices };
    return output;
  }

  /**
   * Routes `gradOutput` back to the last input.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} Before any forward.
   * @throws {TypeError} If the shape differs from the last output.
   */
  backward(gradOutput: Tensor): Tensor {
    return moduleBackward(1, this.#cache, gradOutput);
  }
}

/**
 * 2-D max pooling layer over `[N, C, H, W]` (PyTorch `nn.MaxPool2d`); no parameters. Forward
 * keeps the argmax, so backward is a scatter.
 *
 * @example Forward and backward
 * ```ts
 * import { MaxPool2d } from "./max_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new MaxPool2d({ kernelSize: 2 });
 * const y = pool.forward(Tensor.arange([1, 1, 2, 2]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data[0] !== 3 || dx.data.join() !== "0,0,0,1") throw new Error("wrong");
 * ```
 */
export class MaxPool2d extends Module {
  /** The pooling options. */
  readonly options: MaxPoolOptions;
  #cache: { setup: PoolSetup; indices: Int32Array } | undefined;

  /**
   * Creates the layer; options are checked now, sizes at each forward.
   *
   * @param options Kernel (required), stride, padding, dilation, ceil mode, implementation.
   * @throws {TypeError} If the kernel is missing or an option has the wrong type or length.
   * @throws {RangeError} If kernel, stride or dilation is not positive.
   */
  constructor(options: MaxPoolOptions) {
    super();
    this.options = checkModuleOptions(2, options);
  }

  /**
   * Pools `input` and keeps what backward needs.
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, outH, outW]`.
   * @throws {TypeError} If the input is not rank 4.
   * @throws {RangeError} If the padding is too large or the output would be empty.
   */
  forward(input: Tensor): Tensor {
    const { setup, indices, output } = moduleForward(2, this.options, input);
    this.#cache = { setup, indices };
    return output;
  }

  /**
   * Routes `gradOutput` back to the last input.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} Before any forward.
   * @throws {TypeError} If the shape differs from the last output.
   */
  backward(gradOutput: Tensor): Tensor {
    return moduleBackward(2, this.#cache, gradOutput);
  }
}

/**
 * 3-D max pooling layer over `[N, C, D, H, W]` (PyTorch `nn.MaxPool3d`); no parameters. Forward
 * keeps the argmax, so backward is a scatter.
 *
 * @example Forward and backward
 * ```ts
 * import { MaxPool3d } from "./max_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new MaxPool3d({ kernelSize: [1, 2, 2] });
 * const y = pool.forward(Tensor.arange([1, 1, 2, 2, 2]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data.join() !== "3,7" || dx.data.join() !== "0,0,0,1,0,0,0,1") throw new Error("wrong");
 * ```
 */
export class MaxPool3d extends Module {
  /** The pooling options. */
  readonly options: MaxPoolOptions;
  #cache: { setup: PoolSetup; indices: Int32Array } | undefined;

  /**
   * Creates the layer; options are checked now, sizes at each forward.
   *
   * @param options Kernel (required), stride, padding, dilation, ceil mode, implementation.
   * @throws {TypeError} If the kernel is missing or an option has the wrong type or length.
   * @throws {RangeError} If kernel, stride or dilation is not positive.
   */
  constructor(options: MaxPoolOptions) {
    super();
    this.options = checkModuleOptions(3, options);
  }

  /**
   * Pools `input` and keeps what backward needs.
   *
   * @param input `[N, C, D, H, W]`.
   * @returns `[N, C, outD, outH, outW]`.
   * @throws {TypeError} If the input is not rank 5.
   * @throws {RangeError} If the padding is too large or the output would be empty.
   */
  forward(input: Tensor): Tensor {
    const { setup, indices, output } = moduleForward(3, this.options, input);
    this.#cache = { setup, indices };
    return output;
  }

  /**
   * Routes `gradOutput` back to the last input.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} Before any forward.
   * @throws {TypeError} If the shape differs from the last output.
   */
  backward(gradOutput: Tensor): Tensor {
    return moduleBackward(3, this.#cache, gradOutput);
  }
}
