/**
 * Fully connected layer `y = x·Wᵀ + b` (PyTorch's `nn.Linear`, ONNX's `Gemm` with `transB = 1`),
 * its gradients and a module. Everything is one GEMM: Wᵀ is W read with swapped strides.
 *
 * @module
 */

import { checkGradOutput, checkTensor, keptByForward } from "./_checks.ts";
import { formatShape, typeError } from "./_errors.ts";
import { gemmFor } from "./_gemm.ts";
import { type Impl, resolveImpl } from "./_impl.ts";
import { defaultInit } from "./init.ts";
import { Module, Parameter } from "./module.ts";
import { allocate, type DType, Tensor } from "./tensor.ts";

/** Options of {@linkcode linear} and {@linkcode linearBackward}. */
export interface LinearOptions {
  /** Bias `[out]`, added to every output row; no bias when omitted. @default undefined */
  bias?: Tensor;
  /**
   * `"fast"`: the fast path's GEMM; `"reference"`: the definitional loop, summing in float64.
   * @default "fast"
   */
  impl?: Impl;
}

/** Options of the {@linkcode Linear} module. */
export interface LinearModuleOptions {
  /** Size of the last input axis. */
  inFeatures: number;
  /** Size of the last output axis. */
  outFeatures: number;
  /** Whether the layer has a bias. @default true */
  bias?: boolean;
  /** Seed of PyTorch's default initialisation (weight drawn first, then bias). @default 0 */
  seed?: number;
  /** Element type of the parameters (inputs must match). @default "float32" */
  dtype?: DType;
  /** Implementation of the forward and backward GEMMs. @default "fast" */
  impl?: Impl;
}

/**
 * Affine map of the last axis: `y[..., j] = Σ_p x[..., p]·W[j, p] + b[j]`.
 *
 * On the fast path the GEMM accumulates in the tensors' own precision (float32 for float32
 * inputs, like PyTorch); the reference path sums each element in float64 and rounds once.
 *
 * @param input `[..., in]` (typically `[N, in]`), float32 or float64.
 * @param weight `[out, in]` as in PyTorch, same dtype as `input`.
 * @param options `bias` `[out]`, same dtype; `impl`.
 * @returns `[..., out]` in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor, ranks or feature counts disagree, or dtypes
 * differ.
 *
 * @example y = x·Wᵀ + b
 * ```ts
 * import { linear } from "./linear.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor([1, 2], [1, 2]);
 * const w = new Tensor([1, 0, 1, 1, 0, 2], [3, 2]);
 * const y = linear(x, w, { bias: new Tensor([0, 0, 10], [3]) });
 * if (y.data.join() !== "1,3,14") throw new Error("linear");
 * ```
 */
export function linear(input: Tensor, weight: Tensor, options: LinearOptions = {}): Tensor {
  const bias = options?.bias;
  const gemm = gemmFor(resolveImpl("linear", options?.impl));
  const { rows, inF, outF } = _checkOperands("linear", input, weight, bias);
  const y = allocate(rows * outF, input.dtype);
  if (bias !== undefined) { for (let r = 0; r < rows; r++) y.set(bias.data, r * outF); }
  // Y[rows×out] (+)= X[rows×in] · Wᵀ[in×out], where Wᵀ(p, j) = W[j·in + p].
  gemm(
    rows,
    outF,
    inF,
    { data: input.data, offset: 0, rowStride: inF, colStride: 1 },
    { data: weight.data, offset: 0, rowStride: 1, colStride: inF },
    y,
    0,
    outF,
    bias !== undefined,
  );
  return new Tensor(y, [...input.shape.slice(0, -1), outF]);
}

