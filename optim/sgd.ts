/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay
 * and maximisation, following `torch.optim.SGD` (PyTorch 1.13) step for step.
 *
 * @module
 */

import type { Parameter } from "../layers/module.ts";
import type { FloatArray } from "../layers/tensor.ts";
import { Optimizer } from "./optimizer.ts";
import { checkBoolean, checkNonNegative, checkNumber } from "./_checks.ts";

/** Options of {@linkcode SGD}; names follow PyTorch's in camelCase. */
export interface SGDOptions {
  /** Learning rate, finite and ≥ 0. */
  lr: number;
  /** Momentum factor μ, ≥ 0; 0 disables the momentum buffer. @default 0 */
  momentum?: number;
  /** Dampening τ of the momentum: the buffer adds (1 − τ)·gradient after the first step. @default 0 */
  dampening?: number;
  /** Nesterov momentum; needs `momentum` > 0 and `dampening` = 0. @default false */
  nesterov?: boolean;
  /** L2 penalty λ added to the gradient as λ·param. @default 0 */
  weightDecay?: number;
  /** Ascend instead of descend (the gradient is negated first). @default false */
  maximize?: boolean;
}

/**
 * Stochastic gradient descent, exactly as `torch.optim.SGD` in PyTorch 1.13, per element:
 *
 * ```text
 * g = maximize ? −grad : grad
 * if λ ≠ 0:  g = g + λ·p
 * if μ ≠ 0:  b = (first step) ? g : μ·b + (1 − τ)·g
 *            g = nesterov ? g + μ·b : b
 * p = p − lr·g
 * ```
 *
 * For float32 parameters every PyTorch tensor operation is rounded to float32 where PyTorch rounds
 * (an `add` with `alpha` is one fused multiply-add, as PyTorch's CPU kernel), so replayed runs
 * match PyTorch to float32 rounding. The momentum buffer is created on the first `step()`.
 *
 * @example Two steps with momentum
 * ```ts
 * import { SGD } from "./sgd.ts";
 * import { Parameter } from "../layers/module.ts";
 * import { Tensor } from "../layers/tensor.ts";
 *
 * const w = new Parameter("weight", Tensor.full([1], 1));
 * const opt = new SGD([w], { lr: 0.5, momentum: 0.5 });
 * w.grad.data[0] = 1;
 * opt.step(); // b = 1, w = 1 − 0.5·1 = 0.5
 * opt.step(); // b = 0.5·1 + 1 = 1.5, w = 0.5 − 0.5·1.5 = −0.25
 * if (w.value.data[0] !== -0.25) throw new Error("wrong update");
 * ```
 */
export class SGD extends Optimizer {
  /** Momentum factor μ. */
  readonly momentum: number;
  /** Dampening τ. */
  readonly dampening: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;
  /** L2 penalty λ. */
  readonly weightDecay: number;
  /** Whether the objective is maximised. */
  readonly maximize: boolean;
  /** Momentum buffers, one per parameter, created on the first step (PyTorch's `None`). */
  #buffers: (FloatArray | null)[];

  /**
   * Creates the optimizer; momentum buffers are created on the first step.
   *
   * @param params The parameters to update.
   * @param options Learning rate and the other hyper-parameters.
   * @throws {TypeError} If `params` is not an array of distinct Parameters or an option has the
   * wrong type.
   * @throws {RangeError} If `lr`, `momentum` or `weightDecay` is negative or not finite,
   * `dampening` is not finite, or `nesterov` is set without momentum > 0 and dampening = 0.
   */
  constructor(params: Parameter[], options: SGDOptions) {
    super("SGD", params, (options ?? {}).lr);
    const {
      momentum = 0,
      dampening = 0,
      nesterov = false,
      weightDecay = 0,
      maximize = false,
    } = options;
    this.momentum = checkNonNegative("SGD", "momentum", momentum);
    this.dampening = checkNumber("SGD", "dampening", dampening);
    if (!Number.isFinite(dampening)) {
      throw new RangeError(`Cannot create SGD: dampening must be finite, got ${dampening}`);
    }
    this.nesterov = checkBoolean("SGD", "nesterov", nesterov);
    this.weightDecay = checkNonNegative("SGD", "weightDecay", weightDecay);
    this.maximize = checkBoolean("SGD", "maximize", maximize);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new RangeError(
        `Cannot create SGD: nesterov requires momentum > 0 and dampening = 0, ` +
          `got momentum ${momentum} and dampening ${dampening}`,
      );
    }
    this.#buffers = this.params.map(() => null);
  }

  /**
   * Applies one update to every parameter from its current gradient.
   *
   * @throws {TypeError} If a parameter's size changed since the optimizer was created.
   */
  step(): void {
    const { momentum: mu, nesterov, maximize } = this;
    const lr = this.lr, wd = this.weightDecay;
    this.params.forEach((param, index) => {
      const p = param.value.data, grad = param.grad.data, n = p.length;
      // Float32 parameters round after each PyTorch tensor op; the scalars are cast to the
      // parameter's type first, as PyTorch does for a Python number operand.
      const r = p instanceof Float32Array ? Math.fround : identity;
      const negLr = r(-lr), wdS = r(wd), muS = r(mu), keep = r(1 - this.dampening);
      let buf = this.#buffers[index];
      if (buf !== null && buf.length !== n) {
        throw new TypeError(`Cannot step SGD: parameter ${param.name} changed size to ${n}`);
      }
      const first = buf === null;
      if (mu !== 0 && buf === null) buf = this.#buffers[index] = p.slice().fill(0);
      for (let i = 0; i < n; i++) {
        let g = maximize ? -grad[i] : grad[i];
        if (wd !== 0) g = r(g + wdS * p[i]);
        if (buf !== null) {
          const b = first ? g : r(r(buf[i] * muS) + keep * g);
          buf[i] = b;
          g = nesterov ? r(g + muS * b) : b;
        }
        p[i] = r(p[i] + negLr * g);
      }
    });
  }
}

function identity(x: number): number {
  return x;
}
