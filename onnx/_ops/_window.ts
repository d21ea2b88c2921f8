// ONNX window attributes (Conv, ConvTranspose, MaxPool, AveragePool) → our layer options. ONNX
// `pads` are all begins then all ends, which is what `Padding` accepts as a 2·rank array;
// auto_pad SAME_UPPER → "same" (extra pad at the end), SAME_LOWER → "same_lower", VALID → "valid".

import type { Padding } from "../../layers/_geometry.ts";
import { formatShape } from "../../layers/_errors.ts";
import { MAX_EXTENT } from "../../layers/limits.ts";
import type { NodeContext } from "./_context.ts";

/** Parsed window attributes; per-axis lists are undefined when absent (layer defaults apply). */
export interface WindowAttributes {
  kernelShape: number[] | undefined;
  strides: number[] | undefined;
  dilations: number[] | undefined;
  /** auto_pad as a padding mode, or the explicit pads (or undefined: zero). */
  padding: Padding | undefined;
  /** Whether auto_pad is NOTSET (explicit pads apply). */
  explicit: boolean;
  /** The explicit `pads`, when given. */
  pads: number[] | undefined;
}

/** Reads auto_pad, pads, strides, dilations and kernel_shape, checking lengths and signs. */
export function windowAttributes(ctx: NodeContext): WindowAttributes {
  const kernelShape = ctx.ints("kernel_shape");
  const strides = ctx.ints("strides");
  const dilations = ctx.ints("dilations");
  const pads = ctx.ints("pads");
  const autoPad = ctx.string("auto_pad", "NOTSET");
  let padding: Padding | undefined;
  switch (autoPad) {
    case "NOTSET":
      padding = pads;
      break;
    case "SAME_UPPER":
      padding = "same";
      break;
    case "SAME_LOWER":
      padding = "same_lower";
      break;
    case "VALID":
      padding = "valid";
      break;
    default:
      ctx.unsupported(
        `auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got ${JSON.stringify(autoPad)}`,
      );
  }
  const rank = kernelShape?.length;
  const lengths: [string, number[] | undefined, number][] = [
    ["strides", strides, 1],
    ["dilations", dilations, 1],
    ["pads", pads, 2],
  ];
  for (const [name, list, per] of lengths) {
    if (list === undefined) continue;
    if (rank !== undefined && list.length !== per * rank) {
      ctx.malformed(
        `attribute.${name}`,
        `${name} ${formatShape(list)} must have ${per * rank} entries for kernel_shape ` +
          formatShape(kernelShape!),
      );
    }
    const min = name === "pads" ? 0 : 1;
    if (list.some((v) => v < min)) {
      ctx.unsupported(
        `${name} must be ${min === 0 ? "non-negative" : "positive"}, got ` +
          formatShape(list),
      );
    }
  }
  if (kernelShape !== undefined && kernelShape.some((k) => k < 1)) {
    ctx.malformed(
      "attribute.kernel_shape",
      `kernel_shape must be positive, got ${formatShape(kernelShape)}`,
    );
  }
  // The layers' cap on every spatial quantity, checked here too so the error names the attribute.
  checkExtentCaps(ctx, [
    ["kernel_shape", kernelShape],
    ["strides", strides],
    ["dilations", dilations],
    ["pads", pads],
  ]);
  return { kernelShape, strides, dilations, padding, explicit: autoPad === "NOTSET", pads };
}

/** Throws naming the first integer-list attribute with a value above `MAX_EXTENT`. */
export function checkExtentCaps(
  ctx: NodeContext,
  attributes: readonly [string, readonly number[] | undefined][],
): void {
  for (const [name, list] of attributes) {
    if (list !== undefined && list.some((v) => v > MAX_EXTENT)) {
      ctx.rangeError(
        `attribute ${name} must hold values of at most ${MAX_EXTENT} (MAX_EXTENT), got ` +
          formatShape(list),
      );
    }
  }
}

/** Checks that the spatial rank of the data is 1 to 3 (what the layers implement). */
export function checkSpatialRank(ctx: NodeContext, shape: readonly number[], what: string): void {
  if (shape.length < 3 || shape.length > 5) {
    if (shape.length > 5) {
      ctx.unsupported(`${what} has ${shape.length - 2} spatial axes; only 1 to 3 are supported`);
    }
    ctx.typeError(
      `${what} must be [N, C, *spatial] with 1 to 3 spatial axes, got shape ${formatShape(shape)}`,
    );
  }
}

/** Π kernel. */
export function product(list: readonly number[]): number {
  return list.reduce((p, d) => p * d, 1);
}

/**
 * Most windows one input element can fall into, per axis `min(k, ceil(d·(k − 1) + 1) / s)`,
 * multiplied over the axes: the terms a pooling gradient element accumulates.
 */
export function overlap(
  kernel: readonly number[],
  strides: readonly number[] | undefined,
  dilations: readonly number[] | undefined,
): number {
  let n = 1;
  kernel.forEach((k, i) => {
    const s = strides?.[i] ?? 1, d = dilations?.[i] ?? 1;
    n *= Math.min(k, Math.ceil((d * (k - 1) + 1) / s));
  });
  return n;
}
