/**
 * Read and write ONNX models (`ModelProto`) as plain, typed descriptions.
 *
 * {@linkcode decodeModel} turns a `.onnx` file into an {@linkcode OnnxModel}: IR version, opset
 * imports, and the graph's nodes (attributes decoded to plain values), initializers (as
 * `OnnxTensor`s), inputs and outputs (element type and shape). {@linkcode encodeModel} does the
 * reverse from an {@linkcode OnnxModelInit}, which every decoded `OnnxModel` also satisfies.
 *
 * The default domain is written `""`; a file's `"ai.onnx"` is read as `""` too.
 *
 * @module
 */

import { _decodeChecked } from "./_decode.ts";
import { _modelFromProto } from "./_model_decode.ts";
import { _modelToProto } from "./_model_encode.ts";
import { _budget, _pathOf, _readBounded, type _Where } from "./_where.ts";
import type { OnnxDType } from "./dtype.ts";
import type { OnnxTensor } from "./onnx_tensor.ts";
import { onnx } from "./_proto.ts";
import type { ReadOptions } from "./tensor_proto.ts";

/**
 * A node attribute. `int`/`ints` hold JS numbers (a value beyond ±2^53 is refused when reading);
 * `float`/`floats` hold the float32 value exactly; `unsupported` marks attributes the package
 * reads past but cannot use (graphs, sparse tensors, type protos, references inside functions).
 */
export type OnnxAttribute =
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "tensor"; readonly value: OnnxTensor }
  | { readonly type: "floats"; readonly value: readonly number[] }
  | { readonly type: "ints"; readonly value: readonly number[] }
  | { readonly type: "strings"; readonly value: readonly string[] }
  | { readonly type: "tensors"; readonly value: readonly OnnxTensor[] }
  | {
    readonly type: "unsupported";
    /** ONNX's attribute type, like `"GRAPH"` or `"SPARSE_TENSOR"`, or `"REF"`. */
    readonly kind: string;
  };

/**
 * An attribute value when building a model: an explicit {@linkcode OnnxAttribute}, or a
 * shorthand — an integer → INT, an array of integers → INTS (also `[]`), a string → STRING, an
 * array of strings → STRINGS, an `OnnxTensor` → TENSOR. Floats need the explicit form
 * `{ type: "float", value: 0.5 }` so a float attribute that happens to be whole (1.0) is not
 * written as an INT.
 */
export type AttributeInput =
  | OnnxAttribute
  | number
  | string
  | readonly number[]
  | readonly string[]
  | OnnxTensor;

/** One axis of a value's shape: a size, a symbolic name (`dim_param`), or `null` if unknown. */
export type OnnxDim = number | string | null;

/** What kind of value a graph input/output is (the `TypeProto` case). */
export type OnnxValueKind = "tensor" | "sequence" | "map" | "optional" | "sparse_tensor" | "none";

/** A graph input, output or value_info entry. */
export interface OnnxValueInfo {
  /** Value name. */
  readonly name: string;
  /** The `TypeProto` case; only `"tensor"` values have `elemType` and `shape`. */
  readonly kind: OnnxValueKind;
  /** `TensorProto.DataType` number of the elements (0 if unset or not a tensor). */
  readonly elemType: number;
  /** The element type, when `elemType` is one this package supports. */
  readonly dtype?: OnnxDType;
  /** One entry per axis; `undefined` when the rank is unknown. A negative size reads as `null`. */
  readonly shape?: readonly OnnxDim[];
}

/** A node of the graph. */
export interface OnnxNode {
  /** Node name (may be empty). */
  readonly name: string;
  /** Operator, like `"Conv"`. */
  readonly opType: string;
  /** Operator domain; `""` is the default ONNX domain. */
  readonly domain: string;
  /** Input value names in order; `""` marks an omitted optional input. */
  readonly inputs: readonly string[];
  /** Output value names in order; `""` marks an omitted optional output. */
  readonly outputs: readonly string[];
  /** Attributes by name (a null-prototype object: only the file's names are keys). */
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
}

