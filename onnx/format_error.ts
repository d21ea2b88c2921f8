/**
 * Errors for ONNX files whose content cannot be used.
 *
 * Arguments of the wrong type or shape passed by a caller throw `TypeError`/`RangeError` as
 * everywhere in the package. A file (or byte buffer) whose *content* is corrupt — truncated,
 * garbage, a claimed size that does not match its bytes, an unknown data type, absurd dims —
 * throws {@linkcode OnnxFormatError}; valid ONNX that this package does not handle (external
 * data, string tensors, graph attributes, ...) throws its subclass
 * {@linkcode OnnxUnsupportedError}. Both name the file and the field, so a conformance runner can
 * report a corrupt golden (fail) apart from an unsupported one (skip).
 *
 * @module
 */

/**
 * The content of an ONNX file or buffer is corrupt or inconsistent.
 *
 * The message reads `Cannot read <what> from <file>: <field>: <problem>`.
 *
 * @example Catch and inspect
 * ```ts
 * import { OnnxFormatError } from "./format_error.ts";
 * import { decodeTensor } from "./tensor_proto.ts";
 * try {
 *   decodeTensor(new Uint8Array([0x0a, 0x05, 0x01]), "x.pb");
 * } catch (e) {
 *   if (!(e instanceof OnnxFormatError) || e.file !== "x.pb") throw e;
 *   console.log(e.field, e.message);
 * }
 * ```
 */
export class OnnxFormatError extends Error {
  /** The file (or the source label given for a byte buffer). */
  readonly file: string;
  /** Path of the offending field, like `graph.initializer[1].raw_data` (empty if unknown). */
  readonly field: string;

  /**
   * Creates the error; readers build the message, this only stores it.
   *
   * @param file The file or source label.
   * @param field Path of the offending field.
   * @param message The full message.
   */
  constructor(file: string, field: string, message: string) {
    super(message);
    this.name = "OnnxFormatError";
    this.file = file;
    this.field = field;
  }
}

/**
 * The ONNX content is valid but uses a feature this package does not support (external data,
 * string or complex tensors, graph-valued attributes, ...).
 *
 * @example Tell unsupported apart from corrupt
 * ```ts
 * import { OnnxFormatError, OnnxUnsupportedError } from "./format_error.ts";
 * const e = new OnnxUnsupportedError("m.onnx", "graph.node[0].attribute[0]", "graphs unsupported");
 * if (!(e instanceof OnnxFormatError)) throw new Error("subclass");
 * ```
 */
export class OnnxUnsupportedError extends OnnxFormatError {
  /**
   * Creates the error; readers build the message, this only stores it.
   *
   * @param file The file or source label.
   * @param field Path of the unsupported field.
   * @param message The full message.
   */
  constructor(file: string, field: string, message: string) {
    super(file, field, message);
    this.name = "OnnxUnsupportedError";
  }
}
