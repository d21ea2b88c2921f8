/**
 * Golden test cases on disk: ONNX's backend-test layout, extended with gradients.
 *
 * ```
 * <case>/model.onnx
 * <case>/test_data_set_<n>/input_<i>.pb, output_<j>.pb   forward inputs and expected outputs
 * <case>/test_data_set_<n>/grad_output_<j>.pb            upstream gradient seeding output j
 * <case>/test_data_set_<n>/grad_input_<i>.pb             expected dL/d input i
 * <case>/test_data_set_<n>/grad_initializer_<k>.pb       expected dL/d initializer k
 * <case>/test_data_set_<n>/float64/<stem>.pb               optional float64 truth of an output_,
 *                                                       grad_input_ or grad_initializer_ file
 * <case>/test_data_set_<n>/float64/torch_float32_error.json  PyTorch's float32 error against it
 * ```
 *
 * The float64 truth sits in a subdirectory so that ONNX's own backend runners, which read
 * `input_*.pb` and `output_*.pb` of the data set directory, never see it.
 *
 * Data sets, inputs, outputs and gradient outputs are numbered from 0 without gaps. Gradient
 * files are optional; when any is present all `grad_output_<j>` must be, while `grad_input_<i>`
 * and `grad_initializer_<k>` may skip entries (a non-differentiable input, an unchecked weight).
 * Initializer `k` is the k-th entry of `graph.initializer`. Other files in a case directory are
 * ignored, so a generator may keep metadata beside the case.
 *
 * @module
 */

import { _fail, _pathOf, type _Where } from "./_where.ts";
import { decodeModel, type OnnxModel, readModelFile } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { encodeTensor, type ReadOptions, readTensorFile } from "./tensor_proto.ts";

/** One `test_data_set_<n>` directory. */
export interface DataSet {
  /** `input_<i>.pb` by index. */
  readonly inputs: readonly OnnxTensor[];
  /** `output_<j>.pb` by index. */
  readonly outputs: readonly OnnxTensor[];
  /** `grad_output_<j>.pb` by index, one per output; absent when the case has no gradients. */
  readonly gradOutputs?: readonly OnnxTensor[];
  /**
   * `grad_input_<i>.pb` by index, as long as `inputs`; `undefined` where no file exists. Absent
   * when the case has no gradients.
   */
  readonly gradInputs?: readonly (OnnxTensor | undefined)[];
  /**
   * `grad_initializer_<k>.pb` by index, as long as the model's initializer list; `undefined`
   * where no file exists. Absent when the case has no gradients.
   */
  readonly gradInitializers?: readonly (OnnxTensor | undefined)[];
  /** The float64 truth of the expected tensors (`float64/`), when the data set has one. */
  readonly truth?: Truth;
}

/**
 * PyTorch's float32 result `P` against its float64 truth `T` for one tensor, as recorded by the
 * generator (`float64/torch_float32_error.json`): the yardstick of the tolerance policy.
 */
export interface Float32Error {
  /** `max |P − T|` over the finite elements of `T`. */
  readonly maxAbs: number;
  /** `‖P − T‖₂ / ‖T‖₂` over the finite elements of `T` (0 when `T` is 0: judged elementwise). */
  readonly normwise: number;
  /** `max |T|` over the finite elements of `T`. */
  readonly scale: number;
  /** How many elements of `T` are NaN or ±∞ (`P` matches each exactly). */
  readonly nonfinite: number;
  /**
   * The same errors of PyTorch's other float32 CPU backend (oneDNN disabled: ATen's native
   * kernels), when the generator ran it. PyTorch's float32 error is a range, not one number.
   */
  readonly alternative?: { readonly maxAbs: number; readonly normwise: number };
}

/** The float64 truth of a data set: per expected tensor, its float64 value and PyTorch's error. */
export interface Truth {
  /** Truth of `output_<j>.pb` by index, `undefined` where none was written. */
  readonly outputs: readonly (OnnxTensor | undefined)[];
  /** Truth of `grad_input_<i>.pb` by index. */
  readonly gradInputs: readonly (OnnxTensor | undefined)[];
  /** Truth of `grad_initializer_<k>.pb` by index. */
  readonly gradInitializers: readonly (OnnxTensor | undefined)[];
  /** PyTorch's float32 error per file stem (`output_0`, `grad_input_1`, ...). */
  readonly float32Error: Readonly<Record<string, Float32Error>>;
}

