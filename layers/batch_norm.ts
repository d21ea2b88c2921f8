/**
 * Batch normalization over axis 1 of `[N, C, ...]`: PyTorch `F.batch_norm` / `nn.BatchNorm1d/2d/3d`,
 * ONNX `BatchNormalization`.
 *
 * Mapping to ONNX `BatchNormalization` (inputs X, scale, B, input_mean, input_var; attributes
 * epsilon, momentum, training_mode):
 * - `scale` → `weight`, `B` → `bias`, `input_mean`/`input_var` → `runningMean`/`runningVar`,
 *   `epsilon` → `eps`, `training_mode` → `training`.
 * - Momentum conventions are mirrored: ONNX updates `running = momentum·running +
 *   (1 − momentum)·batch` (default 0.9), PyTorch and this module `running = (1 − momentum)·running
 *   + momentum·batch` (default 0.1). Pass `momentum: 1 − onnxMomentum`.
 * - ONNX's running variance uses the population (biased) batch variance, PyTorch's the unbiased
 *   one (× n/(n−1)); pass `unbiasedRunningVar: false` for ONNX. Both normalise with the biased
 *   variance.
 * - ONNX (opset ≥ 14) returns the updated running statistics as outputs; this function updates the
 *   given tensors in place, so pass copies and return them.
 *
 * @module
 */

import { gradientSums32, inputGradient32, normalize32 } from "./_batch_norm_loops.ts";
import { formatShape, formatValue, rangeError, typeError } from "./_errors.ts";
import { Module, Parameter } from "./module.ts";
import { allocate, type DType, type FloatArray, Tensor } from "./tensor.ts";

/** What {@linkcode batchNormBackward} needs besides the saved tensors. */
export interface BatchNormBackwardOptions {
  /**
   * Training mode: normalise with the batch mean and biased batch variance (and, in
   * {@linkcode batchNorm}, update the running statistics). Otherwise use the running statistics.
   * @default false
   */
  training?: boolean;
  /** Running mean, shape `[C]`; required when not training. Updated in place when training. @default undefined */
  runningMean?: Tensor;
  /** Running variance, shape `[C]`; required when not training. Updated in place when training. @default undefined */
  runningVar?: Tensor;
  /** Added to the variance before the square root; must be positive. @default 1e-5 */
  eps?: number;
}

/** Options of {@linkcode batchNorm}. */
export interface BatchNormOptions extends BatchNormBackwardOptions {
  /** Per-channel scale γ, shape `[C]`. @default undefined (1) */
  weight?: Tensor;
  /** Per-channel shift β, shape `[C]`. @default undefined (0) */
  bias?: Tensor;
  /**
   * Weight of the batch statistic in the running update, in [0, 1] (PyTorch convention; ONNX's
   * momentum is 1 − this).
   * @default 0.1
   */
  momentum?: number;
  /**
   * Whether the running variance is updated with the unbiased batch variance (× n/(n−1), PyTorch)
   * rather than the biased one (ONNX).
   * @default true
   */
  unbiasedRunningVar?: boolean;
}

/** Gradients returned by {@linkcode batchNormBackward}. */
export interface BatchNormGradients {
  /** Gradient with respect to the input, shaped and typed like it. */
  input: Tensor;
  /** Gradient with respect to γ, shape `[C]` (computed even when no weight was given). */
  weight: Tensor;
  /** Gradient with respect to β, shape `[C]` (computed even when no bias was given). */
  bias: Tensor;
}

