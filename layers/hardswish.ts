/**
 * Hard swish, `x·hardsigmoid(x) = x·relu6(x + 3)/6` elementwise (PyTorch `F.hardswish` /
 * `nn.Hardswish`, ONNX `HardSwish`), with its gradient and a module.
 *
 * The gradient is PyTorch 1.13's vectorized `hardswish_backward`: `0` for `x < −3`, `g` for
 * `x ≥ 3`, `g·(x/3 + 1/2)` between (so `−g/2` at −3 and `g` at 3) and NaN at NaN. (PyTorch's
 * scalar loop, which finishes a tensor's last few elements, tests `x ≤ 3` instead and gives
 * `3g/2` at 3 and `g` at NaN; we take the rule of the bulk of every tensor.) Computed in float64,
 * rounded once to the input's dtype.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { mapElements, mapGradient } from "./_elementwise.ts";
import { Module } from "./module.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

/**
 * Hard swish elementwise: `y = x·min(max(x/6 + 1/2, 0), 1)`; −0 below −3 (as PyTorch's `x·0`),
 * NaN at NaN and at −∞.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor.
 *
 * @example 0 below −3, x above 3, x·(x + 3)/6 between
 * ```ts
 * import { hardswish } from "./hardswish.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = hardswish(new Tensor(new Float64Array([-4, 0, 3, 5]), [4]));
 * if (y.data.join() !== "0,0,3,5") throw new Error(`got ${y.data}`);
 * ```
 */
export function hardswish(input: Tensor): Tensor {
  return mapElements("hardswish", input, (x, y) => {
    if (x instanceof Float32Array && y instanceof Float32Array) forward32(x, y);
    else forward64(x, y);
  });
}

/**
 * Gradient of {@linkcode hardswish} (PyTorch's piecewise rule, see the module doc).
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @returns `{ input }`: the gradient with respect to the input, in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor or the shapes differ.
 *
 * @example Slopes 0, x/3 + 1/2 and 1
 * ```ts
 * import { hardswishBackward } from "./hardswish.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor(new Float64Array([-4, -3, 0, 1.5, 3, 4]), [6]);
 * const { input: dx } = hardswishBackward(Tensor.full([6], 2, "float64"), { input });
 * if (dx.data.join() !== "0,-1,1,2,2,2") throw new Error(`got ${dx.data}`);
 * ```
 */
export function hardswishBackward(gradOutput: Tensor, saved: { input: Tensor }): { input: Tensor } {
  return mapGradient("hardswishBackward", gradOutput, saved, "input", (x, g, dx) => {
    if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      backward32(x, g, dx);
    } else {
      backward64(x, g, dx);
    }
  });
}

/**
 * Hard swish as a module, like PyTorch's `nn.Hardswish`.
 *
 * @example Forward and backward
 * ```ts
 * import { Hardswish } from "./hardswish.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Hardswish();
 * const y = layer.forward(new Tensor([0, 4], [2]));
 * const dx = layer.backward(Tensor.full([2], 2));
 * if (y.data.join() !== "0,4" || dx.data.join() !== "1,2") throw new Error("Hardswish");
 * ```
 */
export class Hardswish extends Module {
  #input: Tensor | undefined;

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `hardswish(input)`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = hardswish(input);
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
    return hardswishBackward(gradOutput, { input: keptByForward("Hardswish", this.#input) }).input;
  }
}

// x·clamp(x/6 + 1/2, 0, 1); the clamp lets NaN through and gives 0 at −∞ (then −∞·0 = NaN).
function forward64(x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] / 6 + 0.5;
    y[i] = x[i] * (v < 0 ? 0 : v > 1 ? 1 : v);
  }
}

function forward32(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] / 6 + 0.5;
    y[i] = x[i] * (v < 0 ? 0 : v > 1 ? 1 : v);
  }
}

// PyTorch's vectorized selection: x < −3 gives 0, else x ≥ 3 gives g, else the slope (NaN there).
function backward64(x: FloatArray, g: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    dx[i] = v < -3 ? 0 : v >= 3 ? g[i] : g[i] * (v / 3 + 0.5);
  }
}

function backward32(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    dx[i] = v < -3 ? 0 : v >= 3 ? g[i] : g[i] * (v / 3 + 0.5);
  }
}
