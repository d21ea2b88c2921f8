// Conv and ConvTranspose (opset 1/11; the attributes did not change meaning in 1..21, except
// how ConvTranspose splits an odd padding derived from output_shape, refused below 11) on our
// `conv` / `convTranspose` layers.

import { conv, convBackward, type ConvOptions } from "../../layers/conv.ts";
import {
  convTranspose,
  convTransposeBackward,
  type ConvTransposeOptions,
} from "../../layers/conv_transpose.ts";
import { formatShape } from "../../layers/_errors.ts";
import { transposedGeometry } from "../../layers/_geometry.ts";
import type { Tensor } from "../../layers/tensor.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { floatOf, sameFloat, wrap } from "./_data.ts";
import { checkExtentCaps, checkSpatialRank, product, windowAttributes } from "./_window.ts";

/**
 * ConvTranspose-1 (opsets 1..10) splits an odd total padding derived from output_shape the other
 * way round than ConvTranspose-11, for every auto_pad (1: the extra pad at the end unless
 * SAME_UPPER; 11: at the end only for SAME_UPPER). Only even totals, where both agree, run.
 */
function legacySplit(
  ctx: NodeContext,
  x: Tensor,
  kernel: number[],
  options: ConvTransposeOptions,
): void {
  const { padBegin, padEnd } = transposedGeometry(
    "ConvTranspose",
    x.shape.slice(2),
    kernel,
    options,
  );
  padBegin.forEach((begin, i) => {
    const total = begin + padEnd[i];
    if (total % 2 === 1) {
      ctx.unsupported(
        `output_shape ${formatShape(options.outputSize ?? [])} leaves an odd total padding ` +
          `(${total}) on axis ${i}, which ConvTranspose-1 (opset ${ctx.opset}) splits the other ` +
          `way round than ConvTranspose-11`,
      );
    }
  });
}

const CONV_ATTRIBUTES = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"];

/** Reads X, W and the optional B, checking the kernel shape attribute against W. */
function operands(
  ctx: NodeContext,
  inputs: readonly (OnnxTensor | undefined)[],
  kernelShape: number[] | undefined,
): { x: Tensor; w: Tensor; b: Tensor | undefined; kernel: number[] } {
  const x = floatOf(ctx, inputs[0], "X");
  const w = floatOf(ctx, inputs[1], "W");
  const b = ctx.has(2) ? floatOf(ctx, inputs[2], "B") : undefined;
  sameFloat(ctx, [x, w, b]);
  checkSpatialRank(ctx, x.shape, "X");
  const kernel = w.shape.slice(2);
  if (kernelShape !== undefined && kernelShape.join() !== kernel.join()) {
    ctx.typeError(
      `kernel_shape ${formatShape(kernelShape)} differs from the weight's spatial shape ` +
        formatShape(kernel),
    );
  }
  return { x, w, b, kernel };
}

function group(ctx: NodeContext): number {
  const groups = ctx.int("group", 1);
  if (groups < 1) ctx.unsupported(`group must be positive, got ${groups}`);
  return groups;
}

/** Conv: `y = x ⋆ w + b`, weight `[M, C / group, *kernel]`. */
export const Conv: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 3], [1, 1]);
    ctx.known(CONV_ATTRIBUTES);
    const window = windowAttributes(ctx);
    const groups = group(ctx);
    return (inputs) => {
      const { x, w, b, kernel } = operands(ctx, inputs, window.kernelShape);
      const options: ConvOptions = {
        stride: window.strides,
        dilation: window.dilations,
        padding: window.padding,
        groups,
        bias: b,
        impl: ctx.options.impl,
      };
      const y = conv(x, w, options);
      const taps = product(kernel);
      const [batch, inChannels] = x.shape;
      const outPlane = product(y.shape.slice(2));
      return {
        outputs: [wrap(y)],
        reduction: [(inChannels / groups) * taps + (b ? 1 : 0)],
        gradReduction: [(w.shape[0] / groups) * taps, batch * outPlane, batch * outPlane],
        backward: ([g]) => {
          const grads = convBackward(g!, { input: x, weight: w }, options);
          return [grads.input, grads.weight, grads.bias];
        },
      };
    };
  },
};

/**
 * ConvTranspose: weight `[C, M / group, *kernel]`, with output_padding and output_shape.
 * `output_shape` (spatial, or full `[N, M, ...]`) derives the pads with the extra one at the
 * end, as ONNX Runtime does (at the start with SAME_LOWER).
 */
export const ConvTranspose: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 3], [1, 1]);
    ctx.known([...CONV_ATTRIBUTES, "output_padding", "output_shape"]);
    const window = windowAttributes(ctx);
    const groups = group(ctx);
    const outputPadding = ctx.ints("output_padding");
    const outputShape = ctx.ints("output_shape");
    if (outputPadding?.some((p) => p < 0)) {
      ctx.unsupported(`output_padding must be non-negative, got ${formatShape(outputPadding)}`);
    }
    if (outputShape?.some((d) => d < 1)) {
      ctx.unsupported(`output_shape must be positive, got ${formatShape(outputShape)}`);
    }
    checkExtentCaps(ctx, [["output_padding", outputPadding], ["output_shape", outputShape]]);
    return (inputs) => {
      const { x, w, b, kernel } = operands(ctx, inputs, window.kernelShape);
      const rank = x.rank - 2;
      let outputSize: number[] | undefined;
      if (outputShape !== undefined) {
        if (outputShape.length !== rank && outputShape.length !== rank + 2) {
          ctx.typeError(
            `output_shape ${formatShape(outputShape)} must have ${rank} (spatial) or ${
              rank + 2
            } entries for input shape ${formatShape(x.shape)}`,
          );
        }
        outputSize = outputShape.slice(outputShape.length - rank);
      }
      const options: ConvTransposeOptions = {
        stride: window.strides,
        dilation: window.dilations,
        // With output_shape the pads are derived by transposedGeometry (the ONNX spec split: the
        // odd extra pad at the end for SAME_UPPER, at the start otherwise; an output_shape above
        // the natural size adds its excess at the end, as ONNX Runtime does).
        padding: window.padding,
        outputPadding,
        outputSize,
        groups,
        bias: b,
        impl: ctx.options.impl,
      };
      if (ctx.opset < 11 && outputSize !== undefined) legacySplit(ctx, x, kernel, options);
      const y = convTranspose(x, w, options);
      const taps = product(kernel);
      const [batch, inChannels] = x.shape;
      const outChannels = y.shape[1];
      const inPlane = product(x.shape.slice(2)), outPlane = product(y.shape.slice(2));
      return {
        outputs: [wrap(y)],
        // An upper bound: with stride > 1 fewer taps land on each output element.
        reduction: [(inChannels / groups) * taps + (b ? 1 : 0)],
        gradReduction: [(outChannels / groups) * taps, batch * inPlane, batch * outPlane],
        backward: ([g]) => {
          const grads = convTransposeBackward(g!, { input: x, weight: w }, options);
          return [grads.input, grads.weight, grads.bias];
        },
      };
    };
  },
};
