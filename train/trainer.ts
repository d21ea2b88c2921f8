/**
 * The training loop of a classifier — epochs of shuffled mini-batches through a module,
 * cross-entropy, backward and an optimizer step — and its evaluation in batches.
 *
 * @module
 */

import { CrossEntropyLoss } from "../layers/cross_entropy.ts";
import { formatValue } from "../layers/_errors.ts";
import { Module } from "../layers/module.ts";
import type { Tensor } from "../layers/tensor.ts";
import { batches, type ImageDataset } from "../data/batches.ts";
import { Optimizer } from "../optim/optimizer.ts";
import { withThreads } from "../layers/threads.ts";
import { checkThreads } from "../layers/_threads/option.ts";

/** Progress within an epoch, passed to {@linkcode TrainOptions.onStep} after every step. */
export interface StepInfo {
  /** Epoch number, from 1. */
  epoch: number;
  /** Step within the epoch, from 1. */
  step: number;
  /** Steps in this epoch. */
  steps: number;
  /** Mean cross-entropy of this step's batch (before the update). */
  loss: number;
  /** Images trained on so far in this epoch. */
  images: number;
  /** Images in the epoch. */
  totalImages: number;
  /** Seconds since the epoch started. */
  seconds: number;
}

/** Summary of one epoch, passed to {@linkcode TrainOptions.onEpoch} and returned by {@linkcode train}. */
export interface EpochInfo {
  /** Epoch number, from 1. */
  epoch: number;
  /** Mean of the epoch's batch losses, weighted by batch size. */
  trainLoss: number;
  /** Accuracy on `options.test` after the epoch, or undefined without a test set. */
  testAccuracy: number | undefined;
  /** Seconds spent training (forward, backward, step); evaluation is not included. */
  seconds: number;
  /** Seconds spent evaluating on the test set (0 without one). */
  evalSeconds: number;
  /** Training throughput: images / `seconds`. */
  imagesPerSecond: number;
}

/** Options of {@linkcode train}. */
export interface TrainOptions {
  /** The optimizer, built over the model's parameters (required). */
  optimizer: Optimizer;
  /** Number of passes over the training set, a positive integer. @default 1 */
  epochs?: number;
  /** Images per batch, a positive integer. @default 64 */
  batchSize?: number;
  /** Seed of the shuffle; epoch e (from 0) uses order `seed + e`, as `batches` does. @default 0 */
  seed?: number;
  /** Held-out set evaluated after every epoch. @default undefined (no evaluation) */
  test?: ImageDataset;
  /** Batch size of the evaluation (memory only; results do not depend on it). @default 1000 */
  evalBatchSize?: number;
  /** Called after every optimizer step. @default undefined */
  onStep?: (info: StepInfo) => void;
  /** Called after every epoch (and its evaluation). @default undefined */
  onEpoch?: (info: EpochInfo) => void;
  /** Stepped once after every epoch, e.g. a `StepLR`. @default undefined */
  scheduler?: { step(): void };
  /**
   * Threads the fast path's kernels may use during training and evaluation (see `setThreads`);
   * the results are the same bits for any count.
   * @default the global setting (`getThreads()`)
   */
  threads?: number;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** The loss of every step, in order. */
  losses: number[];
  /** One summary per epoch. */
  epochs: EpochInfo[];
}

/** What {@linkcode evaluate} returns. */
export interface Evaluation {
  /** Share of correctly classified images, `correct / total` (NaN for an empty set). */
  accuracy: number;
  /** Number of correctly classified images. */
  correct: number;
  /** Number of images. */
  total: number;
  /** The predicted class of every image (arg max of the logits, first on ties). */
  predictions: Int32Array;
}

