// Validation at the public boundary of convolution and transposed convolution, and the one
// rank-generic description both implementations run on: a 1-D or 2-D problem is lifted to 3-D by
// prepending spatial axes of size 1 (kernel 1, stride 1, dilation 1, pad 0), so there is a single
// reference kernel and a single fast kernel for every rank. Sizes come from `_geometry.ts` only.

import { formatShape, formatValue, rangeError, typeError } from "./_errors.ts";
import type { Geometry } from "./_geometry.ts";
import { Tensor } from "./tensor.ts";

/**
 * A forward convolution `x [N, inChannels, inD, inH, inW] ∗ w [outChannels, inChannels / groups,
 * kD, kH, kW] → y [N, outChannels, outD, outH, outW]`, lifted to three spatial axes. Only the
 * begin pads are kept: the output size already accounts for the end pads.
 */
export interface ConvPlan {
  readonly batch: number;
  readonly groups: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly inD: number;
  readonly inH: number;
  readonly inW: number;
  readonly outD: number;
  readonly outH: number;
  readonly outW: number;
  readonly kD: number;
  readonly kH: number;
  readonly kW: number;
  readonly sD: number;
  readonly sH: number;
  readonly sW: number;
  readonly dD: number;
  readonly dH: number;
  readonly dW: number;
  readonly pD: number;
  readonly pH: number;
  readonly pW: number;
}

/**
 * Lifts a geometry (rank 1..3) and channel counts to a 3-D {@linkcode ConvPlan}.
 *
 * @param g Geometry of the forward convolution (for a transposed convolution: the one whose input
 * gradient it is).
 */
export function liftPlan(
  g: Geometry,
  batch: number,
  inChannels: number,
  outChannels: number,
  groups: number,
): ConvPlan {
  const lead = 3 - g.rank;
  const at = (list: readonly number[], axis: number, fill: number): number =>
    axis < lead ? fill : list[axis - lead];
  return {
    batch,
    groups,
    inChannels,
    outChannels,
    inD: at(g.inSize, 0, 1),
    inH: at(g.inSize, 1, 1),
    inW: at(g.inSize, 2, 1),
    outD: at(g.outSize, 0, 1),
    outH: at(g.outSize, 1, 1),
    outW: at(g.outSize, 2, 1),
    kD: at(g.kernel, 0, 1),
    kH: at(g.kernel, 1, 1),
    kW: at(g.kernel, 2, 1),
    sD: at(g.stride, 0, 1),
    sH: at(g.stride, 1, 1),
    sW: at(g.stride, 2, 1),
    dD: at(g.dilation, 0, 1),
    dH: at(g.dilation, 1, 1),
    dW: at(g.dilation, 2, 1),
    pD: at(g.padBegin, 0, 0),
    pH: at(g.padBegin, 1, 0),
    pW: at(g.padBegin, 2, 0),
  };
}

/** `"conv2d"`, `"convTranspose3d"`, ...: the op name by spatial rank, or the bare prefix. */
export function opName(prefix: string, input: unknown): string {
  if (input instanceof Tensor && input.rank >= 3 && input.rank <= 5) {
    return `${prefix}${input.rank - 2}d`;
  }
  return prefix;
}

/** Throws unless `value` is a {@linkcode Tensor}. */
export function checkTensor(op: string, name: string, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    typeError(op, `${name} must be a Tensor, got ${value === null ? "null" : typeof value}`);
  }
}

/** Throws unless `options` is an object or undefined. */
export function checkOptions(op: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    typeError(op, `options must be an object, got ${formatValue(options)}`);
  }
}

/**
 * Checks what a convolution and a transposed convolution share: input rank 3..5, weight of the
 * same rank and dtype with positive channel axes, and a positive integer `groups`.
 *
 * @param weightLayout The weight layout for messages, e.g. `[Cout, Cin / groups, kH, kW]`.
 * @returns `groups`, validated.
 */
export function checkInputWeight(
  op: string,
  input: unknown,
  weight: unknown,
  groups: unknown,
  weightLayout: (rank: number) => string,
): number {
  checkTensor(op, "input", input);
  checkTensor(op, "weight", weight);
  if (input.rank < 3 || input.rank > 5) {
    typeError(
      op,
      `input must have rank 3, 4 or 5 ([N, C, L], [N, C, H, W] or [N, C, D, H, W]), got shape ` +
        formatShape(input.shape),
    );
  }
  if (input.shape.slice(2).some((d) => d === 0)) {
    // PyTorch: "Only zero batch or zero channel inputs are supported".
    rangeError(
      op,
      `input spatial sizes must be positive (only the batch may be empty), got shape ` +
        formatShape(input.shape),
    );
  }
  if (weight.rank !== input.rank) {
    typeError(
      op,
      `weight must have rank ${input.rank} like the input (${weightLayout(input.rank - 2)}), ` +
        `got shape ${formatShape(weight.shape)}`,
    );
  }
  if (weight.dtype !== input.dtype) {
    typeError(op, `weight dtype (${weight.dtype}) must equal input dtype (${input.dtype})`);
  }
  if (weight.shape[0] < 1 || weight.shape[1] < 1) {
    typeError(
      op,
      `weight must have at least one channel on axes 0 and 1, got shape ${
        formatShape(weight.shape)
      }`,
    );
  }
  const g = groups ?? 1;
  if (typeof g !== "number" || !Number.isInteger(g)) {
    typeError(op, `groups must be an integer, got ${formatValue(g)}`);
  }
  if (g < 1) rangeError(op, `groups must be positive, got ${g}`);
  return g;
}

/** Throws unless `bias` is undefined or a `[channels]` tensor of the input's dtype. */
export function checkBias(op: string, bias: unknown, channels: number, input: Tensor): void {
  if (bias === undefined) return;
  checkTensor(op, "bias", bias);
  if (bias.rank !== 1 || bias.shape[0] !== channels) {
    typeError(
      op,
      `bias must have shape [${channels}] (one per output channel), got ${formatShape(bias.shape)}`,
    );
  }
  if (bias.dtype !== input.dtype) {
    typeError(op, `bias dtype (${bias.dtype}) must equal input dtype (${input.dtype})`);
  }
}

/**
 * Throws unless `saved` holds `input` and `weight` tensors; returns them.
 */
export function checkSaved(op: string, saved: unknown): { input: Tensor; weight: Tensor } {
  if (saved === null || typeof saved !== "object") {
    typeError(op, `saved must be an object { input, weight }, got ${formatValue(saved)}`);
  }
  const { input, weight } = saved as { input?: unknown; weight?: unknown };
  checkTensor(op, "saved.input", input);
  checkTensor(op, "saved.weight", weight);
  return { input, weight };
}

/** Throws unless `gradOutput` is a tensor of `shape` and of the input's dtype. */
export function checkGradOutput(
  op: string,
  gradOutput: unknown,
  shape: readonly number[],
  input: Tensor,
): asserts gradOutput is Tensor {
  checkTensor(op, "gradOutput", gradOutput);
  const same = gradOutput.rank === shape.length && gradOutput.shape.every((d, i) => d === shape[i]);
  if (!same) {
    typeError(
      op,
      `gradOutput shape ${formatShape(gradOutput.shape)} must equal the forward output shape ` +
        formatShape(shape),
    );
  }
  if (gradOutput.dtype !== input.dtype) {
    typeError(
      op,
      `gradOutput dtype (${gradOutput.dtype}) must equal input dtype (${input.dtype})`,
    );
  }
}
