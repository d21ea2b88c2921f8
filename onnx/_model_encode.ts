// OnnxModelInit description -> ModelProto message object, validating the caller's description
// (TypeError for a wrong type, RangeError for an out-of-range number).

import { _tensorToProto } from "./_tensor_codec.ts";
import { ONNX_DATA_TYPE } from "./dtype.ts";
import type {
  AttributeInput,
  OnnxAttribute,
  OnnxGraphInit,
  OnnxModelInit,
  OnnxNodeInit,
  OnnxValueInfoInit,
} from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import type { OnnxSchema } from "./_proto.ts";

const DEFAULT_IR_VERSION = 8;
const DEFAULT_OPSET = 17;

// AttributeProto.AttributeType numbers.
const TYPE_CODE = {
  float: 1,
  int: 2,
  string: 3,
  tensor: 4,
  floats: 6,
  ints: 7,
  strings: 8,
  tensors: 9,
} as const;

const utf8 = new TextEncoder();

function typeError(at: string, rule: string): never {
  throw new TypeError(`Cannot encode model: ${at}${rule}`);
}

function rangeError(at: string, rule: string): never {
  throw new RangeError(`Cannot encode model: ${at}${rule}`);
}

/** Builds the ModelProto message object for protobufjs. */
export function _modelToProto(model: OnnxModelInit): OnnxSchema.IModelProto {
  if (model === null || typeof model !== "object") {
    typeError("", `model must be an object, got ${model === null ? "null" : typeof model}`);
  }
  if (model.graph === null || typeof model.graph !== "object") {
    typeError("", "graph must be an object");
  }
  const opsets = model.opsetImports ?? { "": DEFAULT_OPSET };
  return withoutEmpty({
    irVersion: safeInt(model.irVersion ?? DEFAULT_IR_VERSION, "", "irVersion", 0),
    opsetImport: Object.entries(opsets).map(([domain, version]) => ({
      domain,
      version: safeInt(version, "", `opsetImports[${JSON.stringify(domain)}]`, 1),
    })),
    producerName: model.producerName ?? "@cnn/conv-layers",
    producerVersion: model.producerVersion ?? "",
    domain: model.domain ?? "",
    modelVersion: safeInt(model.modelVersion ?? 0, "", "modelVersion", 0),
    docString: model.docString ?? "",
    graph: graphToProto(model.graph),
  });
}

// protobufjs writes every own property, even "" and 0; leave the defaults out of the file.
function withoutEmpty<T extends object>(message: T): T {
  const out = { ...message };
  for (const [key, value] of Object.entries(out)) {
    if (value === "" || value === 0) delete out[key as keyof T];
  }
  return out;
}

function graphToProto(graph: OnnxGraphInit): OnnxSchema.IGraphProto {
  const list = <T>(value: readonly T[] | undefined, name: string): readonly T[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) typeError("", `graph.${name} must be an array`);
    return value;
  };
  const initializers = list(graph.initializers, "initializers").map((t, i) => {
    const at = `graph.initializers[${i}]: `;
    if (!(t instanceof OnnxTensor)) typeError(at, "must be an OnnxTensor");
    if (!t.name) typeError(at, "initializers need a name");
    return _tensorToProto(t);
  });
  return {
    name: graph.name ?? "graph",
    node: list(graph.nodes, "nodes").map((n, i) => nodeToProto(n, `graph.nodes[${i}]`)),
    initializer: initializers,
    input: list(graph.inputs, "inputs").map((v, i) => valueToProto(v, `graph.inputs[${i}]`)),
    output: list(graph.outputs, "outputs").map((v, i) => valueToProto(v, `graph.outputs[${i}]`)),
    valueInfo: list(graph.valueInfo, "valueInfo").map((v, i) =>
      valueToProto(v, `graph.valueInfo[${i}]`)
    ),
  };
}

function nodeToProto(node: OnnxNodeInit, path: string): OnnxSchema.INodeProto {
  if (node === null || typeof node !== "object") typeError(`${path}: `, "must be an object");
  const at = `${path} (${node.opType}): `;
  if (typeof node.opType !== "string" || node.opType === "") {
    typeError(`${path}: `, "opType must be a non-empty string");
  }
  for (const key of ["inputs", "outputs"] as const) {
    const names = node[key];
    if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
      typeError(at, `${key} must be an array of strings`);
    }
  }
  const attributes = Object.entries(node.attributes ?? {}).map(([name, value]) =>
    attributeToProto(name, value, `${at}attribute ${name}: `)
  );
  return withoutEmpty({
    input: [...node.inputs],
    output: [...node.outputs],
    name: node.name ?? "",
    opType: node.opType,
    domain: node.domain ?? "",
    attribute: attributes,
  });
}

