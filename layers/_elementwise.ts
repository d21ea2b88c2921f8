// The frame of relu, leakyRelu, sigmoid and tanh and their gradients: check the arguments at the
// boundary, allocate the result in the right dtype, let the op's loop fill it, wrap it.
//
// The op passes its whole loop, not a per-element function: one shared loop calling several ops'
// callbacks goes polymorphic in V8 and runs 3-4× slower; each op's own loop stays monomorphic.
// The ops split that loop further into a float32 and a float64 function, so each typed-array
// access site sees one array type. Their float32 loops select with integer masks on the bits
// (`bitsOf`) instead of branching: on data of random sign a branch per element mispredicts
// about half the time, which made a 221K-element ReLU take over 1 ms instead of ~0.2 ms.

import { checkGradOutput, checkTensor } from "./_checks.ts";
import { gemmBackend } from "./_gemm.ts";
import { allocate, type FloatArray, Tensor } from "./tensor.ts";

/**
 * Whether a float32 elementwise loop runs on the WebAssembly SIMD kernels
 * (./_wasm/elementwise_wasm.ts): with the GEMM backend's switch ("wasm" where SIMD validates, so
 * `setGemmBackend("ts")` selects the JavaScript loops everywhere), and from 1024 elements, below
 * which staging the chunk costs more than the loop.
 */
export function elementwiseOnWasm(x: Float32Array): boolean {
  return x.length >= 1024 && gemmBackend() === "wasm";
}

/** The bits of a float32 array's elements, as a view of the same memory. */
export function bitsOf(data: Float32Array): Int32Array {
  return new Int32Array(data.buffer, data.byteOffset, data.length);
}

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
