// Error helpers shared by every public function: messages name the operation, the argument, the
// rule and the value, and shapes print as [1, 3, 8, 8].

import { MAX_EXTENT } from "./limits.ts";

/** Formats a shape or small integer list as `[1, 3, 8, 8]`. */
export function formatShape(shape: ArrayLike<number>): string {
  return `[${Array.from(shape).join(", ")}]`;
}

/** Formats a value for an error message: arrays like shapes, strings quoted. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return formatShape(value);
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Throws `TypeError("Cannot compute <op>: <rule>")`. */
export function typeError(op: string, rule: string): never {
  throw new TypeError(`Cannot compute ${op}: ${rule}`);
}

/** Throws `RangeError("Cannot compute <op>: <rule>")`. */
export function rangeError(op: string, rule: string): never {
  throw new RangeError(`Cannot compute ${op}: ${rule}`);
}

/**
 * Expands an int-or-list option to one positive integer per spatial axis, or throws naming it.
 * `min` is 1 for kernel/stride/dilation and 0 for output padding; every entry must be at most
 * MAX_EXTENT (./limits.ts), so the shape math downstream stays within safe integers.
 */
export function perAxis(
  op: string,
  name: string,
  value: number | readonly number[] | undefined,
  rank: number,
  fallback: number,
  min = 1,
): number[] {
  if (value === undefined) return new Array(rank).fill(fallback);
  const list = typeof value === "number" ? new Array(rank).fill(value) : value;
  if (!Array.isArray(list) && typeof value !== "number") {
    typeError(op, `${name} must be a number or an array of ${rank} numbers, got ${typeof value}`);
  }
  if (list.length !== rank) {
    typeError(
      op,
      `${name} must have one entry per spatial axis (${rank}), got ${formatValue(value)}`,
    );
  }
  for (const v of list) {
    if (typeof v !== "number" || !Number.isInteger(v)) {
      typeError(op, `${name} must contain integers, got ${formatValue(value)}`);
    }
    if (v < min) {
      rangeError(
        op,
        `${name} must be ${min === 1 ? "positive" : `at least ${min}`}, got ${formatValue(value)}`,
      );
    }
    if (v > MAX_EXTENT) {
      rangeError(op, `${name} must be at most ${MAX_EXTENT}, got ${formatValue(value)}`);
    }
  }
  return [...list];
}
