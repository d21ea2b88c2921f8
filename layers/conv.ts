/**
 * Convolution over 1, 2 or 3 spatial axes (PyTorch `ConvNd`, ONNX `Conv`), forward and backward,
 * as functions (`conv`, `convBackward`) and as modules (`Conv1d`, `Conv2d`, `Conv3d`).
 *
 * Layouts: input `[N, Cin, *spatial]`, weight `[Cout, Cin / groups, *kernel]`, output
 * `[N, Cout, *outSpatial]`. With `groups = g` the channels split into g independent groups; a
 * depthwise convolution has `groups = Cin` and `Cout = multiplier × Cin`.
 *
 *   y[n, co, o] = bias[co] + Σ_{ci ∈ group(co), k} x[n, ci, o·stride + k·dilation − padBegin]
 *                                                   · w[co, ci mod (Cin / groups), k]
 *
 * Taps that fall in the zero padding contribute nothing; NaN and ±Infinity propagate.
 *
 * @module
 */

import { CONV_KERNELS, sumChannels } from "./_conv_kernels.ts";
import { checkModuleOptions, ConvModuleCore } from "./_conv_module.ts";
import {
  checkBias,
  checkGradOutput,
  checkInputWeight,
  checkOptions,
  checkSaved,
  type ConvPlan,
  liftPlan,
  opName,
} from "./_conv_plan.ts";
import { formatShape, typeError } from "./_errors.ts";
import { type Padding, windowGeometry, type WindowOptions } from "./_geometry.ts";
import { type Impl, resolveImpl } from "./_impl.ts";
import { checkResult } from "./_limits_check.ts";
import { Module, type Parameter } from "./module.ts";
import { allocate, type DType, Tensor } from "./tensor.ts";

/** Options of {@linkcode conv} and {@linkcode convBackward}. */
export interface ConvOptions extends WindowOptions {
  /** Per-output-channel bias, shape `[Cout]`, same dtype as the input. @default undefined (none) */
  bias?: Tensor;
  /** Number of channel groups; must divide Cin and Cout. @default 1 */
  groups?: number;
  /** Implementation: definitional loops or im2col + GEMM. @default "fast" */
  impl?: Impl;
}

/** Gradients returned by {@linkcode convBackward} (and `convTransposeBackward`). */
export interface ConvGradients {
  /** ∂L/∂input, shaped like the input. */
  input: Tensor;
  /** ∂L/∂weight, shaped like the weight. */
  weight: Tensor;
  /** ∂L/∂bias, shape `[Cout]`; present iff the options carried a bias. */
  bias?: Tensor;
}

interface Prepared {
  plan: ConvPlan;
  outputShape: number[];
  impl: Impl;
}

/** Validates a convolution call and plans it. */
function prepare(op: string, input: unknown, weight: unknown, options: ConvOptions): Prepared {
  checkOptions(op, options);
  const groups = checkInputWeight(
    op,
    input,
    weight,
    options.groups,
    (rank) => `[Cout, Cin / groups, ${["kL", "kH, kW", "kD, kH, kW"][rank - 1]}]`,
  );
  const x = input as Tensor, w = weight as Tensor;
  const [batch, inChannels] = x.shape;
  const [outChannels, groupChannels] = w.shape;
  if (inChannels !== groupChannels * groups) {
    typeError(
      op,
      `input channels (${inChannels}) must equal weight channels × groups (${groupChannels} × ` +
        `${groups}): input shape is ${formatShape(x.shape)}`,
    );
  }
  if (outChannels % groups !== 0) {
    typeError(
      op,
      `output channels (${outChannels}) must be divisible by groups (${groups}): weight shape ` +
        `is ${formatShape(w.shape)}`,
    );
  }
  checkBias(op, options.bias, outChannels, x);
  const impl = resolveImpl(op, options.impl);
  const { stride, dilation, padding } = options;
  const g = windowGeometry(op, x.shape.slice(2), w.shape.slice(2), { stride, dilation, padding });
  const outputShape = [batch, outChannels, ...g.outSize];
  checkResult(op, "output", outputShape, x.dtype);
  return { plan: liftPlan(g, batch, inChannels, outChannels, groups), outputShape, impl };
}

