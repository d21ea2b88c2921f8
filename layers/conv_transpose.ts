/**
 * Transposed convolution over 1, 2 or 3 spatial axes (PyTorch `ConvTransposeNd`, ONNX
 * `ConvTranspose`), forward and backward, as functions (`convTranspose`, `convTransposeBackward`)
 * and modules (`ConvTranspose1d`, `ConvTranspose2d`, `ConvTranspose3d`).
 *
 * Layouts: input `[N, Cin, *spatial]`, weight `[Cin, Cout / groups, *kernel]`, output
 * `[N, Cout, *outSpatial]` with, per axis,
 * `out = stride·(in − 1) + dilation·(kernel − 1) + 1 + outputPadding − padBegin − padEnd`.
 *
 * A transposed convolution is the input gradient of the convolution whose weight has the same
 * layout (`[Cout_conv = Cin, Cin_conv / groups = Cout / groups, *kernel]`): its forward runs the
 * convolution's input-gradient kernel, and its backward runs the convolution forward (input
 * gradient) and weight-gradient kernels with the roles of input and output swapped.
 *
 * @module
 */

import { addChannelBias, CONV_KERNELS, sumChannels } from "./_conv_kernels.ts";
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
import { transposedGeometry } from "./_geometry.ts";
import { type Impl, resolveImpl } from "./_impl.ts";
import { checkResult } from "./_limits_check.ts";
import type { ConvGradients, ConvModuleOptions, ConvOptions } from "./conv.ts";
import { Module, type Parameter } from "./module.ts";
import { allocate, Tensor } from "./tensor.ts";

/** Options of {@linkcode convTranspose} and {@linkcode convTransposeBackward}. */
export interface ConvTransposeOptions extends ConvOptions {
  /**
   * Extra size at the end of each output axis; must be smaller than the stride or the dilation.
   * @default 0
   */
  outputPadding?: number | readonly number[];
  /**
   * Requested output spatial size (ONNX `output_shape`, spatial axes only). The total padding is
   * then derived from it and split like `"same"` (extra at the end; at the beginning with
   * `padding: "same_lower"`); explicit pads are ignored, as in ONNX.
   * @default undefined (size from the formula)
   */
  outputSize?: readonly number[];
}

interface Prepared {
  /** The convolution whose input gradient this transposed convolution is. */
  plan: ConvPlan;
  outputShape: number[];
  impl: Impl;
}

/** Validates a transposed-convolution call and plans it as a convolution's input gradient. */
function prepare(
  op: string,
  input: unknown,
  weight: unknown,
  options: ConvTransposeOptions,
): Prepared {
  checkOptions(op, options);
  const groups = checkInputWeight(
    op,
    input,
    weight,
    options.groups,
    (rank) => `[Cin, Cout / groups, ${["kL", "kH, kW", "kD, kH, kW"][rank - 1]}]`,
  );
  const x = input as Tensor, w = weight as Tensor;
  const [batch, inChannels] = x.shape;
  if (inChannels !== w.shape[0]) {
    typeError(
      op,
      `input channels (${inChannels}) must equal weight input channels (${w.shape[0]}): input ` +
        `shape is ${formatShape(x.shape)}, weight shape is ${formatShape(w.shape)}`,
    );
  }
  if (inChannels % groups !== 0) {
    typeError(
      op,
      `input channels (${inChannels}) must be divisible by groups (${groups}): input shape is ` +
        formatShape(x.shape),
    );
  }
  const outChannels = w.shape[1] * groups;
  checkBias(op, options.bias, outChannels, x);
  const impl = resolveImpl(op, options.impl);
  const { stride, dilation, padding, outputPadding, outputSize } = options;
  const g = transposedGeometry(op, x.shape.slice(2), w.shape.slice(2), {
    stride,
    dilation,
    padding,
    outputPadding,
    outputSize,
  });
  const outputShape = [batch, outChannels, ...g.inSize];
  checkResult(op, "output", outputShape, x.dtype);
  return {
    // The convolution's input is our output (Cout channels), its output our input.
    plan: liftPlan(g, batch, outChannels, inChannels, groups),
    outputShape,
    impl,
  };
}

