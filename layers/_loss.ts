// Shared by crossEntropy, nllLoss and mseLoss: option checks, class-index targets, the weighted
// negative-log-likelihood terms over an [N, C, inner] view, and the reduction. Cross entropy is
// nllLoss(logSoftmax(x)), so both read the same terms and the same denominator here.

import { formatShape, formatValue, rangeError, typeError } from "./_errors.ts";
import { allocate, type DType, Tensor } from "./tensor.ts";

/**
 * How a loss combines its per-element terms (PyTorch `reduction`, ONNX `reduction`):
 * - `"mean"`: the (weighted) mean, a 0-d tensor (shape `[]`, one element);
 * - `"sum"`: the sum, a 0-d tensor;
 * - `"none"`: one term per element.
 */
export type Reduction = "mean" | "sum" | "none";

/** PyTorch's default `ignore_index`. */
export const DEFAULT_IGNORE_INDEX: number = -100;

/** Validates a `reduction` option and applies the default `"mean"`. */
export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction === undefined) return "mean";
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    typeError(op, `reduction must be "mean", "sum" or "none", got ${formatValue(reduction)}`);
  }
  return reduction;
}

/** Throws unless `value` is a Tensor. */
export function checkTensor(op: string, name: string, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    typeError(op, `${name} must be a Tensor, got ${value === null ? "null" : typeof value}`);
  }
}

/** An input seen as [N, C, inner]; the per-element terms have shape [N, d1, ..., dk]. */
export interface ClassLayout {
  /** N. */
  readonly batch: number;
  /** C. */
  readonly classes: number;
  /** d1·…·dk (1 without spatial axes). */
  readonly inner: number;
  /** Shape of the unreduced loss: the input shape without axis 1. */
  readonly termShape: readonly number[];
}

/** Reads the [N, C, d1, ..., dk] layout of a classification input. */
export function classLayout(op: string, input: unknown, name: string): ClassLayout {
  checkTensor(op, name, input);
  const shape = input.shape;
  if (shape.length < 2) {
    typeError(
      op,
      `${name} must have shape [N, C] or [N, C, d1, ..., dk], got ${formatShape(shape)}`,
    );
  }
  const termShape = [shape[0], ...shape.slice(2)];
  const inner = shape.slice(2).reduce((p, d) => p * d, 1);
  return { batch: shape[0], classes: shape[1], inner, termShape };
}

/** Validates `ignoreIndex` and applies PyTorch's default −100. */
export function checkIgnoreIndex(op: string, ignoreIndex: unknown): number {
  if (ignoreIndex === undefined) return DEFAULT_IGNORE_INDEX;
  if (typeof ignoreIndex !== "number" || !Number.isInteger(ignoreIndex)) {
    typeError(op, `ignoreIndex must be an integer, got ${formatValue(ignoreIndex)}`);
  }
  return ignoreIndex;
}

/**
 * Validates class-index targets against the layout and returns them as an Int32Array in which an
 * ignored target is −1 (valid targets are ≥ 0, so the kernels test `t < 0`).
 */
export function checkTargets(
  op: string,
  target: unknown,
  layout: ClassLayout,
  ignoreIndex: number,
): Int32Array {
  if (
    target === null || typeof target !== "object" ||
    typeof (target as ArrayLike<unknown>).length !== "number"
  ) {
    typeError(op, `target must be an array of class indices, got ${formatValue(target)}`);
  }
  const values = target as ArrayLike<number | bigint>;
  const count = layout.batch * layout.inner;
  if (values.length !== count) {
    typeError(
      op,
      `target must have N·d1·…·dk = ${count} entries (one per element of ` +
        `${formatShape(layout.termShape)}), got ${values.length}`,
    );
  }
  const result = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const raw = values[i];
    const t = typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof t !== "number" || !Number.isInteger(t)) {
      typeError(op, `target[${i}] = ${formatValue(raw)} must be an integer class index`);
    }
    if (t === ignoreIndex) {
      result[i] = -1;
    } else if (t < 0 || t >= layout.classes) {
      rangeError(
        op,
        `target[${i}] = ${t} must be in [0, ${layout.classes}) or equal ignoreIndex ` +
          `(${ignoreIndex})`,
      );
    } else {
      result[i] = t;
    }
  }
  return result;
}

/** Validates optional class weights: a Tensor of shape [C]. */
export function checkClassWeight(
  op: string,
  weight: unknown,
  classes: number,
): Tensor | undefined {
  if (weight === undefined) return undefined;
  checkTensor(op, "weight", weight);
  if (weight.rank !== 1 || weight.size !== classes) {
    typeError(
      op,
      `weight must have shape [C] = [${classes}], got ${formatShape(weight.shape)}`,
    );
  }
  return weight;
}

