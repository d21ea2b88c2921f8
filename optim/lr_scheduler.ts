/**
 * Learning-rate schedules that change an optimizer's `lr` between epochs.
 *
 * @module
 */

import type { Optimizer } from "./optimizer.ts";
import { checkNonNegative, checkNumber } from "./_checks.ts";

/** Options of {@linkcode StepLR}. */
export interface StepLROptions {
  /** Number of epochs between decays, a positive integer. */
  stepSize: number;
  /** Multiplicative factor of each decay, finite and ≥ 0. @default 0.1 */
  gamma?: number;
}

/**
 * Decays the learning rate by `gamma` every `stepSize` epochs, as `torch.optim.lr_scheduler.StepLR`
 * (PyTorch 1.13): after `epoch` calls of `step()`, `lr = initial·gamma^floor(epoch / stepSize)`.
 *
 * Like PyTorch's chainable form, each decay multiplies the optimizer's current `lr` by `gamma`
 * (so the float64 values equal PyTorch's exactly, and a change of `lr` made elsewhere carries
 * on). Call `step()` once at the end of every epoch, after the optimizer's steps.
 *
 * @example Decay by 10× every 2 epochs
 * ```ts
 * import { StepLR } from "./lr_scheduler.ts";
 * import { SGD } from "./sgd.ts";
 *
 * const opt = new SGD([], { lr: 0.5 });
 * const schedule = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * const seen = [];
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   seen.push(opt.lr);
 *   schedule.step();
 * }
 * if (seen.join() !== "0.5,0.5,0.25,0.25,0.125") throw new Error(seen.join());
 * ```
 */
export class StepLR {
  /** The optimizer whose `lr` is scheduled. */
  readonly optimizer: Optimizer;
  /** Epochs between decays. */
  readonly stepSize: number;
  /** Decay factor. */
  readonly gamma: number;
  #epoch = 0;

  /**
   * Attaches the schedule to an optimizer (epoch 0).
   *
   * @param optimizer The optimizer to schedule; its current `lr` is the initial one.
   * @param options `stepSize` and `gamma`.
   * @throws {TypeError} If an option is not a number.
   * @throws {RangeError} If `stepSize` is not a positive integer or `gamma` is negative or not
   * finite.
   */
  constructor(optimizer: Optimizer, options: StepLROptions) {
    const { stepSize, gamma = 0.1 } = options ?? {};
    checkNumber("StepLR", "stepSize", stepSize);
    if (!Number.isInteger(stepSize) || stepSize < 1) {
      throw new RangeError(
        `Cannot create StepLR: stepSize must be a positive integer, got ${stepSize}`,
      );
    }
    this.optimizer = optimizer;
    this.stepSize = stepSize;
    this.gamma = checkNonNegative("StepLR", "gamma", gamma);
  }

  /** Number of completed epochs (calls of `step()`). */
  get epoch(): number {
    return this.#epoch;
  }

  /** The optimizer's current learning rate. */
  get lr(): number {
    return this.optimizer.lr;
  }

  /** Ends an epoch: multiplies the learning rate by `gamma` when the epoch count reaches a multiple of `stepSize`. */
  step(): void {
    this.#epoch += 1;
    if (this.#epoch % this.stepSize === 0) this.optimizer.lr = this.optimizer.lr * this.gamma;
  }
}
