/**
 * Softmax cross-entropy over class logits: PyTorch `F.cross_entropy` / `nn.CrossEntropyLoss`,
 * ONNX `SoftmaxCrossEntropyLoss`. It is {@linkcode nllLoss} applied to a stable log-softmax.
 *
 * @module
 */

import {
  checkClassWeight,
  checkGradOutput,
  checkIgnoreIndex,
  checkReduction,
  checkTargets,
  type ClassLayout,
  classLayout,
  defaultGradOutput,
  nllTerms,
  reduceTerms,
  termScales,
  termWeights,
} from "./_loss.ts";
import type { NLLLossOptions } from "./nll_loss.ts";
import { allocate, Tensor } from "./tensor.ts";

/**
 * Options of {@linkcode crossEntropy} and its relatives: the same as {@linkcode NLLLossOptions}
 * (`reduction` default "mean", `weight` `[C]`, `ignoreIndex` default −100). Label smoothing is not
 * supported.
 */
export type CrossEntropyLossOptions = NLLLossOptions;

/** The two outputs of ONNX `SoftmaxCrossEntropyLoss`. */
export interface CrossEntropyWithLogProb {
  /** The loss, as {@linkcode crossEntropy} returns it. */
  loss: Tensor;
  /** The log-softmax of the logits over axis 1, shaped and typed like the logits. */
  logProb: Tensor;
}

/**
 * Softmax cross-entropy: for each element, `loss = −weight[t] · log_softmax(input)[n, t, d...]`
 * with `t = target[n, d...]`, then reduced.
 *
 * The log-softmax subtracts the per-element maximum over classes and accumulates in float64, so
 * logits of ±1e3 stay finite. Matches PyTorch `F.cross_entropy` (without label smoothing) and
 * ONNX `SoftmaxCrossEntropyLoss`: with class weights, "mean" divides by Σ weight[target] over
 * non-ignored elements; with every target ignored it is 0/0 = NaN, as in PyTorch. An ignored
 * element's loss is exactly 0 even if its logits are NaN; a NaN or ±Infinity logit elsewhere
 * makes that element's loss NaN, as in PyTorch.
 *
 * @param input Logits, `[N, C]` or `[N, C, d1, ..., dk]` (float32 or float64).
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
 * @example Closed form: logits [0, 0] and [ln 3, 0]
 * ```ts
 * import { crossEntropy } from "./cross_entropy.ts";
 * import { Tensor } from "./tensor.ts";
 * const logits = new Tensor(new Float64Array([0, 0, Math.log(3), 0]), [2, 2]);
 * const loss = crossEntropy(logits, [0, 1], { reduction: "none" });
 * console.log(loss.data); // [ln 2, ln 4]
 * if (Math.abs(loss.data[1] - Math.log(4)) > 1e-15) throw new Error("wrong loss");
 * ```
 */
export function crossEntropy(
  input: Tensor,
  target: ArrayLike<number | bigint>,
  options: CrossEntropyLossOptions = {},
): Tensor {
  return crossEntropyWithLogProb(input, target, options).loss;
}

/**
 * {@linkcode crossEntropy} that also returns the log-probabilities, for ONNX
 * `SoftmaxCrossEntropyLoss`'s optional second output `log_prob`.
 *
 * @param input Logits, `[N, C]` or `[N, C, d1, ..., dk]`.
 * @param target Class indices, one per element of `[N, d1, ..., dk]`.
 * @param options Reduction, class weights and ignore index.
 * @returns `{ loss, logProb }`; `logProb` is `log_softmax(input)` over axis 1, in the input's shape
 * and dtype.
 * @throws {TypeError} As {@linkcode crossEntropy}.
 * @throws {RangeError} As {@linkcode crossEntropy}.
 *
 * @example Loss and log-probabilities
 * ```ts
 * import { crossEntropyWithLogProb } from "./cross_entropy.ts";
 * import { Tensor } from "./tensor.ts";
 * const logits = new Tensor(new Float64Array([0, 0]), [1, 2]);
 * const { loss, logProb } = crossEntropyWithLogProb(logits, [1]);
 * console.log(loss.data[0], logProb.data); // ln 2, [-ln 2, -ln 2]
 * ```
 */
export function crossEntropyWithLogProb(
  input: Tensor,
  target: ArrayLike<number | bigint>,
  options: CrossEntropyLossOptions = {},
): CrossEntropyWithLogProb {
  const op = "crossEntropy";
  const reduction = checkReduction(op, options.reduction);
  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex);
  const layout = classLayout(op, input, "input");
  const weight = checkClassWeight(op, options.weight, layout.classes);
  const targets = checkTargets(op, target, layout, ignoreIndex);
  const logp = logSoftmax(input.data, layout);
  const weights = termWeights(targets, weight);
  const terms = nllTerms(logp, layout, targets, weights.weights);
  const loss = reduceTerms(terms, weights.total, reduction, layout.termShape, input.dtype);
  const logProb = allocate(input.size, input.dtype);
  logProb.set(logp);
  return { loss, logProb: new Tensor(logProb, input.shape) };
}

/**
 * Gradient of {@linkcode crossEntropy} with respect to the logits:
 * `(softmax(input) − onehot(t)) · weight[t] · g`, divided by Σ weight[target] for "mean"; 0 at
 * ignored elements. The softmax is recomputed from the logits.
 *
 * @param gradOutput Upstream gradient: one element for "mean"/"sum", shape `[N, d1, ..., dk]` for
 * "none".
 * @param saved The forward's logits `input` and `target`.
 * @param options The forward's options.
 * @returns `{ input }`, the gradient shaped and typed like the logits.
 * @throws {TypeError} As {@linkcode crossEntropy}, or if `gradOutput` has the wrong shape.
 * @throws {RangeError} As {@linkcode crossEntropy}.
 *
 * @example Gradient at equal logits
 * ```ts
 * import { crossEntropyBackward } from "./cross_entropy.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([1, 2], "float64");
 * const { input: dx } = crossEntropyBackward(Tensor.full([], 1, "float64"), { input, target: [0] });
 * console.log(dx.data); // [-0.5, 0.5]
 * ```
 */