/** The weight of each term (w[target], 0 where ignored) and their sum, the mean's denominator. */
export interface TermWeights {
  /** w[target] per term, 0 where ignored. */
  readonly weights: Float64Array;
  /** Σ weights: the mean's denominator. */
  readonly total: number;
}

/** Computes w[target] per term; without class weights every non-ignored term weighs 1. */
export function termWeights(targets: Int32Array, weight: Tensor | undefined): TermWeights {
  const weights = new Float64Array(targets.length);
  let total = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t < 0) continue;
    const w = weight === undefined ? 1 : weight.data[t];
    weights[i] = w;
    total += w;
  }
  return { weights, total };
}

/**
 * The unreduced negative log-likelihood, −w[t]·logp[n, t, j], from row-major log-probabilities
 * [N, C, inner]. Ignored terms are exactly 0: their inputs are never read (as in PyTorch, so a NaN
 * there does not leak into the loss).
 */
export function nllTerms(
  logp: ArrayLike<number>,
  layout: ClassLayout,
  targets: Int32Array,
  weights: Float64Array,
): Float64Array {
  const { batch, classes, inner } = layout;
  const terms = new Float64Array(batch * inner);
  for (let n = 0; n < batch; n++) {
    for (let j = 0; j < inner; j++) {
      const i = n * inner + j;
      const t = targets[i];
      if (t < 0) continue;
      terms[i] = -weights[i] * logp[(n * classes + t) * inner + j];
    }
  }
  return terms;
}

/**
 * Reduces per-term losses. The mean divides by `total` (Σ w[target] over non-ignored terms), so
 * with every target ignored it is 0/0 = NaN, as in PyTorch.
 */
export function reduceTerms(
  terms: Float64Array,
  total: number,
  reduction: Reduction,
  termShape: readonly number[],
  dtype: DType,
): Tensor {
  if (reduction === "none") {
    const out = allocate(terms.length, dtype);
    out.set(terms);
    return new Tensor(out, termShape);
  }
  let sum = 0;
  for (let i = 0; i < terms.length; i++) sum += terms[i];
  const out = allocate(1, dtype);
  out[0] = reduction === "mean" ? sum / total : sum;
  return new Tensor(out, []);
}

/** Checks an upstream gradient: shape `termShape` for "none", one element otherwise. */
export function checkGradOutput(
  op: string,
  gradOutput: unknown,
  reduction: Reduction,
  termShape: readonly number[],
): Tensor {
  checkTensor(op, "gradOutput", gradOutput);
  if (reduction === "none") {
    const same = gradOutput.rank === termShape.length &&
      gradOutput.shape.every((d, i) => d === termShape[i]);
    if (!same) {
      typeError(
        op,
        `gradOutput must have the loss shape ${formatShape(termShape)} (reduction "none"), ` +
          `got ${formatShape(gradOutput.shape)}`,
      );
    }
  } else if (gradOutput.size !== 1) {
    typeError(
      op,
      `gradOutput must have one element (reduction "${reduction}"), got shape ` +
        formatShape(gradOutput.shape),
    );
  }
  return gradOutput;
}

/**
 * dLoss/dTerm_i times w[t_i]: the coefficient s_i such that d/dlogp[n, t, j] = −s_i. For "mean"
 * the upstream gradient is divided by the denominator first, then multiplied by the weight, and
 * ignored terms get exactly 0 (so all-ignored gives a zero gradient, as in PyTorch).
 */
export function termScales(
  gradOutput: Tensor,
  reduction: Reduction,
  targets: Int32Array,
  weights: TermWeights,
): Float64Array {
  const { weights: w, total } = weights;
  const scales = new Float64Array(w.length);
  const g = gradOutput.data;
  const shared = reduction === "mean" ? g[0] / total : g[0];
  for (let i = 0; i < w.length; i++) {
    if (targets[i] < 0) continue;
    scales[i] = (reduction === "none" ? g[i] : shared) * w[i];
  }
  return scales;
}

/** The implicit upstream gradient 1 of a scalar loss, for the loss classes' `backward()`. */
export function defaultGradOutput(
  op: string,
  reduction: Reduction | undefined,
  dtype: DType,
): Tensor {
  if (reduction === "none") {
    typeError(op, `gradOutput is required with reduction "none"`);
  }
  return Tensor.full([], 1, dtype);
}
