/**
 * PyTorch-style modules: a layer with parameters, `forward`, `backward`, `parameters()` and
 * `zeroGrad()`.
 *
 * A module remembers what its last `forward` needs, so `backward(gradOutput)` returns the gradient
 * with respect to the input and *adds* the parameter gradients into each {@linkcode Parameter}'s
 * `grad` (call `zeroGrad()` between steps, as in PyTorch).
 *
 * @module
 */

import { Tensor } from "./tensor.ts";

/**
 * A trainable tensor and its accumulated gradient.
 *
 * @example
 * ```ts
 * import { Parameter } from "./module.ts";
 * import { Tensor } from "./tensor.ts";
 * const p = new Parameter("weight", Tensor.full([2], 1));
 * p.grad.data[0] += 3;
 * p.zeroGrad();
 * if (p.grad.data[0] !== 0) throw new Error("not zeroed");
 * ```
 */
export class Parameter {
  /** Name within its module, e.g. `"weight"` or `"bias"`. */
  readonly name: string;
  /** Current value; optimizers update its data in place. */
  value: Tensor;
  /** Accumulated gradient, same shape and dtype as `value`. */
  grad: Tensor;

  /**
   * Creates a parameter with a zero gradient.
   *
   * @param name Name within its module.
   * @param value Initial value (not copied).
   */
  constructor(name: string, value: Tensor) {
    this.name = name;
    this.value = value;
    this.grad = Tensor.zeros(value.shape, value.dtype);
  }

  /** Sets the gradient to zero. */
  zeroGrad(): void {
    this.grad.data.fill(0);
  }

  /**
   * Adds `gradient` into `grad`.
   *
   * @param gradient A tensor of the parameter's shape.
   * @throws {TypeError} If the shapes differ.
   */
  accumulate(gradient: Tensor): void {
    const g = this.grad.data, d = gradient.data;
    if (d.length !== g.length) {
      throw new TypeError(
        `Cannot accumulate gradient of ${this.name}: shape [${gradient.shape.join(", ")}] ` +
          `differs from parameter shape [${this.value.shape.join(", ")}]`,
      );
    }
    for (let i = 0; i < g.length; i++) g[i] += d[i];
  }
}

/**
 * Base class of every layer: holds the training flag and implements `parameters()`/`zeroGrad()`
 * over {@linkcode Module.parameters}.
 */
export abstract class Module {
  /** Training mode (batch norm statistics, dropout); `eval()` turns it off. */
  training = true;

  /**
   * Computes the layer's output.
   *
   * @param input The layer's input.
   * @returns The layer's output; the module keeps what `backward` needs.
   */
  abstract forward(input: Tensor): Tensor;

  /**
   * Propagates a gradient back through the last forward call.
   *
   * @param gradOutput Gradient of the loss with respect to the last output.
   * @returns Gradient with respect to the last input; parameter gradients are accumulated.
   */
  abstract backward(gradOutput: Tensor): Tensor;

  /**
   * Propagates a gradient back through the last forward call for the parameter gradients only,
   * as PyTorch does for an input that does not require a gradient: the gradient with respect to
   * the input is not returned, so a layer may skip computing it (convolutions and linear layers
   * do; `Sequential` also skips the layers before its first parameter). The default
   * runs `backward` and drops its result.
   *
   * @param gradOutput Gradient of the loss with respect to the last output.
   */
  backwardParameters(gradOutput: Tensor): void {
    this.backward(gradOutput);
  }

  /**
   * Lists the trainable parameters.
   *
   * @returns The trainable parameters, in a fixed order (PyTorch's: weight before bias).
   */
  parameters(): Parameter[] {
    return [];
  }

  /** Zeroes the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /**
   * Sets training or evaluation mode.
   *
   * @param mode `true` for training, `false` for evaluation.
   * @returns This module.
   */
  train(mode = true): this {
    this.training = mode;
    return this;
  }

  /**
   * Switches to evaluation mode.
   *
   * @returns This module, in evaluation mode.
   */
  eval(): this {
    return this.train(false);
  }
}
