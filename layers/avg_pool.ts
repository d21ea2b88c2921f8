/**
 * Average pooling over 1, 2 or 3 spatial axes (`[N, C, L]`, `[N, C, H, W]`, `[N, C, D, H, W]`),
 * forward and backward, as functions and as PyTorch-style modules.
 *
 * Each output is the sum of the input elements in its window divided by:
 * - `divisorOverride` when given;
 * - with `countIncludePad` (the default, as in PyTorch): the number of window taps inside the
 *   padded extent `[−padBegin, in + padEnd)` — explicit padding counts, the overhang of a
 *   ceil-mode window beyond it does not (`[1, 2, 3, 4, 5]`, kernel 2, stride 2, ceil →
 *   `[1.5, 3.5, 5]`);
 * - otherwise the number of input elements in the window (ONNX's default
 *   `count_include_pad = 0`).
 *
 * These are PyTorch's `avg_pool2d` rules, generalised to asymmetric (ONNX) pads. A window that
 * holds no input element (only possible with dilation) outputs 0 and passes no gradient.
 *
 * Padding limit: every pad (begin and end) must be smaller than the effective kernel on its axis
 * — ONNX Runtime's rule, looser than PyTorch's `pad ≤ kernel / 2`, so ONNX's own test models
 * (e.g. kernel 3 with pads 2) run.
 *
 * @module
 */

import { formatValue, perAxis, rangeError, typeError } from "./_errors.ts";
import type { Padding } from "./_geometry.ts";
import { type Impl, resolveImpl } from "./_impl.ts";
import {
  checkBoolean,
  checkGradOutput,
  noForward,
  poolOpName,
  type PoolSetup,
  poolSetup,
  savedInput,
} from "./_pool_args.ts";
import { avgPoolBackwardFast, avgPoolFast } from "./_pool_fast.ts";
import { type AvgDivisor, avgPoolBackwardReference, avgPoolReference } from "./_pool_reference.ts";
import { Module } from "./module.ts";
import { allocate, Tensor } from "./tensor.ts";

/** Options of {@linkcode avgPool}. */
export interface AvgPoolOptions {
  /** Window size: one positive integer for every spatial axis, or one per axis (required). */
  kernelSize: number | readonly number[];
  /** Step between windows, one for all axes or per axis. @default kernelSize */
  stride?: number | readonly number[];
  /**
   * Padding (zeros): a number, one per axis, ONNX begin/end pads
   * (`[h_begin, w_begin, h_end, w_end]`), `"valid"`, `"same"` (SAME_UPPER) or `"same_lower"`.
   * Each pad must be smaller than the effective kernel on its axis.
   * @default 0
   */
  padding?: Padding;
  /**
   * Spacing between window taps (ONNX AveragePool-19 `dilations`; PyTorch has no dilated
   * average pooling). Divisors count taps, not the span.
   * @default 1
   */
  dilation?: number | readonly number[];
  /**
   * Round the output size up instead of down; a last window that would start beyond the input
   * and its begin padding is dropped (PyTorch).
   * @default false
   */
  ceilMode?: boolean;
  /**
   * Divide by the taps inside the padded extent (true, PyTorch's default) or by the input
   * elements in the window only (false, ONNX's default).
   * @default true
   */
  countIncludePad?: boolean;
  /** A non-zero integer to divide every window sum by, instead of a count. */
  divisorOverride?: number;
  /** Implementation: definitional loops or the fast separable kernels. @default "fast" */
  impl?: Impl;
}

/**
 * Average pooling over the spatial axes.
 *
 * @param input `[N, C, L]`, `[N, C, H, W]` or `[N, C, D, H, W]`, float32 or float64.
 * @param options Kernel (required), stride, padding, dilation, ceil mode, divisor rule and
 * implementation.
 * @returns `[N, C, *outSize]` in the input's dtype.
 * @throws {TypeError} If the input is not a rank-3 to rank-5 tensor, the kernel is missing or an
 * option has the wrong type or length.
 * @throws {RangeError} If kernel, stride or dilation is not positive, a pad is negative or not
 * smaller than the effective kernel, an output size would be below 1, `divisorOverride` is not
 * a non-zero integer, the input has zero channels or an empty spatial axis, or a size exceeds
 * `MAX_EXTENT` or the memory budget.
 *
 * @example count_include_pad with ceil mode
 * ```ts
 * import { avgPool } from "./avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor([1, 2, 3, 4, 5], [1, 1, 5]);
 * const y = avgPool(x, { kernelSize: 2, ceilMode: true });
 * if (y.data.join() !== "1.5,3.5,5") throw new Error("the ceil overhang is not a pad");
 * ```
 */
