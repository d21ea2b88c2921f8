// Access to the ONNX protobuf schema: the protobufjs static code of `npm:onnx-proto@8.0.1`
// (ONNX 1.10 `onnx.proto`; newer fields are skipped as unknown), and the int64 conversions
// (protobufjs gives int64 fields as `Long` objects and accepts `{ low, high }` when encoding).
//
// Private to the package: its types come from the npm package's declarations, which are not
// part of our documented API. Readers go through _decode.ts; tests and fixture builders may use
// `onnx.TensorProto.encode(...)` from here to build raw (even invalid) messages.

import onnxProto from "onnx-proto";
import type { onnx as OnnxSchema } from "onnx-proto";

/**
 * The generated protobufjs classes: `onnx.ModelProto`, `onnx.TensorProto`, ... with `encode`,
 * `decode`, `create`. Decoding through them directly skips this package's safety checks.
 *
 * @example Build a TensorProto with typed fields
 * ```ts
 * import { onnx } from "./_proto.ts";
 * const bytes = onnx.TensorProto.encode({ dims: [2], dataType: 1, floatData: [1, 2] }).finish();
 * if (bytes.length === 0) throw new Error("empty");
 * ```
 */
export const onnx: typeof onnxProto.onnx = onnxProto.onnx;

/**
 * The schema's type namespace (`OnnxSchema.ITensorProto`, `OnnxSchema.IModelProto`, ...) for
 * typing raw message objects.
 */
export type { OnnxSchema };

/** A decoded `ModelProto` (protobufjs message object). */
export type ModelProtoMessage = OnnxSchema.ModelProto;
/** A decoded `TensorProto` (protobufjs message object). */
export type TensorProtoMessage = OnnxSchema.TensorProto;
/** An int64 as protobufjs gives it: a `Long`-like object, or a number. */
export type Int64Value = number | { low: number; high: number; unsigned?: boolean };

/**
 * @param value An int64 field value from protobufjs.
 * @returns Its exact value as a bigint (signed, or unsigned if the Long says so).
 * @throws {TypeError} If `value` is neither an integer number nor a Long-like object.
 *
 * @example Exact int64
 * ```ts
 * import { int64ToBigInt } from "./_proto.ts";
 * if (int64ToBigInt({ low: 0, high: -2147483648 }) !== -(2n ** 63n)) throw new Error();
 * ```
 */
export function int64ToBigInt(value: Int64Value): bigint {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      throw new TypeError(`Cannot convert int64: ${value} is not an integer`);
    }
    return BigInt(value);
  }
  if (value === null || typeof value !== "object") {
    throw new TypeError(`Cannot convert int64: expected a number or Long, got ${typeof value}`);
  }
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return value.unsigned ? bits : BigInt.asIntN(64, bits);
}

/**
 * @param value A bigint in the int64 (or, for uint64 fields, uint64) range.
 * @returns The `{ low, high }` pair protobufjs writes for int64 fields.
 * @throws {RangeError} If `value` is outside [−2^63, 2^64).
 *
 * @example Write an int64 exactly
 * ```ts
 * import { bigIntToInt64, int64ToBigInt } from "./_proto.ts";
 * const max = 2n ** 63n - 1n;
 * if (int64ToBigInt(bigIntToInt64(max)) !== max) throw new Error();
 * ```
 */
export function bigIntToInt64(value: bigint): { low: number; high: number } {
  if (value < -(2n ** 63n) || value >= 2n ** 64n) {
    throw new RangeError(`Cannot convert to int64: ${value} is out of range`);
  }
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0 };
}
