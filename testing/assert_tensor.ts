/**
 * The project's one tensor assertion, used by unit tests and the conformance runner alike.
 *
 * Checks in the order ONNX's backend runner does: element count, then shape, then dtype, then
 * values. The pass rule per element is `|actual − expected| ≤ atol + rtol·|expected| + bound[i]`;
 * NaN matches only NaN and ±Infinity only itself.
 *
 * @module
 */

import { AssertionError } from "node:assert";

/** Anything with a shape and row-major elements: our `Tensor`, a decoded ONNX tensor, ... */
export interface TensorLike {
  /** Extent of each axis. */
  readonly shape: readonly number[];
  /** Row-major elements (bigint for int64 tensors). */
  readonly data: ArrayLike<number> | ArrayLike<bigint>;
  /** Element type name, compared when both sides give one. */
  readonly dtype?: string;
}

/** How close is close enough. */
export interface Tolerance {
  /** Relative tolerance. @default 1e-5 */
  rtol?: number;
  /** Absolute tolerance. @default 1e-7 */
  atol?: number;
  /** An extra absolute allowance per element (e.g. a float32 accumulation bound). */
  bound?: ArrayLike<number>;
}

/** The outcome of {@linkcode compareTensors}. */
export interface Comparison {
  /** Whether every check passed. */
  ok: boolean;
  /** Empty when `ok`; otherwise what failed, with index, actual, expected, delta and tolerance. */
  message: string;
  /** Number of elements compared (0 if count, shape or dtype differ). */
  count: number;
  /** Number of elements outside their tolerance. */
  failed: number;
  /** Largest |actual − expected| over finite pairs. */
  maxAbsError: number;
  /** Largest |actual − expected| / |expected| over finite pairs with expected ≠ 0. */
  maxRelError: number;
  /**
   * Largest ratio of error to allowed error over all elements: below 1 passes. The margin to
   * the tolerance is `1 − worstRatio`.
   */
  worstRatio: number;
}

/**
 * Compares two tensors: count → shape → dtype → values.
 *
 * @param actual The computed tensor.
 * @param expected The reference tensor.
 * @param tolerance `rtol`, `atol` and an optional per-element `bound`.
 * @returns A {@linkcode Comparison}; never throws on a mismatch.
 *
 * @example Compare within a tolerance
 * ```ts
 * import { compareTensors } from "./assert_tensor.ts";
 * const a = { shape: [2], data: new Float32Array([1, 2.0000001]) };
 * const r = compareTensors(a, { shape: [2], data: new Float32Array([1, 2]) }, { rtol: 1e-6 });
 * if (!r.ok) throw new Error(r.message);
 * ```
 */
export function compareTensors(
  actual: TensorLike,
  expected: TensorLike,
  tolerance: Tolerance = {},
): Comparison {
  const fail = (message: string): Comparison => ({
    ok: false,
    message,
    count: 0,
    failed: 0,
    maxAbsError: NaN,
    maxRelError: NaN,
    worstRatio: Infinity,
  });
  const n = actual.data.length;
  if (n !== expected.data.length) {
    return fail(`element count differs: actual ${n}, expected ${expected.data.length}`);
  }
  if (!sameShape(actual.shape, expected.shape)) {
    return fail(`shape differs: actual ${fmt(actual.shape)}, expected ${fmt(expected.shape)}`);
  }
  if (actual.dtype !== undefined && expected.dtype !== undefined) {
    if (actual.dtype !== expected.dtype) {
      return fail(`dtype differs: actual ${actual.dtype}, expected ${expected.dtype}`);
    }
  }
  const rtol = tolerance.rtol ?? 1e-5;
  const atol = tolerance.atol ?? 1e-7;
  const bound = tolerance.bound;
  let failed = 0, first = -1, firstAllowed = 0;
  let maxAbsError = 0, maxRelError = 0, worstRatio = 0;
  for (let i = 0; i < n; i++) {
    const a = Number(actual.data[i]);
    const e = Number(expected.data[i]);
    const allowed = atol + rtol * Math.abs(e) + (bound ? bound[i] : 0);
    let ratio: number;
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      // NaN matches only NaN; an infinity only the same infinity.
      ratio = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) ? 0 : Infinity;
    } else {
      const delta = Math.abs(a - e);
      if (delta > maxAbsError) maxAbsError = delta;
      if (e !== 0 && delta / Math.abs(e) > maxRelError) maxRelError = delta / Math.abs(e);
      ratio = delta === 0 ? 0 : allowed > 0 ? delta / allowed : Infinity;
    }
    if (ratio > worstRatio) worstRatio = ratio;
    if (!(ratio <= 1)) {
      if (first < 0) {
        first = i;
        firstAllowed = allowed;
      }
      failed++;
    }
  }
  let message = "";
  if (failed > 0) {
    const a = Number(actual.data[first]), e = Number(expected.data[first]);
    message = `values differ at index ${fmt(unravel(first, expected.shape))}: actual ${a}, ` +
      `expected ${e}, delta ${Math.abs(a - e)}, tolerance ${firstAllowed}; ${failed} of ${n} ` +
      `elements outside tolerance (max abs error ${maxAbsError}, max rel error ${maxRelError})`;
  }
  return { ok: failed === 0, message, count: n, failed, maxAbsError, maxRelError, worstRatio };
}

/**
 * Asserts that two tensors agree (see {@linkcode compareTensors}).
 *
 * @param actual The computed tensor.
 * @param expected The reference tensor.
 * @param tolerance `rtol`, `atol` and an optional per-element `bound`.
 * @param label Prefix for the failure message.
 * @throws {AssertionError} With the first failing multi-index, actual, expected, delta and
 * tolerance, the number of failing elements and the largest errors.
 *
 * @example Assert closeness
 * ```ts
 * import { assertTensorClose } from "./assert_tensor.ts";
 * assertTensorClose({ shape: [1], data: [0.1 + 0.2] }, { shape: [1], data: [0.3] });
 * ```
 */
export function assertTensorClose(
  actual: TensorLike,
  expected: TensorLike,
  tolerance: Tolerance = {},
  label = "tensors differ",
): void {
  const result = compareTensors(actual, expected, tolerance);
  if (!result.ok) throw new AssertionError({ message: `${label}: ${result.message}` });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function unravel(offset: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = offset % shape[axis];
    offset = Math.floor(offset / shape[axis]);
  }
  return index;
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
