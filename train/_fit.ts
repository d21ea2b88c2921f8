// The training loop of `FineTuner.fit` and the batched prediction of `FineTuner.evaluate`.
// Same shuffle, loss and callbacks as `train` (trainer.ts); the extractor is not a Module (it
// has no input gradient worth computing when frozen), so the loop is written out here.

import { formatValue } from "../layers/_errors.ts";
import { CrossEntropyLoss } from "../layers/cross_entropy.ts";
import { Tensor } from "../layers/tensor.ts";
import { batches, type ImageDataset } from "../data/batches.ts";
import { Optimizer } from "../optim/optimizer.ts";
import {
  type EpochInfo,
  evaluate,
  type Evaluation,
  type StepInfo,
  type TrainResult,
} from "./trainer.ts";
import type { FineTuner } from "./fine_tuner.ts";

/** Progress of feature extraction, passed to {@linkcode FitOptions.onExtract}. */
export interface ExtractInfo {
  /** Which set is being extracted. */
  split: "train" | "test";
  /** Images done so far. */
  images: number;
  /** Images in the set. */
  totalImages: number;
  /** Seconds since this set's extraction started. */
  seconds: number;
}

/** Options of `FineTuner.fit`. */
export interface FitOptions {
  /** The optimizer, built over `tuner.parameters()` (required). */
  optimizer: Optimizer;
  /** Passes over the training set, a positive integer. @default 1 */
  epochs?: number;
  /** Images per step, a positive integer. @default 64 */
  batchSize?: number;
  /** Seed of the shuffle; epoch e (from 0) uses order `seed + e`, as `batches` does. @default 0 */
  seed?: number;
  /** Held-out set evaluated after every epoch. @default undefined (no evaluation) */
  test?: ImageDataset;
  /**
   * Applied to every batch of images before the extractor (resize, channels, normalisation),
   * so the data set can stay small (28×28 grey) in memory.
   * @default identity
   */
  transform?: (images: Tensor) => Tensor;
  /**
   * Compute each image's features once, before the first epoch (train and test set), and train
   * the head on them. Needs a frozen extractor.
   * @default true without trainAll, false with it
   */
  cache?: boolean;
  /** Images per extractor forward when caching or evaluating (memory only). @default 250 */
  extractBatchSize?: number;
  /** Called after every optimizer step. @default undefined */
  onStep?: (info: StepInfo) => void;
  /** Called after every epoch (and its evaluation). @default undefined */
  onEpoch?: (info: EpochInfo) => void;
  /** Called after every extractor batch while caching features. @default undefined */
  onExtract?: (info: ExtractInfo) => void;
}

/** What `FineTuner.fit` returns. */
export interface FitResult extends TrainResult {
  /** Seconds spent computing the cached features (0 without `cache`). */
  extractSeconds: number;
  /** The predicted class of every test image after the last epoch (undefined without test). */
  testPredictions: Int32Array | undefined;
}

const OP = "Cannot fine-tune";

