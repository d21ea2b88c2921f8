// A schema-aware walk over protobuf wire bytes, run BEFORE protobufjs decodes them.
//
// protobufjs reports a truncated or garbage buffer as "index out of range: 40 + 12 > 50" without
// saying which field, silently misreads a field sent with the wrong wire type, and turns every
// packed int64 into a Long object (~20x the bytes it came from). This walk checks every length,
// varint and wire type against the ONNX schema, names the failing field by its path
// (`graph.node[2].attribute[0].t.raw_data`), caps nesting depth, and estimates the memory the
// decode will take so a small file cannot make it allocate gigabytes. It allocates nothing
// proportional to the input.

type Scalar = "int32" | "int64" | "float" | "double" | "string" | "bytes";
type MessageName =
  | "ModelProto"
  | "OperatorSetIdProto"
  | "StringStringEntryProto"
  | "GraphProto"
  | "TensorAnnotation"
  | "NodeProto"
  | "AttributeProto"
  | "ValueInfoProto"
  | "TypeProto"
  | "TypeProtoTensor"
  | "TypeProtoSequence"
  | "TypeProtoMap"
  | "TensorShapeProto"
  | "Dimension"
  | "TensorProto"
  | "Segment"
  | "SparseTensorProto"
  | "TrainingInfoProto"
  | "FunctionProto";
type Field = readonly [name: string, kind: Scalar | MessageName, repeated?: "repeated"];

// Field numbers from onnx.proto (the onnx-proto@8.0.1 schema, ONNX 1.10). Fields not listed are
// skipped by both this walk and protobufjs.
const SCHEMA = {
  ModelProto: {
    1: ["ir_version", "int64"],
    8: ["opset_import", "OperatorSetIdProto", "repeated"],
    2: ["producer_name", "string"],
    3: ["producer_version", "string"],
    4: ["domain", "string"],
    5: ["model_version", "int64"],
    6: ["doc_string", "string"],
    7: ["graph", "GraphProto"],
    14: ["metadata_props", "StringStringEntryProto", "repeated"],
    20: ["training_info", "TrainingInfoProto", "repeated"],
    25: ["functions", "FunctionProto", "repeated"],
  },
  OperatorSetIdProto: { 1: ["domain", "string"], 2: ["version", "int64"] },
  StringStringEntryProto: { 1: ["key", "string"], 2: ["value", "string"] },
  GraphProto: {
    1: ["node", "NodeProto", "repeated"],
    2: ["name", "string"],
    5: ["initializer", "TensorProto", "repeated"],
    15: ["sparse_initializer", "SparseTensorProto", "repeated"],
    10: ["doc_string", "string"],
    11: ["input", "ValueInfoProto", "repeated"],
    12: ["output", "ValueInfoProto", "repeated"],
    13: ["value_info", "ValueInfoProto", "repeated"],
    14: ["quantization_annotation", "TensorAnnotation", "repeated"],
  },
  TensorAnnotation: {
    1: ["tensor_name", "string"],
    2: ["quant_parameter_tensor_names", "StringStringEntryProto", "repeated"],
  },
  NodeProto: {
    1: ["input", "string", "repeated"],
    2: ["output", "string", "repeated"],
    3: ["name", "string"],
    4: ["op_type", "string"],
    7: ["domain", "string"],
    5: ["attribute", "AttributeProto", "repeated"],
    6: ["doc_string", "string"],
  },
  AttributeProto: {
    1: ["name", "string"],
    21: ["ref_attr_name", "string"],
    13: ["doc_string", "string"],
    20: ["type", "int32"],
    2: ["f", "float"],
    3: ["i", "int64"],
    4: ["s", "bytes"],
    5: ["t", "TensorProto"],
    6: ["g", "GraphProto"],
    22: ["sparse_tensor", "SparseTensorProto"],
    14: ["tp", "TypeProto"],
    7: ["floats", "float", "repeated"],
    8: ["ints", "int64", "repeated"],
    9: ["strings", "bytes", "repeated"],
    10: ["tensors", "TensorProto", "repeated"],
    11: ["graphs", "GraphProto", "repeated"],
    23: ["sparse_tensors", "SparseTensorProto", "repeated"],
    15: ["type_protos", "TypeProto", "repeated"],
  },
  ValueInfoProto: { 1: ["name", "string"], 2: ["type", "TypeProto"], 3: ["doc_string", "string"] },
  TypeProto: {
    1: ["tensor_type", "TypeProtoTensor"],
    4: ["sequence_type", "TypeProtoSequence"],
    5: ["map_type", "TypeProtoMap"],
    9: ["optional_type", "TypeProtoSequence"],
    8: ["sparse_tensor_type", "TypeProtoTensor"],
    6: ["denotation", "string"],
  },
  TypeProtoTensor: { 1: ["elem_type", "int32"], 2: ["shape", "TensorShapeProto"] },
  TypeProtoSequence: { 1: ["elem_type", "TypeProto"] },
  TypeProtoMap: { 1: ["key_type", "int32"], 2: ["value_type", "TypeProto"] },
  TensorShapeProto: { 1: ["dim", "Dimension", "repeated"] },
  Dimension: {
    1: ["dim_value", "int64"],
    2: ["dim_param", "string"],
    3: ["denotation", "string"],
  },
  TensorProto: {
    1: ["dims", "int64", "repeated"],
    2: ["data_type", "int32"],
    3: ["segment", "Segment"],
    4: ["float_data", "float", "repeated"],
    5: ["int32_data", "int32", "repeated"],
    6: ["string_data", "bytes", "repeated"],
    7: ["int64_data", "int64", "repeated"],
    8: ["name", "string"],
    12: ["doc_string", "string"],
    9: ["raw_data", "bytes"],
    13: ["external_data", "StringStringEntryProto", "repeated"],
    14: ["data_location", "int32"],
    10: ["double_data", "double", "repeated"],
    11: ["uint64_data", "int64", "repeated"],
  },
  Segment: { 1: ["begin", "int64"], 2: ["end", "int64"] },
  SparseTensorProto: {
    1: ["values", "TensorProto"],
    2: ["indices", "TensorProto"],
    3: ["dims", "int64", "repeated"],
  },
  TrainingInfoProto: {
    1: ["initialization", "GraphProto"],
    2: ["algorithm", "GraphProto"],
    3: ["initialization_binding", "StringStringEntryProto", "repeated"],
    4: ["update_binding", "StringStringEntryProto", "repeated"],
  },
  FunctionProto: {
    1: ["name", "string"],
    4: ["input", "string", "repeated"],
    5: ["output", "string", "repeated"],
    6: ["attribute", "string", "repeated"],
    7: ["node", "NodeProto", "repeated"],
    8: ["doc_string", "string"],
    9: ["opset_import", "OperatorSetIdProto", "repeated"],
    10: ["domain", "string"],
  },
} as const satisfies Record<MessageName, Record<number, Field>>;

