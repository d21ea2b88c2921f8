// Expand-8..21: broadcasts the input to `shape` bidirectionally (numpy rules; a 1 in `shape`
// keeps the input's size, so the output may have more elements than `shape` says). Any element
// type flows; a float input's gradient sums over the broadcast axes.

import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import {
  broadcastMap,
  broadcastShapes,
  broadcastTerms,
  gather,
  intsOf,
  isFloat,
  reduceTo,
} from "./_data.ts";

/** Expand-8..21. */
export const Expand: OpKernel = {
  since: 8,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 2], [1, 1]);
    ctx.known([]);
    return (inputs) => {
      const [x, shapeValue] = inputs;
      if (x === undefined || shapeValue === undefined) {
        ctx.typeError(`input and shape are required`);
      }
      if (shapeValue.dims.length !== 1) {
        ctx.typeError(`shape must be 1-D, got dims [${shapeValue.dims.join(", ")}]`);
      }
      const requested = intsOf(ctx, shapeValue, "shape");
      if (requested.some((d) => d < 0)) {
        ctx.rangeError(`shape [${requested.join(", ")}] must not hold negative sizes`);
      }
      const outShape = broadcastShapes(ctx, x.dims, requested);
      const map = broadcastMap(outShape, x.dims);
      const float = isFloat(x.dtype);
      return {
        outputs: [gather(x, map, outShape)],
        reduction: [0],
        gradReduction: [float ? broadcastTerms(outShape, x.dims) : undefined, undefined],
        backward: float ? ([g]) => [reduceTo(g!, x.dims), undefined] : undefined,
      };
    };
  },
};
