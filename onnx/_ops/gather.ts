// Gather along `axis` (default 0, negative counting from the back — Gather-1 already allows it;
// negative indices from opset 11, where an index i < 0 reads i + s for an axis of size s):
// `out[a, j…, b] = data[a, indices[j…], b]`, output shape data.shape[:axis] + indices.shape +
// data.shape[axis+1:]. Any element type flows (exported models gather from Shape outputs); a
// float input's gradient is the scatter-add back, so repeated indices accumulate. Indices outside
// the allowed range are a RangeError naming the index.

import { formatShape } from "../../layers/_errors.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { count, gather, intsOf, isFloat, scatterAdd } from "./_data.ts";

/** Gather-1..21. */
export const Gather: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 2], [1, 1]);
    ctx.known(["axis"]);
    const axisAttribute = ctx.int("axis", 0);
    return (inputs) => {
      const [data, indicesValue] = inputs;
      if (data === undefined || indicesValue === undefined) {
        ctx.typeError(`data and indices are required`);
      }
      const rank = data.dims.length;
      if (rank === 0) ctx.typeError(`data must have rank ≥ 1, got a scalar`);
      const axis = ctx.axis("axis", axisAttribute, rank);
      const indices = intsOf(ctx, indicesValue, "indices");
      const size = data.dims[axis];
      const minimum = ctx.opset >= 11 ? -size : 0;
      const resolved = indices.map((v, j) => {
        if (!(v >= minimum && v < size)) {
          ctx.rangeError(
            `indices[${j}] = ${v} is out of range for axis ${axis} of size ${size} (data shape ` +
              `${formatShape(data.dims)}; allowed [${minimum}, ${size - 1}])`,
          );
        }
        return v < 0 ? v + size : v;
      });
      const outer = count(data.dims.slice(0, axis)), inner = count(data.dims.slice(axis + 1));
      const outShape = [
        ...data.dims.slice(0, axis),
        ...indicesValue.dims,
        ...data.dims.slice(axis + 1),
      ];
      const k = resolved.length;
      const map = new Int32Array(outer * k * inner);
      for (let o = 0, at = 0; o < outer; o++) {
        for (let j = 0; j < k; j++) {
          const base = (o * size + resolved[j]) * inner;
          for (let t = 0; t < inner; t++) map[at++] = base + t;
        }
      }
      const float = isFloat(data.dtype);
      // A gradient element sums the output gradients of every repeat of its index.
      const repeats = Math.max(0, ...countRepeats(resolved));
      return {
        outputs: [gather(data, map, outShape)],
        reduction: [0],
        gradReduction: [float ? (repeats > 1 ? repeats : 0) : undefined, undefined],
        backward: float ? ([g]) => [scatterAdd(g!, map, data.dims), undefined] : undefined,
      };
    };
  },
};

function countRepeats(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()];
}
