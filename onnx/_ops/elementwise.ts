// Add, Sub, Mul and Div (opset 7+: multidirectional numpy broadcasting). Float operands are
// differentiable (the backward sums over the broadcast axes); integer operands (shape arithmetic
// in exported models) are computed exactly, int64 as bigint, integer Div truncating toward zero
// as ONNX Runtime does.
//
// Opsets 1 to 6 broadcast the legacy way: only with `broadcast = 1`, and only B, whose shape must
// be a contiguous run of A's shape starting at `axis` (suffix matching when `axis` is absent), or
// hold a single element. B is then given A's rank with size-1 axes around that run, after which
// numpy broadcasting computes exactly the legacy result; B's gradient is reshaped back. Within
// the run a size-1 axis of B also broadcasts (B [2, 1] or [1, 3] against A [2, 3], axis 0): the
// spec's text asks for equal dims, but PyTorch's exporter emitted such nodes and ONNX's own
// pytorch-operator data computes them numpy-style, which is what the legacy Caffe2 kernels did.

import { formatShape } from "../../layers/_errors.ts";
import { allocate, Tensor } from "../../layers/tensor.ts";
import { allocateOnnx } from "../dtype.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, NodeRun, OpKernel } from "./_context.ts";
import {
  broadcastMap,
  broadcastShapes,
  broadcastTerms,
  count,
  floatOf,
  isFloat,
  isInteger,
  reduceTo,
  reshaped,
  sameFloat,
  wrap,
} from "./_data.ts";

type Op = "Add" | "Sub" | "Mul" | "Div";

const FLOAT: Record<Op, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
};

const BIG: Record<Op, (a: bigint, b: bigint) => bigint> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
};

/**
 * B's dims under opset < 7 broadcasting, given A's rank: `[1…, B's dims at axis, …1]`, or all 1
 * for a one-element B. Throws naming both shapes when the legacy rule does not hold.
 */
function legacyDims(
  ctx: NodeContext,
  a: readonly number[],
  b: readonly number[],
  broadcast: boolean,
  axisAttribute: number | undefined,
): number[] {
  const shapes = `A ${formatShape(a)} and B ${formatShape(b)}`;
  const rule = `(legacy broadcasting of ${ctx.node.opType}-${ctx.opset < 6 ? 1 : 6})`;
  if (!broadcast) {
    if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
      ctx.typeError(`${shapes} must have the same shape without broadcast = 1 ${rule}`);
    }
    return [...b];
  }
  if (b.length > a.length) ctx.typeError(`B has a higher rank than A: ${shapes} ${rule}`);
  const size = b.reduce((p, d) => p * d, 1);
  if (size === 1) return a.map(() => 1);
  let start = axisAttribute ?? a.length - b.length;
  if (start < 0) start += a.length;
  if (
    start < 0 || start + b.length > a.length || b.some((d, i) => d !== a[start + i] && d !== 1)
  ) {
    ctx.typeError(
      `B's shape must equal A's (or be 1) from axis ${start} on: ${shapes} do not match ${rule}`,
    );
  }
  return [...a.map(() => 1).slice(0, start), ...b, ...a.slice(start + b.length).map(() => 1)];
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * `y[i] = a[i] ∘ b[i]` without index maps: the residual additions and gates of real networks
 * (resnet18 spends a tenth of its forward in Add otherwise). One loop per operator so each stays
 * monomorphic; the values are those of the mapped loop.
 */
function sameShapeLoop(
  math: (a: number, b: number) => number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  y: Float32Array | Float64Array,
): void {
  const n = y.length;
  if (math === FLOAT.Add) { for (let i = 0; i < n; i++) y[i] = a[i] + b[i]; }
  else if (math === FLOAT.Sub) { for (let i = 0; i < n; i++) y[i] = a[i] - b[i]; }
  else if (math === FLOAT.Mul) { for (let i = 0; i < n; i++) y[i] = a[i] * b[i]; }
  else for (let i = 0; i < n; i++) y[i] = math(a[i], b[i]);
}

