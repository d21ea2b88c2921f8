// Regenerates the goldens into a fresh directory: the ONNX Runtime half in-process, the PyTorch
// half through tasks/golden_torch.py (in parallel), the cross-check, and manifest.json.

import { writeCase } from "../onnx/case.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { GRID_OPSET, type GridCase, gridCases } from "../conformance/grid.ts";
import {
  type Disagreement,
  type Float32Error,
  type GeneratorVersions,
  type GoldenSource,
  listFiles,
  type Manifest,
  type ManifestCase,
  type ManifestModel,
  sha256Hex,
  type SourceCase,
  type UnsupportedEntry,
} from "../conformance/manifest.ts";
import { _BACKWARD_METHODS } from "./_golden_adjoint.ts";
import { _crossCheck } from "./_golden_crosscheck.ts";
import { _caseInputs, type _OrtCase, _runOrtCase, type _TensorTolerance } from "./_golden_ort.ts";
import { ORT_VERSION } from "./_golden_session.ts";
import {
  _runTorchCases,
  _runTorchModels,
  _runTorchTraining,
  _runTorchZoo,
  _takeTorchVersions,
  type _TorchRecord,
  type _TorchVersions,
  _zooDescription,
} from "./_golden_torch.ts";

type Float32Errors = Record<string, Float32Error>;

/** Which part of the golden set a run regenerates. */
export interface _Scope {
  /** Sources regenerated. */
  sources: GoldenSource[];
  /** Only grid cases whose name contains this. */
  filter?: string;
  /** torch-models/ regenerated. */
  models: boolean;
  /** training/ regenerated. */
  training: boolean;
}

/** Options of {@linkcode _generate}. */
export interface _GenerateOptions {
  /** Fresh output directory (created). */
  out: string;
  /** What to regenerate. */
  scope: _Scope;
  /** Fashion-MNIST directory for the training golden. */
  fashionMnist: string;
  /** The committed manifest: without PyTorch, its disagreements decide the ONNX Runtime drops. */
  committed?: Manifest;
  /** Progress output. */
  log: (line: string) => void;
}

/** What a regeneration produced. */
export interface _Generated {
  /** The manifest of the regenerated part (written to `out/manifest.json`). */
  manifest: Manifest;
  /** Tolerance inputs by case name and file stem (from the ONNX Runtime run). */
  tolerances: Map<string, Map<string, _TensorTolerance>>;
  /** Seconds per stage. */
  timings: Record<string, number>;
}

/** How inputs and upstream gradients are made (manifest text). */
export const FILLS_TEXT = "input i of a case: conformance/fill.ts fillTensor(grid input spec, " +
  "(seed + i) >>> 0); grad_output_j: gradOutputValues(output shape, seed, j); both sources " +
  "use the same bits; L = Σ_j <output_j, grad_output_j>, grad_input_i = dL/d input_i";

/** The tolerance policy as applied here (manifest text). */
export const TOLERANCE_TEXT = "conformance/tolerance.ts: |a − e| ≤ 1e-7 + 1e-4·|e| + " +
  "2·n·2⁻²⁴·A with e = PyTorch (cross-check) or the committed file (--check); n = terms " +
  "summed per element from the op's shapes (Conv output Cin/group·Πk (+1 bias), dX " +
  "Cout/group·Πk, dW and dB N·Πout; ConvTranspose output Cin/group·Πk, dX Cout/group·Πk, dW " +
  "N·Πin, dB N·Πout; pooling Πk; Gemm K (+1), dA out, dB/dC rows; softmax/log-softmax and " +
  "cross-entropy gradients the class count; batch-norm parameter gradients N·Πspatial; " +
  "elementwise ops 0) and A = the same ONNX Runtime graph on absolute values (magnitude " +
  "variants with the subtractions turned into additions for softmax-like gradients); inputs " +
  "and upstream gradients must match exactly; whole-model and training tensors in --check: " +
  "n = 4096, A = max |e| of the tensor";

const GRADIENT_NOTE = "gradient dropped: disagrees with PyTorch (see disagreements)";

