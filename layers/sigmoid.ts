/**
 * The logistic sigmoid `1 / (1 + e^−x)` elementwise, with its gradient and a module.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { mapElements, mapGradient } from "./_elementwise.ts";
import { Module } from "./module.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

/**
 * Logistic sigmoid, elementwise: `y = 1 / (1 + e^−x)`.
 *
 * Evaluated so that `exp` never overflows: `1 / (1 + e^−x)` for x ≥ 0 and `e^x / (1 + e^x)` for
 * x < 0, so sigmoid(±1000) is exactly 1 and 0, sigmoid(±Infinity) is 1 and 0, NaN stays NaN.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor.
 *
 * @example sigmoid(0) = 1/2
 * ```ts
 * import { sigmoid } from "./sigmoid.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = sigmoid(new Tensor([0, -Infinity, Infinity], [3]));
 * if (y.data.join() !== "0.5,0,1") throw new Error("sigmoid");
 * ```
 */
export function sigmoid(input: Tensor): Tensor {
  return mapElements("sigmoid", input, (x, y) => {
    if (x instanceof Float32Array && y instanceof Float32Array) sigmoid32(x, y);
    else sigmoid64(x, y);
  });
}

/**
 * Gradient of {@linkcode sigmoid}, from its output: `dx = g·y·(1 − y)`.
 *
 * @param gradOutput Gradient with respect to the output.
 * @param saved The forward's `output`.
 * @returns `{ input }`: the gradient with respect to the input, in the output's dtype.
 * @throws {TypeError} If an argument is not a Tensor or the shapes differ.
 *
 * @example The slope at 0 is 1/4
 * ```ts
 * import { sigmoidBackward } from "./sigmoid.ts";
 * import { Tensor } from "./tensor.ts";
 * const { input } = sigmoidBackward(Tensor.full([1], 1), { output: Tensor.full([1], 0.5) });
 * if (input.data[0] !== 0.25) throw new Error("sigmoid gradient");
 * ```
 */
export function sigmoidBackward(
  gradOutput: Tensor,
  saved: { output: Tensor },
): { input: Tensor } {
  return mapGradient("sigmoidBackward", gradOutput, saved, "output", (y, g, dx) => {
    if (y instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      sigmoidBackward32(y, g, dx);
    } else {
      sigmoidBackward64(y, g, dx);
    }
  });
}

function sigmoid64(x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v >= 0) {
      y[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v); // v < 0 or NaN: e ≤ 1, no overflow
      y[i] = e / (1 + e);
    }
  }
}

// Float32 without the sign branch (it mispredicts on data of random sign): 1 / (1 + e^−x) for
// every x. For x < 0 it equals e^x / (1 + e^x) up to double rounding, invisible after rounding to
// float32; where e^−x overflows (x < −709) the result is 0, as float32 has it from x < −104 on.
function sigmoid32(x: Float32Array, y: Float32Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
}

function sigmoidBackward64(y: FloatArray, g: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < y.length; i++) dx[i] = g[i] * y[i] * (1 - y[i]);
}

function sigmoidBackward32(y: Float32Array, g: Float32Array, dx: Float32Array): void {
  const n = y.length;
  for (let i = 0; i < n; i++) dx[i] = g[i] * y[i] * (1 - y[i]);
}

/**
 * Sigmoid as a module, like PyTorch's `nn.Sigmoid`.
 *
 * @example Forward and backward
 * ```ts
 * import { Sigmoid } from "./sigmoid.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Sigmoid();
 * const y = layer.forward(new Tensor([0], [1]));
 * const dx = layer.backward(Tensor.full([1], 1));
 * if (y.data[0] !== 0.5 || dx.data[0] !== 0.25) throw new Error("Sigmoid");
 * ```
 */
export class Sigmoid extends Module {
  #output: Tensor | undefined;

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `sigmoid(input)`; the output is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    this.#output = sigmoid(input);
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
    return sigmoidBackward(gradOutput, { output: keptByForward("Sigmoid", this.#output) }).input;
  }
}
