/**
 * ONNX element types this package reads and writes, and their `TensorProto.DataType` numbers.
 *
 * Names follow the layer `Tensor`'s (`"float32"`, `"float64"`) so a decoded ONNX tensor and a
 * layer output compare by dtype. `float16` and `bfloat16` values are held widened to float32.
 *
 * @module
 */

/** An ONNX element type this package supports. */
export type OnnxDType =
  | "float32"
  | "float64"
  | "float16"
  | "bfloat16"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool";

/**
 * The typed array holding an {@linkcode OnnxDType}'s elements: float32/float16/bfloat16 →
 * Float32Array, float64 → Float64Array, int64 → BigInt64Array, uint64 → BigUint64Array, bool and
 * uint8 → Uint8Array (bool as 0/1), and the matching array for the other integer types.
 */
export type OnnxData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** `TensorProto.DataType` number of each supported element type. */
export const ONNX_DATA_TYPE: Readonly<Record<OnnxDType, number>> = Object.freeze({
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
  bfloat16: 16,
});

// Every DataType number ONNX defines (onnx.proto up to UINT2/INT2), for error messages.
const NAMES = [
  "UNDEFINED",
  "FLOAT",
  "UINT8",
  "INT8",
  "UINT16",
  "INT16",
  "INT32",
  "INT64",
  "STRING",
  "BOOL",
  "FLOAT16",
  "DOUBLE",
  "UINT32",
  "UINT64",
  "COMPLEX64",
  "COMPLEX128",
  "BFLOAT16",
  "FLOAT8E4M3FN",
  "FLOAT8E4M3FNUZ",
  "FLOAT8E5M2",
  "FLOAT8E5M2FNUZ",
  "UINT4",
  "INT4",
  "FLOAT4E2M1",
  "FLOAT8E8M0",
  "UINT2",
  "INT2",
];

const BY_CODE = new Map<number, OnnxDType>(
  Object.entries(ONNX_DATA_TYPE).map(([name, code]) => [code, name as OnnxDType]),
);

/**
 * Maps a `TensorProto.DataType` number to a supported element type.
 *
 * @param code A `TensorProto.DataType` number.
 * @returns The supported element type with that number, or `undefined`.
 *
 * @example Look up a data type
 * ```ts
 * import { dtypeFromCode } from "./dtype.ts";
 * if (dtypeFromCode(7) !== "int64" || dtypeFromCode(8) !== undefined) throw new Error();
 * ```
 */
export function dtypeFromCode(code: number): OnnxDType | undefined {
  return BY_CODE.get(code);
}

/**
 * Names any ONNX data type number, supported or not (for messages).
 *
 * @param code A `TensorProto.DataType` number.
 * @returns ONNX's name for it (`"FLOAT"`, `"STRING"`, ...), or `undefined` if ONNX defines none.
 *
 * @example Name a data type
 * ```ts
 * import { dataTypeName } from "./dtype.ts";
 * if (dataTypeName(8) !== "STRING" || dataTypeName(99) !== undefined) throw new Error();
 * ```
 */
export function dataTypeName(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 ? NAMES[code] : undefined;
}

/**
 * Size of one element in `raw_data`.
 *
 * @param dtype An element type.
 * @returns Bytes per element in ONNX `raw_data` (bool is one byte).
 *
 * @example Element sizes
 * ```ts
 * import { itemSize } from "./dtype.ts";
 * if (itemSize("float16") !== 2 || itemSize("int64") !== 8) throw new Error();
 * ```
 */
export function itemSize(dtype: OnnxDType): number {
  switch (dtype) {
    case "int8":
    case "uint8":
    case "bool":
      return 1;
    case "int16":
    case "uint16":
    case "float16":
    case "bfloat16":
      return 2;
    case "float32":
    case "int32":
    case "uint32":
      return 4;
    case "float64":
    case "int64":
    case "uint64":
      return 8;
  }
}

/**
 * Allocates the typed array that holds `size` elements of `dtype`.
 *
 * @param dtype An element type.
 * @param size Number of elements.
 * @returns A zero-filled typed array of the kind that holds `dtype` (see {@linkcode OnnxData}).
 *
 * @example Allocate
 * ```ts
 * import { allocateOnnx } from "./dtype.ts";
 * if (!(allocateOnnx("int64", 2) instanceof BigInt64Array)) throw new Error();
 * ```
 */
export function allocateOnnx(dtype: OnnxDType, size: number): OnnxData {
  switch (dtype) {
    case "float32":
    case "float16":
    case "bfloat16":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int8":
      return new Int8Array(size);
    case "int16":
      return new Int16Array(size);
    case "int32":
      return new Int32Array(size);
    case "int64":
      return new BigInt64Array(size);
    case "uint8":
    case "bool":
      return new Uint8Array(size);
    case "uint16":
      return new Uint16Array(size);
    case "uint32":
      return new Uint32Array(size);
    case "uint64":
      return new BigUint64Array(size);
  }
}

/**
 * Infers an element type from a typed array's kind.
 *
 * @param data A typed array.
 * @returns The element type a typed array of this kind holds by default (Uint8Array → uint8,
 * Float32Array → float32), or `undefined` for other objects.
 *
 * @example Infer a dtype
 * ```ts
 * import { dtypeOfArray } from "./dtype.ts";
 * if (dtypeOfArray(new BigInt64Array(1)) !== "int64") throw new Error();
 * ```
 */
export function dtypeOfArray(data: unknown): OnnxDType | undefined {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof BigUint64Array) return "uint64";
  return undefined;
}
