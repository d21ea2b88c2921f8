/**
 * Read and write single ONNX `TensorProto` messages: the `.pb` files of the ONNX backend tests
 * (`test_data_set_0/input_0.pb`) and of our golden cases.
 *
 * Reading accepts `raw_data` (little-endian, at any byte offset) and the typed fields
 * (`float_data`, `double_data`, `int32_data` — also used for bool, int8/16, uint8/16 and the
 * float16/bfloat16 bit patterns — `int64_data` read exactly as bigint, `uint64_data`). Writing
 * always uses `raw_data` (write the bytes with `Deno.writeFile`). Corrupt content throws `OnnxFormatError` naming the file and
 * field, before anything large is allocated; valid but unsupported content (string or complex
 * tensors, external data, segments) throws `OnnxUnsupportedError`.
 *
 * @module
 */

import { _decodeChecked } from "./_decode.ts";
import { _tensorFromProto, _tensorToProto } from "./_tensor_codec.ts";
import { _budget, _pathOf, _readBounded, type _Where } from "./_where.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { onnx } from "./_proto.ts";

/** Options for reading ONNX files. */
export interface ReadOptions {
  /**
   * Memory budget in bytes: the largest file read, the largest tensor allocated, and the largest
   * estimated size of the decoded protobuf message. Anything larger is refused up front.
   * @default 1073741824 (1 GiB)
   */
  maxBytes?: number;
}

/**
 * Decodes one `TensorProto`.
 *
 * @param bytes The encoded message.
 * @param source File name or label used in error messages.
 * @param options `maxBytes`.
 * @returns The tensor, named as in the message (or unnamed).
 * @throws {OnnxFormatError} If the bytes are truncated or garbage, a size does not match the data,
 * the data type is unknown, or dims are negative or absurd.
 * @throws {OnnxUnsupportedError} For string/complex/8-bit-float tensors, external data, segments.
 * @throws {TypeError} If `bytes` is not a Uint8Array.
 *
 * @example Round trip
 * ```ts
 * import { decodeTensor, encodeTensor } from "./tensor_proto.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const bytes = encodeTensor(new OnnxTensor(new Int32Array([1, 2, 3]), [3], { name: "x" }));
 * const t = decodeTensor(bytes, "x.pb");
 * console.log(t.name, t.dtype, t.dims, t.data); // x int32 [3] Int32Array [1, 2, 3]
 * ```
 */
export function decodeTensor(
  bytes: Uint8Array,
  source = "<bytes>",
  options: ReadOptions = {},
): OnnxTensor {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot decode tensor from ${source}: bytes must be a Uint8Array, got ${typeof bytes}`,
    );
  }
  const maxBytes = _budget(options.maxBytes, `decode tensor from ${source}`);
  const where: _Where = { file: source, what: "tensor", path: "" };
  const proto = _decodeChecked("TensorProto", bytes, where, maxBytes);
  const named: _Where = proto.name ? { ...where, what: `tensor ${proto.name}` } : where;
  return _tensorFromProto(proto, named, maxBytes);
}

/**
 * Reads a `.pb` file holding one `TensorProto`.
 *
 * @param path The file (a path, or a `file:` URL).
 * @param options `maxBytes`; a larger file is refused before it is read.
 * @returns The tensor.
 * @throws {OnnxFormatError} See {@linkcode decodeTensor}; also for a file larger than `maxBytes`.
 * @throws {OnnxUnsupportedError} See {@linkcode decodeTensor}.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 *
 * @example Read a test input
 * ```ts
 * import { readTensorFile } from "./tensor_proto.ts";
 * const x = await readTensorFile(new URL("./testdata/relu/test_data_set_0/input_0.pb", import.meta.url));
 * console.log(x.name, x.dtype, x.dims, x.data); // x float32 [2, 2] Float32Array [-1, 2, -3, 4]
 * ```
 */
export async function readTensorFile(
  path: string | URL,
  options: ReadOptions = {},
): Promise<OnnxTensor> {
  const file = _pathOf(path, "read tensor");
  const maxBytes = _budget(options.maxBytes, `read tensor from ${file}`);
  const bytes = await _readBounded(file, "tensor", maxBytes);
  return decodeTensor(bytes, file, { maxBytes });
}

/**
 * Encodes a tensor as a `TensorProto` with `dims`, `data_type`, `raw_data` (little-endian) and
 * its `name` if it has one. float16/bfloat16 values are rounded to nearest-even.
 *
 * @param tensor The tensor.
 * @returns The encoded message.
 * @throws {TypeError} If `tensor` is not an {@linkcode OnnxTensor}.
 *
 * @example Encode a scalar
 * ```ts
 * import { encodeTensor } from "./tensor_proto.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const bytes = encodeTensor(new OnnxTensor(new BigInt64Array([-1n]), []));
 * console.log(bytes.length); // 12: data_type (2 bytes) + raw_data (10 bytes)
 * ```
 */
export function encodeTensor(tensor: OnnxTensor): Uint8Array {
  if (!(tensor instanceof OnnxTensor)) {
    throw new TypeError(`Cannot encode tensor: expected an OnnxTensor, got ${typeof tensor}`);
  }
  // protobufjs returns a Node Buffer under Deno; hand out a plain Uint8Array copy.
  return new Uint8Array(onnx.TensorProto.encode(_tensorToProto(tensor)).finish());
}
