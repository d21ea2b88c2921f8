// Helpers shared by the pooling tests (not part of the package API).

import { assertTensorClose } from "../testing/assert_tensor.ts";
import type { Impl } from "./_impl.ts";
import { Random } from "./random.ts";
import { type DType, Tensor } from "./tensor.ts";

/** Both implementations: every case list runs against each. */
export const IMPLS: readonly Impl[] = ["reference", "fast"];

/** Both element types. */
export const DTYPES: readonly DType[] = ["float32", "float64"];

/** A tensor of the given values, shape and dtype. */
export function tensor(values: readonly number[], shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(
    dtype === "float64" ? Float64Array.from(values) : Float32Array.from(values),
    shape,
  );
}

/** Asserts `actual` has `shape`, its own dtype and values within `rtol` (0: exactly). */
export function assertValues(
  actual: Tensor,
  expected: readonly number[],
  shape: readonly number[],
  label: string,
  rtol = 0,
): void {
  assertTensorClose(
    actual,
    { shape, data: expected, dtype: actual.dtype },
    { rtol, atol: rtol === 0 ? 0 : 1e-12 },
    label,
  );
}

/** 0, 1, ..., n−1 in a seeded random order, times `scale`: distinct values, hence no ties. */
export function shuffledArange(shape: readonly number[], seed: number, scale = 0.1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float64Array.from({ length: n }, (_, i) => i * scale);
  new Random(seed).shuffle(values);
  return new Tensor(values, shape);
}

/** Seeded values; with `ties`, small integers so that windows hold equal maxima. */
export function randomInput(
  shape: readonly number[],
  rng: Random,
  dtype: DType,
  ties: boolean,
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from(
    { length: n },
    () => ties ? rng.integer(4) : rng.normal(),
  );
  return tensor(values, shape, dtype);
}