/** Subdirectory of a data set holding the float64 truth. */
export const TRUTH_DIR = "float64";
/** The file in {@linkcode TRUTH_DIR} recording PyTorch's float32 error per stem. */
export const TRUTH_ERRORS_FILE = "torch_float32_error.json";

/** A loaded golden case. */
export interface GoldenCase {
  /** The case directory's base name. */
  readonly name: string;
  /** The case directory as given. */
  readonly dir: string;
  /** The decoded `model.onnx`. */
  readonly model: OnnxModel;
  /** The data sets in order (at least one). */
  readonly dataSets: readonly DataSet[];
}

const DATA_SET = /^test_data_set_(0|[1-9][0-9]*)$/;
const TENSOR_FILE = /^(input|output|grad_output|grad_input|grad_initializer)_(0|[1-9][0-9]*)\.pb$/;
type Role = "input" | "output" | "grad_output" | "grad_input" | "grad_initializer";

/**
 * Finds every case below the given paths: a case is a directory that contains `model.onnx`
 * (the search does not descend into a case). Symbolic links are followed once.
 *
 * @param paths Directories to search, or `model.onnx` files (paths or `file:` URLs).
 * @returns Case directories, without duplicates, sorted by code-unit order of the path.
 * @throws {TypeError} If `paths` is not an array of paths, or a file path is not `model.onnx`.
 * @throws {Deno.errors.NotFound} If a path does not exist.
 *
 * @example Find the cases in a directory tree
 * ```ts
 * import { findCases } from "./case.ts";
 * const cases = await findCases([new URL("./testdata", import.meta.url)]);
 * console.log(cases); // [".../onnx/testdata/relu"]
 * ```
 */
export async function findCases(paths: readonly (string | URL)[]): Promise<string[]> {
  if (!Array.isArray(paths)) {
    throw new TypeError("Cannot find ONNX cases: paths must be an array of paths");
  }
  const found = new Set<string>();
  const visited = new Set<string>();
  for (const path of paths.map((p) => _pathOf(p, "find ONNX cases"))) {
    const info = await Deno.stat(path);
    if (info.isFile) {
      if (basename(path) !== "model.onnx") {
        throw new TypeError(
          `Cannot find ONNX cases: ${path} is a file but not model.onnx (give a directory)`,
        );
      }
      found.add(dirname(path));
    } else {
      await search(trimSlash(path), found, visited);
    }
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function search(dir: string, found: Set<string>, visited: Set<string>): Promise<void> {
  const real = await Deno.realPath(dir);
  if (visited.has(real)) return; // a symlink cycle or a path given twice
  visited.add(real);
  if (await isFile(`${dir}/model.onnx`)) {
    found.add(dir);
    return;
  }
  const subdirs: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory || (entry.isSymlink && (await isDirectory(path)))) subdirs.push(path);
  }
  subdirs.sort();
  for (const sub of subdirs) await search(sub, found, visited);
}

/**
 * Loads a case: its model and every data set.
 *
 * @param dir The case directory (a path or a `file:` URL).
 * @param options `maxBytes` for each file read.
 * @returns The case.
 * @throws {OnnxFormatError} Naming the directory and file if a data set, an input, an output or a
 * gradient output is missing, numbering has a gap, a gradient index exceeds the inputs or
 * initializers, or an unexpected `.pb` file exists; or naming the file for a corrupt model or
 * tensor.
 * @throws {OnnxUnsupportedError} If the model or a tensor uses an unsupported feature.
 * @throws {Deno.errors.NotFound} If `dir` or its `model.onnx` does not exist.
 *
 * @example Load a case with gradients
 * ```ts
 * import { loadCase } from "./case.ts";
 * const relu = await loadCase(new URL("./testdata/relu", import.meta.url));
 * const [set] = relu.dataSets;
 * console.log(relu.name, relu.model.graph.nodes[0].opType); // relu Relu
 * console.log(set.inputs[0].data, set.gradInputs?.[0]?.data);
 * // Float32Array [-1, 2, -3, 4] Float32Array [0, 1, 0, 2]
 * ```
 */
