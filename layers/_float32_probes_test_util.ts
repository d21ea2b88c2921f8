// Float32 probes shared by the activation tests: special values and pseudo-random inputs for the
// branch-free float32 loops, and comparisons with the definition evaluated in float64.

import { gemmBackend, setGemmBackend } from "./_gemm.ts";

const SPECIALS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2,
  NaN,
  -NaN,
  Infinity,
  -Infinity,
  1e-45,
  -1e-45,
  3e38,
  -3e38,
];

/** The special values, then `count` random bit patterns (every sign, exponent, NaN payload). */
export function bitPatternProbes(count: number, seed: number): Float32Array {
  const bits = new Int32Array(SPECIALS.length + count);
  new Float32Array(bits.buffer).set(SPECIALS);
  let state = seed >>> 0;
  for (let i = SPECIALS.length; i < bits.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // LCG: no dependency on our Random
    bits[i] = state ^ (state >>> 13) << 19;
  }
  return new Float32Array(bits.buffer);
}

/** Special values, then 4000 magnitudes spread over 2^-60 .. 2^10 with random signs. */
export function binadeProbes(): Float32Array {
  const values = [
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    1e-30,
    -1e-30,
    2 ** -38,
    1e-10,
    2 ** -12,
    40,
    -40,
  ];
  let state = 12345;
  for (let i = 0; i < 4000; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const magnitude = 2 ** ((state % 7000) / 100 - 60);
    values.push(state & 1 ? magnitude : -magnitude);
  }
  return Float32Array.from(values);
}

/** Object.is on every element, except that any NaN matches any NaN. */
export function assertSameFloats(
  actual: Float32Array,
  expected: (i: number) => number,
  what: string,
): void {
  for (let i = 0; i < actual.length; i++) {
    const e = Math.fround(expected(i)), a = actual[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Object.is(a, e)) throw new Error(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}

/** Within one float32 ulp of the float64 definition rounded to float32, same sign; NaN for NaN. */
export function assertWithinUlp(
  actual: Float32Array,
  expected: (i: number) => number,
  what: string,
): void {
  for (let i = 0; i < actual.length; i++) {
    const e = Math.fround(expected(i)), a = actual[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (Object.is(a, e)) continue;
    const ulp = Math.max(Math.abs(Math.fround(e * (1 + 2 ** -23)) - e), 2 ** -149);
    if (!(Math.abs(a - e) <= ulp) || Math.sign(a) !== Math.sign(e)) {
      throw new Error(`${what}: element ${i} is ${a}, expected ${e}`);
    }
  }
}

/** The GEMM backends of this engine ("wasm" needs SIMD); float32 elementwise ops follow them. */
export function backends(): ("ts" | "wasm")[] {
  return gemmBackend() === "wasm" ? ["ts", "wasm"] : ["ts"];
}

/** Runs `fn` with the GEMM backend set to `backend`, then back to "auto". */
export function withBackend<T>(backend: "ts" | "wasm", fn: () => T): T {
  setGemmBackend(backend);
  try {
    return fn();
  } finally {
    setGemmBackend("auto");
  }
}

/**
 * Lengths at which the float32 elementwise ops take the SIMD kernels (from 1024 elements): one
 * chunk with a tail that is not a whole vector, and two chunks plus a tail.
 */
export const KERNEL_LENGTHS = [1051, 70001] as const;

/** `values` repeated to `n` elements, as float32. */
export function tiled(values: readonly number[], n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => values[i % values.length]);
}
