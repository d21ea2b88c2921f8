/**
 * Fine-tune a classifier read from ONNX (e.g. a torchvision export): a frozen feature extractor
 * — the graph up to the input of its last Gemm/MatMul, run by {@linkcode GraphExecutor} — and a
 * new (or the original) last layer as a {@linkcode Linear}, trained with this package's
 * optimizers; or every layer (`trainAll`) through the executor's backward. The result is written
 * back as ONNX with the trained layer in place of the old one.
 *
 * @module
 */

import { formatShape, formatValue } from "../layers/_errors.ts";
import type { Impl } from "../layers/_impl.ts";
import { Linear } from "../layers/linear.ts";
import type { Parameter } from "../layers/module.ts";
import { Tensor } from "../layers/tensor.ts";
import { GraphExecutor } from "../onnx/executor.ts";
import { extractModel } from "../onnx/extract.ts";
import type { OnnxModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import type { ImageDataset } from "../data/batches.ts";
import type { Evaluation } from "./trainer.ts";
import {
  checkInferenceGraph,
  findHead,
  headWeights,
  type OnnxHead,
  statisticInitializers,
} from "./_onnx_head.ts";
import { spliceHead } from "./_splice_head.ts";
import { fitLoop, type FitOptions, type FitResult, predict } from "./_fit.ts";

export type { OnnxHead } from "./_onnx_head.ts";
export type { ExtractInfo, FitOptions, FitResult } from "./_fit.ts";

/** Options of {@linkcode FineTuner}. */
export interface FineTunerOptions {
  /** Number of classes of the trained last layer. @default 10 */
  classes?: number;
  /**
   * `"new"`: a new Linear layer `[classes, features]` with PyTorch's default initialisation
   * from `seed`; `"keep"`: start from the model's own last layer (it must have `classes`
   * outputs).
   * @default "new"
   */
  head?: "new" | "keep";
  /**
   * Train every float initializer of the extractor too (except BatchNormalization running
   * statistics, which stay frozen as in PyTorch's `eval()`), through the executor's backward.
   * @default false
   */
  trainAll?: boolean;
  /** Seed of the new layer's initialisation. @default 0 */
  seed?: number;
  /** Implementation of the extractor's convolutions and pooling. @default "fast" */
  impl?: Impl;
  /**
   * Declare the input's (and the saved model's output's) first axis as the symbolic `"N"`, so
   * a model exported with a fixed batch size runs on any batch.
   * @default true
   */
  dynamicBatch?: boolean;
}

/** Options of {@linkcode FineTuner.evaluate}. */
export interface FineTuneEvaluateOptions {
  /** Applied to every batch of images before the extractor. @default identity */
  transform?: (images: Tensor) => Tensor;
  /** Images per forward pass (memory only; results do not depend on it). @default 250 */
  batchSize?: number;
}

/**
 * A classifier from ONNX, split into a feature extractor and a trainable last layer.
 *
 * The last layer is found from the graph output: a Gemm, a MatMul, or a MatMul + Add whose
 * weight is an initializer read by no other node (torchvision's `fc` / `classifier[-1]`). The
 * extractor is the graph cut at that layer's input (`extractModel`), run by a
 * {@linkcode GraphExecutor}; in inference form, as exported (BatchNormalization with running
 * statistics, Dropout off). `forward` is extractor then head; `backward` trains the head, and with
 * `trainAll` also the extractor; `parameters()` is what the optimizer should update; `fit` runs
 * the training loop (with cached features when the extractor is frozen); `toOnnx` writes the
 * model with the trained layer.
 *
 * @example Replace the last layer of a tiny model and train it a step
 * ```ts
 * import { FineTuner } from "./fine_tuner.ts";
 * import { decodeModel, encodeModel } from "../onnx/model.ts";
 * import { OnnxTensor } from "../onnx/onnx_tensor.ts";
 * import { Tensor } from "../layers/tensor.ts";
 * import { SGD } from "../optim/sgd.ts";
 * const model = decodeModel(encodeModel({
 *   graph: {
 *     nodes: [
 *       { opType: "Relu", inputs: ["x"], outputs: ["h"] },
 *       { opType: "Gemm", inputs: ["h", "w", "b"], outputs: ["y"], attributes: { transB: 1 } },
 *     ],
 *     initializers: [
 *       new OnnxTensor(new Float32Array(12), [4, 3], { name: "w" }),
 *       new OnnxTensor(new Float32Array(4), [4], { name: "b" }),
 *     ],
 *     inputs: [{ name: "x", dtype: "float32", shape: ["N", 3] }],
 *     outputs: [{ name: "y", dtype: "float32", shape: ["N", 4] }],
 *   },
 * }));
 * const tuner = new FineTuner(model, { classes: 2 });
 * const data = { images: new Tensor([1, 0, 0, 0, 1, 0], [2, 3]), labels: Int32Array.from([0, 1]) };
 * const result = tuner.fit(data, {
 *   optimizer: new SGD(tuner.parameters(), { lr: 0.5 }),
 *   epochs: 20,
 *   test: data,
 * });
 * console.log(result.epochs.at(-1)?.testAccuracy); // 1
 * if (result.epochs.at(-1)?.testAccuracy !== 1) throw new Error("not trained");
 * const saved = decodeModel(tuner.toOnnx());
 * const shapes = saved.graph.initializers.map((t) => `${t.name} [${t.dims}]`);
 * console.log(shapes); // ["w [2,3]", "b [2]"]: the new 2-class layer under the old names
 * if (shapes.join() !== "w [2,3],b [2]") throw new Error(shapes.join());
 * ```
 */
export class FineTuner {
  /** The trained last layer, `[classes, features]`. */
  readonly head: Linear;
  /** Where the old last layer sat in the graph. */
  readonly layer: OnnxHead;
  /** Whether the extractor trains too. */
  readonly trainAll: boolean;
  /** Runs the graph up to the last layer's input (the features). */
  readonly extractor: GraphExecutor;
  readonly #model: OnnxModel;
  readonly #dynamicBatch: boolean;
  readonly #trainable: readonly Parameter[];

  /**
   * Finds the last layer, cuts the graph there and builds the head.
   *
   * @param model A decoded model (`readModelFile` / `decodeModel`), one image input, one
   * logits output.
   * @param options Classes, head, trainAll, seed, impl, dynamicBatch.
   * @throws {TypeError} If the model has no final Gemm/MatMul with an initializer weight (the
   * message says what computes the output instead), more than one input or output, a layer
   * initializer that other nodes read too, a training-mode BatchNormalization, or (with
   * `trainAll`) a running statistic shared with a trainable input; or an option has the wrong
   * type; and whatever {@linkcode GraphExecutor} throws for an unsupported graph.
   * @throws {RangeError} If `classes` is not a positive integer, or `head: "keep"` with a last
   * layer that has another number of outputs.
   */
  constructor(model: OnnxModel, options: FineTunerOptions = {}) {
    const op = "Cannot fine-tune ONNX model";
    if (model === null || typeof model !== "object" || typeof model.graph !== "object") {
      throw new TypeError(`${op}: model must be a decoded OnnxModel`);
    }
    const {
      classes = 10,
      head = "new",
      trainAll = false,
      seed = 0,
      impl,
      dynamicBatch = true,
    } = options ?? {};
    if (!Number.isInteger(classes) || classes < 1) {
      throw new RangeError(
        `${op}: classes must be a positive integer, got ${formatValue(classes)}`,
      );
    }
    if (head !== "new" && head !== "keep") {
      throw new TypeError(`${op}: head must be "new" or "keep", got ${formatValue(head)}`);
    }
    for (const [name, value] of [["trainAll", trainAll], ["dynamicBatch", dynamicBatch]]) {
      if (typeof value !== "boolean") {
        throw new TypeError(`${op}: ${name} must be a boolean, got ${formatValue(value)}`);
      }
    }
    checkInferenceGraph(model);
    const layer = findHead(model);
    if (head === "keep" && layer.classes !== classes) {
      throw new RangeError(
        `${op}: with head "keep", classes (${classes}) must equal the outputs of the model's ` +
          `last layer (${layer.classes}, weight ${JSON.stringify(layer.weightName)})`,
      );
    }
    const old = head === "keep" ? headWeights(model, layer) : undefined;
    const dtype = model.graph.initializers.find((t) => t.name === layer.weightName)!.dtype;
    this.head = new Linear({
      inFeatures: layer.features,
      outFeatures: classes,
      bias: old === undefined || old.bias !== undefined,
      seed,
      dtype: dtype === "float64" ? "float64" : "float32",
    });
    if (old !== undefined) {
      this.head.weight.value.data.set(old.weight.data);
      if (old.bias) this.head.bias!.value.data.set(old.bias.data);
    }
    const stats = trainAll ? statisticInitializers(model) : new Set<string>();
    const prepared = dynamicBatch ? symbolicBatch(model, layer.inputName) : model;
    this.extractor = new GraphExecutor(extractModel(prepared, [layer.featureName]), { impl });
    this.#trainable = trainAll ? this.extractor.parameters().filter((p) => !stats.has(p.name)) : [];
    this.layer = layer;
    this.trainAll = trainAll;
    this.#model = model;
    this.#dynamicBatch = dynamicBatch;
  }

  /**
   * What the optimizer should update.
   *
   * @returns The head's weight and bias; with `trainAll`, first the extractor's trainable
   * initializers (named after them) in initializer order.
   */
  parameters(): Parameter[] {
    return [...this.#trainable, ...this.head.parameters()];
  }

  /**
   * Runs the extractor.
   *
   * @param input Images in the model's input layout, e.g. `[B, 3, 32, 32]`.
   * @returns The features `[B, features]`.
   * @throws {TypeError} If the input does not fit the model (from the executor), or the
   * features are not `[B, features]`.
   */
  features(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) {
      throw new TypeError(`Cannot run the feature extractor: input must be a Tensor`);
    }
    const [value] = this.extractor.run([OnnxTensor.fromTensor(input)]);
    const expected = [input.shape[0], this.layer.features];
    if (value.dims.length !== 2 || value.dims.some((d, i) => d !== expected[i])) {
      throw new TypeError(
        `Cannot run the feature extractor: the last layer's input ` +
          `${JSON.stringify(this.layer.featureName)} must be ${formatShape(expected)}, got ` +
          `${formatShape(value.dims)}`,
      );
    }
    return value.toTensor();
  }

  /**
   * Extractor, then head.
   *
   * @param input Images in the model's input layout.
   * @returns Logits `[B, classes]`.
   * @throws {TypeError} See {@linkcode FineTuner.features}.
   */
  forward(input: Tensor): Tensor {
    return this.head.forward(this.features(input));
  }

  /**
   * Back-propagates through the last `forward`: accumulates the head's gradients and, with
   * `trainAll`, the extractor's (the input's gradient is not needed and not returned).
   *
   * @param gradLogits Gradient of the loss with respect to the logits, `[B, classes]`.
   * @throws {Error} If `forward` has not been called.
   * @throws {TypeError} If the gradient's shape differs from the logits'.
   */
  backward(gradLogits: Tensor): void {
    const gradFeatures = this.head.backward(gradLogits);
    if (this.trainAll) this.extractor.backward([OnnxTensor.fromTensor(gradFeatures)]);
  }

  /**
   * Trains for `epochs` passes over `data` and evaluates on `options.test` after each. With a
   * frozen extractor, features are computed once per image (`cache`, the default) and the
   * epochs train the head on them; the shuffle is the same either way, so cached and uncached
   * runs visit the same batches.
   *
   * @param data Training images (before `transform`) and labels in [0, classes).
   * @param options Optimizer (over `parameters()`), epochs, batch size, seed, test set,
   * transform, cache and callbacks.
   * @returns Every step's loss, every epoch's summary and the feature-extraction time.
   * @throws {TypeError} If an option has the wrong type, or the images do not fit the model.
   * @throws {RangeError} If a count is not a positive integer, a label is outside
   * [0, classes), or `cache` is set with `trainAll`.
   */
  fit(data: ImageDataset, options: FitOptions): FitResult {
    return fitLoop(this, data, options);
  }

  /**
   * Classifies every image of `data`.
   *
   * @param data Images (before `transform`) and labels.
   * @param options `transform` and `batchSize`.
   * @returns Accuracy, counts and every prediction (arg max, first on ties).
   * @throws {TypeError} If the images do not fit the model.
   * @throws {RangeError} If `batchSize` is not a positive integer.
   */
  evaluate(data: ImageDataset, options: FineTuneEvaluateOptions = {}): Evaluation {
    return predict(this, data, options.transform, options.batchSize ?? 250);
  }

  /**
   * Encodes the fine-tuned model: the original graph, its last layer replaced by one Gemm
   * (`transB = 1`) named like the old node, over the head's weight and bias (under the old
   * initializers' names); with `trainAll` the extractor's initializers hold their trained
   * values. With `dynamicBatch` the input's and output's first axis read `"N"`; `valueInfo`
   * annotations are dropped (they may state the old sizes).
   *
   * @returns The `.onnx` bytes.
   */
  toOnnx(): Uint8Array {
    const updated = new Map(this.#trainable.map((p) => [p.name, p.value]));
    return spliceHead(this.#model, this.layer, {
      weight: this.head.weight.value,
      bias: this.head.bias?.value,
      updated,
      dynamicBatch: this.#dynamicBatch,
    });
  }
}

/** `model` with the first axis of `inputName` declared as the symbolic `"N"`. */
function symbolicBatch(model: OnnxModel, inputName: string): OnnxModel {
  const inputs = model.graph.inputs.map((v) =>
    v.name === inputName && v.shape !== undefined && v.shape.length > 0
      ? { ...v, shape: ["N", ...v.shape.slice(1)] }
      : v
  );
  return { ...model, graph: { ...model.graph, inputs } };
}
