// The one guarded decode every reader goes through: the schema walk in _wire.ts first (names the
// failing field, bounds memory), then protobufjs.

import { type _Fail, type _RootMessage, _validateWire } from "./_wire.ts";
import { _fail, type _Where } from "./_where.ts";
import { type ModelProtoMessage, onnx, type TensorProtoMessage } from "./_proto.ts";

/**
 * Checks `bytes` field by field against the ONNX schema (lengths, varints, wire types, nesting,
 * estimated decoded size), then decodes them with protobufjs.
 *
 * @param root The message type: `"ModelProto"` or `"TensorProto"`.
 * @param bytes The encoded message.
 * @param where File and label used in error messages.
 * @param maxBytes Largest estimated decoded size.
 * @returns The protobufjs message.
 * @throws {OnnxFormatError} Naming the file and the field if the bytes are not a valid message.
 */
export function _decodeChecked(
  root: "ModelProto",
  bytes: Uint8Array,
  where: _Where,
  maxBytes: number,
): ModelProtoMessage;
export function _decodeChecked(
  root: "TensorProto",
  bytes: Uint8Array,
  where: _Where,
  maxBytes: number,
): TensorProtoMessage;
export function _decodeChecked(
  root: _RootMessage,
  bytes: Uint8Array,
  where: _Where,
  maxBytes: number,
): ModelProtoMessage | TensorProtoMessage {
  const fail: _Fail = (field, problem) => _fail({ ...where, path: "" }, field, problem);
  _validateWire(bytes, root, maxBytes, fail);
  try {
    return root === "ModelProto" ? onnx.ModelProto.decode(bytes) : onnx.TensorProto.decode(bytes);
  } catch (error) {
    // The walk above should have caught everything protobufjs rejects; keep a clear message.
    const detail = error instanceof Error ? error.message : String(error);
    return _fail(where, "", `not a valid ${root} (${detail})`);
  }
}
