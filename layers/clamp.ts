/**
 * Clamping to `[min, max]` elementwise (PyTorch `torch.clamp`, ONNX `Clip`), with the gradients
 * of the input and of the two bounds.
 *
 * Semantics follow PyTorch 1.13's `clamp` with tensor bounds:
 *
 * - forward `v = x < min ? min : x`, then `y = v > max ? max : v`: NaN stays NaN, −0 stays −0,
 *   and `min > max` gives `max` everywhere (also ONNX's rule);
 * - the input's gradient passes where `min ≤ x ≤ max` (both ends included; 0 at NaN and when
 *   `min > max`);
 * - the bounds' gradients sum the output gradient where the bound was taken:
 *   `dmin = Σ g·[x < min and min < max]`, `dmax = Σ g·[x > max or max < min]` (with one bound
 *   only: `[x < min]`, `[x > max]`). Where `min = max`, elements below it feed neither bound.
 *
 * {@linkcode hardtanh} and {@linkcode relu6} clamp the same way but block the gradient at the
 * bounds (PyTorch's `hardtanh_backward`).
 *
 * @module
 */

import { boundGradients, checkBounds, clampTo, closedIntervalGradient } from "./_clamp.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode clamp} and {@linkcode clampBackward}. */
export interface ClampOptions {
  /** Lower bound (not NaN). @default undefined (none) */
  min?: number;
  /** Upper bound (not NaN). @default undefined (none) */
  max?: number;
}

/** Gradients returned by {@linkcode clampBackward}. */
export interface ClampGradients {
  /** Gradient with respect to the input, in its shape and dtype. */
  input: Tensor;
  /** Gradient with respect to `min` (0 without a lower bound). */
  min: number;
  /** Gradient with respect to `max` (0 without an upper bound). */
  max: number;
}

/**
 * Clamps every element to `[min, max]`: `y = min(max(x, min), max)` with NaN propagating.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `min` and/or `max`; either may be left out (±∞).
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor or a bound is not a number.
 * @throws {RangeError} If a bound is NaN.
 *
 * @example Clamp to [0, 6] (ReLU6's forward)
 * ```ts
 * import { clamp } from "./clamp.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = clamp(new Tensor([-1, 3, 8], [3]), { min: 0, max: 6 });
 * if (y.data.join() !== "0,3,6") throw new Error(`got ${y.data}`);
 * ```
 */
export function clamp(input: Tensor, options: ClampOptions = {}): Tensor {
  const [min, max] = checkBounds("clamp", [options?.min, options?.max], ["min", "max"]);
  return clampTo("clamp", input, min, max);
}

/**
 * Gradient of {@linkcode clamp} with respect to the input and both bounds (PyTorch's rules,
 * see the module doc). Sums run in float64.
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @param options The forward's bounds.
 * @returns `{ input, min, max }`.
 * @throws {TypeError} If an argument is not a Tensor, the shapes differ or a bound is not a
 * number.
 * @throws {RangeError} If a bound is NaN.
 *
 * @example The gradient passes inside the interval, bounds included
 * ```ts
 * import { clampBackward } from "./clamp.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([-1, 0, 3, 6, 8], [5]);
 * const g = new Tensor([1, 2, 3, 4, 5], [5]);
 * const grads = clampBackward(g, { input }, { min: 0, max: 6 });
 * if (grads.input.data.join() !== "0,2,3,4,0") throw new Error(`got ${grads.input.data}`);
 * if (grads.min !== 1 || grads.max !== 5) throw new Error("bound gradients");
 * ```
 */
export function clampBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: ClampOptions = {},
): ClampGradients {
  const op = "clampBackward";
  const [min, max] = checkBounds(op, [options?.min, options?.max], ["min", "max"]);
  const { input } = closedIntervalGradient(op, gradOutput, saved, min, max);
  const bounds = boundGradients(saved.input.data, gradOutput.data, min, max);
  return { input, ...bounds };
}
