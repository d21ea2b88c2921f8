// TensorProto message <-> OnnxTensor, shared by the tensor file reader and the model reader.
// Every size is checked against the bytes actually present before anything is allocated.

import { formatShape } from "../layers/_errors.ts";
import { MAX_TENSOR_SIZE } from "../layers/tensor.ts";
import { _bfloat16ToNumber, _halfToNumber, _numberToBfloat16, _numberToHalf } from "./_half.ts";
import { _fail, type _Where } from "./_where.ts";
import {
  allocateOnnx,
  dataTypeName,
  dtypeFromCode,
  itemSize,
  ONNX_DATA_TYPE,
  type OnnxData,
  type OnnxDType,
} from "./dtype.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { int64ToBigInt, type Int64Value, type OnnxSchema } from "./_proto.ts";

type TensorFields = OnnxSchema.ITensorProto;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// The typed field ONNX uses for each dtype when raw_data is absent (onnx.proto comments).
type TypedField = "floatData" | "doubleData" | "int32Data" | "int64Data" | "uint64Data";
const TYPED_FIELDS: readonly TypedField[] = [
  "floatData",
  "doubleData",
  "int32Data",
  "int64Data",
  "uint64Data",
];
const PROTO_NAME: Record<TypedField | "stringData", string> = {
  floatData: "float_data",
  doubleData: "double_data",
  int32Data: "int32_data",
  int64Data: "int64_data",
  uint64Data: "uint64_data",
  stringData: "string_data",
};

function typedFieldOf(dtype: OnnxDType): TypedField {
  switch (dtype) {
    case "float32":
      return "floatData";
    case "float64":
      return "doubleData";
    case "int64":
      return "int64Data";
    case "uint32":
    case "uint64":
      return "uint64Data";
    default:
      return "int32Data"; // int8/16/32, uint8/16, bool, and float16/bfloat16 bit patterns
  }
}

// Integer range of each int32_data / uint64_data dtype.
const INT_RANGE: Partial<Record<OnnxDType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255],
  uint16: [0, 65535],
  bool: [0, 1],
  float16: [0, 65535],
  bfloat16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
};

/**
 * Converts a decoded TensorProto into an OnnxTensor, or throws an OnnxFormatError naming
 * `where` and the field.
 */
export function _tensorFromProto(
  proto: TensorFields,
  where: _Where,
  maxBytes: number,
): OnnxTensor {
  const has = (key: keyof TensorFields): boolean => Object.hasOwn(proto, key);
  const name = proto.name ?? "";
  if (has("segment") && proto.segment) {
    _fail(where, "segment", "segment (a tensor split into chunks) is not supported", true);
  }
  const location = proto.dataLocation ?? 0;
  if (location === 1) {
    _fail(
      where,
      "data_location",
      "data_location is EXTERNAL (values in a separate file), which is not supported",
      true,
    );
  }
  if (location !== 0) {
    _fail(
      where,
      "data_location",
      `data_location ${location} is neither DEFAULT (0) nor EXTERNAL (1)`,
    );
  }

  const code = proto.dataType ?? 0;
  const dtype = dtypeFromCode(code);
  if (dtype === undefined) {
    const known = dataTypeName(code);
    if (code === 0) _fail(where, "data_type", "data_type is missing (0, UNDEFINED)");
    if (known === undefined) {
      _fail(where, "data_type", `data_type ${code} is not an ONNX data type`);
    }
    _fail(where, "data_type", `data_type ${code} (${known}) is not supported`, true);
  }

  const dims = readDims(proto.dims ?? [], where);
  const size = checkSize(dims, dtype, where, maxBytes);

  if ((proto.stringData?.length ?? 0) > 0) {
    _fail(where, "string_data", `string_data is set, but data_type ${code} is ${dtype}`);
  }
  const expected = typedFieldOf(dtype);
  for (const field of TYPED_FIELDS) {
    if (field !== expected && (proto[field]?.length ?? 0) > 0) {
      _fail(
        where,
        PROTO_NAME[field],
        `${PROTO_NAME[field]} is set, but ${dtype} values belong in ${
          PROTO_NAME[expected]
        } or raw_data`,
      );
    }
  }
  const typed = (proto[expected] ?? []) as ArrayLike<number | Int64Value>;
  let data: OnnxData;
  if (has("rawData") && proto.rawData) {
    if (typed.length > 0) {
      _fail(where, "raw_data", `raw_data and ${PROTO_NAME[expected]} are both set`);
    }
    const need = size * itemSize(dtype);
    if (proto.rawData.length !== need) {
      _fail(
        where,
        "raw_data",
        `raw_data has ${proto.rawData.length} bytes but dims ${
          formatShape(dims)
        } of ${dtype} need ${need}`,
      );
    }
    data = fromRaw(proto.rawData, dtype, size);
  } else {
    if (typed.length !== size) {
      _fail(
        where,
        PROTO_NAME[expected],
        `${PROTO_NAME[expected]} has ${typed.length} values but dims ${
          formatShape(dims)
        } of ${dtype} need ${size}` + (typed.length === 0 ? " (and raw_data is absent)" : ""),
      );
    }
    data = fromTyped(typed, dtype, size, where, PROTO_NAME[expected]);
  }
  return new OnnxTensor(data, dims, { dtype, name: name === "" ? undefined : name });
}