export async function loadCase(
  dir: string | URL,
  options: ReadOptions = {},
): Promise<GoldenCase> {
  dir = trimSlash(_pathOf(dir, "load case"));
  const model = await readModelFile(`${dir}/model.onnx`, options);
  const where: _Where = { file: dir, what: "case", path: "" };
  const setDirs = new Map<number, string>();
  for await (const entry of Deno.readDir(dir)) {
    const match = DATA_SET.exec(entry.name);
    if (match && (entry.isDirectory || (await isDirectory(`${dir}/${entry.name}`)))) {
      setDirs.set(Number(match[1]), entry.name);
    }
  }
  if (setDirs.size === 0) _fail(where, "", "no test_data_set_<n> directory");
  const names = contiguous(setDirs, where, "test_data_set");
  const dataSets: DataSet[] = [];
  for (const name of names) {
    dataSets.push(
      await loadDataSet(`${dir}/${name}`, { ...where, path: name }, model, options),
    );
  }
  return { name: basename(dir), dir, model, dataSets };
}

async function loadDataSet(
  path: string,
  where: _Where,
  model: OnnxModel,
  options: ReadOptions,
): Promise<DataSet> {
  const files: Record<Role, Map<number, string>> = {
    input: new Map(),
    output: new Map(),
    grad_output: new Map(),
    grad_input: new Map(),
    grad_initializer: new Map(),
  };
  let hasTruth = false;
  for await (const entry of Deno.readDir(path)) {
    const match = TENSOR_FILE.exec(entry.name);
    if (match) files[match[1] as Role].set(Number(match[2]), entry.name);
    else if (entry.name === TRUTH_DIR && entry.isDirectory) hasTruth = true;
    else if (entry.name.endsWith(".pb")) {
      _fail(where, entry.name, `${entry.name} is not an input_, output_ or grad_ file`);
    }
  }
  const read = async (names: readonly string[]) => {
    const out: OnnxTensor[] = [];
    for (const name of names) out.push(await readTensorFile(`${path}/${name}`, options));
    return out;
  };
  if (files.output.size === 0) _fail(where, "output_0.pb", "output_0.pb is missing");
  const inputs = await read(contiguous(files.input, where, "input", ".pb"));
  const outputs = await read(contiguous(files.output, where, "output", ".pb"));
  const hasGradients = files.grad_output.size + files.grad_input.size +
      files.grad_initializer.size > 0;
  if (!hasGradients) {
    const set = { inputs, outputs };
    return hasTruth ? { ...set, truth: await loadTruth(path, where, set, options) } : set;
  }

  const gradOutputs = await read(contiguous(files.grad_output, where, "grad_output", ".pb"));
  if (gradOutputs.length < outputs.length) {
    const name = `grad_output_${gradOutputs.length}.pb`;
    _fail(
      where,
      name,
      `${name} is missing: with gradient files present, each of the ${outputs.length} ` +
        `outputs needs its upstream gradient`,
    );
  }
  if (gradOutputs.length > outputs.length) {
    const name = `grad_output_${outputs.length}.pb`;
    _fail(where, name, `${name} has no matching output (there are ${outputs.length})`);
  }
  const sparse = async (map: Map<number, string>, limit: number, of: string) => {
    const out = new Array<OnnxTensor | undefined>(limit).fill(undefined);
    for (const [index, name] of map) {
      if (index >= limit) {
        _fail(where, name, `${name} has no matching ${of} (there are ${limit})`);
      }
      out[index] = (await read([name]))[0];
    }
    return out;
  };
  const set: DataSet = {
    inputs,
    outputs,
    gradOutputs,
    gradInputs: await sparse(files.grad_input, inputs.length, "input"),
    gradInitializers: await sparse(
      files.grad_initializer,
      model.graph.initializers.length,
      "initializer",
    ),
  };
  return hasTruth ? { ...set, truth: await loadTruth(path, where, set, options) } : set;
}

const TRUTH_FILE = /^(output|grad_input|grad_initializer)_(0|[1-9][0-9]*)\.pb$/;

/**
 * Reads `float64/`: each `<stem>.pb` must be a float64 tensor of the shape of the data set's
 * `<stem>.pb`, and `torch_float32_error.json` must record a valid error for exactly those stems.
 */
