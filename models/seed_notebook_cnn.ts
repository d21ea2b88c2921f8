/**
 * The convolutional network of the first seed notebook, as the training issue and
 * `tasks/golden_torch/models.py` define it.
 *
 * @module
 */

import { Flatten } from "../layers/flatten.ts";
import type { Impl } from "../layers/_impl.ts";
import { Linear } from "../layers/linear.ts";
import { ReLU } from "../layers/relu.ts";
import { Sequential } from "../layers/sequential.ts";
import { builderSettings, conv2d } from "./_builder.ts";

/** Options of {@linkcode seedNotebookCnn}. */
export interface SeedNotebookCnnOptions {
  /** Seed of PyTorch's default initialisation (each layer draws its own seed from it). @default 0 */
  seed?: number;
  /** Implementation of the convolutions. @default "fast" */
  impl?: Impl;
}

/**
 * Builds the seed notebook's network for `[N, 1, 28, 28]` inputs: three 2×2 stride-2
 * convolutions 1→32→64→128, the second with padding 1 (28 → 14 → 8 → 4), each followed by ReLU,
 * then fully connected 128·4·4 = 2048 → 250 → 10 with ReLU between. Parameters (556 072) use
 * PyTorch's default initialisation U(±1/√fan_in), seeded.
 *
 * Layer indices follow `nn.Sequential`: 0 conv, 1 ReLU, 2 conv, 3 ReLU, 4 conv, 5 ReLU,
 * 6 flatten, 7 linear, 8 ReLU, 9 linear.
 *
 * @param options `seed` and `impl`.
 * @returns The network; its output is `[N, 10]` logits.
 * @throws {TypeError} If `seed` is not an integer or `impl` is unknown.
 * @throws {RangeError} If `seed` is outside [0, 2^32).
 *
 * @example Forward a batch
 * ```ts
 * import { seedNotebookCnn } from "./seed_notebook_cnn.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const net = seedNotebookCnn({ seed: 1 });
 * const logits = net.forward(Tensor.zeros([2, 1, 28, 28]));
 * console.log(logits.shape); // [2, 10]
 * ```
 */
export function seedNotebookCnn(options: SeedNotebookCnnOptions = {}): Sequential {
  const { nextSeed, impl } = builderSettings("seedNotebookCnn", options);
  const k2s2 = { kernelSize: 2, stride: 2, impl };
  return new Sequential(
    conv2d({ inChannels: 1, outChannels: 32, ...k2s2, seed: nextSeed(), impl }),
    new ReLU(),
    conv2d({ inChannels: 32, outChannels: 64, ...k2s2, padding: 1, seed: nextSeed(), impl }),
    new ReLU(),
    conv2d({ inChannels: 64, outChannels: 128, ...k2s2, seed: nextSeed(), impl }),
    new ReLU(),
    new Flatten(),
    new Linear({ inFeatures: 128 * 4 * 4, outFeatures: 250, seed: nextSeed(), impl }),
    new ReLU(),
    new Linear({ inFeatures: 250, outFeatures: 10, seed: nextSeed(), impl }),
  );
}
