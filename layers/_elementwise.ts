// The frame of relu, leakyRelu, sigmoid and tanh and their gradients: check the arguments at the
// boundary, allocate the result in the right dtype, let the op's loop fill it, wrap it.
//
// The op passes its whole loop, not a per-element function: one shared loop calling several ops'
// callbacks goes polymorphic in V8 and runs 3-4× slower; each op's own loop stays monomorphic.

import { checkGradOutput, checkTensor } from "./_checks.ts";
import { allocate, type FloatArray, Tensor } from "./tensor.ts";

/**
 * Checks `input`, then returns `loop(x, y)`'s `y`, in the input's shape and dtype.
 *
 * @param loop Fills `y` from `x` (same length).
 */
export function mapElements(
  op: string,
  input: unknown,
  loop: (x: FloatArray, y: FloatArray) => void,
): Tensor {
  checkTensor(op, "input", input);
  const y = allocate(input.size, input.dtype);
  loop(input.data, y);
  return new Tensor(y, input.shape);
}

/**
 * Checks `saved[key]` (the forward's input or output) and `gradOutput`, then returns
 * `loop(s, g, dx)`'s `dx` as the input gradient, in the saved tensor's shape and dtype.
 *
 * @param loop Fills `dx` from the saved tensor's data `s` and the gradient `g` (same length).
 */
export function mapGradient<K extends "input" | "output">(
  op: string,
  gradOutput: unknown,
  saved: Record<K, Tensor>,
  key: K,
  loop: (s: FloatArray, g: FloatArray, dx: FloatArray) => void,
): { input: Tensor } {
  const tensor: unknown = saved?.[key];
  checkTensor(op, `saved.${key}`, tensor);
  checkGradOutput(op, gradOutput, key, tensor.shape);
  const dx = allocate(tensor.size, tensor.dtype);
  loop(tensor.data, gradOutput.data, dx);
  return { input: new Tensor(dx, tensor.shape) };
}
