// The one switch between the two implementations of convolution, transposed convolution and
// pooling. Every op that has both reads its `impl` option through `resolveImpl`, so the choice is
// explicit at each call and there is no hidden global state.

import { formatValue } from "./_errors.ts";

/**
 * Which implementation computes convolution, transposed convolution and pooling:
 * - `"reference"`: definitional loop nests, accumulating in float64;
 * - `"fast"`: im2col/col2im + blocked GEMM on float32 (the default).
 */
export type Impl = "reference" | "fast";

/** The implementation used when an op's `impl` option is omitted. */
export const DEFAULT_IMPL: Impl = "fast";

/** Validates an `impl` option and applies the default. */
export function resolveImpl(op: string, impl: Impl | undefined): Impl {
  if (impl === undefined) return DEFAULT_IMPL;
  if (impl !== "reference" && impl !== "fast") {
    throw new TypeError(
      `Cannot compute ${op}: impl must be "reference" or "fast", got ${formatValue(impl)}`,
    );
  }
  return impl;
}