/**
 * Batch normalization: `y = (x − mean[c]) / √(var[c] + eps) · γ[c] + β[c]` over axis 1 of
 * `[N, C, d1, ..., dk]`.
 *
 * In training mode `mean` and `var` are the batch mean and the biased batch variance over every
 * axis but 1 (n = N·d1·…·dk values per channel, accumulated in float64), and when running
 * statistics are given they are updated in place as PyTorch does:
 * `running = (1 − momentum)·running + momentum·batch`, with the unbiased variance `var·n/(n−1)` for
 * `runningVar` (see `unbiasedRunningVar`). Without running statistics training mode only
 * normalises (PyTorch `track_running_stats=False`). In evaluation mode the running statistics are
 * used and left unchanged. The backward recomputes the batch statistics from the input, so nothing
 * else needs saving. See the module documentation for the ONNX mapping.
 *
 * @param input `[N, C]` or `[N, C, d1, ..., dk]`, float32 or float64.
 * @param options Affine parameters, running statistics, mode, momentum and eps.
 * @returns The normalised tensor, shaped and typed like the input.
 * @throws {TypeError} If the input has fewer than two axes, a per-channel tensor is not `[C]`, or
 * evaluation mode lacks running statistics.
 * @throws {RangeError} If `eps` ≤ 0, `momentum` is outside [0, 1], or training sees one value per
 * channel (PyTorch: "Expected more than 1 value per channel when training").
 *
 * @example Training mode normalises each channel of the batch
 * ```ts
 * import { batchNorm } from "./batch_norm.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor(new Float64Array([1, 3]), [2, 1]); // mean 2, variance 1
 * const runningMean = Tensor.zeros([1], "float64"), runningVar = Tensor.full([1], 1, "float64");
 * const y = batchNorm(x, { training: true, eps: 1e-12, runningMean, runningVar });
 * console.log(y.data, runningMean.data, runningVar.data); // ≈[-1, 1] [0.2] [1.1]
 * ```
 */
export function batchNorm(input: Tensor, options: BatchNormOptions = {}): Tensor {
  const op = "batchNorm";
  const layout = channelLayout(op, input);
  const {
    training = false,
    momentum = 0.1,
    eps = 1e-5,
    unbiasedRunningVar = true,
  } = options;
  checkEps(op, eps);
  if (typeof momentum !== "number" || !(momentum >= 0 && momentum <= 1)) {
    rangeError(op, `momentum must be in [0, 1], got ${formatValue(momentum)}`);
  }
  const weight = channelVector(op, "weight", options.weight, layout);
  const bias = channelVector(op, "bias", options.bias, layout);
  const stats = statistics(op, input, layout, training, options, eps);
  const { batch, channels, inner } = layout;
  const x = input.data;
  const y = allocate(input.size, input.dtype);
  const scales = new Float64Array(channels), shifts = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scales[c] = stats.invStd[c] * (weight ? weight[c] : 1);
    shifts[c] = bias ? bias[c] : 0;
  }
  if (x instanceof Float32Array && y instanceof Float32Array) {
    normalize32(x, y, layout, stats.mean, scales, shifts);
  } else {
    for (let c = 0; c < channels; c++) {
      const mean = stats.mean[c], scale = scales[c], shift = shifts[c];
      for (let n = 0; n < batch; n++) {
        const base = (n * channels + c) * inner;
        for (let j = base; j < base + inner; j++) y[j] = (x[j] - mean) * scale + shift;
      }
    }
  }
  const { runningMean, runningVar } = options;
  const count = batch * inner;
  if (training && runningMean && runningVar && count > 0) {
    const correction = unbiasedRunningVar ? count / (count - 1) : 1;
    const rm = runningMean.data, rv = runningVar.data;
    for (let c = 0; c < channels; c++) {
      rm[c] = (1 - momentum) * rm[c] + momentum * stats.mean[c];
      rv[c] = (1 - momentum) * rv[c] + momentum * stats.variance[c] * correction;
    }
  }
  return new Tensor(y, input.shape);
}

