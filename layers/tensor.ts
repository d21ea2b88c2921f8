/**
 * The package's tensor: a dense, row-major float32 (or float64) array with a shape.
 *
 * Layouts follow PyTorch and ONNX: `[N, C, L]`, `[N, C, H, W]`, `[N, C, D, H, W]`.
 * It is deliberately small — the layers need shape, data, a few constructors and seeded random
 * fills, not a general array library.
 *
 * @module
 */

import { formatShape } from "./_errors.ts";
import { getMemoryBudget, MAX_ELEMENTS } from "./limits.ts";
import { Random } from "./random.ts";

/** Element type of a {@linkcode Tensor}: float32 for work, float64 for exact checks. */
export type DType = "float32" | "float64";

/** The typed array behind a {@linkcode Tensor}. */
export type FloatArray = Float32Array | Float64Array;

/** Largest element count a tensor may have (2^31 - 1), so a bad shape can't allocate gigabytes. */
export const MAX_TENSOR_SIZE: number = MAX_ELEMENTS;

/** Options for the seeded random constructors. */
export interface RandomOptions {
  /** Seed of the generator. @default 0 */
  seed?: number;
  /** Element type. @default "float32" */
  dtype?: DType;
}

/**
 * A dense row-major tensor of float32 (default) or float64 values.
 *
 * @example Build, reshape and read
 * ```ts
 * import { Tensor } from "./tensor.ts";
 * const x = Tensor.arange([1, 1, 2, 3]);
 * console.log(x.shape, x.data); // [1, 1, 2, 3] Float32Array [0, 1, 2, 3, 4, 5]
 * const y = x.reshape([2, 3]);
 * if (y.get(1, 2) !== 5) throw new Error("row-major");
 * ```
 */
export class Tensor {
  /** Extent of each axis, outermost first. */
  readonly shape: readonly number[];
  /** The elements in row-major order; length is the product of `shape`. */
  readonly data: FloatArray;

  /**
   * Wraps (does not copy) a typed array, or copies a plain number array into a new float32 array.
   *
   * @param data Elements in row-major order.
   * @param shape Extent of each axis; the product must equal `data.length`.
   * @throws {TypeError} If the shape is not a list of non-negative integers or does not match the
   * number of elements.
   */
  constructor(data: FloatArray | ArrayLike<number>, shape: readonly number[]) {
    const size = shapeSize(shape, "Tensor");
    const array = data instanceof Float32Array || data instanceof Float64Array
      ? data
      : Float32Array.from(data);
    if (array.length !== size) {
      throw new TypeError(
        `Cannot create Tensor: shape ${formatShape(shape)} holds ${size} elements, ` +
          `but data has ${array.length}`,
      );
    }
    this.shape = Object.freeze([...shape]);
    this.data = array;
  }