/**
 * Convolution (cross-correlation, as in PyTorch and ONNX) of `input` with `weight`, plus an
 * optional bias.
 *
 * @param input `[N, Cin, L]`, `[N, Cin, H, W]` or `[N, Cin, D, H, W]`, float32 or float64.
 * @param weight `[Cout, Cin / groups, *kernel]`, same rank and dtype as the input.
 * @param options Stride, dilation, padding (number, per axis, ONNX begin/end pads, `"valid"`,
 * `"same"` = SAME_UPPER, `"same_lower"`), `bias`, `groups` and `impl`.
 * @returns `[N, Cout, *outSpatial]` in the input's dtype.
 * @throws {TypeError} If an argument is not a tensor, ranks, shapes or dtypes disagree, or an
 * option has the wrong type or length.
 * @throws {RangeError} If `groups`, kernel, stride or dilation is not positive, padding is
 * negative, the output would be empty, the input has an empty spatial axis, a spatial quantity
 * exceeds `MAX_EXTENT` or the output the memory budget (see ./limits.ts).
 *
 * @example 2×2 window sums
 * ```ts
 * import { conv } from "./conv.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = Tensor.arange([1, 1, 3, 3]); // 0..8
 * const y = conv(x, Tensor.full([1, 1, 2, 2], 1));
 * if (y.data.join() !== "8,12,20,24") throw new Error(`got ${y.data}`);
 * ```
 */
export function conv(input: Tensor, weight: Tensor, options: ConvOptions = {}): Tensor {
  const { plan, outputShape, impl } = prepare(opName("conv", input), input, weight, options);
  const y = allocate(outputShape.reduce((a, b) => a * b, 1), input.dtype);
  CONV_KERNELS[impl].forward(plan, input.data, weight.data, options.bias?.data, y);
  return new Tensor(y, outputShape);
}

/**
 * Gradients of {@linkcode conv} with respect to its input, weight and (if given) bias.
 *
 * @param gradOutput ∂L/∂output, shaped like the forward output.
 * @param saved The forward's `input` and `weight`.
 * @param options The options the forward ran with.
 * @returns `{ input, weight, bias? }`; `bias` is present iff `options.bias` is.
 * @throws {TypeError} As {@linkcode conv}, and if `gradOutput` has the wrong shape or dtype.
 * @throws {RangeError} As {@linkcode conv}.
 *
 * @example Gradient of a sum of window sums
 * ```ts
 * import { convBackward } from "./conv.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.arange([1, 1, 3]), weight = Tensor.full([1, 1, 2], 1);
 * const grads = convBackward(Tensor.full([1, 1, 2], 1), { input, weight });
 * if (grads.input.data.join() !== "1,2,1") throw new Error("each x counted per window");
 * if (grads.weight.data.join() !== "1,3") throw new Error("dw = [0+1, 1+2]");
 * ```
 */
export function convBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; weight: Tensor },
  options: ConvOptions = {},
): ConvGradients {
  return backwardPasses(gradOutput, saved, options, true) as ConvGradients;
}

/** The parameter gradients only: what a first layer, whose input is data, needs. */
function convParameterGradients(
  gradOutput: Tensor,
  saved: { input: Tensor; weight: Tensor },
  options: ConvOptions,
): Omit<ConvGradients, "input"> {
  return backwardPasses(gradOutput, saved, options, false);
}