/** Roots the walk can start from. */
export type _RootMessage = "ModelProto" | "TensorProto";

/** Called with the failing field's path and a sentence that starts with that path. */
export type _Fail = (field: string, problem: string) => never;

const WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5;
const MAX_DEPTH = 64;

// Rough decoded size, in bytes, of what protobufjs builds: an object per message, a Long per
// int64 element, a JS number per other numeric element, a view per bytes field.
const COST_MESSAGE = 256, COST_LONG = 64, COST_NUMBER = 8, COST_VIEW = 96;

const WIRE_OF: Record<Scalar, number> = {
  int32: WIRE_VARINT,
  int64: WIRE_VARINT,
  float: WIRE_FIXED32,
  double: WIRE_FIXED64,
  string: WIRE_LEN,
  bytes: WIRE_LEN,
};

/**
 * Walks `bytes` as a `root` message; throws through `fail` at the first problem.
 *
 * @param bytes The encoded message.
 * @param root The message type at the top.
 * @param budget Largest estimated decoded size in bytes.
 * @param fail Throws the caller's error for a field path and a problem sentence.
 */
export function _validateWire(
  bytes: Uint8Array,
  root: _RootMessage,
  budget: number,
  fail: _Fail,
): void {
  const state = { cost: 0, budget, fail };
  walk(bytes, 0, bytes.length, root, "", 0, state);
}

interface State {
  cost: number;
  budget: number;
  fail: _Fail;
}

