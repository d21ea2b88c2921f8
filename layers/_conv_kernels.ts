// The one typed dispatcher between the reference and fast convolution kernels, and the per-channel
// bias helpers both paths share. Convolution and transposed convolution both go through here.

import {
  backwardInputReference,
  backwardWeightReference,
  forwardReference,
} from "./_conv_reference.ts";
import { backwardInputFast, backwardWeightFast, forwardFast } from "./_conv_fast.ts";
import type { ConvPlan } from "./_conv_plan.ts";
import type { Impl } from "./_impl.ts";
import type { FloatArray } from "./tensor.ts";

/** The three kernels of a convolution on a {@linkcode ConvPlan}; each overwrites its output. */
export interface ConvKernels {
  /** y = conv(x, w) + bias. */
  forward(
    p: ConvPlan,
    x: FloatArray,
    w: FloatArray,
    bias: FloatArray | undefined,
    y: FloatArray,
  ): void;
  /** dx from dy and w. */
  backwardInput(p: ConvPlan, dy: FloatArray, w: FloatArray, dx: FloatArray): void;
  /** dw from x and dy. */
  backwardWeight(p: ConvPlan, x: FloatArray, dy: FloatArray, dw: FloatArray): void;
}

/** The kernels of each implementation. */
export const CONV_KERNELS: Readonly<Record<Impl, ConvKernels>> = {
  reference: {
    forward: forwardReference,
    backwardInput: backwardInputReference,
    backwardWeight: backwardWeightReference,
  },
  fast: {
    forward: forwardFast,
    backwardInput: backwardInputFast,
    backwardWeight: backwardWeightFast,
  },
};

/** Adds `bias[c]` to every element of channel c of a `[batch, channels, plane]` array. */
export function addChannelBias(
  data: FloatArray,
  batch: number,
  channels: number,
  plane: number,
  bias: FloatArray,
): void {
  let index = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const b = bias[c];
      for (let i = 0; i < plane; i++) data[index++] += b;
    }
  }
}

/** out[c] = Σ over batch and plane of channel c (the bias gradient), summed in float64. */
export function sumChannels(
  data: FloatArray,
  batch: number,
  channels: number,
  plane: number,
  out: FloatArray,
): void {
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let i = start; i < start + plane; i++) sum += data[i];
    }
    out[c] = sum;
  }
}
