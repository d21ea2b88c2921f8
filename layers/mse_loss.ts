/**
 * Mean squared error: PyTorch `F.mse_loss` / `nn.MSELoss`.
 *
 * @module
 */

import { formatShape, typeError } from "./_errors.ts";
import {
  checkGradOutput,
  checkReduction,
  checkTensor,
  defaultGradOutput,
  type Reduction,
} from "./_loss.ts";
import { allocate, Tensor } from "./tensor.ts";

export type { Reduction } from "./_loss.ts";

/** Options of {@linkcode mseLoss}, {@linkcode mseLossBackward} and {@linkcode MSELoss}. */
export interface MSELossOptions {
  /**
   * `"mean"`: Σ (input − target)² / size (0-d result; NaN for empty tensors, as in PyTorch);
   * `"sum"`: the sum (0-d); `"none"`: the squared differences, shaped like the input.
   * @default "mean"
   */
  reduction?: Reduction;
}

/**
 * Mean squared error between two tensors of the same shape, accumulated in float64.
 *
 * Unlike PyTorch, which broadcasts mismatched shapes with a warning, the shapes must be equal.
 *
 * @param input Predictions, any shape (float32 or float64).
 * @param target Targets, the input's shape (either dtype).
 * @param options The reduction.
 * @returns The loss in the input's dtype: shape `[]` for "mean"/"sum", the input's for "none".
 * @throws {TypeError} If the arguments are not Tensors, the shapes differ, or `reduction` is
 * invalid.
 *
 * @example Three elements
 * ```ts
 * import { mseLoss } from "./mse_loss.ts";
 * import { Tensor } from "./tensor.ts";
 * const loss = mseLoss(new Tensor([1, 2, 3], [3]), new Tensor([2, 2, 5], [3]), { reduction: "sum" });
 * if (loss.data[0] !== 5) throw new Error("1 + 0 + 4");
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: MSELossOptions = {}): Tensor {
  const op = "mseLoss";
  const reduction = checkReduction(op, options.reduction);
  checkPair(op, input, target);
  const x = input.data, y = target.data;
  if (reduction === "none") {
    const out = allocate(input.size, input.dtype);
    for (let i = 0; i < x.length; i++) out[i] = (x[i] - y[i]) ** 2;
    return new Tensor(out, input.shape);
  }
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] - y[i]) ** 2;
  const out = allocate(1, input.dtype);
  out[0] = reduction === "mean" ? sum / x.length : sum;
  return new Tensor(out, []);
}

/**
 * Gradients of {@linkcode mseLoss}: `d/dinput = 2·(input − target)·g` (divided by the size for
 * "mean") and `d/dtarget = −d/dinput`.
 *
 * @param gradOutput Upstream gradient: one element for "mean"/"sum", the input's shape for "none".
 * @param saved The forward's `input` and `target`.
 * @param options The forward's reduction.
 * @returns `{ input, target }`, each shaped and typed like the corresponding argument.
 * @throws {TypeError} As {@linkcode mseLoss}, or if `gradOutput` has the wrong shape.
 *
 * @example Gradient of the mean
 * ```ts
 * import { mseLossBackward } from "./mse_loss.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([1, 2], [2]), target = new Tensor([0, 4], [2]);
 * const grads = mseLossBackward(Tensor.full([], 1), { input, target });
 * console.log(grads.input.data, grads.target.data); // [1, -2] [-1, 2]
 * ```
 */
export function mseLossBackward(
  gradOutput: Tensor,
  saved: { input: Tensor; target: Tensor },
  options: MSELossOptions = {},
): { input: Tensor; target: Tensor } {
  const op = "mseLossBackward";
  const reduction = checkReduction(op, options.reduction);
  const { input, target } = saved;
  checkPair(op, input, target);
  const g = checkGradOutput(op, gradOutput, reduction, input.shape).data;
  const x = input.data, y = target.data;
  const dx = allocate(input.size, input.dtype);
  const dy = allocate(target.size, target.dtype);
  const shared = reduction === "mean" ? 2 * g[0] / x.length : 2 * g[0];
  for (let i = 0; i < x.length; i++) {
    const d = (reduction === "none" ? 2 * g[i] : shared) * (x[i] - y[i]);
    dx[i] = d;
    dy[i] = -d;
  }
  return { input: new Tensor(dx, input.shape), target: new Tensor(dy, target.shape) };
}

/**
 * Mean squared error as an object that remembers its last inputs (PyTorch `nn.MSELoss`). Not a
 * `Module`: it takes two inputs and has no parameters.
 *
 * @example Forward and backward
 * ```ts
 * import { MSELoss } from "./mse_loss.ts";
 * import { Tensor } from "./tensor.ts";
 * const criterion = new MSELoss();
 * const loss = criterion.forward(new Tensor([1, 2], [2]), new Tensor([0, 4], [2]));
 * const dx = criterion.backward(); // gradient 1 by default
 * console.log(loss.data[0], dx.data); // 2.5 [1, -2]
 * ```
 */
export class MSELoss {
  /** Options used by every call. */
  readonly options: Readonly<MSELossOptions>;
  #saved: { input: Tensor; target: Tensor } | undefined;

  /**
   * Creates the loss with a fixed reduction.
   *
   * @param options The reduction (see {@linkcode mseLoss}).
   * @throws {TypeError} If `reduction` is invalid.
   */
  constructor(options: MSELossOptions = {}) {
    checkReduction("MSELoss", options.reduction);
    this.options = { ...options };
  }

  /**
   * Computes the loss and remembers both tensors (not copied) for {@linkcode MSELoss.backward}.
   *
   * @param input Predictions.
   * @param target Targets, the input's shape.
   * @returns The loss (see {@linkcode mseLoss}).
   * @throws {TypeError} If the shapes differ.
   */
  forward(input: Tensor, target: Tensor): Tensor {
    const loss = mseLoss(input, target, this.options);
    this.#saved = { input, target };
    return loss;
  }

  /**
   * Gradient of the last loss with respect to the last input (the target's gradient is its
   * negation; use {@linkcode mseLossBackward} to get both).
   *
   * @param gradOutput Gradient of the final objective with respect to the loss; omit it for a
   * scalar reduction to use 1.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If called before `forward`.
   * @throws {TypeError} If `gradOutput` is omitted with reduction "none" or has the wrong shape.
   */
  backward(gradOutput?: Tensor): Tensor {
    const op = "MSELoss.backward";
    if (this.#saved === undefined) throw new Error(`Cannot compute ${op}: call forward first`);
    const g = gradOutput ?? defaultGradOutput(op, this.options.reduction, this.#saved.input.dtype);
    return mseLossBackward(g, this.#saved, this.options).input;
  }
}

/** Both arguments are Tensors of one shape. */
function checkPair(op: string, input: unknown, target: unknown): void {
  checkTensor(op, "input", input);
  checkTensor(op, "target", target);
  const same = input.rank === target.rank && input.shape.every((d, i) => d === target.shape[i]);
  if (!same) {
    typeError(
      op,
      `target shape ${formatShape(target.shape)} must equal input shape ${
        formatShape(input.shape)
      }`,
    );
  }
}
