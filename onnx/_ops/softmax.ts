// Softmax and LogSoftmax. Opset < 13 coerces the input to 2-D at `axis` (default 1) and
// normalises over the flattened trailing block `[Π shape[:axis], Π shape[axis:]]`; opset ≥ 13
// normalises along the one axis `axis` (default −1).

import { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from "../../layers/softmax.ts";
import { allocate, Tensor } from "../../layers/tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { count, floatOf, wrap } from "./_data.ts";

function kernel(log: boolean): OpKernel {
  return {
    since: 1,
    prepare(ctx: NodeContext): NodeForward {
      ctx.arity([1, 1], [1, 1]);
      ctx.known(["axis"]);
      const legacy = ctx.opset < 13;
      const axisAttribute = ctx.int("axis", legacy ? 1 : -1);
      return (inputs) => {
        const x = floatOf(ctx, inputs[0], "input");
        const rank = Math.max(x.rank, 1);
        const axis = ctx.axis("axis", axisAttribute, rank);
        // The normalised view: [outer, n] (legacy) or the input itself along `axis`.
        const view = legacy
          ? x.reshape([count(x.shape.slice(0, axis)), count(x.shape.slice(axis))])
          : x;
        const options = { axis: legacy ? 1 : axis };
        const y = log ? logSoftmax(view, options) : softmax(view, options);
        const n = view.rank === 0 ? 1 : view.shape[options.axis];
        return {
          outputs: [wrap(y.reshape(x.shape))],
          reduction: [n],
          gradReduction: [n],
          backward: ([g]) => {
            const gv = g!.reshape(view.shape);
            let dx: Tensor;
            if (ctx.options.absolute) dx = absoluteBackward(gv, y, options.axis, log);
            else if (log) dx = logSoftmaxBackward(gv, { output: y }, options).input;
            else dx = softmaxBackward(gv, { output: y }, options).input;
            return [dx.reshape(x.shape)];
          },
        };
      };
    },
  };
}

/**
 * The backward with every subtraction turned into an addition — `y·(g + Σ g·y)` and
 * `g + e^y·Σ g` — so that, run on |g|, it bounds the magnitude of the terms the true backward
 * sums (the `A` of the tolerance policy).
 */
function absoluteBackward(g: Tensor, y: Tensor, axis: number, log: boolean): Tensor {
  const shape = y.shape;
  const n = shape.length === 0 ? 1 : shape[axis];
  const inner = count(shape.slice(axis + 1));
  const outer = count(shape.slice(0, axis));
  const dx = allocate(y.size, y.dtype);
  const gd = g.data, yd = y.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const j = base + k * inner;
        sum += log ? gd[j] : gd[j] * yd[j];
      }
      for (let k = 0; k < n; k++) {
        const j = base + k * inner;
        dx[j] = log ? gd[j] + Math.exp(yd[j]) * sum : yd[j] * (gd[j] + sum);
      }
    }
  }
  return new Tensor(dx, shape);
}

/** Softmax. */
export const Softmax: OpKernel = kernel(false);

/** LogSoftmax. */
export const LogSoftmax: OpKernel = kernel(true);
