/**
 * The hyperbolic tangent elementwise, with its gradient and a module.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { mapElements, mapGradient } from "./_elementwise.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Hyperbolic tangent, elementwise (`Math.tanh`: saturates to ±1 without overflow, keeps −0 and
 * NaN).
 *
 * @param input A tensor of any shape, float32 or float64.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor.
 *
 * @example Saturation
 * ```ts
 * import { tanh } from "./tanh.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = tanh(new Tensor([0, -Infinity, 1000], [3]));
 * if (y.data.join() !== "0,-1,1") throw new Error("tanh");
 * ```
 */
export function tanh(input: Tensor): Tensor {
  return mapElements("tanh", input, (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  });
}

/**
 * Gradient of {@linkcode tanh}, from its output: `dx = g·(1 − y²)`.
 *
 * @param gradOutput Gradient with respect to the output.
 * @param saved The forward's `output`.
 * @returns `{ input }`: the gradient with respect to the input, in the output's dtype.
 * @throws {TypeError} If an argument is not a Tensor or the shapes differ.
 *
 * @example The slope at 0 is 1
 * ```ts
 * import { tanhBackward } from "./tanh.ts";
 * import { Tensor } from "./tensor.ts";
 * const { input } = tanhBackward(Tensor.full([1], 3), { output: Tensor.full([1], 0) });
 * if (input.data[0] !== 3) throw new Error("tanh gradient");
 * ```
 */
export function tanhBackward(gradOutput: Tensor, saved: { output: Tensor }): { input: Tensor } {
  return mapGradient("tanhBackward", gradOutput, saved, "output", (y, g, dx) => {
    for (let i = 0; i < y.length; i++) dx[i] = g[i] * (1 - y[i] * y[i]);
  });
}

/**
 * Tanh as a module, like PyTorch's `nn.Tanh`.
 *
 * @example Forward and backward
 * ```ts
 * import { Tanh } from "./tanh.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Tanh();
 * const y = layer.forward(new Tensor([0], [1]));
 * const dx = layer.backward(Tensor.full([1], 2));
 * if (y.data[0] !== 0 || dx.data[0] !== 2) throw new Error("Tanh");
 * ```
 */
export class Tanh extends Module {
  #output: Tensor | undefined;

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `tanh(input)`; the output is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    this.#output = tanh(input);
    return this.#output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    return tanhBackward(gradOutput, { output: keptByForward("Tanh", this.#output) }).input;
  }
}
