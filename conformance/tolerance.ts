/**
 * The conformance suite's one tolerance policy. It has two regimes, chosen by what the golden
 * carries; {@linkcode truthTolerance} and {@linkcode tolerance} compute each.
 *
 * ## With a float64 truth (PyTorch goldens): at least as accurate as PyTorch, within a factor
 *
 * A PyTorch golden stores, beside PyTorch's float32 result `P`, the same computation run by
 * PyTorch in float64 (`T`, the truth) and PyTorch's own float32 error against it: `E∞ = max|P−T|`
 * and `E₂ = ‖P−T‖₂/‖T‖₂`, each the larger of PyTorch's two float32 CPU backends (its default
 * oneDNN kernels, whose result `P` is the golden's file, and its native kernels: on small tensors
 * deep in a network the two differ by more than 10×, so one of them alone is a lucky draw, not
 * PyTorch's accuracy). An implementation's result `O` passes when
 *
 * ```text
 * max |O − T|      ≤ K · max(E∞, max(F·u, ρ)·max|T|)   (every element)
 * ‖O − T‖₂ / ‖T‖₂  ≤ K · max(E₂, F·u, ρ)               (normwise)
 * ```
 *
 * with `u = 2⁻²⁴` (float32's unit roundoff), `K = TRUTH_FACTOR`, `F = TRUTH_FLOOR` and `ρ` the
 * median of PyTorch's normwise errors `E₂` over the data set's compared tensors. The floor of a
 * few ulps of the tensor's scale keeps a case where PyTorch happens to be exact (a max pool, a
 * ReLU) checkable at float32's own resolution. `ρ` is what float32 costs in this graph: a tensor
 * of a handful of elements (a batch-norm bias deep in a network) gives a noisy estimate of
 * PyTorch's error, which may be lucky by a factor of ten, and then the typical error of the same
 * graph is the fairer yardstick; on a single node `ρ` is just that node's error. The reported
 * *accuracy ratio* is `max(max|O−T| / yardstick∞, ‖O−T‖₂/‖T‖₂ / yardstick₂)`: 1 means exactly
 * as accurate as PyTorch; the case passes up to `K`. The bound follows the depth of the graph, because
 * PyTorch's error does: a 20-layer network is allowed what float32 really costs there, and not
 * the astronomical `n·u·|X|⋆|W|` of the accumulation bound. The recorded errors must be those of
 * the files (`conformance/truth.ts` recomputes them): a golden cannot loosen its own yardstick.
 *
 * A run whose float32 ReLU/Clip decisions differ from the exact ones at inputs within rounding of
 * the kink is judged once more, with the same yardstick, against the truth on its own branches
 * (`conformance/kink_pinned.ts`, with the conditions that keep that from hiding a bug).
 *
 * ## Without a truth (ONNX Runtime goldens, ONNX's own data): the accumulation bound
 *
 * An element passes when
 *
 * ```text
 * |actual − expected| ≤ ATOL + RTOL·|expected| + C · n · 2⁻²⁴ · A
 * ```
 *
 * - `ATOL = 1e-7`, `RTOL = 1e-4`: tighter than ONNX's backend suite (rtol 1e-3, atol 1e-7).
 *   Given the expected tensor, the absolute part shrinks to `min(ATOL, F·u·max|expected|)` (`u`
 *   of the tensor's own type, 2⁻⁵³ for float64): a tensor of tiny values is not passed by any
 *   answer below 1e-7.
 * - `n` is the number of terms summed into the element (the reduction length: `Cin/groups · Πk`
 *   for a convolution's output, `N · Πout` for its bias gradient, ...), `A` is the same op run
 *   on absolute values (`|X| ⋆ |W|`), and `2⁻²⁴` is float32's unit roundoff. A float32 sum of
 *   `n` terms is within `γₙ·A ≈ n·2⁻²⁴·A` of the exact sum (Higham, *Accuracy and Stability of
 *   Numerical Algorithms*, §3.1); we and the reference each make that error, hence `C = 2`.
 *   This bound is what makes near-zero outputs of long reductions checkable without a loose
 *   relative tolerance (pytorch #24172), and it is exactly 0 for elements whose terms are all 0.
 * - `n` is counted honestly along the graph: a gradient read from a file starts at `n = 0`.
 *
 * Ops without a reduction (activations, max pooling, ...) have `n = 0`: only ATOL and RTOL apply.
 *
 * @module
 */

import type { Tolerance } from "../testing/assert_tensor.ts";

/** Absolute tolerance of the accumulation regime. */
export const ATOL = 1e-7;
/** Relative tolerance of the accumulation regime. */
export const RTOL = 1e-4;
/** Safety factor of the accumulation bound: we and the reference each round. */
export const ACCUMULATION_FACTOR = 2;
/** float32 unit roundoff. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;
/** `K`: how many times PyTorch's own float32 error an implementation may make. */
export const TRUTH_FACTOR = 4;
/** `F`: the floor of the truth regime, in units of `u·max|T|` (4 u is 2 to 4 ulps of the scale). */
export const TRUTH_FLOOR = 4;

