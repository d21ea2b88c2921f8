// Outcome classes of one fuzz case and the rule that sorts a thrown value into them. A clean
// error is one of the package's own: a TypeError or RangeError whose message starts with
// "Cannot <verb>" and names what was wrong, or an OnnxFormatError / UnsupportedOpError. V8's own
// messages (allocation failures, stack overflow, property access on undefined) are never clean,
// even when an executor wraps them in "Cannot run ONNX node ...".

import { OnnxFormatError } from "../onnx/format_error.ts";
import { UnsupportedOpError } from "../onnx/unsupported_error.ts";

/** What one fuzz case ended in; only `agreement` and `clean-error` pass. */
export type Outcome =
  | "agreement"
  | "clean-error"
  | "internal-error"
  | "allocation-failure"
  | "trap"
  | "timeout"
  | "disagreement";

/** Every outcome, in report order. */
export const OUTCOMES: readonly Outcome[] = [
  "agreement",
  "clean-error",
  "internal-error",
  "allocation-failure",
  "trap",
  "timeout",
  "disagreement",
];

/** Whether an outcome passes. */
export function passes(outcome: Outcome): boolean {
  return outcome === "agreement" || outcome === "clean-error";
}

const ALLOCATION = [
  "Array buffer allocation failed",
  "Invalid typed array length",
  "Invalid array length",
  "Invalid array buffer length",
  "Invalid string length",
  "out of memory",
];

// V8 messages that also start with "Cannot".
const V8_CANNOT = [
  /Cannot (read|set) propert/,
  /Cannot convert (a BigInt|undefined|null|object)/,
  /Cannot mix BigInt/,
  /Cannot access '.*' before initialization/,
  /Cannot destructure/,
  /Cannot create property/,
  /Cannot assign to read only/,
  /Cannot redefine property/,
];

/** Sorts a thrown value into an outcome class. */
export function classifyError(error: unknown): Outcome {
  if (error instanceof WebAssembly.RuntimeError) return "trap";
  if (!(error instanceof Error)) return "internal-error";
  const message = error.message;
  if (ALLOCATION.some((text) => message.includes(text))) return "allocation-failure";
  if (message.includes("Maximum call stack size exceeded")) return "internal-error";
  if (error instanceof OnnxFormatError || error instanceof UnsupportedOpError) return "clean-error";
  if (!(error instanceof TypeError || error instanceof RangeError)) return "internal-error";
  if (V8_CANNOT.some((pattern) => pattern.test(message))) return "internal-error";
  return /^Cannot [a-z]+/.test(message) ? "clean-error" : "internal-error";
}

/** A short description of a thrown value: class and the start of its message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message.slice(0, 300)}`;
  return `non-Error thrown: ${String(error).slice(0, 300)}`;
}

/**
 * Whether two float arrays agree: same length, NaN only against NaN, ±Infinity only against
 * itself, and finite values within `|a − b| ≤ atol + rtol·|b|`. Returns the first mismatch.
 */
export function compareValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-5,
): string | undefined {
  if (actual.length !== expected.length) {
    return `length ${actual.length} vs ${expected.length}`;
  }
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) && Number.isNaN(a)) continue;
      return `element ${i}: ${a} vs ${e}`;
    }
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a === e) continue;
      return `element ${i}: ${a} vs ${e}`;
    }
    if (Math.abs(a - e) > atol + rtol * Math.abs(e)) return `element ${i}: ${a} vs ${e}`;
  }
  return undefined;
}