function walk(
  buf: Uint8Array,
  start: number,
  end: number,
  type: MessageName,
  path: string,
  depth: number,
  state: State,
): void {
  const fail: _Fail = state.fail;
  const here = path === "" ? type : path;
  if (depth > MAX_DEPTH) fail(path, `${here} is nested more than ${MAX_DEPTH} levels deep`);
  charge(state, COST_MESSAGE, path);
  const schema: Record<number, Field> = SCHEMA[type];
  const counts = new Map<number, number>();
  let pos = start;
  while (pos < end) {
    const tagAt = pos;
    const tag = readVarint(buf, pos, end);
    if (tag === undefined) {
      fail(path, `${here} ends in the middle of a field tag at byte ${tagAt} (truncated file?)`);
    }
    pos = tag.next;
    const number = Math.floor(tag.value / 8), wire = tag.value % 8;
    const field = schema[number];
    const name = field ? field[0] : `field ${number}`;
    const index = counts.get(number) ?? 0;
    counts.set(number, index + 1);
    // Repeated messages and strings get an index; a packed numeric field is one entry.
    const indexed = field?.[2] && (field[1] in SCHEMA || field[1] === "string" ||
      field[1] === "bytes");
    const fieldPath = join(path, indexed ? `${name}[${index}]` : name);
    if (number === 0 || number > 2 ** 29 - 1) {
      fail(fieldPath, `${here} has an invalid field number ${number} at byte ${tagAt}`);
    }
    if (
      wire !== WIRE_VARINT && wire !== WIRE_FIXED64 && wire !== WIRE_LEN && wire !== WIRE_FIXED32
    ) {
      fail(fieldPath, `${fieldPath} has an invalid wire type ${wire} at byte ${tagAt}`);
    }
    if (field) {
      const [, kind, repeated] = field;
      const expected = kind in WIRE_OF ? WIRE_OF[kind as Scalar] : WIRE_LEN;
      const packable = repeated && expected !== WIRE_LEN;
      if (wire !== expected && !(packable && wire === WIRE_LEN)) {
        fail(fieldPath, `${fieldPath} has wire type ${wire} but the schema needs ${expected}`);
      }
    }
    const valueAt = pos;
    if (wire === WIRE_VARINT) {
      const value = readVarint(buf, pos, end);
      if (value === undefined) fail(fieldPath, `${fieldPath} is cut off (truncated file?)`);
      pos = value.next;
      if (field?.[2]) charge(state, field[1] === "int64" ? COST_LONG : COST_NUMBER, fieldPath);
      continue;
    }
    if (wire === WIRE_FIXED32 || wire === WIRE_FIXED64) {
      const size = wire === WIRE_FIXED32 ? 4 : 8;
      if (end - pos < size) {
        fail(fieldPath, `${fieldPath} needs ${size} bytes but only ${end - pos} remain`);
      }
      pos += size;
      if (field?.[2]) charge(state, COST_NUMBER, fieldPath);
      continue;
    }
    const length = readVarint(buf, pos, end);
    if (length === undefined) fail(fieldPath, `${fieldPath} length is cut off (truncated file?)`);
    pos = length.next;
    if (length.value > end - pos) {
      fail(
        fieldPath,
        `${fieldPath} claims ${length.value} bytes at byte ${valueAt} but only ${end - pos} ` +
          `remain (truncated or corrupt file)`,
      );
    }
    const stop = pos + length.value;
    if (field) {
      const kind = field[1];
      if (kind in SCHEMA) {
        walk(buf, pos, stop, kind as MessageName, fieldPath, depth + 1, state);
      } else if (kind === "string") {
        charge(state, 2 * length.value + 32, fieldPath);
      } else if (kind === "bytes") {
        charge(state, COST_VIEW, fieldPath);
      } else {
        packed(buf, pos, stop, kind as Scalar, fieldPath, state);
      }
    }
    pos = stop;
  }
}

// A packed repeated numeric field: whole elements only, and its decoded cost.
function packed(
  buf: Uint8Array,
  start: number,
  stop: number,
  kind: Scalar,
  path: string,
  state: State,
): void {
  const length = stop - start;
  if (kind === "float" || kind === "double") {
    const size = kind === "float" ? 4 : 8;
    if (length % size !== 0) {
      state.fail(path, `${path} has ${length} bytes, not a whole number of ${size}-byte values`);
    }
    charge(state, (length / size) * COST_NUMBER, path);
    return;
  }
  // Varints: each ends at a byte below 0x80 and is at most 10 bytes long.
  let count = 0, run = 0;
  for (let i = start; i < stop; i++) {
    if (buf[i] < 0x80) {
      count++;
      run = 0;
    } else if (++run >= 10) {
      state.fail(path, `${path} holds a varint longer than 10 bytes (corrupt file)`);
    }
  }
  if (run > 0) state.fail(path, `${path} ends in the middle of a varint (corrupt file)`);
  charge(state, count * (kind === "int64" ? COST_LONG : COST_NUMBER), path);
}

function charge(state: State, cost: number, path: string): void {
  state.cost += cost;
  if (state.cost > state.budget) {
    state.fail(
      path,
      `decoding ${path || "the message"} would need about ${size(state.cost)}, more than ` +
        `the budget of ${size(state.budget)} (options.maxBytes)`,
    );
  }
}

// Reads a varint as a float (exact up to 2^53, which is plenty for tags and lengths; larger
// lengths fail the remaining-bytes check anyway). Undefined if it runs past `end` or 10 bytes.
function readVarint(
  buf: Uint8Array,
  pos: number,
  end: number,
): { value: number; next: number } | undefined {
  let value = 0, scale = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return { value, next: pos };
    scale *= 128;
  }
  return undefined;
}

function join(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

function size(bytes: number): string {
  return bytes < 2 ** 20 ? `${bytes} bytes` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
