/**
 * The ONNX side's tensor value: any supported element type, with the `dims` and optional `name`
 * of a `TensorProto`. Conversions to and from the layer {@linkcode Tensor} (float32/float64)
 * live here and only here.
 *
 * @module
 */

import { formatShape } from "../layers/_errors.ts";
import { shapeSize, Tensor } from "../layers/tensor.ts";
import {
  allocateOnnx,
  dtypeOfArray,
  ONNX_DATA_TYPE,
  type OnnxData,
  type OnnxDType,
} from "./dtype.ts";

/** Options of the {@linkcode OnnxTensor} constructor. */
export interface OnnxTensorOptions {
  /**
   * Element type. Needed only where the array kind is ambiguous: `"bool"` (Uint8Array) and
   * `"float16"`/`"bfloat16"` (Float32Array holding the widened values).
   * @default the type the array holds by default (Float32Array → "float32", ...)
   */
  dtype?: OnnxDType;
  /** The tensor's name (graph input/output or initializer name). @default undefined */
  name?: string;
}

/**
 * A dense row-major tensor as ONNX stores it. Its `shape` and `dtype` make it a `TensorLike` for
 * `testing/assert_tensor.ts`, so ONNX goldens and layer outputs compare directly.
 *
 * @example Wrap, convert and compare
 * ```ts
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const t = new OnnxTensor(new BigInt64Array([1n, -2n]), [2], { name: "ids" });
 * console.log(t.dtype, t.shape); // int64 [2]
 * const f = new OnnxTensor(new Float32Array([1, 2, 3, 4]), [2, 2]).toTensor();
 * if (f.get(1, 0) !== 3) throw new Error("row-major");
 * ```
 */
export class OnnxTensor {
  /** Element type. */
  readonly dtype: OnnxDType;
  /** Extent of each axis, outermost first (`[]` for a scalar). */
  readonly dims: readonly number[];
  /** Elements in row-major order; see {@linkcode OnnxData} for the array kind per dtype. */
  readonly data: OnnxData;
  /** Name from the file or given by the caller, if any. */
  readonly name: string | undefined;

  /**
   * Wraps (does not copy) a typed array.
   *
   * @param data Elements in row-major order.
   * @param dims Extent of each axis; the product must equal `data.length`.
   * @param options `dtype` (for bool, float16, bfloat16) and `name`.
   * @throws {TypeError} If `data` is not a typed array of the kind `dtype` needs, or `dims` is
   * not a list of non-negative integers matching the element count.
   * @throws {RangeError} If `dims` hold more than 2^31 − 1 elements.
   */
  constructor(data: OnnxData, dims: readonly number[], options: OnnxTensorOptions = {}) {
    const inferred = dtypeOfArray(data);
    if (inferred === undefined) {
      throw new TypeError(
        `Cannot create OnnxTensor: data must be a typed array, got ${describe(data)}`,
      );
    }
    const dtype = options.dtype ?? inferred;
    if (!Object.hasOwn(ONNX_DATA_TYPE, dtype)) {
      throw new TypeError(
        `Cannot create OnnxTensor: dtype must be one of ${
          Object.keys(ONNX_DATA_TYPE).join(", ")
        }, got ${JSON.stringify(dtype)}`,
      );
    }
    const kind = allocateOnnx(dtype, 0).constructor;
    if (!(data instanceof kind)) {
      throw new TypeError(
        `Cannot create OnnxTensor: dtype ${dtype} needs a ${kind.name}, got ${describe(data)}`,
      );
    }
    const size = shapeSize(dims, "OnnxTensor");
    if (size !== data.length) {
      throw new TypeError(
        `Cannot create OnnxTensor: dims ${formatShape(dims)} hold ${size} elements, ` +
          `but data has ${data.length}`,
      );
    }
    this.dtype = dtype;
    this.dims = Object.freeze([...dims]);
    this.data = data;
    this.name = options.name;
  }

  /** Same as `dims`, for `TensorLike`. */
  get shape(): readonly number[] {
    return this.dims;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /**
   * Renames without copying.
   *
   * @param name The new name.
   * @returns A tensor sharing this one's data under another name.
   */
  withName(name: string | undefined): OnnxTensor {
    return new OnnxTensor(this.data, this.dims, { dtype: this.dtype, name });
  }

  /**
   * Converts to the layer tensor type (float32/float64 only).
   *
   * @returns A layer tensor sharing this tensor's data.
   * @throws {TypeError} If the dtype is not float32 or float64.
   */
  toTensor(): Tensor {
    if (!(this.dtype === "float32" || this.dtype === "float64")) {
      throw new TypeError(
        `Cannot convert OnnxTensor${this.name ? ` ${this.name}` : ""} to Tensor: dtype must be ` +
          `float32 or float64, got ${this.dtype}`,
      );
    }
    return new Tensor(this.data as Float32Array | Float64Array, this.dims);
  }

  /**
   * Converts a layer tensor (float32/float64) to an ONNX tensor.
   *
   * @param tensor A layer tensor.
   * @param name Name to give the ONNX tensor.
   * @returns An ONNX tensor sharing `tensor`'s data.
   * @throws {TypeError} If `tensor` is not a {@linkcode Tensor}.
   */
  static fromTensor(tensor: Tensor, name?: string): OnnxTensor {
    if (!(tensor instanceof Tensor)) {
      throw new TypeError(
        `Cannot convert to OnnxTensor: tensor must be a Tensor, got ${describe(tensor)}`,
      );
    }
    return new OnnxTensor(tensor.data, tensor.shape, { name });
  }

  /**
   * Describes the tensor for messages and logs.
   *
   * @returns A short description such as `OnnxTensor(x: float32, [1, 3, 8, 8])`.
   */
  toString(): string {
    return `OnnxTensor(${this.name ? `${this.name}: ` : ""}${this.dtype}, ${
      formatShape(this.dims)
    })`;
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  return value.constructor?.name ?? "object";
}
