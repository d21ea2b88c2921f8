/**
 * Negative log-likelihood loss over class log-probabilities: PyTorch `F.nll_loss` /
 * `nn.NLLLoss`, ONNX `NegativeLogLikelihoodLoss`.
 *
 * @module
 */

import {
  checkClassWeight,
  checkGradOutput,
  checkIgnoreIndex,
  checkReduction,
  checkTargets,
  classLayout,
  defaultGradOutput,
  nllTerms,
  reduceTerms,
  type Reduction,
  termScales,
  termWeights,
} from "./_loss.ts";
import { allocate, Tensor } from "./tensor.ts";

export type { Reduction } from "./_loss.ts";

/** Options of {@linkcode nllLoss}, {@linkcode nllLossBackward} and {@linkcode NLLLoss}. */
export interface NLLLossOptions {
  /**
   * `"mean"`: Σ −w[t]·x[t] / Σ w[t] over non-ignored elements (0-d result); `"sum"`: the sum
   * (0-d); `"none"`: one loss per element, shape `[N, d1, ..., dk]`.
   * @default "mean"
   */
  reduction?: Reduction;
  /** Class weights, shape `[C]`; each element's loss and its share of the mean are scaled by w[target]. @default undefined (all 1) */
  weight?: Tensor;
  /**
   * A target value whose elements contribute 0 and leave the mean's denominator. Any integer;
   * values inside [0, C) are ignored too.
   * @default -100
   */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood: for each element, `loss = −weight[t] · input[n, t, d...]` with
 * `t = target[n, d...]`, then reduced.
 *
 * Matches PyTorch `F.nll_loss` and ONNX `NegativeLogLikelihoodLoss` (whose `ignore_index` has no
 * default; with our default −100 a target of −100 is ignored rather than rejected). With every
 * target ignored, `"mean"` is 0/0 = NaN, as in PyTorch. Ignored elements' inputs are never read.
 *
 * @param input Log-probabilities, `[N, C]` or `[N, C, d1, ..., dk]` (float32 or float64).
 * @param target Class indices, one per element of `[N, d1, ..., dk]` in row-major order (an
 * `Int32Array`, `number[]`, `BigInt64Array`, or a tensor's `data`); each in [0, C) or equal to
 * `ignoreIndex`.
 * @param options Reduction, class weights and ignore index.
 * @returns The loss in the input's dtype: shape `[]` for "mean"/"sum", `[N, d1, ..., dk]` for
 * "none".
 * @throws {TypeError} If the input has fewer than two axes, the target count is not N·d1·…·dk, a
 * target is not an integer, the weight is not `[C]`, or an option has the wrong type.
 * @throws {RangeError} If a target is outside [0, C) and not `ignoreIndex`.
 *
 * @example Two samples, three classes
 * ```ts
 * import { nllLoss } from "./nll_loss.ts";
 * import { Tensor } from "./tensor.ts";
 * const logp = new Tensor(new Float64Array([-1, -2, -3, -0.5, -0.25, -4]), [2, 3]);
 * const loss = nllLoss(logp, [2, 0]); // (3 + 0.5) / 2
 * if (loss.data[0] !== 1.75) throw new Error("wrong loss");
 * ```
 */
export function nllLoss(
  input: Tensor,
  target: ArrayLike<number | bigint>,
  options: NLLLossOptions = {},
): Tensor {
  const op = "nllLoss";
  const reduction = checkReduction(op, options.reduction);
  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex);
  const layout = classLayout(op, input, "input");
  const weight = checkClassWeight(op, options.weight, layout.classes);
  const targets = checkTargets(op, target, layout, ignoreIndex);
  const weights = termWeights(targets, weight);
  const terms = nllTerms(input.data, layout, targets, weights.weights);
  return reduceTerms(terms, weights.total, reduction, layout.termShape, input.dtype);
}

/**
 * Gradient of {@linkcode nllLoss} with respect to its input: `−weight[t]·g` at each element's
 * target class (divided by Σ weight[target] for "mean"), 0 elsewhere and at ignored elements.
 *
 * @param gradOutput Upstream gradient: one element for "mean"/"sum", shape `[N, d1, ..., dk]` for
 * "none".
 * @param saved The forward's `input` (only its shape and dtype are used) and `target`.
 * @param options The forward's options.
 * @returns `{ input }`, the gradient shaped and typed like the input.
 * @throws {TypeError} As {@linkcode nllLoss}, or if `gradOutput` has the wrong shape.
 * @throws {RangeError} As {@linkcode nllLoss}.
 *
 * @example Gradient of the mean
 * ```ts
 * import { nllLossBackward } from "./nll_loss.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([2, 3], "float64");
 * const { input: dx } = nllLossBackward(Tensor.full([], 1, "float64"), { input, target: [2, 0] });
 * console.log(dx.data); // [0, 0, -0.5, -0.5, 0, 0]
 * ```
 */
export function nllLossBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; target: ArrayLike<number | bigint> },
  options: NLLLossOptions = {},
): { input: Tensor } {
  const op = "nllLossBackward";
  const reduction = checkReduction(op, options.reduction);
  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex);
  const layout = classLayout(op, saved.input, "input");
  const weight = checkClassWeight(op, options.weight, layout.classes);
  const targets = checkTargets(op, saved.target, layout, ignoreIndex);
  const g = checkGradOutput(op, gradOutput, reduction, layout.termShape);
  const scales = termScales(g, reduction, targets, termWeights(targets, weight));
  const { batch, classes, inner } = layout;
  const dx = allocate(saved.input.size, saved.input.dtype);
  for (let n = 0; n < batch; n++) {
    for (let j = 0; j < inner; j++) {
      const i = n * inner + j;
      if (targets[i] < 0) continue;
      dx[(n * classes + targets[i]) * inner + j] = -scales[i];
    }
  }
  return { input: new Tensor(dx, saved.input.shape) };
}

