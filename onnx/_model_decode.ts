// ModelProto message -> OnnxModel description, with every semantic check naming file and field.

import { _tensorFromProto } from "./_tensor_codec.ts";
import { _below, _fail, type _Where } from "./_where.ts";
import { dtypeFromCode } from "./dtype.ts";
import type {
  OnnxAttribute,
  OnnxDim,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxValueInfo,
  OnnxValueKind,
} from "./model.ts";
import type { OnnxTensor } from "./onnx_tensor.ts";
import { int64ToBigInt, type Int64Value, type OnnxSchema } from "./_proto.ts";

type GraphMsg = OnnxSchema.IGraphProto;
type NodeMsg = OnnxSchema.INodeProto;
type AttrMsg = OnnxSchema.IAttributeProto;
type ValueMsg = OnnxSchema.IValueInfoProto;

// AttributeProto.AttributeType numbers (onnx.proto).
const ATTRIBUTE_TYPES = [
  "UNDEFINED",
  "FLOAT",
  "INT",
  "STRING",
  "TENSOR",
  "GRAPH",
  "FLOATS",
  "INTS",
  "STRINGS",
  "TENSORS",
  "GRAPHS",
  "SPARSE_TENSOR",
  "SPARSE_TENSORS",
  "TYPE_PROTO",
  "TYPE_PROTOS",
] as const;

const utf8 = new TextDecoder();

/** Converts a decoded ModelProto; `where` names the file. */
export function _modelFromProto(
  proto: OnnxSchema.IModelProto,
  where: _Where,
  maxBytes: number,
): OnnxModel {
  const opsetImports: Record<string, number> = {};
  (proto.opsetImport ?? []).forEach((entry, i) => {
    const at = _below(where, `opset_import[${i}]`);
    const domain = normalizeDomain(entry.domain ?? "");
    if (Object.hasOwn(opsetImports, domain)) {
      _fail(at, "domain", `domain ${JSON.stringify(domain)} is imported twice`);
    }
    opsetImports[domain] = safeInt(entry.version ?? 0, at, "version");
  });
  if (!proto.graph) _fail(where, "graph", "graph is missing (not an ONNX model?)");
  const irVersion = safeInt(proto.irVersion ?? 0, where, "ir_version");
  // The ONNX checker's rule; it also catches a file cut just before its opset_import.
  if (irVersion >= 3 && Object.keys(opsetImports).length === 0) {
    _fail(where, "opset_import", `opset_import is empty, but IR version ${irVersion} needs one`);
  }
  return {
    irVersion,
    opsetImports,
    producerName: proto.producerName ?? "",
    producerVersion: proto.producerVersion ?? "",
    domain: proto.domain ?? "",
    modelVersion: safeInt(proto.modelVersion ?? 0, where, "model_version"),
    docString: proto.docString ?? "",
    graph: graphFromProto(proto.graph, _below(where, "graph"), maxBytes),
    functions: (proto.functions ?? []).map((f) => `${f.domain ?? ""}:${f.name ?? ""}`),
  };
}

function graphFromProto(graph: GraphMsg, where: _Where, maxBytes: number): OnnxGraph {
  if ((graph.sparseInitializer?.length ?? 0) > 0) {
    _fail(where, "sparse_initializer", "sparse_initializer is not supported", true);
  }
  const names = new Set<string>();
  const initializers = (graph.initializer ?? []).map((t, i) => {
    const at = _below(where, `initializer[${i}]`, t.name ? `tensor ${t.name}` : undefined);
    if (!t.name) _fail(at, "name", "name is missing (initializers must be named)");
    if (names.has(t.name)) _fail(at, "name", `name ${JSON.stringify(t.name)} is used twice`);
    names.add(t.name);
    return _tensorFromProto(t, at, maxBytes);
  });
  return {
    name: graph.name ?? "",
    nodes: (graph.node ?? []).map((n, i) =>
      nodeFromProto(n, _below(where, `node[${i}]`), maxBytes)
    ),
    initializers,
    inputs: (graph.input ?? []).map((v, i) => valueFromProto(v, _below(where, `input[${i}]`))),
    outputs: (graph.output ?? []).map((v, i) => valueFromProto(v, _below(where, `output[${i}]`))),
    valueInfo: (graph.valueInfo ?? []).map((v, i) =>
      valueFromProto(v, _below(where, `value_info[${i}]`))
    ),
  };
}

function nodeFromProto(node: NodeMsg, where: _Where, maxBytes: number): OnnxNode {
  const opType = node.opType ?? "";
  const at: _Where = { ...where, label: `${opType || "node"}${node.name ? ` ${node.name}` : ""}` };
  if (opType === "") _fail(at, "op_type", "op_type is missing");
  const attributes: Record<string, OnnxAttribute> = Object.create(null);
  (node.attribute ?? []).forEach((a, i) => {
    const attrAt = _below(at, `attribute[${i}]`, a.name ? `attribute ${a.name}` : undefined);
    if (!a.name) _fail(attrAt, "name", "name is missing");
    if (a.name in attributes) {
      _fail(attrAt, "name", `attribute ${JSON.stringify(a.name)} appears twice`);
    }
    attributes[a.name] = attributeFromProto(a, attrAt, maxBytes);
  });
  return {
    name: node.name ?? "",
    opType,
    domain: normalizeDomain(node.domain ?? ""),
    inputs: [...(node.input ?? [])],
    outputs: [...(node.output ?? [])],
    attributes,
  };
}

