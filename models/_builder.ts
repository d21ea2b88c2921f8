// Shared pieces of the model builders: option checks, one seed per parameterised layer, and
// convolution layers whose window options the ONNX exporter can read back.

import { Conv2d, type ConvModuleOptions } from "../layers/conv.ts";
import { formatValue } from "../layers/_errors.ts";
import { type Impl, resolveImpl } from "../layers/_impl.ts";
import { Random } from "../layers/random.ts";

/** Validated builder options. */
export interface BuilderSettings {
  /** Draws the seed of each parameterised layer in turn. */
  nextSeed: () => number;
  impl: Impl;
}

/**
 * Checks `{ seed, impl }` and returns a seed source: the model seed drives a generator whose
 * successive 32-bit draws seed the layers, so layers never share a stream and two model seeds
 * never give shifted copies of each other.
 */
export function builderSettings(
  name: string,
  options: { seed?: number; impl?: Impl } | undefined,
): BuilderSettings {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError(`Cannot build ${name}: options must be an object, got ${options}`);
  }
  const { seed = 0, impl } = options ?? {};
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new TypeError(`Cannot build ${name}: seed must be an integer, got ${formatValue(seed)}`);
  }
  if (seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`Cannot build ${name}: seed must be in [0, 2^32), got ${seed}`);
  }
  const random = new Random(seed);
  return { nextSeed: () => random.nextUint32(), impl: resolveImpl(name, impl) };
}

/** A `Conv2d` whose window options stay readable for the ONNX exporter. */
export function conv2d(options: ConvModuleOptions): Conv2d {
  return new Conv2d(options);
}