export function avgPool(input: Tensor, options: AvgPoolOptions): Tensor {
  return forward(prepare(input, options));
}

/**
 * Gradient of {@linkcode avgPool} with respect to its input: each output's gradient divided by
 * its window's divisor is added to every input element of the window.
 *
 * @param gradOutput Gradient of the loss with respect to the output, shaped like the output.
 * @param saved `{ input }` of the forward call (only its shape and dtype are used).
 * @param options The forward options.
 * @returns `{ input }`: the input gradient, in the input's dtype.
 * @throws {TypeError} For a bad input or options (as {@linkcode avgPool}) or a gradOutput whose
 * shape differs from the forward output.
 * @throws {RangeError} For out-of-range options (as {@linkcode avgPool}).
 *
 * @example Overlapping windows accumulate
 * ```ts
 * import { avgPoolBackward } from "./avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([1, 1, 3]);
 * const gy = new Tensor([2, 4], [1, 1, 2]);
 * const { input: dx } = avgPoolBackward(gy, { input }, { kernelSize: 2, stride: 1 });
 * if (dx.data.join() !== "1,3,2") throw new Error("wrong gradient");
 * ```
 */
export function avgPoolBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: AvgPoolOptions,
): { input: Tensor } {
  const input = savedInput(`${poolOpName("avgPool", saved?.input)} backward`, saved);
  const { setup, divisor, impl } = prepare(input, options);
  checkGradOutput(`${setup.op} backward`, gradOutput, setup.outShape);
  return { input: backward({ setup, divisor, impl }, gradOutput) };
}

/** A validated call: what forward and backward need. */
type Prepared = { setup: PoolSetup; divisor: AvgDivisor; impl: Impl };

function prepare(input: Tensor, options: AvgPoolOptions, spatialRank?: number): Prepared {
  const setup = poolSetup("avgPool", input, options, spatialRank);
  const divisor = checkDivisor(setup.op, options);
  return { setup, divisor, impl: resolveImpl(setup.op, options.impl) };
}

function forward({ setup, divisor, impl }: Prepared): Tensor {
  const out = allocate(setup.window.planes * setup.window.outPlane, setup.input.dtype);
  const kernel = impl === "reference" ? avgPoolReference : avgPoolFast;
  kernel(setup.input.data, setup.window, divisor, out);
  return new Tensor(out, setup.outShape);
}

function checkDivisor(op: string, options: AvgPoolOptions): AvgDivisor {
  checkBoolean(op, "countIncludePad", options.countIncludePad);
  const override = options.divisorOverride;
  if (override !== undefined) {
    if (typeof override !== "number" || !Number.isInteger(override)) {
      typeError(op, `divisorOverride must be an integer, got ${formatValue(override)}`);
    }
    if (override === 0) rangeError(op, `divisorOverride must be non-zero, got 0`);
  }
  return { countIncludePad: options.countIncludePad ?? true, divisorOverride: override };
}

function backward({ setup, divisor, impl }: Prepared, gradOutput: Tensor): Tensor {
  const dx = allocate(setup.input.size, setup.input.dtype);
  const kernel = impl === "reference" ? avgPoolBackwardReference : avgPoolBackwardFast;
  kernel(gradOutput.data, setup.window, divisor, dx);
  return new Tensor(dx, setup.input.shape);
}

function checkModuleOptions(spatialRank: number, options: AvgPoolOptions): AvgPoolOptions {
  const op = `avgPool${spatialRank}d`;
  if (options === null || typeof options !== "object" || options.kernelSize === undefined) {
    typeError(op, "kernelSize is required (a positive integer or one per spatial axis)");
  }
  perAxis(op, "kernelSize", options.kernelSize, spatialRank, 1);
  perAxis(op, "stride", options.stride, spatialRank, 1);
  perAxis(op, "dilation", options.dilation, spatialRank, 1);
  checkDivisor(op, options);
  resolveImpl(op, options.impl);
  return { ...options };
}

