// HardSigmoid (`clamp(alpha·x + beta, 0, 1)`, alpha 0.2 and beta 0.5 by default; PyTorch exports
// its hardsigmoid with alpha = float32(1/6)) and HardSwish-14 (`x·hardsigmoid(x)` with alpha 1/6,
// beta 1/2) on our layers, whose gradients are PyTorch's at the kinks. HardSigmoid-1 only adds
// the no-op `consumed_inputs`.

import { hardsigmoid, hardsigmoidBackward } from "../../layers/hardsigmoid.ts";
import { hardswish, hardswishBackward } from "../../layers/hardswish.ts";
import { allocate, Tensor } from "../../layers/tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { floatOf, wrap } from "./_data.ts";

/** HardSigmoid-1..21. */
export const HardSigmoid: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(["alpha", "beta", ...ctx.consumedInputs()]);
    const alpha = ctx.float("alpha", Math.fround(0.2)), beta = ctx.float("beta", 0.5);
    if (!Number.isFinite(alpha) || !Number.isFinite(beta)) {
      ctx.unsupported(`alpha (${alpha}) and beta (${beta}) must be finite`);
    }
    const options = { alpha, beta };
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      if (ctx.options.absolute) {
        // |alpha|·|x| + |beta| bounds the terms of alpha·x + beta (no clamp: it may cut them).
        return {
          outputs: [wrap(affine(x, Math.abs(alpha), Math.abs(beta)))],
          reduction: [2],
          gradReduction: [1],
          backward: ([g]) => [affine(g!, Math.abs(alpha), 0)],
        };
      }
      return {
        outputs: [wrap(hardsigmoid(x, options))],
        reduction: [2],
        gradReduction: [1],
        backward: ([g]) => [hardsigmoidBackward(g!, { input: x }, options).input],
      };
    };
  },
};

/** HardSwish-14..21. */
export const HardSwish: OpKernel = {
  since: 14,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known([]);
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      if (ctx.options.absolute) {
        // |x|·(|x|/6 + 1/2) and |g|·(|x|/3 + 1/2) bound the unclamped products' terms.
        return {
          outputs: [wrap(magnitude(x, x, 6))],
          reduction: [3],
          gradReduction: [3],
          backward: ([g]) => [magnitude(x, g!, 3)],
        };
      }
      return {
        outputs: [wrap(hardswish(x))],
        reduction: [3],
        gradReduction: [3],
        backward: ([g]) => [hardswishBackward(g!, { input: x }).input],
      };
    };
  },
};

function affine(x: Tensor, a: number, b: number): Tensor {
  const out = allocate(x.size, x.dtype);
  for (let i = 0; i < out.length; i++) out[i] = a * x.data[i] + b;
  return new Tensor(out, x.shape);
}

/** `v·(x/divisor + 1/2)` elementwise (x and v are absolute values here). */
function magnitude(x: Tensor, v: Tensor, divisor: number): Tensor {
  const out = allocate(x.size, x.dtype);
  for (let i = 0; i < out.length; i++) out[i] = v.data[i] * (x.data[i] / divisor + 0.5);
  return new Tensor(out, x.shape);
}
