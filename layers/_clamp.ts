// The clamp family's kernels, shared by clamp (torch.clamp / ONNX Clip), hardtanh and relu6:
// the forward `min(max(x, min), max)` and the two gradient rules (closed interval for clamp,
// open interval for hardtanh/relu6), each split into a float32 and a float64 loop so every
// typed-array access site stays monomorphic (see _elementwise.ts).

import { elementwiseOnWasm, mapElements, mapGradient } from "./_elementwise.ts";
import { clampBoundSumsWasm, clampGradientWasm, clampWasm } from "./_wasm/elementwise_wasm.ts";
import { formatValue, rangeError, typeError } from "./_errors.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

/** Two optional bounds as numbers, ±Infinity where absent; throws naming a bad bound. */
export function checkBounds(
  op: string,
  values: readonly [unknown, unknown],
  names: readonly [string, string],
): [number, number] {
  return values.map((v, k) => {
    if (v === undefined) return k === 0 ? -Infinity : Infinity;
    if (typeof v !== "number") typeError(op, `${names[k]} must be a number, got ${typeof v}`);
    if (Number.isNaN(v)) rangeError(op, `${names[k]} must not be NaN, got ${formatValue(v)}`);
    return v;
  }) as [number, number];
}

/**
 * `v = x < min ? min : x; y = v > max ? max : v` (NaN and −0 pass; min > max gives max), named
 * `op` in argument errors. Absent bounds are ±Infinity: the comparisons then never hold.
 */
export function clampTo(op: string, input: unknown, min: number, max: number): Tensor {
  return mapElements(op, input, (x, y) => {
    if (x instanceof Float32Array && y instanceof Float32Array) clamp32(x, y, min, max);
    else clamp64(x, y, min, max);
  });
}

/** `dx = min ≤ x ≤ max ? g : 0` (torch.clamp: 0 at NaN and when min > max). */
export function closedIntervalGradient(
  op: string,
  gradOutput: unknown,
  saved: { input: Tensor },
  min: number,
  max: number,
): { input: Tensor } {
  return mapGradient(op, gradOutput, saved, "input", (x, g, dx) => {
    if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      closed32(x, g, dx, min, max);
    } else {
      closed64(x, g, dx, min, max);
    }
  });
}

/**
 * `dx = min < x < max ? g : 0`: PyTorch 1.13's vectorized hardtanh_backward, 0 at the bounds and
 * at NaN (its scalar loop, used only for a tensor's last few elements, passes g at NaN).
 */
export function openIntervalGradient(
  op: string,
  gradOutput: unknown,
  saved: { input: Tensor },
  min: number,
  max: number,
): { input: Tensor } {
  return mapGradient(op, gradOutput, saved, "input", (x, g, dx) => {
    if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      open32(x, g, dx, min, max);
    } else {
      open64(x, g, dx, min, max);
    }
  });
}

/**
 * torch.clamp's bound gradients, summed in float64: `dmin = Σ g·[x < min and min < max]`,
 * `dmax = Σ g·[x > max or max < min]`; with one bound only, `[x < min]` and `[x > max]`.
 */
export function boundGradients(
  x: FloatArray,
  g: FloatArray,
  min: number,
  max: number,
): { min: number; max: number } {
  const hasMin = min !== -Infinity, hasMax = max !== Infinity;
  const minTaken = hasMin && (!hasMax || min < max);
  let dMin = 0, dMax = 0;
  for (let i = 0; i < x.length; i++) {
    if (hasMax && (x[i] > max || max < min)) dMax += g[i];
    else if (minTaken && x[i] < min) dMin += g[i];
  }
  return { min: dMin, max: dMax };
}

/**
 * The bound gradients that go with {@linkcode openIntervalGradient} (ONNX Clip with bounds as
 * graph values): each element's gradient goes to exactly one of x, min and max, the bound taking
 * it where x reaches it (a NaN element's goes nowhere):
 * `dmax = Σ g·[x ≥ max, or min > max and x is not NaN]` (min > max outputs max everywhere), else
 * `dmin = Σ g·[x ≤ min]`. Summed in float64.
 */
export function openBoundGradients(
  x: FloatArray,
  g: FloatArray,
  min: number,
  max: number,
): { min: number; max: number } {
  if (x instanceof Float32Array && g instanceof Float32Array && elementwiseOnWasm(x)) {
    return clampBoundSumsWasm(x, g, Math.fround(min), Math.fround(max));
  }
  const hasMin = min !== -Infinity, hasMax = max !== Infinity;
  const crossed = hasMin && hasMax && max < min;
  let dMin = 0, dMax = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (hasMax && (v >= max || (crossed && v === v))) dMax += g[i];
    else if (hasMin && v <= min) dMin += g[i];
  }
  return { min: dMin, max: dMax };
}

function clamp64(x: FloatArray, y: FloatArray, min: number, max: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] < min ? min : x[i];
    y[i] = v > max ? max : v;
  }
}

// The float32 loops compare with the bounds rounded to float32, as PyTorch does (it casts the
// scalar bounds to the tensor's type): hardtanh(x, -0.5, 0.7)'s gradient is 0 at x = 0.7f, which
// lies below the double 0.7, and clamp(x, max=0.2)'s is 1 at x = 0.2f, above the double 0.2 —
// both printed by PyTorch 1.13. (The forward's values come out the same either way.) Long
// tensors go to the SIMD kernels, which compare the same float32 bounds lane by lane.
function clamp32(x: Float32Array, y: Float32Array, minBound: number, maxBound: number): void {
  const min = Math.fround(minBound), max = Math.fround(maxBound);
  if (elementwiseOnWasm(x)) return clampWasm(x, y, min, max);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] < min ? min : x[i];
    y[i] = v > max ? max : v;
  }
}

function closed64(x: FloatArray, g: FloatArray, dx: FloatArray, min: number, max: number): void {
  for (let i = 0; i < x.length; i++) dx[i] = min <= x[i] && x[i] <= max ? g[i] : 0;
}

function closed32(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  minBound: number,
  maxBound: number,
): void {
  const min = Math.fround(minBound), max = Math.fround(maxBound);
  if (elementwiseOnWasm(x)) return clampGradientWasm(x, g, dx, min, max, true);
  for (let i = 0; i < x.length; i++) dx[i] = min <= x[i] && x[i] <= max ? g[i] : 0;
}

function open64(x: FloatArray, g: FloatArray, dx: FloatArray, min: number, max: number): void {
  for (let i = 0; i < x.length; i++) dx[i] = min < x[i] && x[i] < max ? g[i] : 0;
}

function open32(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  minBound: number,
  maxBound: number,
): void {
  const min = Math.fround(minBound), max = Math.fround(maxBound);
  if (elementwiseOnWasm(x)) return clampGradientWasm(x, g, dx, min, max, false);
  for (let i = 0; i < x.length; i++) dx[i] = min < x[i] && x[i] < max ? g[i] : 0;
}