/**
 * Gradients of {@linkcode batchNorm} with respect to the input, γ and β.
 *
 * With `x̂ = (x − mean)·invStd` and `g` the upstream gradient, per channel: `dβ = Σg`,
 * `dγ = Σ g·x̂`. In training mode the batch statistics depend on the input:
 * `dx = γ·invStd·(g − Σg/n − x̂·Σ(g·x̂)/n)`. In evaluation mode the statistics are constants:
 * `dx = γ·invStd·g`.
 *
 * @param gradOutput Gradient with respect to the output, the input's shape.
 * @param saved The forward's `input` and, if it had one, `weight` (γ).
 * @param options The forward's `training`, `eps` and (for evaluation mode) running statistics.
 * @returns `{ input, weight, bias }`; the parameter gradients have shape `[C]` and γ's dtype (the
 * input's if there is no γ).
 * @throws {TypeError} As {@linkcode batchNorm}, or if `gradOutput` is not the input's shape.
 * @throws {RangeError} As {@linkcode batchNorm}.
 *
 * @example Evaluation mode is an affine map
 * ```ts
 * import { batchNormBackward } from "./batch_norm.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor(new Float64Array([1, 3]), [2, 1]);
 * const runningMean = Tensor.zeros([1], "float64"), runningVar = Tensor.full([1], 3, "float64");
 * const g = batchNormBackward(Tensor.full([2, 1], 1, "float64"), { input }, {
 *   runningMean,
 *   runningVar,
 *   eps: 1,
 * });
 * console.log(g.input.data, g.weight.data, g.bias.data); // [0.5, 0.5] [2] [2]
 * ```
 */
export function batchNormBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; weight?: Tensor },
  options: BatchNormBackwardOptions = {},
): BatchNormGradients {
  const op = "batchNormBackward";
  const { input } = saved;
  const layout = channelLayout(op, input);
  const { training = false, eps = 1e-5 } = options;
  checkEps(op, eps);
  const weight = channelVector(op, "weight", saved.weight, layout);
  if (
    !(gradOutput instanceof Tensor) || gradOutput.rank !== input.rank ||
    gradOutput.shape.some((d, i) => d !== input.shape[i])
  ) {
    typeError(
      op,
      `gradOutput must have the input shape ${formatShape(input.shape)}, got ${
        gradOutput instanceof Tensor ? formatShape(gradOutput.shape) : typeof gradOutput
      }`,
    );
  }
  const stats = statistics(op, input, layout, training, options, eps);
  const { batch, channels, inner } = layout;
  const count = batch * inner;
  const x = input.data, g = gradOutput.data;
  const paramType: DType = saved.weight?.dtype ?? input.dtype;
  const dx = allocate(input.size, input.dtype);
  const dWeight = allocate(channels, paramType), dBias = allocate(channels, paramType);
  if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
    const sumG = new Float64Array(channels), sumGX = new Float64Array(channels);
    gradientSums32(x, g, layout, stats.mean, sumG, sumGX);
    const scales = new Float64Array(channels);
    const meanG = new Float64Array(channels), meanGXhat = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      const sumGXhat = sumGX[c] * stats.invStd[c];
      dWeight[c] = sumGXhat;
      dBias[c] = sumG[c];
      scales[c] = stats.invStd[c] * (weight ? weight[c] : 1);
      if (training) {
        meanG[c] = sumG[c] / count;
        meanGXhat[c] = sumGXhat / count;
      }
    }
    inputGradient32(x, g, dx, layout, stats.mean, stats.invStd, scales, meanG, meanGXhat);
    return {
      input: new Tensor(dx, input.shape),
      weight: new Tensor(dWeight, [channels]),
      bias: new Tensor(dBias, [channels]),
    };
  }
  for (let c = 0; c < channels; c++) {
    const mean = stats.mean[c], invStd = stats.invStd[c];
    let sumG = 0, sumGXhat = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let j = base; j < base + inner; j++) {
        sumG += g[j];
        sumGXhat += g[j] * (x[j] - mean) * invStd;
      }
    }
    dWeight[c] = sumGXhat;
    dBias[c] = sumG;
    const scale = invStd * (weight ? weight[c] : 1);
    // Training: the mean and variance move with x, which subtracts the projections of g onto 1
    // and onto x̂.
    const meanG = training ? sumG / count : 0, meanGXhat = training ? sumGXhat / count : 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let j = base; j < base + inner; j++) {
        const xhat = (x[j] - mean) * invStd;
        dx[j] = scale * (g[j] - meanG - xhat * meanGXhat);
      }
    }
  }
  return {
    input: new Tensor(dx, input.shape),
    weight: new Tensor(dWeight, [channels]),
    bias: new Tensor(dBias, [channels]),
  };
}