function kernel(op: Op): OpKernel {
  return {
    since: 1,
    prepare(ctx: NodeContext): NodeForward {
      ctx.arity([2, 2], [1, 1]);
      const legacy = ctx.opset < 7;
      ctx.known(legacy ? ["axis", "broadcast", ...ctx.consumedInputs()] : []);
      const broadcast = legacy && ctx.flag("broadcast", false);
      const axis = legacy ? ctx.int("axis") : undefined;
      // |a| − |b| cancels; the absolute evaluation must bound |a| + |b|.
      const math = op === "Sub" && ctx.options.absolute ? FLOAT.Add : FLOAT[op];
      return (inputs) => {
        const ia = inputs[0];
        let ib = inputs[1];
        if (ia === undefined || ib === undefined) ctx.typeError(`both operands are required`);
        const bDims = ib.dims;
        if (legacy) ib = reshaped(ib, legacyDims(ctx, ia.dims, bDims, broadcast, axis));
        const shape = broadcastShapes(ctx, ia.dims, ib.dims);
        // Equal shapes need no index maps (the residual additions and gates of real networks).
        const same = sameDims(ia.dims, shape) && sameDims(ib.dims, shape);
        const n = count(shape);
        if (!isFloat(ia.dtype) || !isFloat(ib.dtype)) {
          return integerRun(
            ctx,
            op,
            ia,
            ib,
            shape,
            broadcastMap(shape, ia.dims),
            broadcastMap(shape, ib.dims),
          );
        }
        const mapA = same ? undefined : broadcastMap(shape, ia.dims);
        const mapB = same ? undefined : broadcastMap(shape, ib.dims);
        const a = floatOf(ctx, ia, "A"), b = floatOf(ctx, ib, "B");
        sameFloat(ctx, [a, b]);
        const ad = a.data, bd = b.data;
        const y = allocate(n, a.dtype);
        if (mapA === undefined || mapB === undefined) sameShapeLoop(math, ad, bd, y);
        else for (let i = 0; i < y.length; i++) y[i] = math(ad[mapA[i]], bd[mapB[i]]);
        const terms = [broadcastTerms(shape, a.shape), broadcastTerms(shape, b.shape)];
        return {
          outputs: [wrap(new Tensor(y, shape))],
          reduction: [1],
          gradReduction: op === "Add" || op === "Sub"
            ? terms
            : op === "Mul"
            ? [1 + terms[0], 1 + terms[1]]
            : [1 + terms[0], 3 + terms[1]],
          backward: ([g]) => {
            const gd = g!.data;
            const ga = allocate(gd.length, a.dtype), gb = allocate(gd.length, a.dtype);
            const sign = op === "Sub" && !ctx.options.absolute ? -1 : 1;
            for (let i = 0; i < gd.length; i++) {
              const x = ad[mapA ? mapA[i] : i], z = bd[mapB ? mapB[i] : i];
              if (op === "Add" || op === "Sub") {
                ga[i] = gd[i];
                gb[i] = sign * gd[i];
              } else if (op === "Mul") {
                ga[i] = gd[i] * z;
                gb[i] = gd[i] * x;
              } else {
                ga[i] = gd[i] / z;
                gb[i] = -gd[i] * x / (z * z);
              }
            }
            return [
              reduceTo(new Tensor(ga, shape), a.shape),
              reduceTo(new Tensor(gb, shape), b.shape).reshape(bDims),
            ];
          },
        };
      };
    },
  };
}

function integerRun(
  ctx: NodeContext,
  op: Op,
  a: OnnxTensor,
  b: OnnxTensor,
  shape: number[],
  mapA: Int32Array,
  mapB: Int32Array,
): NodeRun {
  if (a.dtype !== b.dtype || !isInteger(a.dtype)) {
    if (!isFloat(a.dtype) && !isInteger(a.dtype)) {
      ctx.unsupported(`operand dtype ${a.dtype} is not supported (float32, float64, integers)`);
    }
    if (!isFloat(b.dtype) && !isInteger(b.dtype)) {
      ctx.unsupported(`operand dtype ${b.dtype} is not supported (float32, float64, integers)`);
    }
    ctx.typeError(`operands must share one dtype, got ${a.dtype} and ${b.dtype}`);
  }
  const out = allocateOnnx(a.dtype, mapA.length);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const x = a.data as BigInt64Array, z = b.data as BigInt64Array, f = BIG[op];
    for (let i = 0; i < out.length; i++) {
      if (op === "Div" && z[mapB[i]] === 0n) ctx.rangeError(`integer division by zero`);
      out[i] = f(x[mapA[i]], z[mapB[i]]);
    }
  } else {
    const x = a.data as Int32Array, z = b.data as Int32Array, f = FLOAT[op];
    const o = out as Int32Array;
    for (let i = 0; i < o.length; i++) {
      if (op === "Div" && z[mapB[i]] === 0) ctx.rangeError(`integer division by zero`);
      o[i] = op === "Div" ? Math.trunc(x[mapA[i]] / z[mapB[i]]) : f(x[mapA[i]], z[mapB[i]]);
    }
  }
  return {
    outputs: [new OnnxTensor(out, shape, { dtype: a.dtype })],
    reduction: [0],
    gradReduction: [undefined, undefined],
  };
}

/** Add. */
export const Add: OpKernel = kernel("Add");
/** Sub. */
export const Sub: OpKernel = kernel("Sub");
/** Mul. */
export const Mul: OpKernel = kernel("Mul");
/** Div. */
export const Div: OpKernel = kernel("Div");