/** Regenerates the scoped part of the goldens into `options.out`. */
export async function _generate(options: _GenerateOptions): Promise<_Generated> {
  const { out, scope, log } = options;
  const timings: Record<string, number> = {};
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const cases = gridCases().filter((c) => !scope.filter || c.name.includes(scope.filter));
  await Deno.mkdir(out, { recursive: true });
  const scratch = await Deno.makeTempDir({ prefix: "golden-jobs-" });
  const useTorch = scope.sources.includes("pytorch");
  const useOrt = scope.sources.includes("onnxruntime");
  const versions: GeneratorVersions = {
    deno: Deno.version.deno,
    "onnxruntime-node": ORT_VERSION,
  };
  try {
    // The PyTorch half runs as a child process while ONNX Runtime works in this one.
    const torch = useTorch
      ? runTorch(cases, options, versions, timings, seconds, log)
      : Promise.resolve({ records: new Map<string, _TorchRecord>(), models: [] });
    const ort = new Map<string, _OrtCase>();
    for (const c of cases) ort.set(c.name, await _runOrtCase(c));
    timings.onnxruntime = seconds();
    log(`onnxruntime: ${cases.length} cases run in ${timings.onnxruntime} s`);
    const { records, models } = await torch;

    const disagreements: Disagreement[] = [];
    let compared = 0, worst = { ratio: 0, at: "" };
    const drops = new Map<string, { dropCase: boolean; dropTensors: Set<string> }>();
    for (const c of cases) {
      const r = ort.get(c.name)!;
      const record = records.get(c.name);
      if (useTorch) {
        if (record?.status !== "ok" || !r.outputs) continue;
        const check = await _crossCheck(r, `${out}/torch/${c.name}`, record.grad_inputs ?? []);
        disagreements.push(...check.disagreements);
        drops.set(c.name, check);
        compared += check.agreed.length + check.disagreements.length;
        for (const a of check.agreed) {
          if (a.worstRatio > worst.ratio) {
            worst = { ratio: a.worstRatio, at: `${c.name}/${a.stem}` };
          }
        }
      } else {
        // Without PyTorch the committed decisions stand (they cannot be re-derived).
        const committed = (options.committed?.disagreements ?? []).filter((d) => d.case === c.name);
        disagreements.push(...committed);
        drops.set(c.name, {
          dropCase: committed.some((d) => d.dropped === "case"),
          dropTensors: new Set(committed.map((d) => d.tensor)),
        });
      }
    }
    timings.crossCheck = seconds();
    if (useTorch) {
      log(
        `cross-check: ${compared} tensors compared, ${disagreements.length} disagree; among the ` +
          `agreeing ones the largest error is ${worst.ratio.toPrecision(3)} of its tolerance ` +
          `(${worst.at})`,
      );
    }

    const entries: ManifestCase[] = [];
    const unsupported: UnsupportedEntry[] = [];
    for (const c of cases) {
      const entry: ManifestCase = caseHeader(c);
      if (useOrt) {
        const written = await writeOrt(out, ort.get(c.name)!, drops.get(c.name), unsupported);
        if (written) entry.onnxruntime = written;
      }
      const record = records.get(c.name);
      if (useTorch && record) {
        if (record.status === "ok") entry.pytorch = await torchEntry(out, c, record);
        else {
          unsupported.push({
            case: c.name,
            source: "pytorch",
            scope: "case",
            reason: record.status === "error" ? `error: ${record.reason}` : record.reason,
          });
        }
      }
      if (entry.onnxruntime || entry.pytorch) entries.push(entry);
    }
    timings.write = seconds();
    const manifest: Manifest = {
      format: 1,
      opset: GRID_OPSET,
      generators: versions,
      fills: FILLS_TEXT,
      tolerance: TOLERANCE_TEXT,
      backwardMethods: _backwardMethods(entries),
      cases: entries,
      models,
      unsupported,
      disagreements,
    };
    _sortLists(manifest);
    await Deno.writeTextFile(`${out}/manifest.json`, _formatManifest(manifest));
    const tolerances = new Map([...ort].map(([name, r]) => [name, r.tolerances]));
    return { manifest, tolerances, timings };
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

async function runTorch(
  cases: readonly GridCase[],
  options: _GenerateOptions,
  versions: GeneratorVersions,
  timings: Record<string, number>,
  seconds: () => number,
  log: (line: string) => void,
): Promise<{ records: Map<string, _TorchRecord>; models: ManifestModel[] }> {
  const { out, scope } = options;
  const scratch = await Deno.makeTempDir({ prefix: "golden-torch-inputs-" });
  const take = (v: _TorchVersions) => Object.assign(versions, v);
  try {
    const records = await _runTorchCases(cases, _caseInputs, `${out}/torch`, scratch);
    take(await _takeTorchVersions(`${out}/torch`));
    timings.pytorchCases = seconds();
    const ok = [...records.values()].filter((r) => r.status === "ok").length;
    log(`pytorch: ${ok} of ${records.size} cases in ${timings.pytorchCases} s`);
    const models: ManifestModel[] = [];
    if (scope.models) {
      const dir = `${out}/torch-models`;
      for (const record of await _runTorchModels(dir)) {
        models.push({
          name: record.name,
          source: "pytorch",
          dir: `torch-models/${record.name}`,
          description: `${record.torch_op}: torch.onnx.export (opset ${GRID_OPSET}, parameters ` +
            `as initializers), input X [2, 1, 28, 28] = torch.rand, forward output, ` +
            `grad_output from gradOutputValues(shape, ${record.seed}, 0), gradients for X and ` +
            `every initializer; ops ${(record.op_types as string[]).join(" ")}`,
          ...(record.float32_error ? { float32Error: record.float32_error as Float32Errors } : {}),
          files: await hashDir(`${out}/torch-models/${record.name}`),
        });
      }
      take(await _takeTorchVersions(dir));
      const zoo = `${out}/zoo`;
      for (const record of await _runTorchZoo(zoo, "reduced")) {
        if (record.status !== "ok") {
          throw new Error(`zoo case ${record.name} failed in PyTorch: ${record.reason}`);
        }
        models.push(await _zooEntry(record, out));
      }
      take(await _takeTorchVersions(zoo));
      timings.pytorchModels = seconds();
      log(`pytorch: ${models.length} whole models (zoo included) in ${timings.pytorchModels} s`);
    }
    if (scope.training) {
      const dir = `${out}/training`;
      await _runTorchTraining(dir, options.fashionMnist);
      take(await _takeTorchVersions(dir));
      models.push({
        name: "training",
        source: "pytorch",
        dir: "training",
        description: "LeNet-5 on the first 640 Fashion-MNIST training images, 20 steps of 32 " +
          "with SGD (lr 0.05, momentum 0.9) and Adam (lr 1e-3): initial and final parameters " +
          "as ONNX models, the batches, and the per-step losses (losses.json)",
        files: await hashDir(dir),
      });
      timings.pytorchTraining = seconds();
      log(`pytorch: training golden in ${timings.pytorchTraining} s`);
    }
    models.sort((a, b) => a.dir.localeCompare(b.dir));
    return { records, models };
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

/** Writes an ONNX Runtime case (minus what the cross-check dropped); returns its entry. */
async function writeOrt(
  out: string,
  r: _OrtCase,
  drop: { dropCase: boolean; dropTensors: Set<string> } | undefined,
  unsupported: UnsupportedEntry[],
): Promise<SourceCase | undefined> {
  const c = r.case;
  if (r.error || !r.outputs || !r.model) {
    unsupported.push({
      case: c.name,
      source: "onnxruntime",
      scope: "case",
      reason: r.error ?? "no output",
    });
    return undefined;
  }
  if (drop?.dropCase) return undefined;
  if (r.backward.startsWith("none: ")) {
    unsupported.push({
      case: c.name,
      source: "onnxruntime",
      scope: "gradients",
      reason: r.backward.slice(6),
    });
  }
  const gradInputs: (OnnxTensor | undefined)[] = c.inputs.map(() => undefined);
  const written: number[] = [];
  const dropped: string[] = [];
  for (const [i, grad] of r.gradInputs) {
    if (drop?.dropTensors.has(`grad_input_${i}`)) dropped.push(c.inputs[i].name);
    else {
      gradInputs[i] = grad;
      written.push(i);
    }
  }
  const dir = `${out}/ort/${c.name}`;
  await writeCase(dir, r.model, [{
    inputs: r.inputs,
    outputs: r.outputs,
    gradOutputs: r.gradOutputs,
    gradInputs,
  }]);
  const notes = [...r.notes];
  if (dropped.length) notes.push(`${dropped.join(", ")} ${GRADIENT_NOTE}`);
  return {
    outputShapes: r.outputs.map((y) => [...y.dims]),
    model: "single-node",
    backward: r.backward,
    gradInputs: written.sort(),
    ...(notes.length ? { notes } : {}),
    files: await hashDir(dir),
  };
}

async function torchEntry(out: string, c: GridCase, record: _TorchRecord): Promise<SourceCase> {
  const grads = record.grad_inputs ?? [];
  return {
    outputShapes: record.output_shapes ?? [],
    model: record.model === "export" ? "export" : "helper",
    backward: grads.length ? "autograd" : "none: PyTorch gives no gradient",
    call: record.torch_op ?? "",
    gradInputs: grads,
    ...(record.notes?.length ? { notes: record.notes } : {}),
    ...(record.float32_error ? { float32Error: record.float32_error as Float32Errors } : {}),
    files: await hashDir(`${out}/torch/${c.name}`),
  };
}

/** The manifest entry of a zoo case written below `root/zoo/`. */
export async function _zooEntry(record: _TorchRecord, root: string): Promise<ManifestModel> {
  return {
    name: record.name,
    source: "pytorch",
    dir: `zoo/${record.name}`,
    description: _zooDescription(record),
    ...(record.float32_error ? { float32Error: record.float32_error as Float32Errors } : {}),
    files: await hashDir(`${root}/zoo/${record.name}`),
  };
}

/** The descriptions of the backward keys the entries use. */
export function _backwardMethods(entries: readonly ManifestCase[]): Record<string, string> {
  const used = new Set<string>();
  for (const e of entries) {
    for (const source of [e.onnxruntime, e.pytorch]) if (source) used.add(source.backward);
  }
  return Object.fromEntries(
    Object.entries(_BACKWARD_METHODS).filter(([key]) => used.has(key)),
  );
}

function caseHeader(c: GridCase): ManifestCase {
  return {
    name: c.name,
    family: c.family,
    op: c.op,
    attributes: c.attributes,
    inputShapes: c.inputs.map((s) => s.shape),
    seed: c.seed,
  };
}

async function hashDir(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of await listFiles(dir)) {
    files[path] = await sha256Hex(await Deno.readFile(`${dir}/${path}`));
  }
  return files;
}

/** Puts `unsupported` and `disagreements` in grid order (then source, then output before gradients). */
export function _sortLists(m: Manifest): void {
  const order = new Map(gridCases().map((c, i) => [c.name, i]));
  const at = (name: string) => order.get(name) ?? order.size;
  const tensorRank = (stem: string) =>
    stem.startsWith("output_") ? Number(stem.slice(7)) : 1e6 + Number(stem.replace(/\D/g, ""));
  m.unsupported.sort((a, b) => at(a.case) - at(b.case) || a.source.localeCompare(b.source));
  m.disagreements.sort((a, b) =>
    at(a.case) - at(b.case) || tensorRank(a.tensor) - tensorRank(b.tensor)
  );
}

/**
 * manifest.json text: one line per case, model, unsupported entry and disagreement, so a diff
 * shows which cases changed, and the file stays compact.
 */
export function _formatManifest(m: Manifest): string {
  const list = <T>(items: readonly T[]) =>
    items.length ? `[\n    ${items.map((x) => JSON.stringify(x)).join(",\n    ")}\n  ]` : "[]";
  return `{
  "format": ${m.format},
  "opset": ${m.opset},
  "generators": ${JSON.stringify(m.generators)},
  "fills": ${JSON.stringify(m.fills)},
  "tolerance": ${JSON.stringify(m.tolerance)},
  "backwardMethods": ${JSON.stringify(m.backwardMethods, null, 4).replace(/\n}$/, "\n  }")},
  "cases": ${list(m.cases)},
  "models": ${list(m.models)},
  "unsupported": ${list(m.unsupported)},
  "disagreements": ${list(m.disagreements)}
}
`;
}