/**
 * Transposed convolution ("deconvolution", fractionally strided convolution) of `input` with
 * `weight`, plus an optional bias.
 *
 * @param input `[N, Cin, L]`, `[N, Cin, H, W]` or `[N, Cin, D, H, W]`, float32 or float64.
 * @param weight `[Cin, Cout / groups, *kernel]`, same rank and dtype as the input.
 * @param options Stride, dilation, padding, `outputPadding`, `outputSize`, `bias` (`[Cout]`),
 * `groups` and `impl`.
 * @returns `[N, Cout, *outSpatial]` in the input's dtype.
 * @throws {TypeError} If an argument is not a tensor, ranks, shapes or dtypes disagree, or an
 * option has the wrong type or length.
 * @throws {RangeError} If a count is not positive, padding is negative, `outputPadding` is not
 * smaller than the stride or the dilation, the output would be empty, the input has an empty
 * spatial axis, a spatial quantity exceeds `MAX_EXTENT` or the output the memory budget (see
 * ./limits.ts).
 *
 * @example Stride 2 spreads each input over a 3-tap window
 * ```ts
 * import { convTranspose } from "./conv_transpose.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor([1, 2], [1, 1, 2]);
 * const y = convTranspose(x, Tensor.full([1, 1, 3], 1), { stride: 2 });
 * if (y.data.join() !== "1,1,3,2,2") throw new Error(`got ${y.data}`);
 * ```
 */
export function convTranspose(
  input: Tensor,
  weight: Tensor,
  options: ConvTransposeOptions = {},
): Tensor {
  const op = opName("convTranspose", input);
  const { plan, outputShape, impl } = prepare(op, input, weight, options);
  const y = allocate(outputShape.reduce((a, b) => a * b, 1), input.dtype);
  CONV_KERNELS[impl].backwardInput(plan, input.data, weight.data, y);
  if (options.bias !== undefined) {
    const plane = plan.inD * plan.inH * plan.inW;
    addChannelBias(y, plan.batch, plan.inChannels, plane, options.bias.data);
  }
  return new Tensor(y, outputShape);
}

/**
 * Gradients of {@linkcode convTranspose} with respect to its input, weight and (if given) bias.
 *
 * @param gradOutput ∂L/∂output, shaped like the forward output.
 * @param saved The forward's `input` and `weight`.
 * @param options The options the forward ran with.
 * @returns `{ input, weight, bias? }`; `bias` is present iff `options.bias` is.
 * @throws {TypeError} As {@linkcode convTranspose}, and if `gradOutput` has the wrong shape or
 * dtype.
 * @throws {RangeError} As {@linkcode convTranspose}.
 *
 * @example The input gradient is a convolution of the output gradient
 * ```ts
 * import { convTransposeBackward } from "./conv_transpose.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([1, 2], [1, 1, 2]), weight = Tensor.full([1, 1, 3], 1);
 * const grads = convTransposeBackward(Tensor.arange([1, 1, 5]), { input, weight }, { stride: 2 });
 * if (grads.input.data.join() !== "3,9") throw new Error("0+1+2, 2+3+4");
 * if (grads.weight.data.join() !== "4,7,10") throw new Error("1·[0,1,2] + 2·[2,3,4]");
 * ```
 */
export function convTransposeBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; weight: Tensor },
  options: ConvTransposeOptions = {},
): ConvGradients {
  const op = `${opName("convTranspose", saved?.input)}Backward`;
  const { input, weight } = checkSaved(op, saved);
  const { plan, outputShape, impl } = prepare(op, input, weight, options);
  checkGradOutput(op, gradOutput, outputShape, input);
  const kernels = CONV_KERNELS[impl];
  const dx = allocate(input.size, input.dtype);
  const dw = allocate(weight.size, input.dtype);
  // Roles swapped: gradOutput is the convolution's input, our input its output gradient.
  kernels.forward(plan, gradOutput.data, weight.data, undefined, dx);
  kernels.backwardWeight(plan, gradOutput.data, input.data, dw);
  const grads: ConvGradients = {
    input: new Tensor(dx, input.shape),
    weight: new Tensor(dw, weight.shape),
  };
  if (options.bias !== undefined) {
    const db = allocate(plan.inChannels, input.dtype);
    sumChannels(gradOutput.data, plan.batch, plan.inChannels, plan.inD * plan.inH * plan.inW, db);
    grads.bias = new Tensor(db, [plan.inChannels]);
  }
  return grads;
}

/** Constructor options of {@linkcode ConvTranspose1d}, 2d and 3d. */
export interface ConvTransposeModuleOptions extends ConvModuleOptions {
  /** Extra size at the end of each output axis. @default 0 */
  outputPadding?: number | readonly number[];
}

/**
 * A transposed-convolution layer over `rank` spatial axes: weight `[Cin, Cout / groups, *kernel]`
 * then bias `[Cout]`, PyTorch's default initialisation (fan_in = Cout / groups · Πkernel, as
 * PyTorch computes it from this weight layout). Use {@linkcode ConvTranspose1d},
 * {@linkcode ConvTranspose2d} or {@linkcode ConvTranspose3d}.
 */