/** PyTorch's float32 error against the truth (see `Float32Error` in `onnx/case.ts`). */
export interface TruthYardstick {
  /** `E∞ = max |P − T|`. */
  readonly maxAbs: number;
  /** `E₂ = ‖P − T‖₂ / ‖T‖₂`. */
  readonly normwise: number;
  /** `max |T|` over finite elements. */
  readonly scale: number;
  /** PyTorch's other float32 backend's `E∞` and `E₂`, when recorded. */
  readonly alternative?: { readonly maxAbs: number; readonly normwise: number };
  /** `ρ`: the median of PyTorch's normwise errors over the data set (0 when not pooled). */
  readonly pooled?: number;
}

/**
 * `ρ` of a data set: the median of PyTorch's normwise errors over its compared tensors (those
 * whose truth is not zero).
 *
 * @param records PyTorch's float32 error per compared tensor.
 * @returns The median, 0 for none.
 */
export function pooledNormwise(records: readonly TruthYardstick[]): number {
  const values = records.filter((r) => r.scale > 0)
    .map((r) => Math.max(r.normwise, r.alternative?.normwise ?? 0)).sort((a, b) => a - b);
  if (values.length === 0) return 0;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** What the truth regime allows, and the yardsticks the accuracy ratio divides by. */
export interface TruthTolerance {
  /** The yardstick of the elementwise check: `max(E∞, max(F·u, ρ)·max|T|)`. */
  readonly maxAbsYardstick: number;
  /** The yardstick of the normwise check: `max(E₂, F·u, ρ)`. */
  readonly normwiseYardstick: number;
  /** Allowed `max |O − T|`: `K ·` the elementwise yardstick. */
  readonly maxAbs: number;
  /** Allowed `‖O − T‖₂ / ‖T‖₂`: `K ·` the normwise yardstick. */
  readonly normwise: number;
}

/**
 * The truth regime's tolerance for one tensor.
 *
 * @param yardstick PyTorch's float32 error against the float64 truth, the truth's scale, and
 * `ρ` (see {@linkcode pooledNormwise}).
 * @returns The yardsticks and the allowed errors.
 *
 * @example PyTorch erred by 3e-7 on values up to 2
 * ```ts
 * import { truthTolerance } from "./tolerance.ts";
 * const t = truthTolerance({ maxAbs: 3e-7, normwise: 1e-7, scale: 2 });
 * // the floor 4·2⁻²⁴·2 ≈ 4.8e-7 is above PyTorch's error, so it is the yardstick
 * if (!(t.maxAbsYardstick > 4.7e-7 && t.maxAbs === 4 * t.maxAbsYardstick)) throw new Error();
 * ```
 */
export function truthTolerance(yardstick: TruthYardstick): TruthTolerance {
  const floor = Math.max(TRUTH_FLOOR * FLOAT32_UNIT_ROUNDOFF, yardstick.pooled ?? 0);
  const alt = yardstick.alternative ?? { maxAbs: 0, normwise: 0 };
  const maxAbsYardstick = Math.max(yardstick.maxAbs, alt.maxAbs, floor * yardstick.scale);
  const normwiseYardstick = Math.max(yardstick.normwise, alt.normwise, floor);
  return {
    maxAbsYardstick,
    normwiseYardstick,
    maxAbs: TRUTH_FACTOR * maxAbsYardstick,
    normwise: TRUTH_FACTOR * normwiseYardstick,
  };
}

/**
 * The accumulation regime's tolerance for one compared tensor.
 *
 * @param reductionLength `n`: terms summed per element (0 when the op does not reduce).
 * @param absoluteReference `A`: the op evaluated on absolute values, one entry per element;
 * omitted when `n` is 0.
 * @param expected The expected tensor, whose scale caps the absolute part (see the module doc).
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
  expected?: { readonly data: ArrayLike<number>; readonly dtype?: string },
): Tolerance {
  const atol = expected === undefined ? ATOL : Math.min(ATOL, scaleFloor(expected));
  if (reductionLength <= 0 || absoluteReference === undefined) return { rtol: RTOL, atol };
  const scale = ACCUMULATION_FACTOR * reductionLength * FLOAT32_UNIT_ROUNDOFF;
  const bound = new Float64Array(absoluteReference.length);
  for (let i = 0; i < bound.length; i++) bound[i] = scale * Math.abs(absoluteReference[i]);
  return { rtol: RTOL, atol, bound };
}

/** `F·u·max|e|` over the finite elements, `u` of the tensor's type. */
function scaleFloor(expected: { readonly data: ArrayLike<number>; readonly dtype?: string }) {
  let max = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const v = Math.abs(expected.data[i]);
    if (Number.isFinite(v) && v > max) max = v;
  }
  const u = expected.dtype === "float64" ? 2 ** -53 : FLOAT32_UNIT_ROUNDOFF;
  return TRUTH_FLOOR * u * max;
}