/** Options of the {@linkcode BatchNorm} layer. */
export interface BatchNormModuleOptions {
  /** Number of channels C (axis 1 of the input). */
  numFeatures: number;
  /** Weight of the batch statistic in the running update (PyTorch convention). @default 0.1 */
  momentum?: number;
  /** Added to the variance before the square root. @default 1e-5 */
  eps?: number;
  /** Whether the layer has a learnable γ (ones) and β (zeros). @default true */
  affine?: boolean;
  /** Element type of the parameters and running statistics. @default "float32" */
  dtype?: DType;
}

/**
 * Batch normalization layer over axis 1 of `[N, C, ...]` (any rank ≥ 2), PyTorch
 * `nn.BatchNorm*d` with `track_running_stats=True`.
 *
 * Parameters `weight` (γ, ones) then `bias` (β, zeros) when `affine`; buffers `runningMean`
 * (zeros) and `runningVar` (ones). In training mode (`training`, the default) `forward` normalises
 * with batch statistics and updates the buffers in place; after `eval()` it uses the buffers.
 * `backward` uses the mode of the last `forward` and accumulates γ/β gradients.
 *
 * @example Train one step, then evaluate
 * ```ts
 * import { BatchNorm } from "./batch_norm.ts";
 * import { Tensor } from "./tensor.ts";
 * const bn = new BatchNorm({ numFeatures: 2 });
 * const x = Tensor.randn([4, 2, 3, 3], { seed: 1 });
 * const y = bn.forward(x);
 * bn.backward(Tensor.full(y.shape, 1));
 * console.log(bn.runningMean.data, bn.bias?.grad.data); // updated means, [36, 36]
 * bn.eval().forward(x);
 * ```
 */
export class BatchNorm extends Module {
  /** Number of channels C. */
  readonly numFeatures: number;
  /** Running-update momentum (PyTorch convention). */
  readonly momentum: number;
  /** Variance epsilon. */
  readonly eps: number;
  /** Whether `weight` and `bias` exist. */
  readonly affine: boolean;
  /** γ, shape `[C]`, initialised to ones; undefined without `affine`. */
  readonly weight: Parameter | undefined;
  /** β, shape `[C]`, initialised to zeros; undefined without `affine`. */
  readonly bias: Parameter | undefined;
  /** Running mean buffer, shape `[C]`, initialised to zeros. */
  readonly runningMean: Tensor;
  /** Running (unbiased) variance buffer, shape `[C]`, initialised to ones. */
  readonly runningVar: Tensor;
  #cache: { input: Tensor; training: boolean } | undefined;

  /**
   * Creates the layer with PyTorch's initial parameters and buffers.
   *
   * @param options `numFeatures` and optional momentum, eps, affine and dtype.
   * @throws {TypeError} If `numFeatures` is not an integer.
   * @throws {RangeError} If `numFeatures` < 1, `eps` ≤ 0 or `momentum` is outside [0, 1].
   */
  constructor(options: BatchNormModuleOptions) {
    super();
    const op = new.target.name;
    const { numFeatures, momentum = 0.1, eps = 1e-5, affine = true, dtype = "float32" } = options ??
      {};
    if (typeof numFeatures !== "number" || !Number.isInteger(numFeatures)) {
      typeError(op, `numFeatures must be an integer, got ${formatValue(numFeatures)}`);
    }
    if (numFeatures < 1) rangeError(op, `numFeatures must be positive, got ${numFeatures}`);
    checkEps(op, eps);
    if (typeof momentum !== "number" || !(momentum >= 0 && momentum <= 1)) {
      rangeError(op, `momentum must be in [0, 1], got ${formatValue(momentum)}`);
    }
    this.numFeatures = numFeatures;
    this.momentum = momentum;
    this.eps = eps;
    this.affine = affine;
    this.weight = affine
      ? new Parameter("weight", Tensor.full([numFeatures], 1, dtype))
      : undefined;
    this.bias = affine ? new Parameter("bias", Tensor.zeros([numFeatures], dtype)) : undefined;
    this.runningMean = Tensor.zeros([numFeatures], dtype);
    this.runningVar = Tensor.full([numFeatures], 1, dtype);
  }