function readDims(raw: readonly Int64Value[], where: _Where): number[] {
  const dims = raw.map((d) => int64ToBigInt(d));
  const shown = `[${dims.join(", ")}]`;
  for (const d of dims) {
    if (d < 0n) _fail(where, "dims", `dims ${shown} must not be negative`);
    if (d > BigInt(MAX_TENSOR_SIZE)) {
      _fail(where, "dims", `dims ${shown} has an entry larger than ${MAX_TENSOR_SIZE}`);
    }
  }
  return dims.map(Number);
}

// Element count, checked against the element limit and the byte budget before any allocation.
function checkSize(dims: number[], dtype: OnnxDType, where: _Where, maxBytes: number): number {
  let size = 1;
  for (const d of dims) size *= d;
  if (size > MAX_TENSOR_SIZE) {
    _fail(
      where,
      "dims",
      `dims ${formatShape(dims)} hold ${size} elements, more than the limit ${MAX_TENSOR_SIZE}`,
    );
  }
  const bytes = size * itemSize(dtype);
  if (bytes > maxBytes) {
    _fail(
      where,
      "dims",
      `dims ${formatShape(dims)} of ${dtype} need ${bytes} bytes, more than the budget of ` +
        `${maxBytes} bytes (options.maxBytes)`,
    );
  }
  return size;
}

// raw_data is little-endian and may sit at any offset of the file buffer: copy it into a fresh,
// aligned buffer, then view (or convert) it.
function fromRaw(raw: Uint8Array, dtype: OnnxDType, size: number): OnnxData {
  const bytes = new Uint8Array(raw.length);
  bytes.set(raw);
  const width = itemSize(dtype);
  if (!LITTLE_ENDIAN && width > 1) swapBytes(bytes, width);
  switch (dtype) {
    case "float16":
    case "bfloat16": {
      const bits = new Uint16Array(bytes.buffer, 0, size);
      const out = new Float32Array(size);
      const convert = dtype === "float16" ? _halfToNumber : _bfloat16ToNumber;
      for (let i = 0; i < size; i++) out[i] = convert(bits[i]);
      return out;
    }
    case "bool":
      for (let i = 0; i < size; i++) bytes[i] = bytes[i] === 0 ? 0 : 1;
      return bytes;
    default: {
      const Kind = allocateOnnx(dtype, 0).constructor as new (
        buffer: ArrayBuffer,
        offset: number,
        length: number,
      ) => OnnxData;
      return new Kind(bytes.buffer, 0, size);
    }
  }
}

function fromTyped(
  values: ArrayLike<number | Int64Value>,
  dtype: OnnxDType,
  size: number,
  where: _Where,
  field: string,
): OnnxData {
  const out = allocateOnnx(dtype, size);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const unsigned = out instanceof BigUint64Array;
    for (let i = 0; i < size; i++) {
      const v = int64ToBigInt(values[i] as Int64Value);
      // protobufjs reads uint64 as an unsigned Long; a number-valued entry may still be negative.
      out[i] = unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v);
    }
    return out;
  }
  const range = INT_RANGE[dtype];
  const convert = dtype === "float16"
    ? _halfToNumber
    : dtype === "bfloat16"
    ? _bfloat16ToNumber
    : undefined;
  for (let i = 0; i < size; i++) {
    const raw = values[i];
    const v = typeof raw === "number" ? raw : Number(int64ToBigInt(raw));
    if (range && !(v >= range[0] && v <= range[1])) {
      _fail(where, `${field}[${i}]`, `${field}[${i}] = ${v} is out of range for ${dtype}`);
    }
    out[i] = convert ? convert(v) : v;
  }
  return out;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/** Converts an OnnxTensor into a TensorProto message object with little-endian raw_data. */
export function _tensorToProto(tensor: OnnxTensor): TensorFields {
  const { dtype, data } = tensor;
  const size = data.length;
  let raw: Uint8Array;
  if (dtype === "float16" || dtype === "bfloat16") {
    const view = new DataView(new ArrayBuffer(2 * size));
    const convert = dtype === "float16" ? _numberToHalf : _numberToBfloat16;
    for (let i = 0; i < size; i++) view.setUint16(2 * i, convert(data[i] as number), true);
    raw = new Uint8Array(view.buffer);
  } else if (dtype === "bool") {
    raw = Uint8Array.from(data as Uint8Array, (v) => (v === 0 ? 0 : 1));
  } else {
    raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    if (!LITTLE_ENDIAN && itemSize(dtype) > 1) swapBytes(raw, itemSize(dtype));
  }
  const proto: TensorFields = {
    dims: [...tensor.dims],
    dataType: ONNX_DATA_TYPE[dtype],
    rawData: raw,
  };
  if (tensor.name !== undefined) proto.name = tensor.name;
  return proto;
}