  /** Element type, from the backing array. */
  get dtype(): DType {
    return this.data instanceof Float64Array ? "float64" : "float32";
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * Creates a tensor filled with zeros.
   *
   * @param shape Extent of each axis.
   * @param dtype Element type. @default "float32"
   * @returns A tensor of zeros.
   */
  static zeros(shape: readonly number[], dtype: DType = "float32"): Tensor {
    return new Tensor(allocate(shapeSize(shape, "Tensor.zeros"), dtype), shape);
  }

  /**
   * Creates a tensor filled with one value.
   *
   * @param shape Extent of each axis.
   * @param value The fill value.
   * @param dtype Element type. @default "float32"
   * @returns A tensor with every element equal to `value`.
   */
  static full(shape: readonly number[], value: number, dtype: DType = "float32"): Tensor {
    const data = allocate(shapeSize(shape, "Tensor.full"), dtype);
    data.fill(value);
    return new Tensor(data, shape);
  }

  /**
   * Creates a tensor holding an arithmetic sequence in row-major order.
   *
   * @param shape Extent of each axis.
   * @param options `start` and `step` of the sequence and `dtype`.
   * @returns A tensor holding start, start + step, ... in row-major order.
   */
  static arange(
    shape: readonly number[],
    options: { start?: number; step?: number; dtype?: DType } = {},
  ): Tensor {
    const { start = 0, step = 1, dtype = "float32" } = options;
    const data = allocate(shapeSize(shape, "Tensor.arange"), dtype);
    for (let i = 0; i < data.length; i++) data[i] = start + step * i;
    return new Tensor(data, shape);
  }

  /**
   * Creates a tensor of seeded standard-normal (or scaled) values.
   *
   * @param shape Extent of each axis.
   * @param options `mean`, `std`, `seed` and `dtype`.
   * @returns A tensor of normally distributed values from a seeded generator.
   */
  static randn(
    shape: readonly number[],
    options: RandomOptions & { mean?: number; std?: number } = {},
  ): Tensor {
    const { seed = 0, dtype = "float32", mean = 0, std = 1 } = options;
    const rng = new Random(seed);
    const data = allocate(shapeSize(shape, "Tensor.randn"), dtype);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal(mean, std);
    return new Tensor(data, shape);
  }

  /**
   * Creates a tensor of seeded uniform values.
   *
   * @param shape Extent of each axis.
   * @param options `low` (inclusive), `high` (exclusive), `seed` and `dtype`.
   * @returns A tensor of uniformly distributed values from a seeded generator.
   */
  static uniform(
    shape: readonly number[],
    options: RandomOptions & { low?: number; high?: number } = {},
  ): Tensor {
    const { seed = 0, dtype = "float32", low = 0, high = 1 } = options;
    const rng = new Random(seed);
    const data = allocate(shapeSize(shape, "Tensor.uniform"), dtype);
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(low, high);
    return new Tensor(data, shape);
  }

  /**
   * Views the same data with another shape.
   *
   * @param shape The new shape; one entry may be -1 to be inferred.
   * @returns A tensor sharing this tensor's data with a new shape.
   * @throws {TypeError} If the element count differs.
   */
  reshape(shape: readonly number[]): Tensor {
    const inferred = [...shape];
    const unknown = inferred.indexOf(-1);
    if (unknown >= 0) {
      const known = inferred.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
      if (known > 0 && this.size % known === 0) inferred[unknown] = this.size / known;
    }
    if (shapeSize(inferred, "Tensor.reshape") !== this.size) {
      throw new TypeError(
        `Cannot reshape tensor of shape ${formatShape(this.shape)} (${this.size} elements) ` +
          `to ${formatShape(shape)}`,
      );
    }
    return new Tensor(this.data, inferred);
  }

  /**
   * Copies the tensor.
   *
   * @returns A deep copy of this tensor.
   */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /**
   * Converts the tensor to another element type.
   *
   * @param dtype The element type of the copy.
   * @returns A copy converted to `dtype` (this tensor itself when the type already matches).
   */
  astype(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const data = allocate(this.size, dtype);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  /**
   * Reads one element by its multi-index.
   *
   * @param index One integer per axis.
   * @returns The element at `index`.
   * @throws {RangeError} If the index has the wrong length or is out of bounds.
   */
  get(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new RangeError(
        `Cannot read tensor of shape ${formatShape(this.shape)}: index ${
          formatShape(index)
        } must have ${this.rank} entries`,
      );
    }
    let offset = 0;
    for (let axis = 0; axis < this.rank; axis++) {
      const i = index[axis], n = this.shape[axis];
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(
          `Cannot read tensor of shape ${formatShape(this.shape)}: index ${
            formatShape(index)
          } is out of bounds on axis ${axis}`,
        );
      }
      offset = offset * n + i;
    }
    return this.data[offset];
  }

  /**
   * Describes the tensor.
   *
   * @returns A short description such as `Tensor(float32, [1, 3, 8, 8])`.
   */
  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }
}

/**
 * Allocates a zero-filled typed array of the given element type.
 *
 * @param size Number of elements.
 * @param dtype Element type.
 * @returns A zero-filled typed array of the given type.
 * @throws {RangeError} If `size` is not a safe integer from 0 to `MAX_ELEMENTS` or its bytes
 * exceed the memory budget (`setMemoryBudget` in ./limits.ts).
 */
export function allocate(size: number, dtype: DType): FloatArray {
  // The last line of defence: boundary checks name the argument; this names only the size.
  const bytes = size * (dtype === "float64" ? 8 : 4);
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ELEMENTS || bytes > getMemoryBudget()) {
    throw new RangeError(
      `Cannot allocate a ${dtype} tensor of ${size} elements: the limit is ${MAX_ELEMENTS} ` +
        `elements and ${getMemoryBudget()} bytes (see setMemoryBudget)`,
    );
  }
  return dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
}

/**
 * Checks a shape and returns its element count.
 *
 * @param shape A candidate shape.
 * @param what Who is asking, for the error message.
 * @returns The product of the shape, after checking every entry is a non-negative integer and the
 * product stays below {@linkcode MAX_TENSOR_SIZE}.
 * @throws {TypeError} If the shape is not an array of non-negative integers.
 * @throws {RangeError} If the product exceeds {@linkcode MAX_TENSOR_SIZE}.
 */
export function shapeSize(shape: readonly number[], what: string): number {
  if (!Array.isArray(shape)) {
    throw new TypeError(`Cannot create ${what}: shape must be an array, got ${typeof shape}`);
  }
  let size = 1;
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new TypeError(
        `Cannot create ${what}: shape must contain non-negative integers, got ${
          formatShape(shape)
        }`,
      );
    }
    size *= d;
  }
  if (size > MAX_TENSOR_SIZE) {
    throw new RangeError(
      `Cannot create ${what}: shape ${formatShape(shape)} holds ${size} elements, ` +
        `more than the limit ${MAX_TENSOR_SIZE}`,
    );
  }
  return size;
}
