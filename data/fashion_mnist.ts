/**
 * Loader for Fashion-MNIST as installed by Debian's `dataset-fashion-mnist` package.
 *
 * @module
 */

import { Tensor } from "../layers/tensor.ts";
import { formatShape } from "../layers/_errors.ts";
import { type IdxArray, readIdxFile } from "./idx.ts";
import type { ImageDataset, TrainTestSplit } from "./batches.ts";

/** Where Debian's `dataset-fashion-mnist` package installs the four IDX files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** Options of {@linkcode loadFashionMnist}. */
export interface FashionMnistOptions {
  /** Directory holding the IDX files (gzip-compressed or not). @default FASHION_MNIST_DIR */
  dir?: string;
}

/** Class names of Fashion-MNIST's labels 0–9. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
]);

// byte / 255 for every byte value, rounded to float32 as torchvision's ToTensor does.
const SCALE = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Loads Fashion-MNIST's 60 000 training and 10 000 test images (28×28 grey levels, 10 classes).
 *
 * Images become float32 `[N, 1, 28, 28]` tensors with values byte / 255 in [0, 1] (torchvision's
 * `ToTensor`), labels an `Int32Array`. Reads `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each with or without `.gz`. Needs read
 * permission; takes about half a second.
 *
 * @example Load and inspect
 * ```ts
 * import { loadFashionMnist } from "./fashion_mnist.ts";
 * try {
 *   const { train, test } = await loadFashionMnist();
 *   console.log(train.images.shape, test.labels.length); // [60000, 1, 28, 28] 10000
 * } catch (error) {
 *   if (!(error instanceof Deno.errors.NotFound)) throw error;
 *   console.log(error.message); // Fashion-MNIST not found in ...: install it with ...
 * }
 * ```
 *
 * @param options The directory to read from.
 * @returns The training and test splits.
 * @throws {Deno.errors.NotFound} If a file is missing, with a one-line hint to install
 * `dataset-fashion-mnist`.
 * @throws {TypeError} If a file is not a well-formed IDX file of uint8 images `[N, H, W]` or
 * labels `[N]`, or the image and label counts differ.
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<TrainTestSplit> {
  const { dir = FASHION_MNIST_DIR } = options;
  if (typeof dir !== "string") {
    throw new TypeError(`Cannot load Fashion-MNIST: dir must be a string, got ${typeof dir}`);
  }
  const [train, test] = await Promise.all([split(dir, "train"), split(dir, "t10k")]);
  return { train, test };
}

async function split(dir: string, prefix: string): Promise<ImageDataset> {
  const [images, labels] = await Promise.all([
    load(dir, `${prefix}-images-idx3-ubyte`),
    load(dir, `${prefix}-labels-idx1-ubyte`),
  ]);
  const where = `Cannot load Fashion-MNIST from ${dir}`;
  if (images.array.dtype !== "uint8" || images.array.dims.length !== 3) {
    throw new TypeError(
      `${where}: ${images.path} must hold uint8 images [N, H, W], got ${images.array.dtype} ` +
        formatShape(images.array.dims),
    );
  }
  if (labels.array.dtype !== "uint8" || labels.array.dims.length !== 1) {
    throw new TypeError(
      `${where}: ${labels.path} must hold uint8 labels [N], got ${labels.array.dtype} ` +
        formatShape(labels.array.dims),
    );
  }
  const [n, h, w] = images.array.dims;
  if (labels.array.dims[0] !== n) {
    throw new TypeError(
      `${where}: ${images.path} has ${n} images but ${labels.path} has ${
        labels.array.dims[0]
      } labels`,
    );
  }
  const pixels = images.array.data, data = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) data[i] = SCALE[pixels[i]];
  return { images: new Tensor(data, [n, 1, h, w]), labels: Int32Array.from(labels.array.data) };
}

async function load(dir: string, name: string): Promise<{ path: string; array: IdxArray }> {
  for (const path of [`${dir}/${name}.gz`, `${dir}/${name}`]) {
    try {
      return { path, array: await readIdxFile(path) };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new Deno.errors.NotFound(
    `Fashion-MNIST not found in ${dir}: install it with \`apt-get install dataset-fashion-mnist\` ` +
      `(missing ${name}.gz)`,
  );
}
