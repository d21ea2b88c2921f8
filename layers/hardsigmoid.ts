/**
 * Hard sigmoid, `clamp(alpha·x + beta, 0, 1)` elementwise, with its gradient and a module. The
 * defaults `alpha = 1/6`, `beta = 1/2` are PyTorch's `F.hardsigmoid` / `nn.Hardsigmoid`
 * (`relu6(x + 3) / 6`); other values give ONNX's `HardSigmoid` (whose own defaults are 0.2 and
 * 0.5).
 *
 * The gradient is `alpha·g` where `0 < alpha·x + beta < 1` and 0 elsewhere — at the kinks and at
 * NaN too, as PyTorch's `hardsigmoid_backward` (`−3 < x < 3 ? g/6 : 0`). Computed in float64,
 * rounded once to the input's dtype.
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { mapElements, mapGradient } from "./_elementwise.ts";
import { rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

/** Options of {@linkcode hardsigmoid} and {@linkcode hardsigmoidBackward}. */
export interface HardsigmoidOptions {
  /** Slope, finite. @default 1/6 */
  alpha?: number;
  /** Offset, finite. @default 0.5 */
  beta?: number;
}

/**
 * Hard sigmoid elementwise: `y = min(max(alpha·x + beta, 0), 1)`; NaN stays NaN.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `alpha` and `beta` (PyTorch's 1/6 and 1/2 by default).
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor or an option is not a number.
 * @throws {RangeError} If an option is not finite.
 *
 * @example PyTorch's hardsigmoid: 0 below −3, 1 above 3, linear between
 * ```ts
 * import { hardsigmoid } from "./hardsigmoid.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = hardsigmoid(new Tensor(new Float64Array([-4, 0, 1.5, 4]), [4]));
 * if (y.data.join() !== "0,0.5,0.75,1") throw new Error(`got ${y.data}`);
 * ```
 */
export function hardsigmoid(input: Tensor, options: HardsigmoidOptions = {}): Tensor {
  const { alpha, beta } = _coefficients("hardsigmoid", options);
  return mapElements("hardsigmoid", input, (x, y) => {
    if (x instanceof Float32Array && y instanceof Float32Array) forward32(x, y, alpha, beta);
    else forward64(x, y, alpha, beta);
  });
}

/**
 * Gradient of {@linkcode hardsigmoid}: `dx = 0 < alpha·x + beta < 1 ? alpha·g : 0`.
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @param options The forward's `alpha` and `beta`.
 * @returns `{ input }`: the gradient with respect to the input, in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor, the shapes differ or an option is not a
 * number.
 * @throws {RangeError} If an option is not finite.
 *
 * @example Slope 1/6 inside (−3, 3), 0 at and beyond ±3
 * ```ts
 * import { hardsigmoidBackward } from "./hardsigmoid.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor(new Float64Array([-3, 0, 2.9, 3]), [4]);
 * const { input: dx } = hardsigmoidBackward(Tensor.full([4], 6, "float64"), { input });
 * if (dx.data.join() !== "0,1,1,0") throw new Error(`got ${dx.data}`);
 * ```
 */
export function hardsigmoidBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: HardsigmoidOptions = {},
): { input: Tensor } {
  const op = "hardsigmoidBackward";
  const { alpha, beta } = _coefficients(op, options);
  return mapGradient(op, gradOutput, saved, "input", (x, g, dx) => {
    if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      backward32(x, g, dx, alpha, beta);
    } else {
      backward64(x, g, dx, alpha, beta);
    }
  });
}

/**
 * Hard sigmoid as a module, like PyTorch's `nn.Hardsigmoid` (alpha 1/6, beta 1/2).
 *
 * @example Forward and backward
 * ```ts
 * import { Hardsigmoid } from "./hardsigmoid.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Hardsigmoid();
 * const y = layer.forward(new Tensor([0, 5], [2]));
 * const dx = layer.backward(Tensor.full([2], 6));
 * if (y.data.join() !== "0.5,1" || dx.data.join() !== "1,0") throw new Error("Hardsigmoid");
 * ```
 */
export class Hardsigmoid extends Module {
  #input: Tensor | undefined;

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `hardsigmoid(input)`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = hardsigmoid(input);
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
    const input = keptByForward("Hardsigmoid", this.#input);
    return hardsigmoidBackward(gradOutput, { input }).input;
  }
}

// v = alpha·x + beta; `v < 0 ? 0 : v > 1 ? 1 : v` lets NaN through.
function forward64(x: FloatArray, y: FloatArray, alpha: number, beta: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = alpha * x[i] + beta;
    y[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}

function forward32(x: Float32Array, y: Float32Array, alpha: number, beta: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = alpha * x[i] + beta;
    y[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}

// `0 < v && v < 1` is false at NaN.
function backward64(
  x: FloatArray,
  g: FloatArray,
  dx: FloatArray,
  alpha: number,
  beta: number,
): void {
  for (let i = 0; i < x.length; i++) {
    const v = alpha * x[i] + beta;
    dx[i] = 0 < v && v < 1 ? alpha * g[i] : 0;
  }
}

function backward32(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  alpha: number,
  beta: number,
): void {
  for (let i = 0; i < x.length; i++) {
    const v = alpha * x[i] + beta;
    dx[i] = 0 < v && v < 1 ? alpha * g[i] : 0;
  }
}

function _coefficients(op: string, options: HardsigmoidOptions): { alpha: number; beta: number } {
  const alpha = options?.alpha ?? 1 / 6, beta = options?.beta ?? 0.5;
  for (const [name, v] of [["alpha", alpha], ["beta", beta]] as const) {
    if (typeof v !== "number") typeError(op, `${name} must be a number, got ${typeof v}`);
    if (!Number.isFinite(v)) rangeError(op, `${name} must be finite, got ${v}`);
  }
  return { alpha, beta };
}
