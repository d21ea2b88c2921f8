// Constant (value; value_float(s)/value_int(s) from opset 12), Shape (start/end from opset 15)
// and Cast. Under the executor's `dtype` option float constants and float Cast targets take that
// type, so a whole graph computes in it; under `absolute` float constants are |value|.

import type { DType } from "../../layers/tensor.ts";
import { allocateOnnx, dataTypeName, dtypeFromCode, type OnnxDType } from "../dtype.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { KernelOptions, NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { type Indexable, int64, isFloat } from "./_data.ts";

const CASTABLE: readonly OnnxDType[] = [
  "float32",
  "float64",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "bool",
];

/** Converts elements between the {@linkcode CASTABLE} types (float → int truncates; NaN → 0). */
export function convert(value: OnnxTensor, to: OnnxDType): OnnxTensor {
  if (value.dtype === to) return value;
  const out = allocateOnnx(to, value.size);
  const src = value.data as unknown as Indexable, dst = out as unknown as Indexable;
  const big = to === "int64";
  for (let i = 0; i < value.size; i++) {
    const v = typeof src[i] === "bigint" ? Number(src[i]) : src[i] as number;
    if (to === "bool") dst[i] = v !== 0 ? 1 : 0;
    else if (isFloat(to)) dst[i] = v;
    else {
      const t = Number.isFinite(v) ? Math.trunc(v) : 0;
      dst[i] = big ? BigInt(t) : t;
    }
  }
  return new OnnxTensor(out, value.dims, { dtype: to });
}

/** A float value in the executor's float type, made absolute if asked. */
export function adoptFloat(value: OnnxTensor, options: KernelOptions): OnnxTensor {
  if (!isFloat(value.dtype)) return value;
  const dtype: DType = options.floatType ?? value.dtype;
  let out = value.dtype === dtype ? value : convert(value, dtype);
  if (options.absolute) {
    const data = (out.data as Float32Array | Float64Array).map(Math.abs);
    out = new OnnxTensor(data, out.dims, { dtype });
  }
  return out;
}

/** Constant. */
export const Constant: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([0, 0], [1, 1]);
    const names = ctx.opset >= 12
      ? [
        "value",
        "value_float",
        "value_floats",
        "value_int",
        "value_ints",
        "sparse_value",
        "value_string",
        "value_strings",
      ]
      : ctx.opset >= 11
      ? ["value", "sparse_value"]
      : ["value"];
    ctx.known(names);
    const present = Object.keys(ctx.node.attributes);
    if (present.length !== 1) {
      ctx.malformed("attribute", `exactly one value attribute is required, got ${present.length}`);
    }
    const name = present[0];
    let value: OnnxTensor;
    if (name === "value") value = ctx.tensor("value")!;
    else if (name === "value_float") {
      value = new OnnxTensor(new Float32Array([ctx.float(name, 0)]), []);
    } else if (name === "value_floats") {
      const list = ctx.floats(name)!;
      value = new OnnxTensor(Float32Array.from(list), [list.length]);
    } else if (name === "value_int") value = int64([ctx.int(name, 0)], []);
    else if (name === "value_ints") {
      const list = ctx.ints(name)!;
      value = int64(list, [list.length]);
    } else ctx.unsupported(`attribute ${name} is not supported (sparse and string constants)`);
    if (
      !isFloat(value.dtype) && value.dtype !== "int64" && value.dtype !== "int32" &&
      value.dtype !== "bool"
    ) {
      ctx.unsupported(`constant of dtype ${value.dtype} is not supported`);
    }
    const output = adoptFloat(value, ctx.options);
    return () => ({ outputs: [output], reduction: [0], gradReduction: [] });
  },
};

/** Shape: the input's dims as int64, sliced by start/end (opset 15). */
export const Shape: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(ctx.opset >= 15 ? ["start", "end"] : []);
    const startAttribute = ctx.int("start", 0), endAttribute = ctx.int("end");
    return (inputs) => {
      const x = inputs[0] ?? ctx.typeError(`input 0 is required`);
      const rank = x.dims.length;
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
      const start = clamp(startAttribute), end = clamp(endAttribute ?? rank);
      const dims = x.dims.slice(start, Math.max(start, end));
      return {
        outputs: [int64(dims, [dims.length])],
        reduction: [0],
        gradReduction: [undefined],
      };
    };
  },
};

/** The `TensorProto.DataType` number ONNX names `name` ("FLOAT", "INT64", ...), if any. */
function codeOfName(name: string): number | undefined {
  for (let code = 0; dataTypeName(code) !== undefined; code++) {
    if (dataTypeName(code) === name) return code;
  }
  return undefined;
}

/**
 * Cast between float32/float64, integer types and bool; float ↔ float is differentiable. Cast-1
 * (opsets 1..5) names the target type as a STRING (`"FLOAT"`), later versions by number.
 */
export const Cast: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(ctx.opset >= 19 ? ["to", "saturate"] : ["to"]);
    let code: number | undefined;
    if (ctx.opset < 6) {
      const name = ctx.string("to", "");
      code = codeOfName(name);
      if (code === undefined) {
        ctx.malformed(
          "attribute.to",
          `to must name a TensorProto data type, got ${JSON.stringify(name)}`,
        );
      }
    } else code = ctx.int("to");
    if (code === undefined) ctx.malformed("attribute", `to is required`);
    const target = dtypeFromCode(code);
    if (target === undefined || !CASTABLE.includes(target)) {
      ctx.unsupported(`cast to ${target ?? dataTypeName(code) ?? code} is not supported`);
    }
    // A forced float type wins over the graph's float targets.
    const to: OnnxDType = isFloat(target) ? ctx.options.floatType ?? target : target;
    return (inputs) => {
      const x = inputs[0] ?? ctx.typeError(`input 0 is required`);
      if (!CASTABLE.includes(x.dtype)) {
        ctx.unsupported(`cast from ${x.dtype} is not supported`);
      }
      const y = convert(x, to);
      const differentiable = isFloat(x.dtype) && isFloat(to);
      return {
        outputs: [y],
        reduction: [x.dtype === "float64" && to === "float32" ? 1 : 0],
        gradReduction: [differentiable ? 0 : undefined],
        backward: differentiable ? ([g]) => [g!.astype(x.dtype as DType)] : undefined,
      };
    };
  },
};