async function loadTruth(
  path: string,
  where: _Where,
  set: DataSet,
  options: ReadOptions,
): Promise<Truth> {
  const dir = `${path}/${TRUTH_DIR}`;
  const at = { ...where, path: `${where.path}/${TRUTH_DIR}` };
  const expected: Record<string, readonly (OnnxTensor | undefined)[]> = {
    output: set.outputs,
    grad_input: set.gradInputs ?? [],
    grad_initializer: set.gradInitializers ?? [],
  };
  const truth = {
    output: new Array<OnnxTensor | undefined>(set.outputs.length).fill(undefined),
    grad_input: new Array<OnnxTensor | undefined>(expected.grad_input.length).fill(undefined),
    grad_initializer: new Array<OnnxTensor | undefined>(expected.grad_initializer.length)
      .fill(undefined),
  };
  const stems: string[] = [];
  let hasErrors = false;
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name === TRUTH_ERRORS_FILE) {
      hasErrors = true;
      continue;
    }
    const match = TRUTH_FILE.exec(entry.name);
    if (!match) {
      _fail(
        at,
        entry.name,
        `${entry.name} is not the truth of an output_, grad_input_ or ` +
          `grad_initializer_ file`,
      );
    }
    const role = match[1] as keyof typeof truth, index = Number(match[2]);
    const counterpart = expected[role][index];
    if (counterpart === undefined) {
      _fail(at, entry.name, `${entry.name} has no ${entry.name} beside it in ${where.path}`);
    }
    const t = await readTensorFile(`${dir}/${entry.name}`, options);
    if (t.dtype !== "float64") {
      _fail(at, entry.name, `${entry.name} must hold float64 values, got ${t.dtype}`);
    }
    if (t.dims.join() !== counterpart.dims.join() || t.dims.length !== counterpart.dims.length) {
      _fail(
        at,
        entry.name,
        `${entry.name} has shape [${t.dims.join(", ")}], its float32 file ` +
          `[${counterpart.dims.join(", ")}]`,
      );
    }
    truth[role][index] = t;
    stems.push(entry.name.slice(0, -3));
  }
  if (!hasErrors) _fail(at, TRUTH_ERRORS_FILE, `${TRUTH_ERRORS_FILE} is missing`);
  const file = `${dir}/${TRUTH_ERRORS_FILE}`;
  const errors = parseFloat32Errors(await Deno.readTextFile(file), file, stems);
  return {
    outputs: truth.output,
    gradInputs: truth.grad_input,
    gradInitializers: truth.grad_initializer,
    float32Error: errors,
  };
}

