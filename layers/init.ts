/**
 * PyTorch's default parameter initialisation, from a seed.
 *
 * PyTorch initialises `Linear`, `ConvNd` and `ConvTransposeNd` weights with
 * `kaiming_uniform_(a = √5)`, which is U(−b, b) with b = gain·√(3 / fan_in), gain = √(2 / (1 + a²))
 * = √(1/3), so b = 1 / √fan_in; biases are U(−1/√fan_in, 1/√fan_in). `fan_in` is
 * `weight.shape[1] × (product of the kernel sizes)` — for a transposed convolution that is
 * `out_channels / groups × kernel`, because its weight is `[in, out / groups, k...]`.
 *
 * @module
 */

import { Random } from "./random.ts";
import { type DType, shapeSize, Tensor } from "./tensor.ts";

/**
 * PyTorch's `fan_in` of a weight shape.
 *
 * @param weightShape A weight shape `[a, b, k...]`.
 * @returns PyTorch's `fan_in`: `b × Πk` (`b` alone for a 2-D weight).
 * @throws {TypeError} If the shape has fewer than two axes.
 *
 * @example
 * ```ts
 * import { fanIn } from "./init.ts";
 * if (fanIn([16, 6, 5, 5]) !== 150) throw new Error("fan_in of a 5×5 conv 6→16 is 150");
 * ```
 */
export function fanIn(weightShape: readonly number[]): number {
  if (weightShape.length < 2) {
    throw new TypeError(
      `Cannot compute fanIn: weight shape must have at least 2 axes, got [${
        weightShape.join(", ")
      }]`,
    );
  }
  return weightShape.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Fills a new tensor with seeded values uniform in [−bound, bound).
 *
 * @param shape Shape of the tensor to fill.
 * @param bound Half-width of the interval.
 * @param random The seeded generator to draw from (advanced by `size` draws).
 * @param dtype Element type. @default "float32"
 * @returns A tensor of values uniform in [−bound, bound).
 *
 * @example
 * ```ts
 * import { uniformInit } from "./init.ts";
 * import { Random } from "./random.ts";
 * const w = uniformInit([4, 3], 0.5, new Random(0));
 * if (w.data.some((v) => Math.abs(v) > 0.5)) throw new Error("out of bounds");
 * ```
 */
export function uniformInit(
  shape: readonly number[],
  bound: number,
  random: Random,
  dtype: DType = "float32",
): Tensor {
  const t = Tensor.zeros(shape, dtype);
  for (let i = 0; i < shapeSize(shape, "uniformInit"); i++) {
    t.data[i] = random.uniform(-bound, bound);
  }
  return t;
}

/**
 * PyTorch's default weight and bias for a layer with the given weight shape.
 *
 * @param weightShape `[out, in, k...]` (convolution, linear) or `[in, out / groups, k...]`
 * (transposed convolution).
 * @param options `seed` of the generator (weight drawn first, then bias) and whether to make a bias.
 * @returns The weight and, if requested, the bias (shape `[biasSize]`).
 *
 * @example
 * ```ts
 * import { defaultInit } from "./init.ts";
 * const { weight, bias } = defaultInit([6, 1, 5, 5], { seed: 1, biasSize: 6 });
 * if (bias?.shape[0] !== 6 || weight.size !== 150) throw new Error("shapes");
 * ```
 */
export function defaultInit(
  weightShape: readonly number[],
  options: { seed?: number; biasSize?: number; dtype?: DType } = {},
): { weight: Tensor; bias?: Tensor } {
  const random = new Random(options.seed ?? 0);
  const bound = 1 / Math.sqrt(fanIn(weightShape));
  const weight = uniformInit(weightShape, bound, random, options.dtype);
  if (options.biasSize === undefined) return { weight };
  return { weight, bias: uniformInit([options.biasSize], bound, random, options.dtype) };
}