/** The loop of `FineTuner.fit` (documented there). */
export function fitLoop(tuner: FineTuner, data: ImageDataset, options: FitOptions): FitResult {
  const {
    optimizer,
    epochs = 1,
    batchSize = 64,
    seed = 0,
    test,
    transform,
    cache = !tuner.trainAll,
    extractBatchSize = 250,
    onStep,
    onEpoch,
    onExtract,
  } = options ?? {};
  if (!(optimizer instanceof Optimizer)) {
    throw new TypeError(`${OP}: optimizer must be an Optimizer, got ${formatValue(optimizer)}`);
  }
  for (const [name, value] of [["epochs", epochs], ["batchSize", batchSize]] as const) {
    checkCount(name, value);
  }
  checkCount("extractBatchSize", extractBatchSize);
  for (const [name, f] of [["transform", transform], ["onStep", onStep], ["onEpoch", onEpoch]]) {
    if (f !== undefined && typeof f !== "function") {
      throw new TypeError(`${OP}: ${name} must be a function, got ${formatValue(f)}`);
    }
  }
  if (typeof cache !== "boolean") {
    throw new TypeError(`${OP}: cache must be a boolean, got ${formatValue(cache)}`);
  }
  if (cache && tuner.trainAll) {
    throw new RangeError(`${OP}: cache needs a frozen extractor, but trainAll is set`);
  }
  checkLabels("data", data, tuner.head.outFeatures);
  if (test !== undefined) checkLabels("test", test, tuner.head.outFeatures);

  const start = performance.now();
  const extract = (set: ImageDataset, split: "train" | "test"): ImageDataset => ({
    images: features(
      tuner,
      set,
      transform,
      extractBatchSize,
      (images, seconds) => onExtract?.({ split, images, totalImages: set.labels.length, seconds }),
    ),
    labels: set.labels,
  });
  const trainSet = cache ? extract(data, "train") : data;
  const testSet = cache && test !== undefined ? extract(test, "test") : test;
  const extractSeconds = cache ? (performance.now() - start) / 1000 : 0;

  const criterion = new CrossEntropyLoss();
  const n = trainSet.labels.length, steps = Math.ceil(n / batchSize);
  const result: FitResult = { losses: [], epochs: [], extractSeconds, testPredictions: undefined };
  for (let e = 0; e < epochs; e++) {
    const epochStart = performance.now();
    let images = 0, step = 0, lossSum = 0;
    for (const batch of batches(trainSet, { batchSize, seed, epoch: e })) {
      optimizer.zeroGrad();
      const logits = cache
        ? tuner.head.forward(batch.images)
        : tuner.forward(transform ? transform(batch.images) : batch.images);
      const loss = criterion.forward(logits, batch.labels).data[0];
      const gradLogits = criterion.backward();
      if (cache) tuner.head.backwardParameters(gradLogits);
      else tuner.backward(gradLogits);
      optimizer.step();
      step++;
      images += batch.labels.length;
      lossSum += loss * batch.labels.length;
      result.losses.push(loss);
      const seconds = (performance.now() - epochStart) / 1000;
      onStep?.({ epoch: e + 1, step, steps, loss, images, totalImages: n, seconds });
    }
    const seconds = (performance.now() - epochStart) / 1000;
    const evalStart = performance.now();
    const evaluation = testSet === undefined
      ? undefined
      : cache
      ? evaluate(tuner.head, testSet, { batchSize: extractBatchSize })
      : predict(tuner, testSet, transform, extractBatchSize);
    result.testPredictions = evaluation?.predictions;
    const testAccuracy = evaluation?.accuracy;
    const info: EpochInfo = {
      epoch: e + 1,
      trainLoss: lossSum / images,
      testAccuracy,
      seconds,
      evalSeconds: testSet === undefined ? 0 : (performance.now() - evalStart) / 1000,
      imagesPerSecond: images / seconds,
    };
    result.epochs.push(info);
    onEpoch?.(info);
  }
  return result;
}

/** Classifies every image (extractor + head), in batches; `FineTuner.evaluate`. */
export function predict(
  tuner: FineTuner,
  data: ImageDataset,
  transform: ((images: Tensor) => Tensor) | undefined,
  batchSize: number,
): Evaluation {
  checkCount("batchSize", batchSize);
  if (transform !== undefined && typeof transform !== "function") {
    throw new TypeError(`${OP}: transform must be a function, got ${formatValue(transform)}`);
  }
  const n = data?.labels?.length ?? 0, predictions = new Int32Array(n);
  let at = 0, correct = 0;
  for (const batch of batches(data, { batchSize, shuffle: false })) {
    const logits = tuner.forward(transform ? transform(batch.images) : batch.images);
    const classes = logits.shape[1], x = logits.data;
    for (let r = 0; r < batch.labels.length; r++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (x[r * classes + c] > x[r * classes + best]) best = c;
      predictions[at + r] = best;
      if (best === batch.labels[r]) correct++;
    }
    at += batch.labels.length;
  }
  return { accuracy: correct / at, correct, total: at, predictions };
}

/** The features of every image of `set`, `[N, features]`, in batches. */
function features(
  tuner: FineTuner,
  set: ImageDataset,
  transform: ((images: Tensor) => Tensor) | undefined,
  batchSize: number,
  progress: (images: number, seconds: number) => void,
): Tensor {
  const n = set.labels.length, f = tuner.layer.features, start = performance.now();
  const out = Tensor.zeros([n, f], tuner.head.weight.value.dtype);
  let at = 0;
  for (const batch of batches(set, { batchSize, shuffle: false })) {
    const value = tuner.features(transform ? transform(batch.images) : batch.images);
    out.data.set(value.data, at * f);
    at += batch.labels.length;
    progress(at, (performance.now() - start) / 1000);
  }
  return out;
}

function checkLabels(name: string, set: ImageDataset, classes: number): void {
  const labels = set?.labels;
  if (!(labels instanceof Int32Array)) {
    throw new TypeError(`${OP}: ${name}.labels must be an Int32Array, got ${formatValue(labels)}`);
  }
  const bad = labels.findIndex((c) => c < 0 || c >= classes);
  if (bad >= 0) {
    throw new RangeError(
      `${OP}: ${name}.labels[${bad}] is ${labels[bad]}, outside [0, ${classes}) (the head has ` +
        `${classes} classes)`,
    );
  }
}

function checkCount(name: string, value: unknown): void {
  if (typeof value !== "number") {
    throw new TypeError(`${OP}: ${name} must be a number, got ${formatValue(value)}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${OP}: ${name} must be a positive integer, got ${formatValue(value)}`);
  }
}