/**
 * Trains a classifier: for each epoch, shuffled batches (`batches` with `seed + epoch`), and for
 * each batch `zeroGrad` → forward → cross-entropy (mean) → backward → `optimizer.step()`. After
 * each epoch the model is evaluated on `options.test` (in evaluation mode), `onEpoch` is called,
 * and the scheduler is stepped. The model is left in training mode.
 *
 * @param model A module mapping `[B, ...]` images to `[B, classes]` logits.
 * @param data The training set.
 * @param options The optimizer (required), epochs, batch size, seed, test set and callbacks.
 * @returns Every step's loss and every epoch's summary.
 * @throws {TypeError} If `model` is not a Module, `optimizer` is not an Optimizer, a count is not
 * a number, or the data or a callback has the wrong type (and whatever the model throws for a wrong input shape).
 * @throws {RangeError} If `epochs`, `batchSize` or `evalBatchSize` is not a positive integer, or
 * `threads` is not an integer from 1 to 64.
 *
 * @example Fit a linear classifier to two separable points
 * ```ts
 * import { train } from "./trainer.ts";
 * import { Linear } from "../layers/linear.ts";
 * import { SGD } from "../optim/sgd.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const model = new Linear({ inFeatures: 2, outFeatures: 2 });
 * const data = { images: new Tensor([1, 0, 0, 1], [2, 2]), labels: Int32Array.from([0, 1]) };
 * const result = train(model, data, {
 *   optimizer: new SGD(model.parameters(), { lr: 0.5 }),
 *   epochs: 50,
 *   batchSize: 2,
 *   test: data,
 * });
 * console.log(result.epochs.at(-1)?.testAccuracy); // 1
 * ```
 */
export function train(model: Module, data: ImageDataset, options: TrainOptions): TrainResult {
  const op = "Cannot train";
  if (!(model instanceof Module)) {
    throw new TypeError(`${op}: model must be a Module, got ${formatValue(model)}`);
  }
  const {
    optimizer,
    epochs = 1,
    batchSize = 64,
    seed = 0,
    test,
    evalBatchSize = 1000,
    onStep,
    onEpoch,
    scheduler,
    threads,
  } = options ?? {};
  if (threads !== undefined) {
    checkThreads("train", threads);
    return withThreads(threads, () => train(model, data, { ...options, threads: undefined }));
  }
  if (!(optimizer instanceof Optimizer)) {
    throw new TypeError(`${op}: optimizer must be an Optimizer, got ${formatValue(optimizer)}`);
  }
  checkCount(op, "epochs", epochs);
  checkCount(op, "batchSize", batchSize);
  checkCount(op, "evalBatchSize", evalBatchSize);
  for (const [name, f] of [["onStep", onStep], ["onEpoch", onEpoch]] as const) {
    if (f !== undefined && typeof f !== "function") {
      throw new TypeError(`${op}: ${name} must be a function, got ${formatValue(f)}`);
    }
  }
  const criterion = new CrossEntropyLoss();
  const n = data?.labels?.length ?? 0;
  const steps = Math.ceil(n / batchSize);
  const result: TrainResult = { losses: [], epochs: [] };
  model.train();
  for (let e = 0; e < epochs; e++) {
    const start = performance.now();
    let images = 0, step = 0, lossSum = 0;
    for (const batch of batches(data, { batchSize, seed, epoch: e })) {
      optimizer.zeroGrad();
      const logits = model.forward(batch.images);
      const loss = criterion.forward(logits, batch.labels).data[0];
      model.backwardParameters(criterion.backward());
      optimizer.step();
      step++;
      images += batch.labels.length;
      lossSum += loss * batch.labels.length;
      result.losses.push(loss);
      onStep?.({
        epoch: e + 1,
        step,
        steps,
        loss,
        images,
        totalImages: n,
        seconds: (performance.now() - start) / 1000,
      });
    }
    const seconds = (performance.now() - start) / 1000;
    const evalStart = performance.now();
    const testAccuracy = test === undefined
      ? undefined
      : evaluate(model, test, { batchSize: evalBatchSize }).accuracy;
    const info: EpochInfo = {
      epoch: e + 1,
      trainLoss: lossSum / images,
      testAccuracy,
      seconds,
      evalSeconds: test === undefined ? 0 : (performance.now() - evalStart) / 1000,
      imagesPerSecond: images / seconds,
    };
    result.epochs.push(info);
    onEpoch?.(info);
    scheduler?.step();
  }
  return result;
}

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  /** Images per forward pass (memory only; results do not depend on it). @default 1000 */
  batchSize?: number;
  /** Threads the fast path may use (see `setThreads`). @default the global setting */
  threads?: number;
}

