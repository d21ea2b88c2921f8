// Relu, LeakyRelu (alpha, default 0.01), Sigmoid and Tanh on our activation layers. Their
// attributes have not changed meaning since opset 1, whose versions only add the no-op
// `consumed_inputs` (dropped at opset 6).

import { leakyRelu, leakyReluBackward } from "../../layers/leaky_relu.ts";
import { relu, reluBackward } from "../../layers/relu.ts";
import { sigmoid, sigmoidBackward } from "../../layers/sigmoid.ts";
import { tanh, tanhBackward } from "../../layers/tanh.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { floatOf, wrap } from "./_data.ts";

/** Relu: `max(x, 0)`. */
export const Relu: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(ctx.consumedInputs());
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      return {
        outputs: [wrap(relu(x))],
        reduction: [0],
        gradReduction: [0],
        backward: ([g]) => [reluBackward(g!, { input: x }).input],
      };
    };
  },
};

/** LeakyRelu: `x > 0 ? x : alpha·x`; alpha defaults to float32 0.01 as ONNX Runtime's. */
export const LeakyRelu: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(["alpha", ...ctx.consumedInputs()]);
    const alpha = ctx.float("alpha", Math.fround(0.01));
    const options = { negativeSlope: ctx.options.absolute ? Math.abs(alpha) : alpha };
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      return {
        outputs: [wrap(leakyRelu(x, options))],
        reduction: [1],
        gradReduction: [1],
        backward: ([g]) => [leakyReluBackward(g!, { input: x }, options).input],
      };
    };
  },
};

/** Sigmoid: `1 / (1 + e^−x)`. */
export const Sigmoid: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(ctx.consumedInputs());
    return (inputs) => {
      const y = sigmoid(floatOf(ctx, inputs[0], "X"));
      return {
        outputs: [wrap(y)],
        reduction: [1],
        gradReduction: [2],
        backward: ([g]) => [sigmoidBackward(g!, { output: y }).input],
      };
    };
  },
};

/** Tanh. */
export const Tanh: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(ctx.consumedInputs());
    return (inputs) => {
      const y = tanh(floatOf(ctx, inputs[0], "X"));
      return {
        outputs: [wrap(y)],
        reduction: [1],
        gradReduction: [2],
        backward: ([g]) => [tanhBackward(g!, { output: y }).input],
      };
    };
  },
};