function moduleForward(
  spatialRank: number,
  options: AvgPoolOptions,
  input: Tensor,
): { cache: Prepared; output: Tensor } {
  const cache = prepare(input, options, spatialRank);
  return { cache, output: forward(cache) };
}

function moduleBackward(
  spatialRank: number,
  cache: Prepared | undefined,
  gradOutput: Tensor,
): Tensor {
  const op = `avgPool${spatialRank}d backward`;
  if (cache === undefined) noForward(op);
  checkGradOutput(op, gradOutput, cache.setup.outShape);
  return backward(cache, gradOutput);
}

/**
 * 1-D average pooling layer over `[N, C, L]` (PyTorch `nn.AvgPool1d`); no parameters.
 *
 * @example Forward and backward
 * ```ts
 * import { AvgPool1d } from "./avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new AvgPool1d({ kernelSize: 2 });
 * const y = pool.forward(new Tensor([1, 3, 2, 6], [1, 1, 4]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data.join() !== "2,4" || dx.data.join() !== "0.5,0.5,0.5,0.5") throw new Error("wrong");
 * ```
 */
export class AvgPool1d extends Module {
  /** The pooling options. */
  readonly options: AvgPoolOptions;
  #cache: Prepared | undefined;

  /**
   * Creates the layer; options are checked now, sizes at each forward.
   *
   * @param options Kernel (required), stride, padding, dilation, ceil mode, divisor rule,
   * implementation.
   * @throws {TypeError} If the kernel is missing or an option has the wrong type or length.
   * @throws {RangeError} If kernel, stride or dilation is not positive or the divisor is 0.
   */
  constructor(options: AvgPoolOptions) {
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
    const { cache, output } = moduleForward(1, this.options, input);
    this.#cache = cache;
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
 * 2-D average pooling layer over `[N, C, H, W]` (PyTorch `nn.AvgPool2d`); no parameters.
 *
 * @example Forward and backward
 * ```ts
 * import { AvgPool2d } from "./avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new AvgPool2d({ kernelSize: 2 });
 * const y = pool.forward(Tensor.arange([1, 1, 2, 2]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data[0] !== 1.5 || dx.data.join() !== "0.25,0.25,0.25,0.25") throw new Error("wrong");
 * ```
 */
export class AvgPool2d extends Module {
  /** The pooling options. */
  readonly options: AvgPoolOptions;
  #cache: Prepared | undefined;

  /**
   * Creates the layer; options are checked now, sizes at each forward.
   *
   * @param options Kernel (required), stride, padding, dilation, ceil mode, divisor rule,
   * implementation.
   * @throws {TypeError} If the kernel is missing or an option has the wrong type or length.
   * @throws {RangeError} If kernel, stride or dilation is not positive or the divisor is 0.
   */
  constructor(options: AvgPoolOptions) {
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
    const { cache, output } = moduleForward(2, this.options, input);
    this.#cache = cache;
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
 * 3-D average pooling layer over `[N, C, D, H, W]` (PyTorch `nn.AvgPool3d`); no parameters.
 *
 * @example Forward and backward
 * ```ts
 * import { AvgPool3d } from "./avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new AvgPool3d({ kernelSize: 2 });
 * const y = pool.forward(Tensor.arange([1, 1, 2, 2, 2]));
 * const dx = pool.backward(Tensor.full(y.shape, 8));
 * if (y.data[0] !== 3.5 || dx.data.some((g) => g !== 1)) throw new Error("wrong");
 * ```
 */
export class AvgPool3d extends Module {
  /** The pooling options. */
  readonly options: AvgPoolOptions;
  #cache: Prepared | undefined;

  /**
   * Creates the layer; options are checked now, sizes at each forward.
   *
   * @param options Kernel (required), stride, padding, dilation, ceil mode, divisor rule,
   * implementation.
   * @throws {TypeError} If the kernel is missing or an option has the wrong type or length.
   * @throws {RangeError} If kernel, stride or dilation is not positive or the divisor is 0.
   */
  constructor(options: AvgPoolOptions) {
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
    const { cache, output } = moduleForward(3, this.options, input);
    this.#cache = cache;
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
