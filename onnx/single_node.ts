/**
 * Build a one-operator ONNX model — the shape of every golden case and of ONNX's own node tests.
 *
 * @module
 */

import type { OnnxDType } from "./dtype.ts";
import { type AttributeInput, encodeModel, type OnnxDim } from "./model.ts";
import type { OnnxTensor } from "./onnx_tensor.ts";

/** A graph input or output of a single-node model. */
export interface ValueSpec {
  /** Value name. */
  readonly name: string;
  /** Element type. */
  readonly dtype: OnnxDType;
  /** Shape (sizes or symbolic names); omit for unknown rank. @default undefined */
  readonly dims?: readonly OnnxDim[];
}

/** Description of a single-node model. */
export interface SingleNodeOptions {
  /** Operator, like `"Conv"`. */
  readonly opType: string;
  /** Graph inputs, fed at run time. */
  readonly inputs: readonly ValueSpec[];
  /** Graph outputs, one per node output. */
  readonly outputs: readonly ValueSpec[];
  /** Node attributes (see `AttributeInput` for the shorthand). @default {} */
  readonly attributes?: Readonly<Record<string, AttributeInput>>;
  /** Named constant inputs (weights, bias), stored in the model. @default [] */
  readonly initializers?: readonly OnnxTensor[];
  /**
   * The node's input names in order; `""` skips an optional input.
   * @default the `inputs` names, then the `initializers` names
   */
  readonly nodeInputs?: readonly string[];
  /** Operator domain. @default "" */
  readonly domain?: string;
  /** Opset version of the operator's domain. @default 17 (1 for a custom domain) */
  readonly opset?: number;
  /** ONNX IR version. @default 8 */
  readonly irVersion?: number;
  /** Graph name. @default opType */
  readonly name?: string;
}

/**
 * Encodes a model with one node whose inputs are graph inputs and initializers and whose outputs
 * are the graph outputs. The result loads in ONNX Runtime.
 *
 * @param options The operator, its inputs, outputs, attributes and opset.
 * @returns The `.onnx` bytes.
 * @throws {TypeError} See `encodeModel`: a missing op type or dtype, an unnamed initializer, a
 * non-integer attribute shorthand.
 * @throws {RangeError} See `encodeModel`: a version or integer attribute that is not a safe
 * integer.
 *
 * @example A Conv with its weight as an initializer
 * ```ts
 * import { singleNodeModel } from "./single_node.ts";
 * import { decodeModel } from "./model.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const bytes = singleNodeModel({
 *   opType: "Conv",
 *   attributes: { kernel_shape: [2, 2], strides: [2, 2] },
 *   inputs: [{ name: "x", dtype: "float32", dims: [1, 1, 4, 4] }],
 *   initializers: [new OnnxTensor(new Float32Array(4).fill(1), [1, 1, 2, 2], { name: "w" })],
 *   outputs: [{ name: "y", dtype: "float32", dims: [1, 1, 2, 2] }],
 *   opset: 13,
 * });
 * const node = decodeModel(bytes).graph.nodes[0];
 * console.log(node.inputs, node.attributes.strides); // ["x", "w"] { type: "ints", value: [2, 2] }
 * ```
 */
export function singleNodeModel(options: SingleNodeOptions): Uint8Array {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`Cannot build single-node model: options must be an object`);
  }
  const { opType, inputs, outputs, initializers = [], domain = "" } = options;
  for (const [key, list] of [["inputs", inputs], ["outputs", outputs]] as const) {
    if (!Array.isArray(list)) {
      throw new TypeError(`Cannot build single-node model ${opType}: ${key} must be an array`);
    }
  }
  const nodeInputs = options.nodeInputs ??
    [...inputs.map((v) => v.name), ...initializers.map((t) => t.name ?? "")];
  const toInfo = (v: ValueSpec) => ({ name: v.name, dtype: v.dtype, shape: v.dims });
  // `opset` versions the node's own domain; a custom domain also imports the default one.
  const opsetImports: Record<string, number> = domain === ""
    ? { "": options.opset ?? 17 }
    : { "": 17, [domain]: options.opset ?? 1 };
  return encodeModel({
    irVersion: options.irVersion ?? 8,
    opsetImports,
    graph: {
      name: options.name ?? opType,
      nodes: [{
        opType,
        domain,
        inputs: nodeInputs,
        outputs: outputs.map((v) => v.name),
        attributes: options.attributes ?? {},
      }],
      initializers,
      inputs: inputs.map(toInfo),
      outputs: outputs.map(toInfo),
    },
  });
}