/** The model's main graph. */
export interface OnnxGraph {
  /** Graph name. */
  readonly name: string;
  /** Nodes in file order (ONNX requires topological order). */
  readonly nodes: readonly OnnxNode[];
  /** Constant tensors, each with its name, in file order (`grad_initializer_<k>` indexes this). */
  readonly initializers: readonly OnnxTensor[];
  /** Graph inputs (with IR < 4 these may include the initializers' names). */
  readonly inputs: readonly OnnxValueInfo[];
  /** Graph outputs. */
  readonly outputs: readonly OnnxValueInfo[];
  /** Types of intermediate values, if the file gives them. */
  readonly valueInfo: readonly OnnxValueInfo[];
}

/** A decoded model. */
export interface OnnxModel {
  /** ONNX IR version. */
  readonly irVersion: number;
  /** Opset version per domain; the default domain is `""`. */
  readonly opsetImports: Readonly<Record<string, number>>;
  /** Producer name. */
  readonly producerName: string;
  /** Producer version. */
  readonly producerVersion: string;
  /** Model domain. */
  readonly domain: string;
  /** Model version. */
  readonly modelVersion: number;
  /** Documentation string. */
  readonly docString: string;
  /** The main graph. */
  readonly graph: OnnxGraph;
  /** `domain:name` of each model-local function (their bodies are not decoded). */
  readonly functions: readonly string[];
}

/** A graph input/output when building a model. */
export interface OnnxValueInfoInit {
  /** Value name. */
  readonly name: string;
  /** Element type; takes precedence over `elemType`. */
  readonly dtype?: OnnxDType;
  /** `TensorProto.DataType` number, used when `dtype` is absent. */
  readonly elemType?: number;
  /** Shape; omit for unknown rank. @default undefined */
  readonly shape?: readonly OnnxDim[];
  /** Must be `"tensor"` (or absent): only tensor values can be written. @default "tensor" */
  readonly kind?: OnnxValueKind;
}

/** A node when building a model. */
export interface OnnxNodeInit {
  /** Operator, like `"Conv"`. */
  readonly opType: string;
  /** Input value names; `""` for an omitted optional input. */
  readonly inputs: readonly string[];
  /** Output value names. */
  readonly outputs: readonly string[];
  /** Node name. @default "" */
  readonly name?: string;
  /** Operator domain. @default "" */
  readonly domain?: string;
  /** Attributes by name. @default {} */
  readonly attributes?: Readonly<Record<string, AttributeInput>>;
}

/** A graph when building a model. */
export interface OnnxGraphInit {
  /** Graph name. @default "graph" */
  readonly name?: string;
  /** Nodes in topological order. */
  readonly nodes: readonly OnnxNodeInit[];
  /** Named constant tensors. @default [] */
  readonly initializers?: readonly OnnxTensor[];
  /** Graph inputs (not listing initializers, as IR ≥ 4 allows). */
  readonly inputs: readonly OnnxValueInfoInit[];
  /** Graph outputs. */
  readonly outputs: readonly OnnxValueInfoInit[];
  /** Types of intermediate values. @default [] */
  readonly valueInfo?: readonly OnnxValueInfoInit[];
}

/** A model when building one; every decoded {@linkcode OnnxModel} is one too. */
export interface OnnxModelInit {
  /** ONNX IR version. @default 8 */
  readonly irVersion?: number;
  /** Opset version per domain. @default { "": 17 } */
  readonly opsetImports?: Readonly<Record<string, number>>;
  /** Producer name. @default "@cnn/conv-layers" */
  readonly producerName?: string;
  /** Producer version. @default "" */
  readonly producerVersion?: string;
  /** Model domain. @default "" */
  readonly domain?: string;
  /** Model version. @default 0 */
  readonly modelVersion?: number;
  /** Documentation string. @default "" */
  readonly docString?: string;
  /** The main graph. */
  readonly graph: OnnxGraphInit;
}