/** Resolves shorthand attribute values to the explicit form. */
function explicit(value: AttributeInput, at: string): OnnxAttribute {
  if (value instanceof OnnxTensor) return { type: "tensor", value };
  if (typeof value === "string") return { type: "string", value };
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      typeError(
        at,
        `${value} is not an integer; write { type: "float", value: ${value} } for a FLOAT`,
      );
    }
    return { type: "int", value };
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) {
      return value.length === 0
        ? { type: "ints", value: [] }
        : { type: "strings", value: value as string[] };
    }
    if (!value.every((v) => typeof v === "number" && Number.isInteger(v))) {
      typeError(
        at,
        `[${value.join(", ")}] is not a list of integers or of strings; write ` +
          `{ type: "floats", value: [...] } for FLOATS`,
      );
    }
    return { type: "ints", value: value as number[] };
  }
  if (value !== null && typeof value === "object" && "type" in value) return value;
  return typeError(at, `unsupported value ${String(value)}`);
}

function attributeToProto(
  name: string,
  input: AttributeInput,
  at: string,
): OnnxSchema.IAttributeProto {
  const attr = explicit(input, at);
  const proto: OnnxSchema.IAttributeProto = { name };
  switch (attr.type) {
    case "float":
      proto.f = floatValue(attr.value, at);
      break;
    case "int":
      proto.i = safeInt(attr.value, at, "value");
      break;
    case "string":
      proto.s = utf8.encode(attr.value);
      break;
    case "tensor":
      proto.t = _tensorToProto(checkTensor(attr.value, at));
      break;
    case "floats":
      proto.floats = arrayOf(attr.value, at).map((v) => floatValue(v, at));
      break;
    case "ints":
      proto.ints = arrayOf(attr.value, at).map((v, i) => safeInt(v, at, `value[${i}]`));
      break;
    case "strings":
      proto.strings = arrayOf(attr.value, at).map((v) => {
        if (typeof v !== "string") typeError(at, "strings must hold strings");
        return utf8.encode(v);
      });
      break;
    case "tensors":
      proto.tensors = arrayOf(attr.value, at).map((t) => _tensorToProto(checkTensor(t, at)));
      break;
    case "unsupported":
      typeError(at, `cannot write a ${attr.kind} attribute`);
      break;
    default:
      typeError(at, `unknown attribute type ${JSON.stringify((attr as { type: unknown }).type)}`);
  }
  proto.type = TYPE_CODE[attr.type];
  return proto;
}

function valueToProto(value: OnnxValueInfoInit, path: string): OnnxSchema.IValueInfoProto {
  if (value === null || typeof value !== "object") typeError(`${path}: `, "must be an object");
  const at = `${path} (${value.name}): `;
  if (typeof value.name !== "string" || value.name === "") {
    typeError(`${path}: `, "name must be a non-empty string");
  }
  if (value.kind !== undefined && value.kind !== "tensor") {
    typeError(at, `only tensor values can be written, got kind ${value.kind}`);
  }
  let elemType = value.elemType;
  if (value.dtype !== undefined) {
    if (!Object.hasOwn(ONNX_DATA_TYPE, value.dtype)) {
      typeError(at, `dtype ${JSON.stringify(value.dtype)} is not a supported ONNX dtype`);
    }
    elemType = ONNX_DATA_TYPE[value.dtype];
  }
  if (elemType === undefined) typeError(at, "needs a dtype (or elemType)");
  const tensorType: OnnxSchema.TypeProto.ITensor = {
    elemType: safeInt(elemType, at, "elemType", 1),
  };
  if (value.shape !== undefined) {
    if (!Array.isArray(value.shape)) typeError(at, "shape must be an array");
    tensorType.shape = {
      dim: value.shape.map((d) => {
        if (d === null) return {};
        if (typeof d === "string") return { dimParam: d };
        return { dimValue: safeInt(d, at, "shape entry", 0) };
      }),
    };
  }
  return { name: value.name, type: { tensorType } };
}

function checkTensor(t: unknown, at: string): OnnxTensor {
  if (!(t instanceof OnnxTensor)) typeError(at, "tensor values must be OnnxTensors");
  return t;
}

function arrayOf<T>(value: readonly T[], at: string): readonly T[] {
  if (!Array.isArray(value)) typeError(at, "value must be an array");
  return value;
}

function floatValue(v: unknown, at: string): number {
  if (typeof v !== "number") typeError(at, `float values must be numbers, got ${typeof v}`);
  return v;
}

function safeInt(v: unknown, at: string, name: string, min = -Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    typeError(at, `${name} must be an integer, got ${String(v)}`);
  }
  if (!Number.isSafeInteger(v) || v < min) {
    rangeError(
      at,
      `${name} must be a safe integer${min > -Infinity ? ` ≥ ${min}` : ""}, got ${v}`,
    );
  }
  return v;
}