/**
 * Gradients of {@linkcode linear}: `dX = dY·W`, `dW = dYᵀ·X` (summed over every leading axis) and
 * `db = Σ dY` (accumulated in float64).
 *
 * @param gradOutput `[..., out]`, the gradient with respect to the output.
 * @param saved The forward's `input` and `weight`.
 * @param options The forward's `bias` (its gradient is returned only when it is given) and `impl`.
 * @returns `{ input, weight, bias? }`, each shaped and typed like the forward tensor.
 * @throws {TypeError} If an argument is not a Tensor or a shape does not match the forward's.
 *
 * @example One sample
 * ```ts
 * import { linearBackward } from "./linear.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([1, 2], [1, 2]);
 * const weight = new Tensor([1, 0, 0, 1, 1, 1], [3, 2]);
 * const bias = Tensor.zeros([3]);
 * const g = linearBackward(new Tensor([1, 0, 2], [1, 3]), { input, weight }, { bias });
 * if (g.input.data.join() !== "3,2") throw new Error("dX");
 * if (g.weight.data.join() !== "1,2,0,0,2,4") throw new Error("dW");
 * if (g.bias?.data.join() !== "1,0,2") throw new Error("db");
 * ```
 */
export function linearBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; weight: Tensor },
  options: LinearOptions = {},
): { input: Tensor; weight: Tensor; bias?: Tensor } {
  return backwardPasses(gradOutput, saved, options, true) as {
    input: Tensor;
    weight: Tensor;
    bias?: Tensor;
  };
}

/** The passes of `linearBackward`; the input gradient only when `inputGradient`. */
function backwardPasses(
  gradOutput: Tensor,
  saved: { input: Tensor; weight: Tensor },
  options: LinearOptions,
  inputGradient: boolean,
): { input?: Tensor; weight: Tensor; bias?: Tensor } {
  const op = "linearBackward";
  const bias = options?.bias;
  const gemm = gemmFor(resolveImpl(op, options?.impl));
  const { input, weight } = saved ?? {};
  const { rows, inF, outF } = _checkOperands(op, input, weight, bias);
  checkGradOutput(op, gradOutput, "output", [...input.shape.slice(0, -1), outF]);
  // One dtype inside the GEMMs; gradients come out in the forward tensors' dtype.
  const g = gradOutput.astype(input.dtype).data;
  let dx: Tensor | undefined;
  if (inputGradient) {
    const data = allocate(rows * inF, input.dtype);
    // dX[rows×in] = dY[rows×out] · W[out×in]
    gemm(
      rows,
      inF,
      outF,
      { data: g, offset: 0, rowStride: outF, colStride: 1 },
      { data: weight.data, offset: 0, rowStride: inF, colStride: 1 },
      data,
      0,
      inF,
      false,
    );
    dx = new Tensor(data, input.shape);
  }
  const dw = allocate(outF * inF, weight.dtype);
  // dW[out×in] = dYᵀ[out×rows] · X[rows×in], where dYᵀ(j, r) = dY[r·out + j].
  gemm(
    outF,
    inF,
    rows,
    { data: g, offset: 0, rowStride: 1, colStride: outF },
    { data: input.data, offset: 0, rowStride: inF, colStride: 1 },
    dw,
    0,
    inF,
    false,
  );
  const grads: { input?: Tensor; weight: Tensor; bias?: Tensor } = {
    input: dx,
    weight: new Tensor(dw, weight.shape),
  };
  if (bias !== undefined) {
    const sums = new Float64Array(outF);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < outF; j++) sums[j] += g[r * outF + j];
    }
    const db = allocate(outF, bias.dtype);
    db.set(sums);
    grads.bias = new Tensor(db, bias.shape);
  }
  return grads;
}

/**
 * A fully connected layer with PyTorch's default initialisation: weight `[out, in]` and bias
 * `[out]` uniform in ±1/√in.
 *
 * @example Train step shape
 * ```ts
 * import { Linear } from "./linear.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Linear({ inFeatures: 4, outFeatures: 2, seed: 1 });
 * const y = layer.forward(Tensor.randn([3, 4]));
 * const dx = layer.backward(Tensor.full([3, 2], 1));
 * if (y.shape.join() !== "3,2" || dx.shape.join() !== "3,4") throw new Error("shapes");
 * if (layer.parameters().map((p) => p.name).join() !== "weight,bias") throw new Error("order");
 * ```
 */