/**
 * Negative log-likelihood loss as an object that remembers its last inputs (PyTorch
 * `nn.NLLLoss`). Not a `Module`: it takes two inputs and has no parameters.
 *
 * @example Forward and backward
 * ```ts
 * import { NLLLoss } from "./nll_loss.ts";
 * import { Tensor } from "./tensor.ts";
 * const criterion = new NLLLoss({ reduction: "sum" });
 * const logp = new Tensor(new Float64Array([-1, -2, -3, -0.5, -0.25, -4]), [2, 3]);
 * const loss = criterion.forward(logp, [2, 0]);
 * const dx = criterion.backward(); // gradient 1 by default
 * console.log(loss.data[0], dx.data); // 3.5 [0, 0, -1, -1, 0, 0]
 * ```
 */
export class NLLLoss {
  /** Options used by every call. */
  readonly options: Readonly<NLLLossOptions>;
  #saved: { input: Tensor; target: (number | bigint)[] } | undefined;

  /**
   * Creates the loss with fixed options.
   *
   * @param options Reduction, class weights and ignore index (see {@linkcode nllLoss}).
   * @throws {TypeError} If `reduction` or `ignoreIndex` is invalid.
   */
  constructor(options: NLLLossOptions = {}) {
    checkReduction("NLLLoss", options.reduction);
    checkIgnoreIndex("NLLLoss", options.ignoreIndex);
    this.options = { ...options };
  }

  /**
   * Computes the loss and remembers the input and target for {@linkcode NLLLoss.backward}.
   *
   * @param input Log-probabilities `[N, C, d...]`.
   * @param target Class indices, one per element of `[N, d...]` (copied for `backward`).
   * @returns The loss (see {@linkcode nllLoss}).
   * @throws {TypeError} {@linkcode nllLoss}'s shape and type errors.
   * @throws {RangeError} If a target is out of range.
   */
  forward(input: Tensor, target: ArrayLike<number | bigint>): Tensor {
    const loss = nllLoss(input, target, this.options);
    this.#saved = { input, target: Array.from(target) };
    return loss;
  }

  /**
   * Gradient of the last loss with respect to the last input.
   *
   * @param gradOutput Gradient of the final objective with respect to the loss; omit it for a
   * scalar reduction to use 1.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If called before `forward`.
   * @throws {TypeError} If `gradOutput` is omitted with reduction "none" or has the wrong shape.
   */
  backward(gradOutput?: Tensor): Tensor {
    if (this.#saved === undefined) {
      throw new Error("Cannot compute NLLLoss.backward: call forward first");
    }
    const g = gradOutput ??
      defaultGradOutput("NLLLoss.backward", this.options.reduction, this.#saved.input.dtype);
    return nllLossBackward(g, this.#saved, this.options).input;
  }
}
