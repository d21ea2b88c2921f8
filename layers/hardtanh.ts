/**
 * Hard tanh, `clamp(x, minVal, maxVal)` elementwise with the gradient blocked at the bounds
 * (PyTorch `F.hardtanh` / `nn.Hardtanh`), with its gradient and a module.
 *
 * The forward is {@linkcode clamp}'s (NaN stays NaN, −0 stays −0). The gradient follows PyTorch's
 * `hardtanh_backward`: `dx = minVal < x < maxVal ? g : 0`, 0 at both bounds (where `clamp` passes
 * it) and at NaN. That is the rule of PyTorch 1.13's vectorized CPU loop, which handles the bulk
 * of every tensor; the scalar loop finishing a tensor's last few elements tests
 * `x ≤ minVal or x ≥ maxVal ? 0 : g` and so passes `g` at NaN.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { rangeError } from "./_errors.ts";
import { checkBounds, clampTo, openIntervalGradient } from "./_clamp.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode hardtanh}, {@linkcode hardtanhBackward} and {@linkcode Hardtanh}. */
export interface HardtanhOptions {
  /** Lower bound. @default -1 */
  minVal?: number;
  /** Upper bound, at least `minVal`. @default 1 */
  maxVal?: number;
}

/**
 * Hard tanh elementwise: `y = min(max(x, minVal), maxVal)`.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `minVal` and `maxVal`.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor or a bound is not a number.
 * @throws {RangeError} If a bound is NaN or `maxVal < minVal`.
 *
 * @example Clamp to [−1, 1]
 * ```ts
 * import { hardtanh } from "./hardtanh.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = hardtanh(new Tensor([-3, 0.5, 2], [3]));
 * if (y.data.join() !== "-1,0.5,1") throw new Error(`got ${y.data}`);
 * ```
 */
export function hardtanh(input: Tensor, options: HardtanhOptions = {}): Tensor {
  const [min, max] = _bounds("hardtanh", options);
  return clampTo("hardtanh", input, min, max);
}

/**
 * Gradient of {@linkcode hardtanh}: `dx = minVal < x < maxVal ? g : 0` (0 at the bounds and at
 * NaN, as PyTorch's vectorized kernel).
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @param options The forward's bounds.
 * @returns `{ input }`: the gradient with respect to the input, in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor, the shapes differ or a bound is not a
 * number.
 * @throws {RangeError} If a bound is NaN or `maxVal < minVal`.
 *
 * @example Blocked at the bounds
 * ```ts
 * import { hardtanhBackward } from "./hardtanh.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([-1, 0, 1, 2], [4]);
 * const { input: dx } = hardtanhBackward(Tensor.full([4], 5), { input });
 * if (dx.data.join() !== "0,5,0,0") throw new Error(`got ${dx.data}`);
 * ```
 */
export function hardtanhBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: HardtanhOptions = {},
): { input: Tensor } {
  const op = "hardtanhBackward";
  const [min, max] = _bounds(op, options);
  return openIntervalGradient(op, gradOutput, saved, min, max);
}

/**
 * Hard tanh as a module, like PyTorch's `nn.Hardtanh`.
 *
 * @example Forward and backward
 * ```ts
 * import { Hardtanh } from "./hardtanh.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Hardtanh({ minVal: -2, maxVal: 2 });
 * const y = layer.forward(new Tensor([-3, 1], [2]));
 * const dx = layer.backward(Tensor.full([2], 1));
 * if (y.data.join() !== "-2,1" || dx.data.join() !== "0,1") throw new Error("Hardtanh");
 * ```
 */
export class Hardtanh extends Module {
  /** Lower bound. */
  readonly minVal: number;
  /** Upper bound. */
  readonly maxVal: number;
  #input: Tensor | undefined;

  /**
   * Builds the layer from its bounds.
   *
   * @param options `minVal` (default −1) and `maxVal` (default 1).
   * @throws {TypeError} If a bound is not a number.
   * @throws {RangeError} If a bound is NaN or `maxVal < minVal`.
   */
  constructor(options: HardtanhOptions = {}) {
    super();
    [this.minVal, this.maxVal] = _bounds(new.target.name, options);
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `hardtanh(input)`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = hardtanh(input, { minVal: this.minVal, maxVal: this.maxVal });
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
    const input = keptByForward(this.constructor.name, this.#input);
    const options = { minVal: this.minVal, maxVal: this.maxVal };
    return hardtanhBackward(gradOutput, { input }, options).input;
  }
}

function _bounds(op: string, options: HardtanhOptions): [number, number] {
  const [min, max] = checkBounds(op, [options?.minVal ?? -1, options?.maxVal ?? 1], [
    "minVal",
    "maxVal",
  ]);
  if (max < min) rangeError(op, `maxVal (${max}) must not be below minVal (${min})`);
  return [min, max];
}
