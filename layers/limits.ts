/**
 * The caps every layer checks before it allocates or loops, in one place: how large a spatial
 * quantity (stride, dilation, pad, kernel, output size, padded extent) may be, how many elements
 * a tensor may hold, and how many bytes one result may take (a settable budget).
 *
 * A call beyond a cap throws a `RangeError` naming the operation, the quantity and its value
 * (`Cannot compute conv2d: stride must be at most 2147483647, got [4, 4294967296]`) on every
 * implementation alike, before any allocation; an ONNX node adds its name and op type.
 *
 * @example A budget for one block of work
 * ```ts
 * import { conv, getMemoryBudget, setMemoryBudget, Tensor } from "../mod.ts";
 * const x = Tensor.zeros([1, 1, 40, 40]), w = Tensor.zeros([1, 1, 1, 1]);
 * const before = getMemoryBudget();
 * setMemoryBudget(1024); // bytes
 * try {
 *   conv(x, w); // 6400 bytes of output
 *   throw new Error("expected a RangeError");
 * } catch (error) {
 *   if (!(error instanceof RangeError) || !error.message.includes("memory budget")) throw error;
 * } finally {
 *   setMemoryBudget(before);
 * }
 * ```
 *
 * @module
 */

/** Largest element count of one tensor: 2^31 − 1 (typed-array and 32-bit index limits). */
export const MAX_ELEMENTS: number = 2 ** 31 - 1;

/**
 * Largest value of any spatial quantity: each stride, dilation, pad and kernel size, and the
 * derived effective kernel `dilation × (kernel − 1) + 1`, padded extent `in + padBegin + padEnd`
 * and output size per axis: 2^31 − 1.
 */
export const MAX_EXTENT: number = 2 ** 31 - 1;

/** The default memory budget: 4 GiB per result. */
export const DEFAULT_MEMORY_BUDGET: number = 4 * 2 ** 30;

let budget = DEFAULT_MEMORY_BUDGET;

/**
 * Sets the largest number of bytes one result tensor of a layer (an output or a gradient) may
 * take; larger results are refused with a `RangeError` before anything is allocated.
 *
 * @param bytes A positive safe integer.
 * @throws {RangeError} If `bytes` is not a positive safe integer.
 */
export function setMemoryBudget(bytes: number): void {
  if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 1) {
    throw new RangeError(
      `Cannot set memory budget: bytes must be a positive safe integer, got ${String(bytes)}`,
    );
  }
  budget = bytes;
}

/**
 * The current memory budget (see {@linkcode setMemoryBudget}).
 *
 * @returns Bytes one result may take; {@linkcode DEFAULT_MEMORY_BUDGET} unless set.
 */
export function getMemoryBudget(): number {
  return budget;
}
