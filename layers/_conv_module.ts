// Constructor and forward checks shared by the convolution and transposed-convolution modules
// (Conv1d ... ConvTranspose3d), so both families reject bad options with the same messages.

import { formatShape, formatValue, perAxis, rangeError, typeError } from "./_errors.ts";
import { Tensor } from "./tensor.ts";

/** The options every convolution module takes (see `ConvModuleOptions` in conv.ts). */
interface ModuleShapeOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number | readonly number[];
  stride?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
  outputPadding?: number | readonly number[];
}

/**
 * Validates a module's channel counts, groups, kernel size, stride, dilation and output padding
 * (padding is checked by the geometry at the first forward).
 *
 * @returns The kernel size per axis and `groups`.
 */
export function checkModuleOptions(
  name: string,
  rank: number,
  options: ModuleShapeOptions,
): { kernel: number[]; groups: number } {
  if (options === null || typeof options !== "object") {
    typeError(name, `options must be an object, got ${formatValue(options)}`);
  }
  const groups = options.groups ?? 1;
  const counts = { inChannels: options.inChannels, outChannels: options.outChannels, groups };
  for (const [key, value] of Object.entries(counts)) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      typeError(name, `${key} must be an integer, got ${formatValue(value)}`);
    }
    if (value < 1) rangeError(name, `${key} must be positive, got ${value}`);
  }
  for (const key of ["inChannels", "outChannels"] as const) {
    if (options[key] % groups !== 0) {
      rangeError(name, `${key} (${options[key]}) must be divisible by groups (${groups})`);
    }
  }
  if (options.kernelSize === undefined) typeError(name, "kernelSize is required");
  const kernel = perAxis(name, "kernelSize", options.kernelSize, rank, 1);
  perAxis(name, "stride", options.stride, rank, 1);
  perAxis(name, "dilation", options.dilation, rank, 1);
  perAxis(name, "outputPadding", options.outputPadding, rank, 0, 0);
  return { kernel, groups };
}

/** Throws unless `input` is a tensor of rank `rank + 2`. */
export function checkModuleInput(name: string, rank: number, input: unknown, layout: string): void {
  if (!(input instanceof Tensor) || input.rank !== rank + 2) {
    typeError(
      name,
      `input must be a Tensor of rank ${rank + 2} (${layout}), got ${
        input instanceof Tensor ? `shape ${formatShape(input.shape)}` : typeof input
      }`,
    );
  }
}

/** Layout strings for messages and docs, by spatial rank. */
export const SPATIAL = ["", "L", "H, W", "D, H, W"] as const;
