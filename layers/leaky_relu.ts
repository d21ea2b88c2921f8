/**
 * Leaky ReLU, `x > 0 ? x : slope·x` elementwise, with its gradient and a module.
 *
 * Semantics follow PyTorch's `leaky_relu`: the comparison is `x > 0`, so at x = 0 the gradient is
 * the slope and NaN takes the slope branch (NaN·slope = NaN); −0 maps to −0·slope.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { mapElements, mapGradient } from "./_elementwise.ts";
import { rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode leakyRelu}, {@linkcode leakyReluBackward} and {@linkcode LeakyReLU}. */
export interface LeakyReluOptions {
  /** Slope for x ≤ 0, a finite number. @default 0.01 */
  negativeSlope?: number;
}

/**
 * Leaky rectified linear unit, elementwise: `y = x > 0 ? x : negativeSlope·x`.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `negativeSlope`.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor or `negativeSlope` is not a number.
 * @throws {RangeError} If `negativeSlope` is not finite.
 *
 * @example Negative values are scaled
 * ```ts
 * import { leakyRelu } from "./leaky_relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = leakyRelu(new Tensor([-2, 3], [2]), { negativeSlope: 0.5 });
 * if (y.data.join() !== "-1,3") throw new Error("leakyRelu");
 * ```
 */
export function leakyRelu(input: Tensor, options: LeakyReluOptions = {}): Tensor {
  const slope = _checkSlope("leakyRelu", options?.negativeSlope);
  return mapElements("leakyRelu", input, (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : x[i] * slope;
  });
}

/**
 * Gradient of {@linkcode leakyRelu}: `dx = x > 0 ? g : negativeSlope·g` (so the slope at x = 0, as
 * in PyTorch).
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @param options The forward's `negativeSlope`.
 * @returns `{ input }`: the gradient with respect to the input, in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor or `gradOutput`'s shape differs from the
 * input's.
 * @throws {RangeError} If `negativeSlope` is not finite.
 *
 * @example Slope where x ≤ 0
 * ```ts
 * import { leakyReluBackward } from "./leaky_relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor([-1, 0, 2], [3]);
 * const { input } = leakyReluBackward(Tensor.full([3], 4), { input: x }, { negativeSlope: 0.25 });
 * if (input.data.join() !== "1,1,4") throw new Error("leakyRelu gradient");
 * ```
 */
export function leakyReluBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: LeakyReluOptions = {},
): { input: Tensor } {
  const op = "leakyReluBackward";
  const slope = _checkSlope(op, options?.negativeSlope);
  return mapGradient(op, gradOutput, saved, "input", (x, g, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? g[i] : g[i] * slope;
  });
}

/**
 * Leaky ReLU as a module, like PyTorch's `nn.LeakyReLU`.
 *
 * @example Forward and backward
 * ```ts
 * import { LeakyReLU } from "./leaky_relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new LeakyReLU({ negativeSlope: 0.5 });
 * const y = layer.forward(new Tensor([-4, 2], [2]));
 * const dx = layer.backward(Tensor.full([2], 1));
 * if (y.data.join() !== "-2,2" || dx.data.join() !== "0.5,1") throw new Error("LeakyReLU");
 * ```
 */
export class LeakyReLU extends Module {
  /** Slope for x ≤ 0. */
  readonly negativeSlope: number;
  #input: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `negativeSlope`.
   * @throws {TypeError} If `negativeSlope` is not a number.
   * @throws {RangeError} If `negativeSlope` is not finite.
   */
  constructor(options: LeakyReluOptions = {}) {
    super();
    this.negativeSlope = _checkSlope("LeakyReLU", options?.negativeSlope);
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `leakyRelu(input)`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = leakyRelu(input, { negativeSlope: this.negativeSlope });
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
    const saved = { input: keptByForward("LeakyReLU", this.#input) };
    return leakyReluBackward(gradOutput, saved, { negativeSlope: this.negativeSlope }).input;
  }
}

function _checkSlope(op: string, slope: unknown): number {
  if (slope === undefined) return 0.01;
  if (typeof slope !== "number") {
    typeError(op, `negativeSlope must be a number, got ${typeof slope}`);
  }
  if (!Number.isFinite(slope)) rangeError(op, `negativeSlope must be finite, got ${slope}`);
  return slope;
}