export class Linear extends Module {
  /** Size of the last input axis. */
  readonly inFeatures: number;
  /** Size of the last output axis. */
  readonly outFeatures: number;
  /** The weight `[outFeatures, inFeatures]`. */
  readonly weight: Parameter;
  /** The bias `[outFeatures]`, or `undefined` when built with `bias: false`. */
  readonly bias: Parameter | undefined;
  readonly #impl: Impl;
  #input: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `inFeatures`, `outFeatures`, `bias`, `seed`, `dtype` and `impl`.
   * @throws {TypeError} If a feature count is not an integer.
   * @throws {RangeError} If a feature count is below 1.
   */
  constructor(options: LinearModuleOptions) {
    super();
    const { inFeatures, outFeatures, bias = true, seed = 0, dtype = "float32" } = options ?? {};
    this.#impl = resolveImpl("Linear", options?.impl);
    for (const [name, value] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]]) {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        throw new TypeError(`Cannot create Linear: ${name} must be an integer, got ${value}`);
      }
      if (value < 1) {
        throw new RangeError(`Cannot create Linear: ${name} must be positive, got ${value}`);
      }
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const init = defaultInit([outFeatures, inFeatures], {
      seed,
      dtype,
      biasSize: bias ? outFeatures : undefined,
    });
    this.weight = new Parameter("weight", init.weight);
    this.bias = init.bias ? new Parameter("bias", init.bias) : undefined;
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input `[..., inFeatures]`.
   * @returns `[..., outFeatures]`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = linear(input, this.weight.value, { bias: this.bias?.value, impl: this.#impl });
    this.#input = input;
    return output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input; adds into `weight.grad` and `bias.grad`.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    return this.#backward(gradOutput, true) as Tensor;
  }

  /**
   * Accumulates the weight and bias gradients of the last forward without computing the input
   * gradient (for a first layer, whose input is data).
   *
   * @param gradOutput Gradient with respect to the last output.
   * @throws {Error} If `forward` has not been called.
   */
  override backwardParameters(gradOutput: Tensor): void {
    this.#backward(gradOutput, false);
  }

  #backward(gradOutput: Tensor, inputGradient: boolean): Tensor | undefined {
    const grads = backwardPasses(
      gradOutput,
      { input: keptByForward("Linear", this.#input), weight: this.weight.value },
      { bias: this.bias?.value, impl: this.#impl },
      inputGradient,
    );
    this.weight.accumulate(grads.weight);
    if (this.bias && grads.bias) this.bias.accumulate(grads.bias);
    return grads.input;
  }

  /**
   * Lists the trainable parameters.
   *
   * @returns `[weight, bias]`, or `[weight]` without a bias.
   */
  override parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
}

function _checkOperands(
  op: string,
  input: unknown,
  weight: unknown,
  bias: unknown,
): { rows: number; inF: number; outF: number } {
  checkTensor(op, "input", input);
  checkTensor(op, "weight", weight);
  const xs = input.shape, ws = weight.shape;
  if (xs.length < 1) typeError(op, `input must have at least 1 axis [..., in], got shape []`);
  if (ws.length !== 2) {
    typeError(op, `weight must have 2 axes [out, in], got shape ${formatShape(ws)}`);
  }
  const inF = xs[xs.length - 1], outF = ws[0];
  if (inF !== ws[1]) {
    typeError(
      op,
      `input features (${inF}) must equal weight columns (${ws[1]}): input shape is ` +
        `${formatShape(xs)}, weight shape is ${formatShape(ws)}`,
    );
  }
  if (weight.dtype !== input.dtype) {
    typeError(op, `weight dtype (${weight.dtype}) must equal input dtype (${input.dtype})`);
  }
  if (bias !== undefined) {
    checkTensor(op, "bias", bias);
    if (bias.shape.length !== 1 || bias.shape[0] !== outF) {
      typeError(
        op,
        `bias shape ${formatShape(bias.shape)} must be [${outF}] (weight rows): weight shape ` +
          `is ${formatShape(ws)}`,
      );
    }
    if (bias.dtype !== input.dtype) {
      typeError(op, `bias dtype (${bias.dtype}) must equal input dtype (${input.dtype})`);
    }
  }
  const rows = xs.slice(0, -1).reduce((p, d) => p * d, 1);
  return { rows, inF, outF };
}
