/**
 * LeNet-5 for 28×28 grey images, as the training issue and `tasks/golden_torch/models.py` define
 * it.
 *
 * @module
 */

import { Flatten } from "../layers/flatten.ts";
import type { Impl } from "../layers/_impl.ts";
import { Linear } from "../layers/linear.ts";
import { MaxPool2d } from "../layers/max_pool.ts";
import { ReLU } from "../layers/relu.ts";
import { Sequential } from "../layers/sequential.ts";
import { builderSettings, conv2d } from "./_builder.ts";

/** Options of {@linkcode lenet5}. */
export interface LeNet5Options {
  /** Seed of PyTorch's default initialisation (each layer draws its own seed from it). @default 0 */
  seed?: number;
  /** Implementation of the convolutions and poolings. @default "fast" */
  impl?: Impl;
}

/**
 * Builds LeNet-5 for `[N, 1, 28, 28]` inputs: 5×5 convolutions 1→6→16, each followed by ReLU and
 * a 2×2 max pool (28 → 24 → 12 → 8 → 4), then fully connected 256 → 120 → 84 → 10 with ReLU
 * between. Parameters (44 426) use PyTorch's default initialisation U(±1/√fan_in), seeded.
 *
 * Layer indices follow `nn.Sequential`: 0 conv, 1 ReLU, 2 pool, 3 conv, 4 ReLU, 5 pool,
 * 6 flatten, 7 linear, 8 ReLU, 9 linear, 10 ReLU, 11 linear.
 *
 * @param options `seed` and `impl`.
 * @returns The network; its output is `[N, 10]` logits.
 * @throws {TypeError} If `seed` is not an integer or `impl` is unknown.
 * @throws {RangeError} If `seed` is outside [0, 2^32).
 *
 * @example Forward a batch
 * ```ts
 * import { lenet5 } from "./lenet5.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const net = lenet5({ seed: 1 });
 * const logits = net.forward(Tensor.zeros([2, 1, 28, 28]));
 * console.log(logits.shape); // [2, 10]
 * ```
 */
export function lenet5(options: LeNet5Options = {}): Sequential {
  const { nextSeed, impl } = builderSettings("lenet5", options);
  return new Sequential(
    conv2d({ inChannels: 1, outChannels: 6, kernelSize: 5, seed: nextSeed(), impl }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2, impl }),
    conv2d({ inChannels: 6, outChannels: 16, kernelSize: 5, seed: nextSeed(), impl }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2, impl }),
    new Flatten(),
    new Linear({ inFeatures: 16 * 4 * 4, outFeatures: 120, seed: nextSeed(), impl }),
    new ReLU(),
    new Linear({ inFeatures: 120, outFeatures: 84, seed: nextSeed(), impl }),
    new ReLU(),
    new Linear({ inFeatures: 84, outFeatures: 10, seed: nextSeed(), impl }),
  );
}
