/**
 * Leaky ReLU, `x > 0 ? x : slope·x` elementwise, with its gradient and a module.
 *
 * Semantics follow PyTorch's `leaky_relu`: the comparison is `x > 0`, so at x = 0 the gradient is
 * the slope and NaN takes the slope branch (NaN·slope = NaN); −0 maps to −0·slope.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { bitsOf, mapElements, mapGradient } from "./_elementwise.ts";
import { rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

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
    if (x instanceof Float32Array && y instanceof Float32Array) select32(x, x, y, slope);
    else select64(x, x, y, slope);
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
    if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      select32(x, g, dx, slope);
    } else {
      select64(x, g, dx, slope);
    }
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

// out = x > 0 ? v : v·slope (the forward with v = x, the gradient with v = g).
function select64(x: FloatArray, v: FloatArray, out: FloatArray, slope: number): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? v[i] : v[i] * slope;
}

// The same without a branch: out = v·slope, then where x > 0 — bits u of x with 0 < u ≤ +Inf's
// (0x7f800000 = 2139095040), i.e. neither zero, negative nor NaN — the bits of v replace it.
function select32(x: Float32Array, v: Float32Array, out: Float32Array, slope: number): void {
  const xb = bitsOf(x), vb = bitsOf(v), ob = bitsOf(out), n = xb.length;
  for (let i = 0; i < n; i++) {
    out[i] = v[i] * slope;
    const u = xb[i], s = ob[i];
    ob[i] = s ^ ((s ^ vb[i]) & ~(((u - 1) | (2139095040 - u)) >> 31));
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