/** Parses and validates `torch_float32_error.json`: one record per truth stem, nothing else. */
function parseFloat32Errors(
  text: string,
  file: string,
  stems: readonly string[],
): Record<string, Float32Error> {
  const where: _Where = { file, what: "PyTorch float32 errors", path: "" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    _fail(where, "", `not JSON (${error instanceof Error ? error.message : error})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    _fail(where, "", "must be an object mapping file stems to error records");
  }
  const record = json as Record<string, unknown>;
  const out: Record<string, Float32Error> = {};
  for (const stem of stems) {
    if (!Object.hasOwn(record, stem)) {
      _fail(where, stem, `${stem}: no record for float64/${stem}.pb`);
    }
  }
  for (const [stem, value] of Object.entries(record)) {
    if (!stems.includes(stem)) _fail(where, stem, `${stem}: no float64/${stem}.pb to go with it`);
    const entry = (value ?? {}) as Record<string, unknown>;
    const number = (key: string, integer = false, from = entry, at = `${stem}.${key}`) => {
      const v = from[key];
      if (
        typeof v !== "number" || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))
      ) {
        _fail(
          where,
          at,
          `${at} must be a finite ${integer ? "integer" : "number"} ≥ 0, got ${JSON.stringify(v)}`,
        );
      }
      return v;
    };
    const record: Float32Error = {
      maxAbs: number("maxAbs"),
      normwise: number("normwise"),
      scale: number("scale"),
      nonfinite: number("nonfinite", true),
    };
    const alt = entry.alternative;
    if (alt === undefined) {
      out[stem] = record;
      continue;
    }
    if (alt === null || typeof alt !== "object") {
      _fail(where, `${stem}.alternative`, `${stem}.alternative must be an object`);
    }
    const from = alt as Record<string, unknown>;
    out[stem] = {
      ...record,
      alternative: {
        maxAbs: number("maxAbs", false, from, `${stem}.alternative.maxAbs`),
        normwise: number("normwise", false, from, `${stem}.alternative.normwise`),
      },
    };
  }
  return out;
}

// Names ordered by index 0..n-1, or a format error naming the first missing one.
function contiguous(
  map: Map<number, string>,
  where: _Where,
  prefix: string,
  suffix = "",
): string[] {
  const names: string[] = [];
  for (let i = 0; i < map.size; i++) {
    const name = map.get(i);
    if (name === undefined) {
      const last = Math.max(...map.keys());
      _fail(
        where,
        `${prefix}_${i}${suffix}`,
        `${prefix}_${i}${suffix} is missing (numbering must have no gaps; found up to ` +
          `${prefix}_${last}${suffix})`,
      );
    }
    names.push(name);
  }
  return names;
}

/**
 * Writes a case: `model.onnx` and one `test_data_set_<n>` directory per data set. Existing
 * `test_data_set_*` directories of `dir` are removed first so no stale data set survives.
 * Unnamed input/output tensors get the model's graph input/output names.
 *
 * @param dir The case directory (created if needed; a path or a `file:` URL).
 * @param model The encoded model.
 * @param dataSets The data sets (at least one), laid out as {@linkcode DataSet} describes.
 * @returns When every file is written.
 * @throws {TypeError} If a data set is not shaped as described (no outputs, a non-tensor entry,
 * gradient inputs without gradient outputs, or more gradients than inputs/initializers).
 * @throws {OnnxFormatError} If `model` does not decode.
 *
 * @example Write a Relu case with gradients
 * ```ts
 * import { writeCase } from "./case.ts";
 * import { singleNodeModel } from "./single_node.ts";
 * import { OnnxTensor } from "./onnx_tensor.ts";
 * const model = singleNodeModel({
 *   opType: "Relu",
 *   inputs: [{ name: "x", dtype: "float64", dims: [2] }],
 *   outputs: [{ name: "y", dtype: "float64", dims: [2] }],
 * });
 * const t = (a: number[]) => new OnnxTensor(new Float64Array(a), [2]);
 * const dataSet = {
 *   inputs: [t([-1, 2])],
 *   outputs: [t([0, 2])],
 *   gradOutputs: [t([1, 1])],
 *   gradInputs: [t([0, 1])],
 * };
 * // Writing needs --allow-write.
 * if ((await Deno.permissions.query({ name: "write" })).state === "granted") {
 *   const dir = await Deno.makeTempDir();
 *   await writeCase(dir, model, [dataSet]);
 *   await Deno.stat(`${dir}/test_data_set_0/grad_input_0.pb`);
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export async function writeCase(
  dir: string | URL,
  model: Uint8Array,
  dataSets: readonly DataSet[],
): Promise<void> {
  dir = trimSlash(_pathOf(dir, "write case"));
  const decoded = decodeModel(model, `${dir}/model.onnx (to be written)`);
  const initializerNames = new Set(decoded.graph.initializers.map((t) => t.name));
  const inputNames = decoded.graph.inputs.map((v) => v.name).filter((n) =>
    !initializerNames.has(n)
  );
  const outputNames = decoded.graph.outputs.map((v) => v.name);
  if (!Array.isArray(dataSets) || dataSets.length === 0) {
    throw new TypeError(`Cannot write case ${dir}: dataSets must be a non-empty array`);
  }
  dataSets.forEach((set, n) =>
    checkDataSet(set, `Cannot write case ${dir}: dataSets[${n}]`, decoded)
  );

  await Deno.mkdir(dir, { recursive: true });
  for await (const entry of Deno.readDir(dir)) {
    if (DATA_SET.test(entry.name) && entry.isDirectory) {
      await Deno.remove(`${dir}/${entry.name}`, { recursive: true });
    }
  }
  await Deno.writeFile(`${dir}/model.onnx`, model);
  for (const [n, set] of dataSets.entries()) {
    const setDir = `${dir}/test_data_set_${n}`;
    await Deno.mkdir(setDir);
    const write = async (
      role: Role,
      tensors: readonly (OnnxTensor | undefined)[],
      names: readonly string[] = [],
    ) => {
      for (const [i, t] of tensors.entries()) {
        if (t === undefined) continue;
        const named = t.name === undefined && names[i] !== undefined ? t.withName(names[i]) : t;
        await Deno.writeFile(`${setDir}/${role}_${i}.pb`, encodeTensor(named));
      }
    };
    await write("input", set.inputs, inputNames);
    await write("output", set.outputs, outputNames);
    await write("grad_output", set.gradOutputs ?? []);
    await write("grad_input", set.gradInputs ?? []);
    await write("grad_initializer", set.gradInitializers ?? []);
    if (set.truth !== undefined) await writeTruth(`${setDir}/${TRUTH_DIR}`, set.truth);
  }
}

/** Writes `float64/<stem>.pb` for every truth tensor and `torch_float32_error.json`. */
async function writeTruth(dir: string, truth: Truth): Promise<void> {
  await Deno.mkdir(dir);
  const lists = [
    ["output", truth.outputs],
    ["grad_input", truth.gradInputs],
    ["grad_initializer", truth.gradInitializers],
  ] as const;
  for (const [role, list] of lists) {
    for (const [i, t] of list.entries()) {
      if (t !== undefined) await Deno.writeFile(`${dir}/${role}_${i}.pb`, encodeTensor(t));
    }
  }
  const sorted = Object.keys(truth.float32Error).sort().map((k) => [k, truth.float32Error[k]]);
  await Deno.writeTextFile(
    `${dir}/${TRUTH_ERRORS_FILE}`,
    JSON.stringify(Object.fromEntries(sorted), null, 1) + "\n",
  );
}

function checkDataSet(set: DataSet, at: string, model: OnnxModel): void {
  if (set === null || typeof set !== "object") throw new TypeError(`${at} must be an object`);
  const tensors = (list: unknown, key: string, holes: boolean): readonly unknown[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw new TypeError(`${at}.${key} must be an array`);
    list.forEach((t, i) => {
      if (!(t instanceof OnnxTensor) && !(holes && t === undefined)) {
        throw new TypeError(`${at}.${key}[${i}] must be an OnnxTensor, got ${typeof t}`);
      }
    });
    return list;
  };
  tensors(set.inputs, "inputs", false);
  if (tensors(set.outputs, "outputs", false).length === 0) {
    throw new TypeError(`${at}.outputs must not be empty`);
  }
  const gradOutputs = tensors(set.gradOutputs, "gradOutputs", false);
  const gradInputs = tensors(set.gradInputs, "gradInputs", true);
  const gradInitializers = tensors(set.gradInitializers, "gradInitializers", true);
  const anyGradient = gradOutputs.length + gradInputs.length + gradInitializers.length > 0;
  if (anyGradient && gradOutputs.length !== set.outputs.length) {
    throw new TypeError(
      `${at}.gradOutputs has ${gradOutputs.length} tensors for ${set.outputs.length} outputs`,
    );
  }
  if (gradInputs.length > (set.inputs ?? []).length) {
    throw new TypeError(
      `${at}.gradInputs has ${gradInputs.length} entries for ${(set.inputs ?? []).length} inputs`,
    );
  }
  if (set.truth !== undefined) checkTruth(set, at);
  if (gradInitializers.length > model.graph.initializers.length) {
    throw new TypeError(
      `${at}.gradInitializers has ${gradInitializers.length} entries for ` +
        `${model.graph.initializers.length} initializers`,
    );
  }
}

/** A truth to write: float64 tensors shaped like their float32 files, each with its record. */
function checkTruth(set: DataSet, at: string): void {
  const truth = set.truth!;
  const lists = [
    ["outputs", "output", truth.outputs, set.outputs],
    ["gradInputs", "grad_input", truth.gradInputs, set.gradInputs ?? []],
    ["gradInitializers", "grad_initializer", truth.gradInitializers, set.gradInitializers ?? []],
  ] as const;
  const stems = new Set<string>();
  for (const [key, role, list, expected] of lists) {
    if (!Array.isArray(list)) throw new TypeError(`${at}.truth.${key} must be an array`);
    list.forEach((t, i) => {
      if (t === undefined) return;
      const e = expected[i];
      if (!(t instanceof OnnxTensor) || t.dtype !== "float64") {
        throw new TypeError(`${at}.truth.${key}[${i}] must be a float64 OnnxTensor`);
      }
      if (e === undefined || e.dims.join() !== t.dims.join() || e.dims.length !== t.dims.length) {
        throw new TypeError(
          `${at}.truth.${key}[${i}] has no ${role}_${i} of shape [${t.dims.join(", ")}] to go with`,
        );
      }
      stems.add(`${role}_${i}`);
    });
  }
  const recorded = Object.keys(truth.float32Error ?? {});
  const unmatched = [
    ...recorded.filter((k) => !stems.has(k)),
    ...[...stems].filter((k) => !recorded.includes(k)),
  ];
  if (unmatched.length > 0) {
    throw new TypeError(
      `${at}.truth.float32Error must record exactly the truth tensors; differs at ` +
        unmatched.join(", "),
    );
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function basename(path: string): string {
  const trimmed = trimSlash(path);
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}
