/**
 * Finite-difference gradient checks in float64.
 *
 * @module
 */

import { Tensor } from "../layers/tensor.ts";

/**
 * Central-difference gradient of `L(x) = Σ f(x) ⊙ gradOutput` with respect to `x`.
 *
 * Run it on float64 tensors (e.g. through the reference path) so that the O(eps²) truncation
 * error, not float32 rounding, dominates.
 *
 * @param f The function to differentiate; it must not modify its argument.
 * @param x The point, a float64 tensor (it is perturbed in place and restored).
 * @param gradOutput The upstream gradient, shaped like `f(x)`.
 * @param eps The step. @default 1e-6
 * @returns dL/dx, shaped like `x`.
 *
 * @example Gradient of x²
 * ```ts
 * import { numericalGradient } from "./gradcheck.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const square = (t: Tensor) => new Tensor(t.data.map((v) => v * v), t.shape);
 * const x = new Tensor(new Float64Array([3]), [1]);
 * const g = numericalGradient(square, x, new Tensor(new Float64Array([1]), [1]));
 * if (Math.abs(g.data[0] - 6) > 1e-6) throw new Error("wrong gradient");
 * ```
 */
export function numericalGradient(
  f: (x: Tensor) => Tensor,
  x: Tensor,
  gradOutput: Tensor,
  eps = 1e-6,
): Tensor {
  const grad = new Float64Array(x.size);
  const dot = (y: Tensor): number => {
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i] * gradOutput.data[i];
    return s;
  };
  for (let i = 0; i < x.size; i++) {
    const saved = x.data[i];
    x.data[i] = saved + eps;
    const plus = dot(f(x));
    x.data[i] = saved - eps;
    const minus = dot(f(x));
    x.data[i] = saved;
    grad[i] = (plus - minus) / (2 * eps);
  }
  return new Tensor(grad, x.shape);
}
