// Tensor plumbing shared by the node kernels: float/int views of ONNX values, index maps for
// data movement (transpose, slice, broadcast) and their gradient scatters. A data-movement op is
// an index map `out[i] = in[map[i]]`; its gradient is the scatter-add `dx[map[i]] += g[i]`.

import { formatShape } from "../../layers/_errors.ts";
import { allocate, type DType, Tensor } from "../../layers/tensor.ts";
import { allocateOnnx, type OnnxDType } from "../dtype.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext } from "./_context.ts";

/** Any typed array seen as indexable elements (bigint for 64-bit integer types). */
export type Indexable = { [i: number]: number | bigint; readonly length: number };

/** Element count of a shape. */
export function count(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = s;
    s *= shape[axis];
  }
  return strides;
}

/** Whether a dtype flows through the float layers. */
export function isFloat(dtype: OnnxDType): dtype is DType {
  return dtype === "float32" || dtype === "float64";
}

/** Whether a dtype is an integer type whose values fit a JS number for shapes and indices. */
export function isInteger(dtype: OnnxDType): boolean {
  return dtype === "int64" || dtype === "int32" || dtype === "int16" || dtype === "int8" ||
    dtype === "uint8" || dtype === "uint16" || dtype === "uint32" || dtype === "uint64";
}

/**
 * The layer tensor of a float input. Other element types (float16, integers) are valid ONNX for
 * many operators but not implemented here: UnsupportedOpError naming the dtype.
 */
export function floatOf(ctx: NodeContext, value: OnnxTensor | undefined, what: string): Tensor {
  if (value === undefined) ctx.typeError(`${what} is required`);
  if (!isFloat(value.dtype)) {
    ctx.unsupported(`${what} has dtype ${value.dtype}; only float32 and float64 are supported`);
  }
  return value.toTensor();
}

/** Checks that float operands share one dtype (ONNX's type constraint T). */
export function sameFloat(ctx: NodeContext, tensors: readonly (Tensor | undefined)[]): void {
  const first = tensors.find((t) => t !== undefined);
  for (const t of tensors) {
    if (t !== undefined && first !== undefined && t.dtype !== first.dtype) {
      ctx.typeError(`float inputs must share one dtype, got ${first.dtype} and ${t.dtype}`);
    }
  }
}

/** Wraps a layer tensor as an ONNX value. */
export function wrap(t: Tensor): OnnxTensor {
  return OnnxTensor.fromTensor(t);
}

/** The values of an integer tensor (shape, axes, indices) as numbers. */
export function intsOf(ctx: NodeContext, value: OnnxTensor | undefined, what: string): number[] {
  if (value === undefined) ctx.typeError(`${what} is required`);
  if (value.dtype !== "int64" && value.dtype !== "int32") {
    ctx.typeError(`${what} must be int64 (or int32), got ${value.dtype}`);
  }
  return Array.from(value.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** An int64 tensor of the given values. */
export function int64(values: readonly number[], dims: readonly number[]): OnnxTensor {
  return new OnnxTensor(BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

/** `out[i] = src[map[i]]` for any element type. */
export function gather(src: OnnxTensor, map: Int32Array, dims: readonly number[]): OnnxTensor {
  const out = allocateOnnx(src.dtype, map.length);
  const o = out as unknown as Indexable, s = src.data as unknown as Indexable;
  for (let i = 0; i < map.length; i++) o[i] = s[map[i]];
  return new OnnxTensor(out, dims, { dtype: src.dtype });
}

/** `out[i] = g[map[i]]` for a float tensor. */
export function pick(g: Tensor, map: Int32Array, shape: readonly number[]): Tensor {
  const out = allocate(map.length, g.dtype);
  const gd = g.data;
  for (let i = 0; i < map.length; i++) out[i] = gd[map[i]];
  return new Tensor(out, shape);
}

/** Copies a value under new dims (any element type). */
export function reshaped(src: OnnxTensor, dims: readonly number[]): OnnxTensor {
  return new OnnxTensor(src.data, dims, { dtype: src.dtype });
}

/**
 * The gradient of `out[i] = in[map[i]]`: `dx[map[i]] += g[i]`, accumulated in float64 and
 * rounded once. Entries of `map` below 0 are skipped.
 */
export function scatterAdd(g: Tensor, map: Int32Array, shape: readonly number[]): Tensor {
  const acc = new Float64Array(count(shape));
  const gd = g.data;
  for (let i = 0; i < map.length; i++) if (map[i] >= 0) acc[map[i]] += gd[i];
  const out = allocate(acc.length, g.dtype);
  out.set(acc);
  return new Tensor(out, shape);
}

/** The map of a transpose: output flat index → input flat index. */
export function transposeMap(inShape: readonly number[], perm: readonly number[]): Int32Array {
  const outShape = perm.map((p) => inShape[p]);
  const inStrides = stridesOf(inShape);
  const step = perm.map((p) => inStrides[p]);
  return strideMap(outShape, step, 0);
}

/**
 * The map `out index → base + Σ index[axis]·step[axis]` over an output shape (row-major); the
 * workhorse of transpose, slice and broadcast maps.
 */
export function strideMap(
  outShape: readonly number[],
  step: readonly number[],
  base: number,
): Int32Array {
  const map = new Int32Array(count(outShape));
  const rank = outShape.length;
  if (map.length === 0) return map;
  const index = new Array<number>(rank).fill(0);
  let offset = base;
  for (let i = 0; i < map.length; i++) {
    map[i] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      offset += step[axis];
      if (index[axis] < outShape[axis]) break;
      offset -= step[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return map;
}

/** numpy broadcasting of two shapes, or a TypeError naming both. */
export function broadcastShapes(
  ctx: NodeContext,
  a: readonly number[],
  b: readonly number[],
): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1, db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      ctx.typeError(
        `shapes ${formatShape(a)} and ${
          formatShape(b)
        } do not broadcast (axis ${i}: ${da} vs ${db})`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each element of `outShape`, the element of `inShape` (right-aligned) broadcast to it. */
export function broadcastMap(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const lead = outShape.length - inShape.length;
  const inStrides = stridesOf(inShape);
  const step = outShape.map((_, axis) => {
    const a = axis - lead;
    return a < 0 || inShape[a] === 1 ? 0 : inStrides[a];
  });
  return strideMap(outShape, step, 0);
}

/** Sums a gradient over the axes along which `shape` was broadcast to `g.shape`. */
export function reduceTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  return scatterAdd(g, broadcastMap(g.shape, shape), shape);
}

/** `a + b` elementwise (same shape), a new tensor: gradients of a fan-out add up. */
export function addGrad(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.size, a.dtype);
  const x = a.data, y = b.data;
  for (let i = 0; i < out.length; i++) out[i] = x[i] + y[i];
  return new Tensor(out, a.shape);
}

/** Elementwise absolute value of a float tensor, a new tensor. */
export function absolute(t: Tensor): Tensor {
  const out = allocate(t.size, t.dtype);
  const x = t.data;
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(x[i]);
  return new Tensor(out, t.shape);
}

/** Number of terms one element of a gradient reduced from `outShape` to `inShape` sums. */
export function broadcastTerms(outShape: readonly number[], inShape: readonly number[]): number {
  const ratio = count(outShape) / Math.max(count(inShape), 1);
  return ratio > 1 ? ratio : 0;
}