export abstract class ConvTransposeNd extends Module {
  /** The kernel, `[Cin, Cout / groups, *kernel]`. */
  readonly weight: Parameter;
  /** The bias `[Cout]`, or undefined when built with `bias: false`. */
  readonly bias: Parameter | undefined;
  /** The window options the layer was built with (stride, padding, dilation, groups, impl, outputPadding). */
  readonly options: Readonly<ConvTransposeOptions>;
  readonly #core: ConvModuleCore<ConvTransposeOptions>;

  /**
   * Validates the options and draws the parameters.
   *
   * @param rank Number of spatial axes.
   * @param name Class name for messages.
   * @param options Layer options.
   */
  protected constructor(rank: number, name: string, options: ConvTransposeModuleOptions) {
    super();
    const { kernel, groups } = checkModuleOptions(name, rank, options);
    const { inChannels, outChannels, stride, padding, dilation, outputPadding, impl } = options;
    this.#core = new ConvModuleCore<ConvTransposeOptions>(name, rank, options, {
      weightShape: [inChannels, outChannels / groups, ...kernel],
      window: { stride, padding, dilation, outputPadding, groups, impl },
      forward: convTranspose,
      backward: convTransposeBackward,
    });
    this.weight = this.#core.weight;
    this.bias = this.#core.bias;
    this.options = this.#core.options;
  }

  /**
   * Runs the transposed convolution and keeps the input for the backward pass.
   *
   * @param input `[N, Cin, *spatial]`.
   * @returns `[N, Cout, *outSpatial]`; the input is kept for {@linkcode ConvTransposeNd.backward}.
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
   * The trainable parameters, weight first.
   *
   * @returns `[weight, bias]`, or `[weight]` without a bias.
   */
  override parameters(): Parameter[] {
    return this.#core.parameters();
  }
}

/**
 * 1-D transposed convolution layer (PyTorch `nn.ConvTranspose1d`).
 *
 * @example
 * ```ts
 * import { ConvTranspose1d } from "./conv_transpose.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new ConvTranspose1d({ inChannels: 2, outChannels: 3, kernelSize: 4, stride: 2 });
 * const y = layer.forward(Tensor.randn([1, 2, 5]));
 * if (y.shape.join() !== "1,3,12") throw new Error(`got ${y.shape}`);
 * ```
 */
export class ConvTranspose1d extends ConvTransposeNd {
  /**
   * Builds the layer with PyTorch's default initialisation.
   *
   * @param options Channels, kernel size and window options.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a count is not positive or groups does not divide the channels.
   */
  constructor(options: ConvTransposeModuleOptions) {
    super(1, "ConvTranspose1d", options);
  }
}

/**
 * 2-D transposed convolution layer (PyTorch `nn.ConvTranspose2d`).
 *
 * @example Upsample by 2
 * ```ts
 * import { ConvTranspose2d } from "./conv_transpose.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new ConvTranspose2d({
 *   inChannels: 4,
 *   outChannels: 2,
 *   kernelSize: 3,
 *   stride: 2,
 *   padding: 1,
 *   outputPadding: 1,
 * });
 * const y = layer.forward(Tensor.randn([1, 4, 5, 5]));
 * const dx = layer.backward(Tensor.full(y.shape, 1));
 * if (y.shape.join() !== "1,2,10,10" || dx.shape.join() !== "1,4,5,5") throw new Error("shapes");
 * ```
 */
export class ConvTranspose2d extends ConvTransposeNd {
  /**
   * Builds the layer with PyTorch's default initialisation.
   *
   * @param options Channels, kernel size and window options.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a count is not positive or groups does not divide the channels.
   */
  constructor(options: ConvTransposeModuleOptions) {
    super(2, "ConvTranspose2d", options);
  }
}

/**
 * 3-D transposed convolution layer (PyTorch `nn.ConvTranspose3d`).
 *
 * @example
 * ```ts
 * import { ConvTranspose3d } from "./conv_transpose.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new ConvTranspose3d({ inChannels: 1, outChannels: 1, kernelSize: 2, stride: 2 });
 * const y = layer.forward(Tensor.randn([1, 1, 2, 2, 2]));
 * if (y.shape.join() !== "1,1,4,4,4") throw new Error(`got ${y.shape}`);
 * ```
 */
export class ConvTranspose3d extends ConvTransposeNd {
  /**
   * Builds the layer with PyTorch's default initialisation.
   *
   * @param options Channels, kernel size and window options.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If a count is not positive or groups does not divide the channels.
   */
  constructor(options: ConvTransposeModuleOptions) {
    super(3, "ConvTranspose3d", options);
  }
}
