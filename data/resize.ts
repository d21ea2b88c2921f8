/**
 * Bilinear image resizing, as PyTorch's `F.interpolate(mode="bilinear", align_corners=False)`
 * (and ONNX `Resize` with `mode = "linear"`, `coordinate_transformation_mode = "half_pixel"`).
 *
 * @module
 */

import { checkTensor } from "../layers/_checks.ts";
import { formatShape, formatValue, rangeError, typeError } from "../layers/_errors.ts";
import { allocate, shapeSize, Tensor } from "../layers/tensor.ts";

/** The two taps of one output coordinate along one axis. */
interface Taps {
  /** First and second source index per output index. */
  lo: Int32Array;
  hi: Int32Array;
  /** Weight of the second source index (the first gets `1 − frac`). */
  frac: Float64Array;
}

/**
 * Resizes the spatial axes of `[N, C, H, W]` images to `[N, C, height, width]` by bilinear
 * interpolation with half-pixel centres: output index `o` reads the source coordinate
 * `s = (o + 0.5)·H/height − 0.5`, clamped at 0 below; it mixes rows `⌊s⌋` and `⌊s⌋ + 1` (the
 * last row repeats at the edge) with weights `1 − (s − ⌊s⌋)` and `s − ⌊s⌋`, likewise along W.
 * This is PyTorch's `align_corners=False` rule and ONNX `Resize`'s `half_pixel` linear mode.
 * No anti-aliasing filter is applied when shrinking (PyTorch's `antialias=False`): fine for the
 * upsampling this is used for (28×28 → 32×32 or 64×64). Weights are computed in float64; the
 * output has the input's dtype.
 *
 * @param images `[N, C, H, W]`, float32 or float64, H and W ≥ 1.
 * @param size `[height, width]` of the output, positive integers.
 * @returns `[N, C, height, width]`; a copy of the input when the size is unchanged.
 * @throws {TypeError} If `images` is not a rank-4 Tensor or `size` is not two integers.
 * @throws {RangeError} If a size is not positive, an input spatial axis is empty, or the output
 * would exceed the tensor size limit.
 *
 * @example Upsample a 2×2 image to 4×4
 * ```ts
 * import { resizeBilinear } from "./resize.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const y = resizeBilinear(new Tensor([0, 1, 2, 3], [1, 1, 2, 2]), [4, 4]);
 * console.log(Array.from(y.data.subarray(0, 4))); // [0, 0.25, 0.75, 1]
 * if (y.data.subarray(0, 4).join() !== "0,0.25,0.75,1") throw new Error("first row");
 * ```
 */
export function resizeBilinear(images: Tensor, size: readonly [number, number]): Tensor {
  const op = "resizeBilinear";
  checkTensor(op, "images", images);
  if (images.rank !== 4) {
    typeError(op, `images must be [N, C, H, W], got shape ${formatShape(images.shape)}`);
  }
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d))) {
    typeError(op, `size must be [height, width] integers, got ${formatValue(size)}`);
  }
  if (size[0] < 1 || size[1] < 1) {
    rangeError(op, `size must be positive, got ${formatValue(size)}`);
  }
  const [n, c, h, w] = images.shape, [oh, ow] = size;
  if (h === 0 || w === 0) {
    rangeError(op, `images must have non-empty spatial axes, got ${formatShape(images.shape)}`);
  }
  const outShape = [n, c, oh, ow];
  const out = allocate(shapeSize(outShape, `${op} output`), images.dtype);
  const rows = taps(h, oh), cols = taps(w, ow), x = images.data;
  for (let plane = 0; plane < n * c; plane++) {
    const src = plane * h * w, dst = plane * oh * ow;
    for (let i = 0; i < oh; i++) {
      const r0 = src + rows.lo[i] * w, r1 = src + rows.hi[i] * w, fr = rows.frac[i];
      for (let j = 0; j < ow; j++) {
        const c0 = cols.lo[j], c1 = cols.hi[j], fc = cols.frac[j];
        const top = x[r0 + c0] * (1 - fc) + x[r0 + c1] * fc;
        const bottom = x[r1 + c0] * (1 - fc) + x[r1 + c1] * fc;
        out[dst + i * ow + j] = top * (1 - fr) + bottom * fr;
      }
    }
  }
  return new Tensor(out, outShape);
}

/** Source taps of each of `outSize` coordinates along an axis of `inSize` (half-pixel). */
function taps(inSize: number, outSize: number): Taps {
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize), scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, (o + 0.5) * scale - 0.5);
    const i = Math.min(Math.floor(s), inSize - 1);
    lo[o] = i;
    hi[o] = Math.min(i + 1, inSize - 1);
    frac[o] = s - i;
  }
  return { lo, hi, frac };
}
