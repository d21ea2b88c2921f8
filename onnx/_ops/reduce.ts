// ReduceSum and ReduceMean over float tensors, accumulated in float64 and rounded once. The axes
// are an INTS attribute up to ReduceSum-11 / ReduceMean-13 (negative ones count from the back at
// every opset: opset 1 leaves it unsaid, exporters emit them, opset 11 spells it out) and an
// optional int64 input from ReduceSum-13 / ReduceMean-18, which also add noop_with_empty_axes:
// no axes reduce everything, unless that flag makes the node the identity. keepdims (default 1)
// keeps reduced axes as size 1. An empty reduction sums to 0 (its mean is 0/0 = NaN). The
// gradient broadcasts the output gradient back (divided by the reduced count for the mean).

import { formatShape } from "../../layers/_errors.ts";
import { allocate, Tensor } from "../../layers/tensor.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { broadcastMap, count, floatOf, intsOf, wrap } from "./_data.ts";

type Kind = "ReduceSum" | "ReduceMean";

/** The opset from which the axes are an input. */
const AXES_INPUT: Record<Kind, number> = { ReduceSum: 13, ReduceMean: 18 };

function kernel(kind: Kind): OpKernel {
  return {
    since: 1,
    prepare(ctx: NodeContext): NodeForward {
      const axesInput = ctx.opset >= AXES_INPUT[kind];
      ctx.arity(axesInput ? [1, 2] : [1, 1], [1, 1]);
      ctx.known(axesInput ? ["keepdims", "noop_with_empty_axes"] : ["axes", "keepdims"]);
      const keep = ctx.flag("keepdims", true);
      const noop = ctx.flag("noop_with_empty_axes", false);
      const attributeAxes = axesInput ? undefined : ctx.ints("axes");
      return (inputs) => {
        const x = floatOf(ctx, inputs[0], "data");
        let given = attributeAxes;
        if (axesInput && ctx.has(1)) {
          const t = inputs[1] as OnnxTensor;
          if (t.dims.length !== 1) {
            ctx.typeError(`axes must be 1-D, got shape ${formatShape(t.dims)}`);
          }
          given = intsOf(ctx, t, "axes");
        }
        if ((given === undefined || given.length === 0) && noop) {
          return {
            outputs: [wrap(x)],
            reduction: [0],
            gradReduction: inputs.map((_, i) => (i === 0 ? 0 : undefined)),
            backward: ([g]) => [g],
          };
        }
        const rank = x.rank;
        const axes = given === undefined || given.length === 0
          ? x.shape.map((_, i) => i)
          : given.map((a) => ctx.axis("axes", a, rank));
        if (new Set(axes).size !== axes.length) {
          ctx.typeError(`axes ${formatShape(given!)} repeat an axis`);
        }
        const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const outShape = keep ? kept : x.shape.filter((_, i) => !axes.includes(i));
        const reduced = count(axes.map((a) => x.shape[a]));
        // map[i]: the output element input element i sums into.
        const map = broadcastMap(x.shape, kept);
        const acc = new Float64Array(count(kept));
        for (let i = 0; i < map.length; i++) acc[map[i]] += x.data[i];
        const y = allocate(acc.length, x.dtype);
        for (let o = 0; o < acc.length; o++) {
          y[o] = kind === "ReduceMean" ? acc[o] / reduced : acc[o];
        }
        const divisor = kind === "ReduceMean" ? reduced : 1;
        return {
          outputs: [wrap(new Tensor(y, outShape))],
          reduction: [reduced],
          gradReduction: inputs.map((
            _,
            i,
          ) => (i === 0 ? (kind === "ReduceMean" ? 1 : 0) : undefined)),
          backward: ([g]) => {
            const dx = allocate(x.size, x.dtype), gd = g!.data;
            for (let i = 0; i < map.length; i++) dx[i] = gd[map[i]] / divisor;
            return [new Tensor(dx, x.shape)];
          },
        };
      };
    },
  };
}

/** ReduceSum-1..21. */
export const ReduceSum: OpKernel = kernel("ReduceSum");
/** ReduceMean-1..21. */
export const ReduceMean: OpKernel = kernel("ReduceMean");