/**
 * Classifies every image of a data set in evaluation mode and counts the correct ones. The
 * model's training flag is restored afterwards.
 *
 * @param model A module mapping `[B, ...]` images to `[B, classes]` logits.
 * @param data The images and their labels.
 * @param options `batchSize`, `threads`.
 * @returns Accuracy, counts and every prediction.
 * @throws {TypeError} If `model` is not a Module, the data has the wrong type, or the model's
 * output is not `[B, classes]`.
 * @throws {RangeError} If `batchSize` is not a positive integer or `threads` is not an integer
 * from 1 to 64.
 *
 * @example Accuracy of a fixed linear classifier
 * ```ts
 * import { evaluate } from "./trainer.ts";
 * import { Linear } from "../layers/linear.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * const model = new Linear({ inFeatures: 2, outFeatures: 2, bias: false });
 * model.weight.value.data.set([1, 0, 0, 1]); // logits = the input itself
 * const data = { images: new Tensor([3, 1, 0, 2, 5, 4], [3, 2]), labels: Int32Array.from([0, 1, 1]) };
 * const { accuracy, predictions } = evaluate(model, data);
 * console.log(accuracy, predictions); // 0.666..., Int32Array [0, 1, 0]
 * ```
 */
export function evaluate(
  model: Module,
  data: ImageDataset,
  options: EvaluateOptions = {},
): Evaluation {
  const op = "Cannot evaluate";
  if (!(model instanceof Module)) {
    throw new TypeError(`${op}: model must be a Module, got ${formatValue(model)}`);
  }
  const { batchSize = 1000, threads } = options ?? {};
  checkCount(op, "batchSize", batchSize);
  if (threads !== undefined) {
    checkThreads("evaluate", threads);
    return withThreads(threads, () => evaluate(model, data, { batchSize }));
  }
  const wasTraining = model.training;
  model.eval();
  try {
    const predictions = new Int32Array(data?.labels?.length ?? 0);
    let at = 0, correct = 0;
    for (const batch of batches(data, { batchSize, shuffle: false })) {
      const logits = model.forward(batch.images);
      argmaxRows(op, logits, batch.labels.length, predictions, at);
      for (let i = 0; i < batch.labels.length; i++) {
        if (predictions[at + i] === batch.labels[i]) correct++;
      }
      at += batch.labels.length;
    }
    return { accuracy: correct / at, correct, total: at, predictions };
  } finally {
    model.train(wasTraining);
  }
}

/** Writes the arg max of each row of `[rows, classes]` logits into `out` from `offset`. */
function argmaxRows(op: string, logits: Tensor, rows: number, out: Int32Array, offset: number) {
  if (logits.rank !== 2 || logits.shape[0] !== rows) {
    throw new TypeError(
      `${op}: the model must output [${rows}, classes] logits, got shape [${
        logits.shape.join(", ")
      }]`,
    );
  }
  const classes = logits.shape[1], x = logits.data;
  for (let r = 0; r < rows; r++) {
    let best = 0, max = x[r * classes];
    for (let c = 1; c < classes; c++) {
      const v = x[r * classes + c];
      if (v > max) {
        max = v;
        best = c;
      }
    }
    out[offset + r] = best;
  }
}

function checkCount(op: string, name: string, value: unknown): void {
  if (typeof value !== "number") {
    throw new TypeError(`${op}: ${name} must be a number, got ${formatValue(value)}`);
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${op}: ${name} must be a positive integer, got ${formatValue(value)}`);
  }
}
