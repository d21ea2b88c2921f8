/**
 * The conformance suite's one tolerance policy.
 *
 * An element passes when
 *
 * ```text
 * |actual − expected| ≤ ATOL + RTOL·|expected| + C · n · 2⁻²⁴ · A
 * ```
 *
 * - `ATOL = 1e-7`, `RTOL = 1e-4`: tighter than ONNX's backend suite (rtol 1e-3, atol 1e-7).
 * - `n` is the number of terms summed into the element (the reduction length: `Cin/groups · Πk`
 *   for a convolution's output, `N · Πout` for its bias gradient, ...), `A` is the same op run
 *   on absolute values (`|X| ⋆ |W|`), and `2⁻²⁴` is float32's unit roundoff. A float32 sum of
 *   `n` terms is within `γₙ·A ≈ n·2⁻²⁴·A` of the exact sum (Higham, *Accuracy and Stability of
 *   Numerical Algorithms*, §3.1); we and the reference each make that error, hence `C = 2`.
 *   This bound is what makes near-zero outputs of long reductions checkable without a loose
 *   relative tolerance (pytorch #24172), and it is exactly 0 for elements whose terms are all 0.
 *
 * Ops without a reduction (activations, max pooling, ...) have `n = 0`: only ATOL and RTOL apply.
 *
 * @module
 */

import type { Tolerance } from "../testing/assert_tensor.ts";

/** Absolute tolerance of every comparison. */
export const ATOL = 1e-7;
/** Relative tolerance of every comparison. */
export const RTOL = 1e-4;
/** Safety factor of the accumulation bound: we and the reference each round. */
export const ACCUMULATION_FACTOR = 2;
/** float32 unit roundoff. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/**
 * The tolerance for one compared tensor.
 *
 * @param reductionLength `n`: terms summed per element (0 when the op does not reduce).
 * @param absoluteReference `A`: the op evaluated on absolute values, one entry per element;
 * omitted when `n` is 0.
 * @returns `rtol`, `atol` and the per-element accumulation `bound` for `compareTensors`.
 *
 * @example A convolution output element summing 27 terms
 * ```ts
 * import { tolerance } from "./tolerance.ts";
 * const t = tolerance(27, [10]);
 * // 2 · 27 · 2⁻²⁴ · 10 ≈ 3.2e-5 allowed on top of atol and rtol·|expected|
 * if (!(t.bound![0] > 3.2e-5 && t.bound![0] < 3.3e-5)) throw new Error("bound");
 * ```
 */
export function tolerance(
  reductionLength: number,
  absoluteReference?: ArrayLike<number>,
): Tolerance {
  if (reductionLength <= 0 || absoluteReference === undefined) return { rtol: RTOL, atol: ATOL };
  const scale = ACCUMULATION_FACTOR * reductionLength * FLOAT32_UNIT_ROUNDOFF;
  const bound = new Float64Array(absoluteReference.length);
  for (let i = 0; i < bound.length; i++) bound[i] = scale * Math.abs(absoluteReference[i]);
  return { rtol: RTOL, atol: ATOL, bound };
}