  /**
   * Normalises the input (see {@linkcode batchNorm}); in training mode updates the buffers.
   *
   * @param input `[N, C, ...]` with C = `numFeatures`.
   * @returns The normalised tensor.
   * @throws {TypeError} If the input has fewer than two axes or the wrong channel count.
   * @throws {RangeError} If training sees one value per channel.
   */
  forward(input: Tensor): Tensor {
    const output = batchNorm(input, this.#options(this.training));
    this.#cache = { input, training: this.training };
    return output;
  }

  /**
   * Gradient with respect to the last input; γ and β gradients are accumulated.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If called before `forward`.
   * @throws {TypeError} If `gradOutput` has the wrong shape.
   */
  backward(gradOutput: Tensor): Tensor {
    if (this.#cache === undefined) {
      throw new Error(`Cannot compute ${this.constructor.name}.backward: call forward first`);
    }
    const { input, training } = this.#cache;
    const grads = batchNormBackward(
      gradOutput,
      { input, weight: this.weight?.value },
      this.#options(training),
    );
    this.weight?.accumulate(grads.weight);
    this.bias?.accumulate(grads.bias);
    return grads.input;
  }

  /**
   * The trainable parameters, weight before bias.
   *
   * @returns `[weight, bias]` when affine, otherwise `[]`.
   */
  override parameters(): Parameter[] {
    return this.weight && this.bias ? [this.weight, this.bias] : [];
  }

  #options(training: boolean): BatchNormOptions {
    return {
      weight: this.weight?.value,
      bias: this.bias?.value,
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      training,
      momentum: this.momentum,
      eps: this.eps,
    };
  }
}

/**
 * {@linkcode BatchNorm} for `[N, C]` or `[N, C, L]` inputs (PyTorch `nn.BatchNorm1d`).
 *
 * @example
 * ```ts
 * import { BatchNorm1d } from "./batch_norm.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = new BatchNorm1d({ numFeatures: 3 }).forward(Tensor.randn([4, 3]));
 * console.log(y.shape); // [4, 3]
 * ```
 */
export class BatchNorm1d extends BatchNorm {
  /**
   * Checks the rank, then normalises (see {@linkcode BatchNorm.forward}).
   *
   * @param input `[N, C]` or `[N, C, L]`.
   * @returns The normalised tensor.
   * @throws {TypeError} If the input is not 2-D or 3-D, or has the wrong channel count.
   * @throws {RangeError} If training sees one value per channel.
   */
  override forward(input: Tensor): Tensor {
    checkRank("BatchNorm1d", input, [2, 3], "[N, C] or [N, C, L]");
    return super.forward(input);
  }
}

/**
 * {@linkcode BatchNorm} for `[N, C, H, W]` inputs (PyTorch `nn.BatchNorm2d`).
 *
 * @example
 * ```ts
 * import { BatchNorm2d } from "./batch_norm.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = new BatchNorm2d({ numFeatures: 3 }).forward(Tensor.randn([2, 3, 4, 4]));
 * console.log(y.shape); // [2, 3, 4, 4]
 * ```
 */
export class BatchNorm2d extends BatchNorm {
  /**
   * Checks the rank, then normalises (see {@linkcode BatchNorm.forward}).
   *
   * @param input `[N, C, H, W]`.
   * @returns The normalised tensor.
   * @throws {TypeError} If the input is not 4-D or has the wrong channel count.
   * @throws {RangeError} If training sees one value per channel.
   */
  override forward(input: Tensor): Tensor {
    checkRank("BatchNorm2d", input, [4], "[N, C, H, W]");
    return super.forward(input);
  }
}

/**
 * {@linkcode BatchNorm} for `[N, C, D, H, W]` inputs (PyTorch `nn.BatchNorm3d`).
 *
 * @example
 * ```ts
 * import { BatchNorm3d } from "./batch_norm.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = new BatchNorm3d({ numFeatures: 2 }).forward(Tensor.randn([2, 2, 2, 2, 2]));
 * console.log(y.shape); // [2, 2, 2, 2, 2]
 * ```
 */
