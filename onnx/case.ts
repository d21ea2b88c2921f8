/**
 * Golden test cases on disk: ONNX's backend-test layout, extended with gradients.
 *
 * ```
 * <case>/model.onnx
 * <case>/test_data_set_<n>/input_<i>.pb, output_<j>.pb   forward inputs and expected outputs
 * <case>/test_data_set_<n>/grad_output_<j>.pb            upstream gradient seeding output j
 * <case>/test_data_set_<n>/grad_input_<i>.pb             expected dL/d input i
 * <case>/test_data_set_<n>/grad_initializer_<k>.pb       expected dL/d initializer k
 * ```
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
}

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
  for await (const entry of Deno.readDir(path)) {
    const match = TENSOR_FILE.exec(entry.name);
    if (match) files[match[1] as Role].set(Number(match[2]), entry.name);
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
  if (!hasGradients) return { inputs, outputs };

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
  return {
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
  }
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
  if (gradInitializers.length > model.graph.initializers.length) {
    throw new TypeError(
      `${at}.gradInitializers has ${gradInitializers.length} entries for ` +
        `${model.graph.initializers.length} initializers`,
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
