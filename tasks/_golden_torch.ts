// The PyTorch source of the goldens: runs tasks/golden_torch.py (Debian's python3-torch) once per
// subcommand and reads its one-JSON-line-per-case protocol.

import { encodeTensor } from "../onnx/tensor_proto.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { GRID_OPSET, type GridCase } from "../conformance/grid.ts";

/** The interpreter with python3-torch and python3-onnx (Debian packages). */
export const PYTHON = "/usr/bin/python3";
/** How to get the PyTorch half on a machine that lacks it. */
export const TORCH_HINT = "apt-get install python3-torch python3-onnx";
const SCRIPT = new URL("./golden_torch.py", import.meta.url).pathname;

/** One stdout line of golden_torch.py. */
export interface _TorchRecord {
  name: string;
  status: "ok" | "unsupported" | "error";
  reason: string;
  model: "export" | "helper" | null;
  torch_op: string | null;
  grad_inputs?: number[];
  output_shapes?: number[][];
  notes?: string[];
  [key: string]: unknown;
}

/** Versions golden_torch.py reports (torch_versions.json). */
export interface _TorchVersions {
  torch: string;
  onnx: string;
  numpy: string;
  python: string;
}

/** `undefined` when PYTHON imports torch and onnx; otherwise why not. */
export async function _torchMissing(): Promise<string | undefined> {
  try {
    const { code, stderr } = await new Deno.Command(PYTHON, {
      args: ["-c", "import torch, onnx, numpy"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code === 0) return undefined;
    const text = new TextDecoder().decode(stderr).trim().split("\n").pop() ?? "";
    return `${PYTHON} cannot import torch/onnx/numpy (${text})`;
  } catch (error) {
    return `${PYTHON} is not runnable (${error instanceof Error ? error.message : error})`;
  }
}

/** Runs golden_torch.py with arguments; returns its records. Throws on a systemic failure. */
async function run(args: string[]): Promise<_TorchRecord[]> {
  const { code, stdout, stderr } = await new Deno.Command(PYTHON, {
    args: [SCRIPT, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONHASHSEED: "0", OMP_NUM_THREADS: "1" },
  }).output();
  const err = new TextDecoder().decode(stderr);
  if (code !== 0) {
    throw new Error(`golden_torch.py ${args[0]} exited with ${code}:\n${err.slice(-2000)}`);
  }
  return new TextDecoder().decode(stdout).split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l) as _TorchRecord
  );
}

/**
 * The `cases` subcommand: writes each case's inputs (the same bits as the ONNX Runtime source)
 * and a jobs file into `scratch`, and the PyTorch cases into `out`.
 */
export async function _runTorchCases(
  cases: readonly GridCase[],
  inputsOf: (c: GridCase) => OnnxTensor[],
  out: string,
  scratch: string,
): Promise<Map<string, _TorchRecord>> {
  const jobs = [];
  for (const c of cases) {
    const dir = `${scratch}/${c.name}`;
    await Deno.mkdir(dir, { recursive: true });
    const inputs = inputsOf(c);
    const specs = [];
    for (const [i, spec] of c.inputs.entries()) {
      const file = `${dir}/input_${i}.pb`;
      await Deno.writeFile(file, encodeTensor(inputs[i]));
      specs.push({ name: spec.name, shape: spec.shape, dtype: spec.dtype ?? "float32", file });
    }
    jobs.push({
      name: c.name,
      family: c.family,
      op: c.op,
      attributes: c.attributes,
      floatAttributes: c.floatAttributes ?? [],
      inputs: specs,
      seed: c.seed,
      outputs: c.outputs ?? 1,
    });
  }
  const jobsFile = `${scratch}/jobs.json`;
  await Deno.writeTextFile(jobsFile, JSON.stringify({ opset: GRID_OPSET, cases: jobs }));
  const records = await run(["cases", "--jobs", jobsFile, "--out", out]);
  return new Map(records.map((r) => [r.name, r]));
}

/** The `models` subcommand into `out`. */
export function _runTorchModels(out: string): Promise<_TorchRecord[]> {
  return run(["models", "--out", out]);
}

/** The `zoo` subcommand (torchvision architectures, eval and training mode) into `out`. */
export function _runTorchZoo(out: string, size: "reduced" | "full"): Promise<_TorchRecord[]> {
  return run(["zoo", "--out", out, "--size", size]);
}

/** The manifest entry of a zoo record (`dir` relative to the golden root: `zoo/<case>`). */
export function _zooDescription(record: _TorchRecord): string {
  return `${record.torch_op}: torch.onnx.export (opset ${GRID_OPSET}, parameters and buffers ` +
    `as initializers, ${
      record.mode === "train" ? "TrainingMode.TRAINING" : "eval(), " +
        "TrainingMode.PRESERVE"
    }), input X ${JSON.stringify(record.input_shape)} = torch.rand, ` +
    `grad_output from gradOutputValues(shape, ${record.seed}, 0), gradients for X and the ` +
    `${(record.grad_initializers as number[]).length} parameters among the ` +
    `${(record.initializers as string[]).length} initializers; ${record.parameters} ` +
    `parameters; ops ${(record.op_types as string[]).join(" ")}`;
}

/** The `training` subcommand into `out`. */
export function _runTorchTraining(out: string, fashionMnist: string): Promise<_TorchRecord[]> {
  return run(["training", "--out", out, "--fashion-mnist", fashionMnist]);
}

/** Reads and removes `dir/torch_versions.json` (platform details stay out of golden/). */
export async function _takeTorchVersions(dir: string): Promise<_TorchVersions> {
  const file = `${dir}/torch_versions.json`;
  const v = JSON.parse(await Deno.readTextFile(file));
  await Deno.remove(file);
  return { torch: v.torch, onnx: v.onnx, numpy: v.numpy, python: v.python };
}
