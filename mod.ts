/**
 * Convolutional-network layers for Deno with forward and backward passes, a definitional
 * reference implementation and a fast im2col + GEMM implementation.
 *
 * @module
 */

export * from "./layers/tensor.ts";
export * from "./layers/random.ts";
export * from "./layers/module.ts";
export type { Padding, PaddingMode, WindowOptions } from "./layers/_geometry.ts";
export type { Impl } from "./layers/_impl.ts";
