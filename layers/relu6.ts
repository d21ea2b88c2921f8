/**
 * ReLU6, `min(max(x, 0), 6)` elementwise (PyTorch `F.relu6` / `nn.ReLU6`, which is
 * `hardtanh(x, 0, 6)`), with its gradient and a module.
 *
 * The gradient is PyTorch's (vectorized kernel, see {@linkcode hardtanh}): `dx = 0 < x < 6 ? g : 0`,
 * 0 at both kinks and at NaN. An ONNX
 * export of ReLU6 is `Clip(x, 0, 6)`; the executor differentiates Clip by this same rule (where
 * `torch.clamp`, also exported as Clip, would pass the gradient at 0 and 6).
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { clampTo, openIntervalGradient } from "./_clamp.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/**
 * ReLU6 elementwise: `y = min(max(x, 0), 6)`; NaN stays NaN.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor.
 *
 * @example Clipped to [0, 6]
 * ```ts
 * import { relu6 } from "./relu6.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = relu6(new Tensor([-2, 3, 9], [3]));
 * if (y.data.join() !== "0,3,6") throw new Error(`got ${y.data}`);
 * ```
 */
export function relu6(input: Tensor): Tensor {
  return clampTo("relu6", input, 0, 6);
}

/**
 * Gradient of {@linkcode relu6}: `dx = 0 < x < 6 ? g : 0` (0 at NaN, as PyTorch's vectorized
 * kernel).
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @returns `{ input }`: the gradient with respect to the input, in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor or the shapes differ.
 *
 * @example Zero at and beyond the kinks
 * ```ts
 * import { relu6Backward } from "./relu6.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([-1, 0, 2, 6, 7], [5]);
 * const { input: dx } = relu6Backward(Tensor.full([5], 1), { input });
 * if (dx.data.join() !== "0,0,1,0,0") throw new Error(`got ${dx.data}`);
 * ```
 */
export function relu6Backward(gradOutput: Tensor, saved: { input: Tensor }): { input: Tensor } {
  return openIntervalGradient("relu6Backward", gradOutput, saved, 0, 6);
}

/**
 * ReLU6 as a module, like PyTorch's `nn.ReLU6`.
 *
 * @example Forward and backward
 * ```ts
 * import { ReLU6 } from "./relu6.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new ReLU6();
 * const y = layer.forward(new Tensor([-1, 4, 8], [3]));
 * const dx = layer.backward(Tensor.full([3], 2));
 * if (y.data.join() !== "0,4,6" || dx.data.join() !== "0,2,0") throw new Error("ReLU6");
 * ```
 */
export class ReLU6 extends Module {
  #input: Tensor | undefined;

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `relu6(input)`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = relu6(input);
    this.#input = input;
    return output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    return relu6Backward(gradOutput, { input: keptByForward("ReLU6", this.#input) }).input;
  }
}