export function crossEntropyBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; target: ArrayLike<number | bigint> },
  options: CrossEntropyLossOptions = {},
): { input: Tensor } {
  const op = "crossEntropyBackward";
  const reduction = checkReduction(op, options.reduction);
  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex);
  const input = saved.input;
  const layout = classLayout(op, input, "input");
  const weight = checkClassWeight(op, options.weight, layout.classes);
  const targets = checkTargets(op, saved.target, layout, ignoreIndex);
  const g = checkGradOutput(op, gradOutput, reduction, layout.termShape);
  const scales = termScales(g, reduction, targets, termWeights(targets, weight));
  const logp = logSoftmax(input.data, layout);
  const { batch, classes, inner } = layout;
  const dx = allocate(input.size, input.dtype);
  for (let n = 0; n < batch; n++) {
    for (let j = 0; j < inner; j++) {
      const i = n * inner + j;
      // An ignored element has scale 0; 0·softmax keeps a NaN logit's NaN, as PyTorch's
      // log_softmax backward does.
      const s = scales[i], t = targets[i];
      for (let c = 0; c < classes; c++) {
        const at = (n * classes + c) * inner + j;
        dx[at] = s * (Math.exp(logp[at]) - (c === t ? 1 : 0));
      }
    }
  }
  return { input: new Tensor(dx, input.shape) };
}

/**
 * Softmax cross-entropy as an object that remembers its last inputs (PyTorch
 * `nn.CrossEntropyLoss`). Not a `Module`: it takes two inputs and has no parameters.
 *
 * @example Forward and backward
 * ```ts
 * import { CrossEntropyLoss } from "./cross_entropy.ts";
 * import { Tensor } from "./tensor.ts";
 * const criterion = new CrossEntropyLoss();
 * const logits = Tensor.zeros([2, 2], "float64");
 * const loss = criterion.forward(logits, [0, 1]); // ln 2
 * const dx = criterion.backward(); // gradient 1 by default
 * console.log(loss.data[0], dx.data); // 0.693..., [-0.25, 0.25, 0.25, -0.25]
 * ```
 */
export class CrossEntropyLoss {
  /** Options used by every call. */
  readonly options: Readonly<CrossEntropyLossOptions>;
  #saved: { input: Tensor; target: (number | bigint)[] } | undefined;

  /**
   * Creates the loss with fixed options.
   *
   * @param options Reduction, class weights and ignore index (see {@linkcode crossEntropy}).
   * @throws {TypeError} If `reduction` or `ignoreIndex` is invalid.
   */
  constructor(options: CrossEntropyLossOptions = {}) {
    checkReduction("CrossEntropyLoss", options.reduction);
    checkIgnoreIndex("CrossEntropyLoss", options.ignoreIndex);
    this.options = { ...options };
  }

  /**
   * Computes the loss and remembers the logits and target for
   * {@linkcode CrossEntropyLoss.backward}.
   *
   * @param input Logits `[N, C, d...]`.
   * @param target Class indices, one per element of `[N, d...]` (copied for `backward`).
   * @returns The loss (see {@linkcode crossEntropy}).
   * @throws {TypeError} {@linkcode crossEntropy}'s shape and type errors.
   * @throws {RangeError} If a target is out of range.
   */
  forward(input: Tensor, target: ArrayLike<number | bigint>): Tensor {
    const loss = crossEntropy(input, target, this.options);
    this.#saved = { input, target: Array.from(target) };
    return loss;
  }

  /**
   * Gradient of the last loss with respect to the last logits.
   *
   * @param gradOutput Gradient of the final objective with respect to the loss; omit it for a
   * scalar reduction to use 1.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If called before `forward`.
   * @throws {TypeError} If `gradOutput` is omitted with reduction "none" or has the wrong shape.
   */
  backward(gradOutput?: Tensor): Tensor {
    const op = "CrossEntropyLoss.backward";
    if (this.#saved === undefined) throw new Error(`Cannot compute ${op}: call forward first`);
    const g = gradOutput ?? defaultGradOutput(op, this.options.reduction, this.#saved.input.dtype);
    return crossEntropyBackward(g, this.#saved, this.options).input;
  }
}

/**
 * Row-wise log-softmax over axis 1 of a row-major [N, C, inner] array, in float64: the maximum is
 * subtracted before exponentiating. All −Infinity, any +Infinity or a NaN in a row gives NaN
 * there, as in PyTorch.
 */
function logSoftmax(x: ArrayLike<number>, layout: ClassLayout): Float64Array {
  const { batch, classes, inner } = layout;
  const out = new Float64Array(batch * classes * inner);
  for (let n = 0; n < batch; n++) {
    const base = n * classes * inner;
    for (let j = 0; j < inner; j++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        const v = x[base + c * inner + j];
        // A NaN is skipped here but poisons the sum below, so the row's result is NaN.
        if (v > max) max = v;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(x[base + c * inner + j] - max);
      const logSum = Math.log(sum) + max;
      for (let c = 0; c < classes; c++) {
        out[base + c * inner + j] = x[base + c * inner + j] - logSum;
      }
    }
  }
  return out;
}