export class BatchNorm3d extends BatchNorm {
  /**
   * Checks the rank, then normalises (see {@linkcode BatchNorm.forward}).
   *
   * @param input `[N, C, D, H, W]`.
   * @returns The normalised tensor.
   * @throws {TypeError} If the input is not 5-D or has the wrong channel count.
   * @throws {RangeError} If training sees one value per channel.
   */
  override forward(input: Tensor): Tensor {
    checkRank("BatchNorm3d", input, [5], "[N, C, D, H, W]");
    return super.forward(input);
  }
}

/** The input seen as [N, C, inner]. */
interface ChannelLayout {
  readonly batch: number;
  readonly channels: number;
  readonly inner: number;
}

function channelLayout(op: string, input: unknown): ChannelLayout {
  if (!(input instanceof Tensor)) typeError(op, `input must be a Tensor, got ${typeof input}`);
  const shape = input.shape;
  if (shape.length < 2) {
    typeError(op, `input must have shape [N, C, ...] (at least 2 axes), got ${formatShape(shape)}`);
  }
  const inner = shape.slice(2).reduce((p, d) => p * d, 1);
  return { batch: shape[0], channels: shape[1], inner };
}

/** Checks an optional per-channel tensor and returns its data. */
function channelVector(
  op: string,
  name: string,
  value: unknown,
  layout: ChannelLayout,
): FloatArray | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Tensor)) typeError(op, `${name} must be a Tensor, got ${typeof value}`);
  if (value.rank !== 1 || value.size !== layout.channels) {
    typeError(
      op,
      `${name} must have shape [C] = [${layout.channels}] (input channels), got ${
        formatShape(value.shape)
      }`,
    );
  }
  return value.data;
}

function checkEps(op: string, eps: unknown): void {
  if (typeof eps !== "number") typeError(op, `eps must be a number, got ${formatValue(eps)}`);
  if (!(eps > 0)) rangeError(op, `eps must be positive, got ${eps}`);
}

function checkRank(op: string, input: Tensor, ranks: number[], layout: string): void {
  if (!(input instanceof Tensor) || !ranks.includes(input.rank)) {
    typeError(
      op,
      `input must have shape ${layout}, got ${
        input instanceof Tensor ? formatShape(input.shape) : typeof input
      }`,
    );
  }
}

/** Per-channel mean, biased variance and 1/√(var + eps). */
interface Statistics {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly invStd: Float64Array;
}

/** Batch statistics (two-pass, float64) when training, running statistics otherwise. */
function statistics(
  op: string,
  input: Tensor,
  layout: ChannelLayout,
  training: boolean,
  options: BatchNormBackwardOptions,
  eps: number,
): Statistics {
  const { batch, channels, inner } = layout;
  const runningMean = channelVector(op, "runningMean", options.runningMean, layout);
  const runningVar = channelVector(op, "runningVar", options.runningVar, layout);
  if ((runningMean === undefined) !== (runningVar === undefined)) {
    typeError(op, "runningMean and runningVar must be given together");
  }
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const invStd = new Float64Array(channels);
  if (!training) {
    if (runningMean === undefined || runningVar === undefined) {
      typeError(op, "runningMean and runningVar are required in evaluation mode (training: false)");
    }
    for (let c = 0; c < channels; c++) {
      mean[c] = runningMean[c];
      variance[c] = runningVar[c];
      invStd[c] = 1 / Math.sqrt(runningVar[c] + eps);
    }
    return { mean, variance, invStd };
  }
  const count = batch * inner;
  if (count === 1) {
    rangeError(
      op,
      `expected more than 1 value per channel when training, got input shape ${
        formatShape(input.shape)
      }`,
    );
  }
  const x = input.data;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let j = base; j < base + inner; j++) sum += x[j];
    }
    const m = sum / count;
    let squares = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let j = base; j < base + inner; j++) squares += (x[j] - m) ** 2;
    }
    mean[c] = m;
    variance[c] = squares / count;
    invStd[c] = 1 / Math.sqrt(variance[c] + eps);
  }
  return { mean, variance, invStd };
}
