/**
 * `deno task bench:train`: trains the same network with the same settings on the same data with
 * ours (fast path by default) and with PyTorch (`tasks/train_torch.py` under `/usr/bin/python3`)
 * on the same number of threads (`--threads`, default navigator.hardwareConcurrency), one after
 * the other in the same run, and prints epoch times, images/s, test accuracy and the time ratio.
 *
 *   deno task bench:train --model lenet5 --dataset fashion-mnist --epochs 1 --threads 2
 *
 * Epoch time is the training loop only (batching, forward, backward, optimizer step) on both
 * sides; evaluation is timed apart. Both sides use the same images (float32(byte) / 255; for the
 * npm digits our split is written to a temporary directory for PyTorch) but each its own
 * initialisation and shuffle, so accuracies agree statistically, not exactly.
 *
 * @module
 */

import type { TrainTestSplit } from "../data/batches.ts";
import { type EpochInfo, train } from "../train/trainer.ts";
import { setThreads, startThreads, stopThreads } from "../layers/threads.ts";
import {
  buildModel,
  buildOptimizer,
  commonUsage,
  describeSettings,
  InputError,
  loadDataset,
  parseTrainArgs,
  runCommand,
  type TrainSettings,
} from "./_train_cli.ts";

const USAGE = `Usage: deno task bench:train [options]

${commonUsage("1")}
  --python PATH      Python with PyTorch                        (default /usr/bin/python3)
  --help             show this help`;

const TORCH_SCRIPT = new URL("./train_torch.py", import.meta.url);

/** One side's per-epoch results. */
interface Side {
  label: string;
  epochs: { seconds: number; imagesPerSecond: number; testAccuracy: number }[];
}

/** Writes a split as the raw little-endian files train_torch.py's --data-raw reads. */
async function writeRaw(split: TrainTestSplit, dir: string): Promise<void> {
  for (const [name, data] of [["train", split.train], ["test", split.test]] as const) {
    const images = Float32Array.from(data.images.data);
    await Deno.writeFile(`${dir}/${name}_images.f32`, new Uint8Array(images.buffer));
    await Deno.writeFile(`${dir}/${name}_labels.i32`, new Uint8Array(data.labels.slice().buffer));
  }
}

async function runTorch(
  settings: TrainSettings,
  python: string,
  split: TrainTestSplit,
): Promise<Side> {
  const args = [
    TORCH_SCRIPT.pathname,
    "--json",
    "--model",
    settings.model,
    "--dataset",
    settings.dataset,
    "--epochs",
    String(settings.epochs),
    "--batch-size",
    String(settings.batchSize),
    "--optimizer",
    settings.optimizer,
    "--lr",
    String(settings.lr),
    "--momentum",
    String(settings.momentum),
    "--seed",
    String(settings.seed),
    "--threads",
    String(settings.threads),
  ];
  let tmp: string | undefined;
  if (settings.dataset === "fashion-mnist") {
    args.push("--data-dir", settings.dataDir);
  } else {
    tmp = await Deno.makeTempDir({ prefix: "bench_train_" });
    await writeRaw(split, tmp);
    args.push("--data-raw", tmp);
  }
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (error) {
    throw new InputError(`cannot run --python ${python}: ${(error as Error).message}`);
  } finally {
    if (tmp !== undefined) await Deno.remove(tmp, { recursive: true });
  }
  const stderr = new TextDecoder().decode(output.stderr).trim().split("\n");
  if (!output.success) {
    throw new Error(`PyTorch run failed (exit ${output.code}): ${stderr[stderr.length - 1]}`);
  }
  const records = new TextDecoder().decode(output.stdout).trim().split("\n").map((line) =>
    JSON.parse(line)
  );
  return {
    label: `PyTorch ${records[0]?.torch ?? "?"} (${threadCount(records[0]?.threads)})`,
    epochs: records.map((r) => ({
      seconds: r.seconds,
      imagesPerSecond: r.images_per_second,
      testAccuracy: r.test_accuracy,
    })),
  };
}

function threadCount(n: number | undefined): string {
  return n === undefined ? "? threads" : `${n} thread${n === 1 ? "" : "s"}`;
}

async function runOurs(settings: TrainSettings, split: TrainTestSplit): Promise<Side> {
  // Time working threads: the workers start (and load their modules) before the first epoch.
  setThreads(settings.threads);
  await startThreads();
  const model = buildModel(settings);
  const result = train(model, split.train, {
    optimizer: buildOptimizer(settings, model),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    seed: settings.seed,
    test: split.test,
    threads: settings.threads,
    onEpoch: (e: EpochInfo) =>
      console.log(
        `  ours epoch ${e.epoch}: ${e.seconds.toFixed(1)} s, accuracy ${
          e.testAccuracy?.toFixed(4)
        }`,
      ),
  });
  return {
    label: `ours (${settings.impl}, ${threadCount(settings.threads)})`,
    epochs: result.epochs.map((e) => ({
      seconds: e.seconds,
      imagesPerSecond: e.imagesPerSecond,
      testAccuracy: e.testAccuracy ?? NaN,
    })),
  };
}

function printTable(sides: Side[]): void {
  const rows = [["", "epoch", "time (s)", "images/s", "test accuracy"]];
  for (const side of sides) {
    side.epochs.forEach((e, i) => {
      rows.push([
        i === 0 ? side.label : "",
        String(i + 1),
        e.seconds.toFixed(2),
        e.imagesPerSecond.toFixed(0),
        e.testAccuracy.toFixed(4),
      ]);
    });
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) {
    console.log(
      row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))
        .join("   "),
    );
  }
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

async function run(args: string[]): Promise<number> {
  const parsed = parseTrainArgs(args, {
    usage: USAGE,
    epochs: "1",
    extra: { python: "/usr/bin/python3" },
  });
  if (parsed === undefined) return 0;
  const { settings, extra } = parsed;
  const split = await loadDataset(settings);
  console.log(describeSettings(settings, split));
  console.log("running ours ...");
  const ours = await runOurs(settings, split);
  stopThreads();
  console.log(
    `running PyTorch (${extra.python} ${TORCH_SCRIPT.pathname}, ${
      threadCount(settings.threads)
    }) ...`,
  );
  const torch = await runTorch(settings, extra.python, split);
  printTable([ours, torch]);
  const ratio = mean(ours.epochs.map((e) => e.seconds)) / mean(torch.epochs.map((e) => e.seconds));
  console.log(
    `epoch time ratio ours / PyTorch at ${threadCount(settings.threads)}: ${ratio.toFixed(2)}× ` +
      `(target ≤ 1×: ${ratio <= 1 ? "met" : "NOT met"}); load average ${
        Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
      }`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await runCommand(() => run(Deno.args)));
