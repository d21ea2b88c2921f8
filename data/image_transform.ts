/**
 * Preparing grey images for a model trained on colour images: bilinear resize, channel
 * replication and per-channel normalisation (torchvision's `Resize`, `Grayscale(3)` and
 * `Normalize`), as one function applied to each batch.
 *
 * @module
 */

import { checkTensor } from "../layers/_checks.ts";
import { formatShape, formatValue, rangeError, typeError } from "../layers/_errors.ts";
import { allocate, shapeSize, Tensor } from "../layers/tensor.ts";
import { resizeBilinear } from "./resize.ts";

/** ImageNet's per-channel mean (RGB), which torchvision's classifiers expect. */
export const IMAGENET_MEAN: readonly number[] = Object.freeze([0.485, 0.456, 0.406]);
/** ImageNet's per-channel standard deviation (RGB). */
export const IMAGENET_STD: readonly number[] = Object.freeze([0.229, 0.224, 0.225]);

/** Options of {@linkcode imageTransform}. */
export interface ImageTransformOptions {
  /** `[height, width]` to resize to (bilinear, half-pixel; see `resizeBilinear`). @default unchanged */
  size?: readonly [number, number];
  /** Channels of the output: a 1-channel input is replicated to this many. @default unchanged */
  channels?: number;
  /** Mean subtracted from each output channel (one entry, or one per channel). @default 0 */
  mean?: readonly number[];
  /** Divisor of each output channel after the mean (one entry, or one per channel). @default 1 */
  std?: readonly number[];
}

/**
 * Builds the transform `images [N, C, H, W] → [N, channels, height, width]`:
 * `out[n, c] = (resize(x[n, C = 1 ? 0 : c]) − mean[c]) / std[c]`. Resizing comes first (on the
 * single grey plane, before it is replicated); the arithmetic is float64, rounded once to the
 * input's dtype.
 *
 * @param options Size, channels, mean and std.
 * @returns The transform; it throws a `TypeError` for images that are not `[N, C, H, W]` with
 * C = 1 or C = channels.
 * @throws {TypeError} If an option has the wrong type or `mean`/`std` have neither 1 nor
 * `channels` entries.
 * @throws {RangeError} If `channels` or a size is not a positive integer, or a std entry is not
 * positive and finite.
 *
 * @example Fashion-MNIST for a torchvision model: 28×28 grey → 3×32×32, ImageNet statistics
 * ```ts
 * import { IMAGENET_MEAN, IMAGENET_STD, imageTransform } from "./image_transform.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const toRgb = imageTransform({ size: [32, 32], channels: 3, mean: IMAGENET_MEAN, std: IMAGENET_STD });
 * const x = toRgb(Tensor.full([2, 1, 28, 28], 1));
 * console.log(x.shape, x.data[0]); // [2, 3, 32, 32] 2.2489... = (1 − 0.485) / 0.229
 * if (Math.abs(x.data[0] - (1 - 0.485) / 0.229) > 1e-6) throw new Error("normalisation");
 * ```
 */
export function imageTransform(options: ImageTransformOptions = {}): (images: Tensor) => Tensor {
  const op = "imageTransform";
  const { size, channels, mean = [0], std = [1] } = options ?? {};
  if (size !== undefined) {
    if (!Array.isArray(size) || size.length !== 2 || !size.every(Number.isInteger)) {
      typeError(op, `size must be [height, width] integers, got ${formatValue(size)}`);
    }
    if (size[0] < 1 || size[1] < 1) {
      rangeError(op, `size must be positive, got ${formatValue(size)}`);
    }
  }
  if (channels !== undefined) {
    if (typeof channels !== "number") {
      typeError(op, `channels must be a number, got ${formatValue(channels)}`);
    }
    if (!Number.isInteger(channels) || channels < 1) {
      rangeError(op, `channels must be a positive integer, got ${channels}`);
    }
  }
  for (const [name, list] of [["mean", mean], ["std", std]] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== "number")) {
      typeError(op, `${name} must be a non-empty array of numbers, got ${formatValue(list)}`);
    }
    if (list.length !== 1 && channels !== undefined && list.length !== channels) {
      typeError(
        op,
        `${name} must have 1 or ${channels} entries (channels), got ${formatValue(list)}`,
      );
    }
  }
  if (std.some((v) => !(v > 0 && Number.isFinite(v)))) {
    rangeError(op, `std entries must be positive and finite, got ${formatValue(std)}`);
  }
  return (images: Tensor): Tensor => {
    checkTensor(op, "images", images);
    if (images.rank !== 4) {
      typeError(op, `images must be [N, C, H, W], got shape ${formatShape(images.shape)}`);
    }
    const [n, c] = images.shape, out = channels ?? c;
    if (c !== 1 && c !== out) {
      typeError(
        op,
        `images must have 1 or ${out} channels, got shape ${formatShape(images.shape)}`,
      );
    }
    for (const [name, list] of [["mean", mean], ["std", std]] as const) {
      if (list.length !== 1 && list.length !== out) {
        typeError(op, `${name} must have 1 or ${out} entries (channels), got ${formatValue(list)}`);
      }
    }
    const resized = size === undefined ? images : resizeBilinear(images, size);
    const [, , h, w] = resized.shape, plane = h * w;
    const shape = [n, out, h, w];
    const y = allocate(shapeSize(shape, `${op} output`), images.dtype), x = resized.data;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < out; k++) {
        const m = mean.length === 1 ? mean[0] : mean[k], s = std.length === 1 ? std[0] : std[k];
        const src = (i * c + (c === 1 ? 0 : k)) * plane, dst = (i * out + k) * plane;
        for (let j = 0; j < plane; j++) y[dst + j] = (x[src + j] - m) / s;
      }
    }
    return new Tensor(y, shape);
  };
}