function backwardPasses(
  gradOutput: Tensor,
  saved: { input: Tensor; weight: Tensor },
  options: ConvOptions,
  inputGradient: boolean,
): Omit<ConvGradients, "input"> & { input?: Tensor } {
  const op = `${opName("conv", saved?.input)}Backward`;
  const { input, weight } = checkSaved(op, saved);
  const { plan, outputShape, impl } = prepare(op, input, weight, options);
  checkGradOutput(op, gradOutput, outputShape, input);
  const kernels = CONV_KERNELS[impl];
  const dw = allocate(weight.size, input.dtype);
  kernels.backwardWeight(plan, input.data, gradOutput.data, dw);
  const grads: Omit<ConvGradients, "input"> & { input?: Tensor } = {
    weight: new Tensor(dw, weight.shape),
  };
  if (inputGradient) {
    const dx = allocate(input.size, input.dtype);
    kernels.backwardInput(plan, gradOutput.data, weight.data, dx);
    grads.input = new Tensor(dx, input.shape);
  }
  if (options.bias !== undefined) {
    const db = allocate(plan.outChannels, input.dtype);
    const plane = plan.outD * plan.outH * plan.outW;
    sumChannels(gradOutput.data, plan.batch, plan.outChannels, plane, db);
    grads.bias = new Tensor(db, [plan.outChannels]);
  }
  return grads;
}

/** Constructor options of {@linkcode Conv1d}, {@linkcode Conv2d} and {@linkcode Conv3d}. */
export interface ConvModuleOptions {
  /** Input channels Cin. */
  inChannels: number;
  /** Output channels Cout. */
  outChannels: number;
  /** Kernel size, one for all axes or one per axis. */
  kernelSize: number | readonly number[];
  /** Window step. @default 1 */
  stride?: number | readonly number[];
  /** Spatial padding (see {@linkcode Padding}). @default 0 */
  padding?: Padding;
  /** Tap spacing. @default 1 */
  dilation?: number | readonly number[];
  /** Channel groups; must divide both channel counts. @default 1 */
  groups?: number;
  /** Whether the layer has a bias. @default true */
  bias?: boolean;
  /** Seed of PyTorch's default initialisation U(−1/√fan_in, 1/√fan_in). @default 0 */
  seed?: number;
  /** Implementation. @default "fast" */
  impl?: Impl;
  /** Parameter dtype; inputs must match it. @default "float32" */
  dtype?: DType;
}

/**
 * A convolution layer over `rank` spatial axes: weight `[Cout, Cin / groups, *kernel]` then bias
 * `[Cout]`, PyTorch's default initialisation. Use {@linkcode Conv1d}, {@linkcode Conv2d} or
 * {@linkcode Conv3d}.
 */
export abstract class ConvNd extends Module {
  /** The kernel, `[Cout, Cin / groups, *kernel]`. */
  readonly weight: Parameter;
  /** The bias `[Cout]`, or undefined when built with `bias: false`. */
  readonly bias: Parameter | undefined;
  /** The window options the layer was built with (stride, padding, dilation, groups, impl). */
  readonly options: Readonly<ConvOptions>;
  readonly #core: ConvModuleCore<ConvOptions>;

