// MaxPool (7, 8: Indices + storage_order, 10: ceil_mode + dilations), AveragePool (7:
// count_include_pad, 10: ceil_mode, 19: dilations), GlobalAveragePool and GlobalMaxPool on our
// pooling layers.

import { avgPool, avgPoolBackward, type AvgPoolOptions } from "../../layers/avg_pool.ts";
import {
  globalAvgPool,
  globalAvgPoolBackward,
  globalMaxPool,
  globalMaxPoolBackward,
} from "../../layers/global_pool.ts";
import { maxPoolBackward, type MaxPoolOptions, maxPoolWithIndices } from "../../layers/max_pool.ts";
import { formatShape } from "../../layers/_errors.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { floatOf, wrap } from "./_data.ts";
import {
  checkSpatialRank,
  overlap,
  product,
  type WindowAttributes,
  windowAttributes,
} from "./_window.ts";

/** Window attributes of a pooling node: kernel_shape is required, pads < effective kernel. */
function poolWindow(
  ctx: NodeContext,
): WindowAttributes & { kernelShape: number[]; strides: number[] } {
  const window = windowAttributes(ctx);
  const kernel = window.kernelShape;
  if (kernel === undefined) ctx.malformed("attribute", "kernel_shape is required");
  if (kernel.length < 1 || kernel.length > 3) {
    ctx.unsupported(`kernel_shape ${formatShape(kernel)}: only 1 to 3 spatial axes are supported`);
  }
  if (window.explicit && window.pads !== undefined) {
    const rank = kernel.length;
    for (let i = 0; i < 2 * rank; i++) {
      const axis = i % rank;
      const effective = (window.dilations?.[axis] ?? 1) * (kernel[axis] - 1) + 1;
      if (window.pads[i] >= effective) {
        ctx.unsupported(
          `pads ${formatShape(window.pads)} must be smaller than the effective kernel ` +
            `${effective} on axis ${axis} (ONNX Runtime's rule)`,
        );
      }
    }
  }
  // ONNX's strides default to 1 (PyTorch's, and our layers', to the kernel).
  return { ...window, kernelShape: kernel, strides: window.strides ?? kernel.map(() => 1) };
}

function checkRank(ctx: NodeContext, shape: readonly number[], kernel: readonly number[]): void {
  checkSpatialRank(ctx, shape, "X");
  if (shape.length - 2 !== kernel.length) {
    ctx.typeError(
      `X ${formatShape(shape)} has ${shape.length - 2} spatial axes but kernel_shape ` +
        `${formatShape(kernel)} has ${kernel.length}`,
    );
  }
}

/**
 * ONNX MaxPool Indices: the flat index over the whole input, `(n·C + c)·plane + offset`, with the
 * offset row-major (storage_order 0) or column-major (1) within the plane.
 */
function onnxIndices(
  planeOffsets: Int32Array,
  spatial: readonly number[],
  outPlane: number,
  columnMajor: boolean,
): OnnxTensor["data"] {
  const plane = product(spatial);
  const out = new BigInt64Array(planeOffsets.length);
  for (let i = 0; i < planeOffsets.length; i++) {
    let offset = planeOffsets[i];
    if (offset >= 0 && columnMajor) {
      let rest = offset, col = 0, scale = 1;
      const index = new Array<number>(spatial.length);
      for (let a = spatial.length - 1; a >= 0; a--) {
        index[a] = rest % spatial[a];
        rest = Math.floor(rest / spatial[a]);
      }
      for (let a = 0; a < spatial.length; a++) {
        col += index[a] * scale;
        scale *= spatial[a];
      }
      offset = col;
    }
    out[i] = BigInt(offset < 0 ? -1 : Math.floor(i / outPlane) * plane + offset);
  }
  return out;
}

/** MaxPool with the optional Indices output (int64). */
export const MaxPool: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const { opset } = ctx;
    ctx.arity([1, 1], [1, opset >= 8 ? 2 : 1]);
    ctx.known([
      "auto_pad",
      "kernel_shape",
      "pads",
      "strides",
      ...(opset >= 8 ? ["storage_order"] : []),
      ...(opset >= 10 ? ["ceil_mode", "dilations"] : []),
    ]);
    const window = poolWindow(ctx);
    const columnMajor = ctx.flag("storage_order", false);
    const options: MaxPoolOptions = {
      kernelSize: window.kernelShape,
      stride: window.strides,
      dilation: window.dilations,
      padding: window.padding,
      ceilMode: ctx.flag("ceil_mode", false),
      impl: ctx.options.impl,
    };
    const kernel = window.kernelShape;
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      checkRank(ctx, x.shape, kernel);
      const { output, indices } = maxPoolWithIndices(x, options);
      const outputs: (OnnxTensor | undefined)[] = [wrap(output)];
      if (ctx.wants(1)) {
        const outPlane = product(output.shape.slice(2));
        const data = onnxIndices(indices, x.shape.slice(2), outPlane, columnMajor);
        outputs.push(new OnnxTensor(data, output.shape));
      }
      return {
        outputs,
        reduction: outputs.map(() => 0),
        gradReduction: [overlap(kernel, window.strides, window.dilations)],
        backward: ([g]) => [maxPoolBackward(g!, { input: x, indices }, options).input],
      };
    };
  },
};

/** AveragePool; count_include_pad defaults to 0 in ONNX (our layer's default is PyTorch's 1). */
export const AveragePool: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const { opset } = ctx;
    ctx.arity([1, 1], [1, 1]);
    ctx.known([
      "auto_pad",
      "kernel_shape",
      "pads",
      "strides",
      ...(opset >= 7 ? ["count_include_pad"] : []),
      ...(opset >= 10 ? ["ceil_mode"] : []),
      ...(opset >= 19 ? ["dilations"] : []),
    ]);
    const window = poolWindow(ctx);
    const options: AvgPoolOptions = {
      kernelSize: window.kernelShape,
      stride: window.strides,
      dilation: window.dilations,
      padding: window.padding,
      ceilMode: ctx.flag("ceil_mode", false),
      countIncludePad: ctx.flag("count_include_pad", false),
      impl: ctx.options.impl,
    };
    const kernel = window.kernelShape;
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      checkRank(ctx, x.shape, kernel);
      const y = avgPool(x, options);
      return {
        outputs: [wrap(y)],
        reduction: [product(kernel)],
        gradReduction: [overlap(kernel, window.strides, window.dilations)],
        backward: ([g]) => [avgPoolBackward(g!, { input: x }, options).input],
      };
    };
  },
};

/** GlobalAveragePool: the mean of each `(n, c)` plane. */
export const GlobalAveragePool: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known([]);
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      if (x.rank < 3) ctx.typeError(`X must be [N, C, *spatial], got ${formatShape(x.shape)}`);
      const y = globalAvgPool(x);
      return {
        outputs: [wrap(y)],
        reduction: [product(x.shape.slice(2))],
        gradReduction: [1],
        backward: ([g]) => [globalAvgPoolBackward(g!, { input: x }).input],
      };
    };
  },
};

/** GlobalMaxPool: the maximum of each `(n, c)` plane (first maximum, NaN wins). */
export const GlobalMaxPool: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known([]);
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "X");
      if (x.rank < 3) ctx.typeError(`X must be [N, C, *spatial], got ${formatShape(x.shape)}`);
      const y = globalMaxPool(x);
      return {
        outputs: [wrap(y)],
        reduction: [0],
        gradReduction: [0],
        backward: ([g]) => [globalMaxPoolBackward(g!, { input: x }).input],
      };
    };
  },
};
