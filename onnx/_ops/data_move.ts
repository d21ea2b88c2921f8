// Ops that move elements: Transpose (perm, default reversed), Slice (attributes before opset 10,
// inputs from 10; ONNX clamping, negative steps) and Concat. Each is an index map
// `out[i] = in[map[i]]` over any element type; a float input's gradient is the scatter-add back.

import { formatShape } from "../../layers/_errors.ts";
import { allocateOnnx } from "../dtype.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import {
  count,
  gather,
  type Indexable,
  intsOf,
  isFloat,
  pick,
  scatterAdd,
  strideMap,
  stridesOf,
  transposeMap,
} from "./_data.ts";

function first(ctx: NodeContext, inputs: readonly (OnnxTensor | undefined)[]): OnnxTensor {
  const x = inputs[0];
  if (x === undefined) ctx.typeError(`input 0 is required`);
  return x;
}

/** Transpose. */
export const Transpose: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(["perm"]);
    const permAttribute = ctx.ints("perm");
    if (permAttribute !== undefined) {
      const sorted = [...permAttribute].sort((a, b) => a - b);
      if (sorted.some((p, i) => p !== i)) {
        ctx.malformed("attribute.perm", `perm ${formatShape(permAttribute)} is not a permutation`);
      }
    }
    return (inputs) => {
      const x = first(ctx, inputs);
      const rank = x.dims.length;
      const perm = permAttribute ?? x.dims.map((_, i) => rank - 1 - i);
      if (perm.length !== rank) {
        ctx.typeError(`perm ${formatShape(perm)} must have one entry per input axis (${rank})`);
      }
      const map = transposeMap(x.dims, perm);
      const float = isFloat(x.dtype);
      return {
        outputs: [gather(x, map, perm.map((p) => x.dims[p]))],
        reduction: [0],
        gradReduction: [float ? 0 : undefined],
        backward: float ? ([g]) => [scatterAdd(g!, map, x.dims)] : undefined,
      };
    };
  },
};

/** Slice-1 (attributes) and Slice-10+ (inputs starts, ends, axes, steps). */
export const Slice: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const legacy = ctx.opset < 10;
    ctx.arity(legacy ? [1, 1] : [3, 5], [1, 1]);
    ctx.known(legacy ? ["starts", "ends", "axes"] : []);
    if (legacy && (ctx.ints("starts") === undefined || ctx.ints("ends") === undefined)) {
      ctx.malformed("attribute", `starts and ends are required`);
    }
    return (inputs) => {
      const x = first(ctx, inputs);
      const rank = x.dims.length;
      const starts = legacy ? ctx.ints("starts")! : intsOf(ctx, inputs[1], "starts");
      const ends = legacy ? ctx.ints("ends")! : intsOf(ctx, inputs[2], "ends");
      const axesGiven = legacy
        ? ctx.ints("axes")
        : ctx.has(3)
        ? intsOf(ctx, inputs[3], "axes")
        : undefined;
      const steps = !legacy && ctx.has(4) ? intsOf(ctx, inputs[4], "steps") : undefined;
      const axes = axesGiven ?? starts.map((_, i) => i);
      if (
        ends.length !== starts.length || axes.length !== starts.length ||
        (steps !== undefined && steps.length !== starts.length)
      ) {
        ctx.typeError(
          `starts, ends, axes and steps must have equal lengths, got ${starts.length}, ` +
            `${ends.length}, ${axes.length}, ${steps?.length ?? "-"}`,
        );
      }
      const begin = new Array<number>(rank).fill(0);
      const step = new Array<number>(rank).fill(1);
      const outShape = [...x.dims];
      const seen = new Set<number>();
      axes.forEach((axisValue, j) => {
        const axis = ctx.axis("axes", axisValue, rank);
        if (seen.has(axis)) ctx.typeError(`axes ${formatShape(axes)} repeat axis ${axis}`);
        seen.add(axis);
        const dim = x.dims[axis], s = steps?.[j] ?? 1;
        if (s === 0) ctx.rangeError(`steps must not be 0`);
        let start = starts[j], end = ends[j];
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        // ONNX clamping: [0, dim] going forward, [−1, dim − 1] going backward.
        if (s > 0) {
          start = Math.min(Math.max(start, 0), dim);
          end = Math.min(Math.max(end, 0), dim);
        } else {
          start = Math.min(Math.max(start, 0), dim - 1);
          end = Math.min(Math.max(end, -1), dim - 1);
        }
        begin[axis] = start;
        step[axis] = s;
        outShape[axis] = Math.max(0, Math.ceil((end - start) / s));
      });
      const strides = stridesOf(x.dims);
      const base = begin.reduce((sum, b, a) => sum + b * strides[a], 0);
      const map = strideMap(outShape, step.map((s, a) => s * strides[a]), base);
      const float = isFloat(x.dtype);
      const gradReduction: (number | undefined)[] = inputs.map(() => undefined);
      if (float) gradReduction[0] = 0;
      return {
        outputs: [gather(x, map, outShape)],
        reduction: [0],
        gradReduction,
        backward: float ? ([g]) => [scatterAdd(g!, map, x.dims)] : undefined,
      };
    };
  },
};

/** Concat along `axis` (required from opset 4, default 1 before; negative from opset 11). */
export const Concat: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, Infinity], [1, 1]);
    ctx.known(["axis"]);
    const axisAttribute = ctx.opset < 4 ? ctx.int("axis", 1) : ctx.int("axis");
    if (axisAttribute === undefined) ctx.malformed("attribute", `axis is required`);
    return (inputs) => {
      const parts = inputs.map((t, i) => t ?? ctx.typeError(`input ${i} is required`));
      const [x0] = parts;
      const rank = x0.dims.length;
      const axis = ctx.axis("axis", axisAttribute, rank);
      for (const t of parts) {
        if (t.dtype !== x0.dtype) {
          ctx.typeError(`inputs must share one dtype, got ${x0.dtype} and ${t.dtype}`);
        }
        if (t.dims.length !== rank || t.dims.some((d, a) => a !== axis && d !== x0.dims[a])) {
          ctx.typeError(
            `inputs ${formatShape(x0.dims)} and ${formatShape(t.dims)} differ off ` +
              `axis ${axis}`,
          );
        }
      }
      const outShape = [...x0.dims];
      outShape[axis] = parts.reduce((s, t) => s + t.dims[axis], 0);
      // partMaps[p][k]: where element k of part p lands in the output.
      const outer = count(x0.dims.slice(0, axis)), inner = count(x0.dims.slice(axis + 1));
      const partMaps = parts.map((t) => new Int32Array(t.size));
      let o = 0;
      for (let i = 0; i < outer; i++) {
        parts.forEach((t, p) => {
          const block = t.dims[axis] * inner;
          for (let j = 0; j < block; j++) partMaps[p][i * block + j] = o++;
        });
      }
      const out = allocateOnnx(x0.dtype, o);
      const od = out as unknown as Indexable;
      parts.forEach((t, p) => {
        const src = t.data as unknown as Indexable, map = partMaps[p];
        for (let k = 0; k < map.length; k++) od[map[k]] = src[k];
      });
      const float = isFloat(x0.dtype);
      return {
        outputs: [new OnnxTensor(out, outShape, { dtype: x0.dtype })],
        reduction: [0],
        gradReduction: parts.map(() => (float ? 0 : undefined)),
        backward: float ? ([g]) => parts.map((t, p) => pick(g!, partMaps[p], t.dims)) : undefined,
      };
    };
  },
};