  /**
   * Validates the options and draws the parameters.
   *
   * @param rank Number of spatial axes.
   * @param name Class name for messages.
   * @param options Layer options.
   */
  protected constructor(rank: number, name: string, options: ConvModuleOptions) {
    super();
    const { kernel, groups } = checkModuleOptions(name, rank, options);
    const { inChannels, outChannels, stride, padding, dilation, impl } = options;
    this.#core = new ConvModuleCore<ConvOptions>(name, rank, options, {
      weightShape: [outChannels, inChannels / groups, ...kernel],
      window: { stride, padding, dilation, groups, impl },
      forward: conv,
      backward: convBackward,
      backwardParameters: convParameterGradients,
    });
    this.weight = this.#core.weight;
    this.bias = this.#core.bias;
    this.options = this.#core.options;
  }

  /**
   * Runs the convolution and keeps the input for the backward pass.
   *
   * @param input `[N, Cin, *spatial]`.
   * @returns `[N, Cout, *outSpatial]`; the input is kept for {@linkcode ConvNd.backward}.
   * @throws {TypeError} If the input has the wrong rank, channels or dtype.
   * @throws {RangeError} If the output would be empty.
   */
  forward(input: Tensor): Tensor {
    return this.#core.forward(input);
  }

  /**
   * Back-propagates through the last forward, accumulating the parameter gradients.
   *
   * @param gradOutput ∂L/∂output of the last forward.
   * @returns ∂L/∂input; weight and bias gradients are added into their parameters' `grad`.
   * @throws {Error} If `forward` has not been called.
   * @throws {TypeError} If `gradOutput` has the wrong shape or dtype.
   */
  backward(gradOutput: Tensor): Tensor {
    return this.#core.backward(gradOutput);
  }

  /**
   * Accumulates the weight and bias gradients of the last forward without computing the input
   * gradient (for a first layer, whose input is data).
   *
   * @param gradOutput ∂L/∂output of the last forward.
   * @throws {Error} If `forward` has not been called.
   * @throws {TypeError} If `gradOutput` has the wrong shape or dtype.
   */
  override backwardParameters(gradOutput: Tensor): void {
    this.#core.backwardParameters(gradOutput);
  }

  /**
   * The trainable parameters, weight first.
   *
   * @returns `[weight, bias]`, or `[weight]` without a bias.
   */
  override parameters(): Parameter[] {
    return this.#core.parameters();
  }
}

/**
 * 1-D convolution layer: `[N, Cin, L] → [N, Cout, Lout]` (PyTorch `nn.Conv1d`).
 *
 * @example
 * ```ts
 * import { Conv1d } from "./conv.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Conv1d({ inChannels: 2, outChannels: 4, kernelSize: 3, padding: 1 });
 * const y = layer.forward(Tensor.randn([1, 2, 10]));
 * if (y.shape.join() !== "1,4,10") throw new Error(`got ${y.shape}`);
 * ```
 */
export class Conv1d extends ConvNd {
  /**
   * Builds the layer with PyTorch's default initialisation.
   *
   * @param options Channels, kernel size and window options.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a count is not positive or groups does not divide the channels.
   */
  constructor(options: ConvModuleOptions) {
    super(1, "Conv1d", options);
  }
}

/**
 * 2-D convolution layer: `[N, Cin, H, W] → [N, Cout, Hout, Wout]` (PyTorch `nn.Conv2d`).
 *
 * @example Forward and backward
 * ```ts
 * import { Conv2d } from "./conv.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3, stride: 2 });
 * const y = layer.forward(Tensor.randn([2, 3, 9, 9]));
 * const dx = layer.backward(Tensor.full(y.shape, 1));
 * if (y.shape.join() !== "2,8,4,4" || dx.shape.join() !== "2,3,9,9") throw new Error("shapes");
 * ```
 */
export class Conv2d extends ConvNd {
  /**
   * Builds the layer with PyTorch's default initialisation.
   *
   * @param options Channels, kernel size and window options.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a count is not positive or groups does not divide the channels.
   */
  constructor(options: ConvModuleOptions) {
    super(2, "Conv2d", options);
  }
}

/**
 * 3-D convolution layer: `[N, Cin, D, H, W] → [N, Cout, Dout, Hout, Wout]` (PyTorch
 * `nn.Conv3d`).
 *
 * @example
 * ```ts
 * import { Conv3d } from "./conv.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Conv3d({ inChannels: 1, outChannels: 2, kernelSize: [1, 3, 3] });
 * const y = layer.forward(Tensor.randn([1, 1, 2, 5, 5]));
 * if (y.shape.join() !== "1,2,2,3,3") throw new Error(`got ${y.shape}`);
 * ```
 */
export class Conv3d extends ConvNd {
  /**
   * Builds the layer with PyTorch's default initialisation.
   *
   * @param options Channels, kernel size and window options.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a count is not positive or groups does not divide the channels.
   */
  constructor(options: ConvModuleOptions) {
    super(3, "Conv3d", options);
  }
}
