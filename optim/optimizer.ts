/**
 * The base class every optimizer extends: a fixed list of {@linkcode Parameter}s, a learning rate
 * that schedulers may change between steps, `zeroGrad()` and `step()`.
 *
 * @module
 */

import type { Parameter } from "../layers/module.ts";
import { checkNonNegative, checkParameters } from "./_checks.ts";

/**
 * An optimizer over a fixed list of parameters, PyTorch-style: call `zeroGrad()`, run forward and
 * backward (which accumulate into each `Parameter.grad`), then `step()` to update every
 * `Parameter.value` in place.
 *
 * @example Implement plain gradient descent
 * ```ts
 * import { Optimizer } from "./optimizer.ts";
 * import { Parameter } from "../layers/module.ts";
 * import { Tensor } from "../layers/tensor.ts";
 *
 * class Descent extends Optimizer {
 *   constructor(params: Parameter[], lr: number) {
 *     super("Descent", params, lr);
 *   }
 *   step(): void {
 *     for (const p of this.params) {
 *       for (let i = 0; i < p.value.size; i++) p.value.data[i] -= this.lr * p.grad.data[i];
 *     }
 *   }
 * }
 * const w = new Parameter("weight", Tensor.full([2], 1));
 * w.grad.data.set([0.5, -0.5]);
 * new Descent([w], 0.5).step();
 * if (w.value.data[0] !== 0.75 || w.value.data[1] !== 1.25) throw new Error("wrong update");
 * ```
 */
export abstract class Optimizer {
  /** The parameters this optimizer updates, in the order given. */
  readonly params: readonly Parameter[];
  /** Class name used in error messages. */
  readonly #owner: string;
  #lr: number;

  /**
   * Keeps the parameter list and validates the learning rate.
   *
   * @param owner Name of the concrete optimizer, for error messages.
   * @param params The parameters to update (a copy of the array is kept).
   * @param lr Learning rate, finite and ≥ 0 (0 is legal, as in PyTorch).
   * @throws {TypeError} If `params` is not an array of distinct Parameters.
   * @throws {RangeError} If `lr` is negative or not finite.
   */
  constructor(owner: string, params: Parameter[], lr: number) {
    this.#owner = owner;
    this.params = Object.freeze(checkParameters(owner, params));
    this.#lr = checkNonNegative(owner, "lr", lr);
  }

  /** Learning rate used by the next `step()`; setting it validates like the constructor. */
  get lr(): number {
    return this.#lr;
  }

  set lr(value: number) {
    this.#lr = checkNonNegative(this.#owner, "lr", value);
  }

  /** Sets every parameter's gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** Updates every parameter's value in place from its gradient. */
  abstract step(): void;
}
