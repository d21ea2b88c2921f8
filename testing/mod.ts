/**
 * Test helpers: the tensor assertion used across the project and finite-difference gradients.
 *
 * @module
 */

export * from "./assert_tensor.ts";
export * from "./gradcheck.ts";