/**
 * Decodes a `ModelProto`.
 *
 * @param bytes The `.onnx` file contents.
 * @param source File name or label used in error messages.
 * @param options `maxBytes`.
 * @returns The model description.
 * @throws {OnnxFormatError} If the bytes are truncated or garbage (naming the field where the
 * bytes stop making sense), the graph is missing, names repeat, or an initializer is corrupt.
 * @throws {OnnxUnsupportedError} For external data, sparse initializers, unsupported tensor types,
 * or an int attribute beyond ±2^53.
 * @throws {TypeError} If `bytes` is not a Uint8Array.
 *
 * @example Encode, then decode
 * ```ts
 * import { decodeModel, encodeModel } from "./model.ts";
 * const bytes = encodeModel({
 *   graph: {
 *     nodes: [{ opType: "Relu", inputs: ["x"], outputs: ["y"] }],
 *     inputs: [{ name: "x", dtype: "float32", shape: [1, "n"] }],
 *     outputs: [{ name: "y", dtype: "float32" }],
 *   },
 * });
 * const model = decodeModel(bytes, "relu.onnx");
 * console.log(model.opsetImports[""], model.graph.nodes[0].opType); // 17 Relu
 * console.log(model.graph.inputs[0].shape); // [1, "n"]
 * ```
 */
export function decodeModel(
  bytes: Uint8Array,
  source = "<bytes>",
  options: ReadOptions = {},
): OnnxModel {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot decode model from ${source}: bytes must be a Uint8Array, got ${typeof bytes}`,
    );
  }
  const maxBytes = _budget(options.maxBytes, `decode model from ${source}`);
  const where: _Where = { file: source, what: "model", path: "" };
  return _modelFromProto(_decodeChecked("ModelProto", bytes, where, maxBytes), where, maxBytes);
}

/**
 * Reads a `.onnx` file (see {@linkcode decodeModel}).
 *
 * @param path The file (a path, or a `file:` URL).
 * @param options `maxBytes`; a larger file is refused before it is read.
 * @returns The model description.
 * @throws {OnnxFormatError} See {@linkcode decodeModel}; also for a file larger than `maxBytes`.
 * @throws {OnnxUnsupportedError} See {@linkcode decodeModel}.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 *
 * @example Read a model
 * ```ts
 * import { readModelFile } from "./model.ts";
 * const model = await readModelFile(new URL("./testdata/relu/model.onnx", import.meta.url));
 * console.log(model.graph.nodes[0].opType, model.graph.inputs[0].shape); // Relu [2, 2]
 * ```
 */
export async function readModelFile(
  path: string | URL,
  options: ReadOptions = {},
): Promise<OnnxModel> {
  const file = _pathOf(path, "read model");
  const maxBytes = _budget(options.maxBytes, `read model from ${file}`);
  const bytes = await _readBounded(file, "model", maxBytes);
  return decodeModel(bytes, file, { maxBytes });
}

/**
 * Encodes a model. Initializers are written with `raw_data`; the default domain as `""`.
 *
 * @param model The model (a decoded {@linkcode OnnxModel} works too).
 * @returns The `.onnx` bytes (write them with `Deno.writeFile`).
 * @throws {TypeError} If a field has the wrong type: a missing op type or name, a non-tensor
 * value kind, an unnamed initializer, a float shorthand attribute, an unsupported attribute.
 * @throws {RangeError} If a version or integer attribute is not a safe integer.
 *
 * @example Build a Conv model
 * ```ts
 * import { encodeModel } from "./model.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const bytes = encodeModel({
 *   opsetImports: { "": 13 },
 *   graph: {
 *     nodes: [{
 *       opType: "Conv",
 *       inputs: ["x", "w"],
 *       outputs: ["y"],
 *       attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
 *     }],
 *     initializers: [new OnnxTensor(new Float32Array(9).fill(1), [1, 1, 3, 3], { name: "w" })],
 *     inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 4, 4] }],
 *     outputs: [{ name: "y", dtype: "float32" }],
 *   },
 * });
 * if (bytes.length < 36) throw new Error("too short to hold the weights");
 * ```
 */
export function encodeModel(model: OnnxModelInit): Uint8Array {
  // protobufjs returns a Node Buffer under Deno; hand out a plain Uint8Array copy.
  return new Uint8Array(onnx.ModelProto.encode(_modelToProto(model)).finish());
}
