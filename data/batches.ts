/**
 * Mini-batches over an image data set, with a seeded per-epoch shuffle.
 *
 * @module
 */

import { Tensor } from "../layers/tensor.ts";
import { Random } from "../layers/random.ts";
import { formatValue } from "../layers/_errors.ts";

/** Labelled images, e.g. one split of MNIST. */
export interface ImageDataset {
  /** The images, `[N, C, H, W]` (any `[N, ...]` works), values in [0, 1] for the loaders here. */
  images: Tensor;
  /** The class index of each image; length N. */
  labels: Int32Array;
}

/** A training and a test split. */
export interface TrainTestSplit {
  /** The split to train on. */
  train: ImageDataset;
  /** The held-out split. */
  test: ImageDataset;
}

/** One mini-batch: `images` is `[B, ...]` of the data set's image shape, `labels` has length B. */
export interface Batch {
  /** The batch's images, `[B, C, H, W]`. */
  images: Tensor;
  /** The batch's labels. */
  labels: Int32Array;
}

/** Options of {@linkcode batches}. */
export interface BatchOptions {
  /** Images per batch, a positive integer. */
  batchSize: number;
  /** Visit the images in a seeded random order instead of in order. @default true */
  shuffle?: boolean;
  /** Seed of the shuffle; epoch e uses `new Random(seed + epoch)`. @default 0 */
  seed?: number;
  /** Epoch number, so each epoch gets its own order from the same seed. @default 0 */
  epoch?: number;
  /** Skip the last batch when it has fewer than `batchSize` images. @default false */
  dropLast?: boolean;
}

/**
 * Iterates over one epoch of a data set in mini-batches.
 *
 * With `shuffle` (the default) the order is a Fisher–Yates permutation of `0 … N−1` drawn from
 * `new Random(seed + epoch)`, so a run is reproducible from `seed` and every epoch differs; each
 * batch copies its images into a new tensor. Without `shuffle` the batches are consecutive and
 * their `images` and `labels` are views that share memory with the data set (no copy). Every
 * image appears exactly once per epoch, the last batch may be smaller unless `dropLast`.
 *
 * @example Three batches of 2, 2 and 1
 * ```ts
 * import { batches } from "./batches.ts";
 * import { Tensor } from "../layers/tensor.ts";
 *
 * const data = { images: Tensor.arange([5, 1, 2, 2]), labels: Int32Array.from([0, 1, 2, 3, 4]) };
 * const sizes = [];
 * for (const { images, labels } of batches(data, { batchSize: 2, seed: 1 })) {
 *   sizes.push(images.shape[0]);
 *   if (labels.length !== images.shape[0]) throw new Error("mismatch");
 * }
 * if (sizes.join() !== "2,2,1") throw new Error(sizes.join());
 * ```
 *
 * @param dataset Images `[N, ...]` and N labels.
 * @param options Batch size, shuffle, seed, epoch and dropLast.
 * @returns An iterator of batches (the checks below run when `batches` is called).
 * @throws {TypeError} If the data set's images have no batch axis or their count differs from
 * the labels', or an option has the wrong type.
 * @throws {RangeError} If `batchSize` is not a positive integer or `seed + epoch` is not an
 * integer.
 */
export function batches(
  dataset: ImageDataset,
  options: BatchOptions,
): Generator<Batch, void, undefined> {
  const { images, labels } = dataset ?? {};
  if (!(images instanceof Tensor) || images.rank < 1) {
    throw new TypeError(`Cannot make batches: dataset.images must be a Tensor with a batch axis`);
  }
  if (!(labels instanceof Int32Array) || labels.length !== images.shape[0]) {
    throw new TypeError(
      `Cannot make batches: dataset.labels must be an Int32Array of ${images.shape[0]} labels ` +
        `(images ${images}), got ${labels instanceof Int32Array ? labels.length : typeof labels}`,
    );
  }
  const { batchSize, shuffle = true, seed = 0, epoch = 0, dropLast = false } = options ?? {};
  if (typeof batchSize !== "number") {
    throw new TypeError(
      `Cannot make batches: batchSize must be a number, got ${formatValue(batchSize)}`,
    );
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot make batches: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  if (typeof shuffle !== "boolean" || typeof dropLast !== "boolean") {
    throw new TypeError(`Cannot make batches: shuffle and dropLast must be booleans`);
  }
  if (!Number.isInteger(seed + epoch)) {
    throw new RangeError(
      `Cannot make batches: seed + epoch must be an integer, got ${seed} + ${epoch}`,
    );
  }
  const order = shuffle
    ? new Random(seed + epoch).shuffle(Int32Array.from(labels, (_, i) => i))
    : null;
  return iterate(images, labels, batchSize, dropLast, order);
}

function* iterate(
  images: Tensor,
  labels: Int32Array,
  batchSize: number,
  dropLast: boolean,
  order: Int32Array | null,
): Generator<Batch, void, undefined> {
  const n = labels.length;
  const itemShape = images.shape.slice(1);
  const itemSize = itemShape.reduce((a, b) => a * b, 1);
  const source = images.data;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    if (size < batchSize && dropLast) return;
    if (order === null) {
      yield {
        images: new Tensor(source.subarray(start * itemSize, (start + size) * itemSize), [
          size,
          ...itemShape,
        ]),
        labels: labels.subarray(start, start + size),
      };
      continue;
    }
    const batch = Tensor.zeros([size, ...itemShape], images.dtype);
    const batchLabels = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      const index = order[start + b];
      batch.data.set(source.subarray(index * itemSize, (index + 1) * itemSize), b * itemSize);
      batchLabels[b] = labels[index];
    }
    yield { images: batch, labels: batchLabels };
  }
}