function attributeFromProto(a: AttrMsg, where: _Where, maxBytes: number): OnnxAttribute {
  if (a.refAttrName) return { type: "unsupported", kind: "REF" };
  const type = attributeType(a, where);
  switch (type) {
    case "FLOAT":
      return { type: "float", value: a.f ?? 0 };
    case "INT":
      return { type: "int", value: safeInt(a.i ?? 0, where, "i", true) };
    case "STRING":
      return { type: "string", value: utf8.decode(a.s ?? new Uint8Array()) };
    case "TENSOR":
      if (!a.t) _fail(where, "t", "t is missing for a TENSOR attribute");
      return { type: "tensor", value: _tensorFromProto(a.t, _below(where, "t"), maxBytes) };
    case "FLOATS":
      return { type: "floats", value: [...(a.floats ?? [])] };
    case "INTS":
      return {
        type: "ints",
        value: (a.ints ?? []).map((v, i) => safeInt(v, where, `ints[${i}]`, true)),
      };
    case "STRINGS":
      return { type: "strings", value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case "TENSORS": {
      const value: OnnxTensor[] = (a.tensors ?? []).map((t, i) =>
        _tensorFromProto(t, _below(where, `tensors[${i}]`), maxBytes)
      );
      return { type: "tensors", value };
    }
    default:
      return { type: "unsupported", kind: type };
  }
}

// The declared type, or (IR < 3 files leave it 0) the one value field that is set.
function attributeType(a: AttrMsg, where: _Where): string {
  const code = a.type ?? 0;
  if (code !== 0) {
    const name = ATTRIBUTE_TYPES[code];
    if (name === undefined) _fail(where, "type", `type ${code} is not an ONNX attribute type`);
    return name;
  }
  const set = (key: keyof AttrMsg): boolean => Object.hasOwn(a, key);
  const list = (key: keyof AttrMsg): boolean =>
    ((a[key] as unknown[] | undefined)?.length ?? 0) > 0;
  const found = [
    set("f") && "FLOAT",
    set("i") && "INT",
    set("s") && "STRING",
    set("t") && "TENSOR",
    set("g") && "GRAPH",
    set("sparseTensor") && "SPARSE_TENSOR",
    set("tp") && "TYPE_PROTO",
    list("floats") && "FLOATS",
    list("ints") && "INTS",
    list("strings") && "STRINGS",
    list("tensors") && "TENSORS",
    list("graphs") && "GRAPHS",
    list("sparseTensors") && "SPARSE_TENSORS",
    list("typeProtos") && "TYPE_PROTOS",
  ].filter((x): x is string => typeof x === "string");
  if (found.length !== 1) {
    _fail(
      where,
      "type",
      found.length === 0
        ? "type is missing and no value is set"
        : `type is missing and several values are set (${found.join(", ")})`,
    );
  }
  return found[0];
}

function valueFromProto(value: ValueMsg, where: _Where): OnnxValueInfo {
  const name = value.name ?? "";
  const at: _Where = { ...where, label: name ? `value ${name}` : undefined };
  if (name === "") _fail(at, "name", "name is missing");
  const type = value.type;
  const kind: OnnxValueKind = !type
    ? "none"
    : type.tensorType
    ? "tensor"
    : type.sequenceType
    ? "sequence"
    : type.mapType
    ? "map"
    : type.optionalType
    ? "optional"
    : type.sparseTensorType
    ? "sparse_tensor"
    : "none";
  if (kind !== "tensor" || !type?.tensorType) return { name, kind, elemType: 0 };
  const elemType = type.tensorType.elemType ?? 0;
  const dtype = dtypeFromCode(elemType);
  const dims = type.tensorType.shape ? type.tensorType.shape.dim ?? [] : undefined;
  const shape = dims?.map((d): OnnxDim => {
    if (Object.hasOwn(d, "dimValue") && d.dimValue != null) {
      const v = int64ToBigInt(d.dimValue as Int64Value);
      return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
    }
    return d.dimParam ? d.dimParam : null;
  });
  const info: OnnxValueInfo = { name, kind, elemType };
  return {
    ...info,
    ...(dtype !== undefined ? { dtype } : {}),
    ...(shape !== undefined ? { shape } : {}),
  };
}

function safeInt(
  value: Int64Value,
  where: _Where,
  field: string,
  unsupported = false,
): number {
  const v = int64ToBigInt(value);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    _fail(
      where,
      field,
      `${field} = ${v} is beyond the safe integer range ±(2^53 − 1)`,
      unsupported,
    );
  }
  return Number(v);
}

function normalizeDomain(domain: string): string {
  return domain === "ai.onnx" ? "" : domain;
}
