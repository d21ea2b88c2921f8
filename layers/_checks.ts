// Argument checks shared by the layer functions and modules (relu, sigmoid, softmax, linear, pad,
// ...), so the same mistake gets the same message everywhere.

import { formatShape, typeError } from "./_errors.ts";
import { Tensor } from "./tensor.ts";

/** Throws `TypeError` naming `name` unless `value` is a Tensor. */
export function checkTensor(op: string, name: string, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    typeError(op, `${name} must be a Tensor, got ${value === null ? "null" : typeof value}`);
  }
}

/**
 * Throws `TypeError` unless `actual` equals `expected`:
 * `<name> shape [2] must equal <of> shape [3]`.
 */
export function checkShape(
  op: string,
  name: string,
  actual: readonly number[],
  of: string,
  expected: readonly number[],
): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    typeError(
      op,
      `${name} shape ${formatShape(actual)} must equal ${of} shape ${formatShape(expected)}`,
    );
  }
}

/**
 * Throws `TypeError` unless `gradOutput` is a Tensor of shape `expected`, which is the shape of
 * the forward's `of` tensor ("input", "output", "mask").
 */
export function checkGradOutput(
  op: string,
  gradOutput: unknown,
  of: string,
  expected: readonly number[],
): asserts gradOutput is Tensor {
  checkTensor(op, "gradOutput", gradOutput);
  checkShape(op, "gradOutput", gradOutput.shape, of, expected);
}

/**
 * Returns what a module's last `forward` kept for `backward`, or throws the call-order error
 * `Cannot compute <module>.backward: call forward first` (a plain `Error`: the input is fine, the
 * order is not).
 */
export function keptByForward<T>(module: string, kept: T | undefined): T {
  if (kept === undefined) throw new Error(`Cannot compute ${module}.backward: call forward first`);
  return kept;
}
