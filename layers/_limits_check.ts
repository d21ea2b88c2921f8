// The checks behind the caps of ./limits.ts, run at the public boundary of every layer before
// anything is allocated or looped over, so both implementations refuse the same calls the same way.

import { formatShape, rangeError } from "./_errors.ts";
import { getMemoryBudget, MAX_ELEMENTS, MAX_EXTENT } from "./limits.ts";
import type { DType } from "./tensor.ts";

/** Throws unless every entry of `values` is at most MAX_EXTENT: `<name> must be at most ...`. */
export function checkExtents(op: string, name: string, values: readonly number[]): void {
  if (values.some((v) => v > MAX_EXTENT)) {
    rangeError(
      op,
      `${name} must be at most ${MAX_EXTENT} on every axis, got ${formatShape(values)}`,
    );
  }
}

/**
 * Throws unless a result of `shape` fits the caps: at most MAX_ELEMENTS elements and at most the
 * memory budget in bytes. Call it before allocating the result.
 */
export function checkResult(
  op: string,
  what: string,
  shape: readonly number[],
  dtype: DType,
): void {
  let size = 1;
  for (const d of shape) size *= d;
  if (size > MAX_ELEMENTS) {
    rangeError(
      op,
      `${what} shape ${formatShape(shape)} would hold ${size} elements, more than the limit ` +
        MAX_ELEMENTS,
    );
  }
  const bytes = size * (dtype === "float64" ? 8 : 4);
  if (bytes > getMemoryBudget()) {
    rangeError(
      op,
      `${what} shape ${formatShape(shape)} would take ${bytes} bytes, more than the memory ` +
        `budget of ${getMemoryBudget()} bytes (see setMemoryBudget)`,
    );
  }
}
