// `deno task golden --check`: compares a regenerated golden tree with the committed one. Same
// file set; files whose bytes differ must hold the same tensors within the tolerance policy
// (floating-point bits may differ across CPUs); manifest.json must be equal apart from the
// hashes of files that changed within tolerance.

import { decodeModel, type OnnxModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { decodeTensor } from "../onnx/tensor_proto.ts";
import { CASE_DIRS, type GoldenSource, listFiles, type Manifest } from "../conformance/manifest.ts";
import {
  pooledNormwise,
  tolerance,
  TRUTH_FACTOR,
  truthTolerance,
} from "../conformance/tolerance.ts";
import { compareWithTruth } from "../conformance/truth.ts";
import { type Float32Error, TRUTH_DIR, TRUTH_ERRORS_FILE } from "../onnx/case.ts";
import { compareTensors, type Tolerance } from "../testing/assert_tensor.ts";
import { _toleranceOf } from "./_golden_crosscheck.ts";
import { _backwardMethods, type _Scope } from "./_golden_generate.ts";
import type { _TensorTolerance } from "./_golden_ort.ts";

/** The outcome of a comparison. */
export interface _Comparison {
  /** Failures, each naming its file. */
  problems: string[];
  /** Files whose bytes differ but whose values agree within tolerance. */
  withinTolerance: string[];
  /** Files compared. */
  compared: number;
  /** Remarks that do not fail the check (e.g. other generator versions). */
  notes: string[];
}

/**
 * Whole-model and training tensors have no per-element reduction bound of their own: a
 * backward pass through a CNN chains several reductions. They get the policy with n = 4096 (a
 * bound on the longest chain of summed terms in LeNet-5 and the notebook CNN) and A = the
 * tensor's largest magnitude.
 */
const MODEL_REDUCTION = 4096;

function modelTolerance(expected: OnnxTensor): Tolerance {
  let max = 0;
  for (const v of expected.data as Float32Array) {
    if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  }
  return tolerance(MODEL_REDUCTION, new Float64Array(expected.data.length).fill(max));
}

const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** Which scoped files a path belongs to (undefined: outside the scope). */
function inScope(path: string, scope: _Scope): boolean {
  const [top, name] = path.split("/");
  for (const source of ["onnxruntime", "pytorch"] as const) {
    if (top === CASE_DIRS[source]) {
      return scope.sources.includes(source) && (!scope.filter || name.includes(scope.filter));
    }
  }
  if (top === "torch-models" || top === "zoo") return scope.models;
  if (top === "training") return scope.training;
  return path !== "manifest.json";
}

/** Compares `fresh` (regenerated) with `committed` within `scope`. */
export async function _compareGoldens(
  committed: string,
  fresh: string,
  scope: _Scope,
  tolerances: ReadonlyMap<string, ReadonlyMap<string, _TensorTolerance>>,
): Promise<_Comparison> {
  const result: _Comparison = { problems: [], withinTolerance: [], compared: 0, notes: [] };
  const old = (await listFiles(committed)).filter((p) => inScope(p, scope));
  const now = (await listFiles(fresh)).filter((p) => inScope(p, scope));
  const nowSet = new Set(now), oldSet = new Set(old);
  for (const p of old) {
    if (!nowSet.has(p)) result.problems.push(`${p}: in golden/ but not regenerated`);
  }
  for (const p of now) {
    if (!oldSet.has(p)) {
      result.problems.push(`${p}: missing from golden/ (the regeneration writes it)`);
    }
  }
  for (const path of old.filter((p) => nowSet.has(p))) {
    result.compared++;
    const a = await Deno.readFile(`${committed}/${path}`);
    const b = await Deno.readFile(`${fresh}/${path}`);
    if (a.length === b.length && a.every((v, i) => v === b[i])) continue;
    const problem = isTruthBacked(path)
      ? await truthProblem(committed, path, b)
      : compareFile(path, a, b, tolerances);
    if (problem) result.problems.push(`${path}: ${problem}`);
    else result.withinTolerance.push(path);
  }
  const manifests = await compareManifests(committed, fresh, scope, result.withinTolerance);
  result.problems.push(...manifests.problems);
  result.notes.push(...manifests.notes);
  return result;
}

/**
 * PyTorch files with a float64 truth are compared through it: `float32/<stem>.pb` must pass the
 * truth regime against the committed truth and record (PyTorch on this machine as accurate as
 * when it was committed, within the policy's factor), the truth itself must agree to float64
 * accuracy, and the recorded errors may move with the CPU only within the policy's factor.
 */
function isTruthBacked(path: string): boolean {
  const [top] = path.split("/");
  return [CASE_DIRS.pytorch, "torch-models", "zoo"].includes(top) &&
    (/\/float64\//.test(path) || TRUTH_STEM.test(path));
}

const TRUTH_STEM = /\/test_data_set_0\/((output|grad_input|grad_initializer)_\d+)\.pb$/;

async function truthProblem(
  committed: string,
  path: string,
  fresh: Uint8Array,
): Promise<string | undefined> {
  const setDir = path.slice(0, path.indexOf("/test_data_set_0/") + "/test_data_set_0".length);
  const truthDir = `${committed}/${setDir}/${TRUTH_DIR}`;
  const records = JSON.parse(
    await Deno.readTextFile(`${truthDir}/${TRUTH_ERRORS_FILE}`),
  ) as Record<string, Float32Error>;
  try {
    if (path.endsWith(`/${TRUTH_ERRORS_FILE}`)) {
      const now = JSON.parse(new TextDecoder().decode(fresh)) as Record<string, Float32Error>;
      return recordsProblem(now, records);
    }
    const stem = path.slice(path.lastIndexOf("/") + 1, -3);
    const committedTensor = decodeTensor(await Deno.readFile(`${committed}/${path}`), path);
    const freshTensor = decodeTensor(fresh, path);
    if (path.includes(`/${TRUTH_DIR}/`)) {
      return tensorProblem(freshTensor, committedTensor, float64Tolerance(committedTensor));
    }
    const truth = decodeTensor(await Deno.readFile(`${truthDir}/${stem}.pb`), path);
    const pooled = pooledNormwise(Object.values(records));
    const c = compareWithTruth(freshTensor, committedTensor, truth, records[stem], pooled);
    return c.ok ? undefined : `regenerated against the committed truth: ${c.message}`;
  } catch (error) {
    return `unreadable: ${error instanceof Error ? error.message : error}`;
  }
}

/** A float64 recomputation: within 1e-9 relative, or 1e-12 of the tensor's scale. */
function float64Tolerance(expected: OnnxTensor): Tolerance {
  let max = 0;
  for (const v of expected.data as Float64Array) {
    if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  }
  return { rtol: 1e-9, atol: 1e-12 * max };
}

function recordsProblem(
  now: Record<string, Float32Error>,
  committed: Record<string, Float32Error>,
): string | undefined {
  const keys = (r: object) => Object.keys(r).sort().join();
  if (keys(now) !== keys(committed)) return `records ${keys(now)}, committed ${keys(committed)}`;
  for (const [stem, c] of Object.entries(committed)) {
    const n = now[stem];
    if (n.nonfinite !== c.nonfinite || Math.abs(n.scale - c.scale) > 1e-9 * c.scale) {
      return `${stem}: scale ${n.scale} / nonfinite ${n.nonfinite}, committed ${c.scale} / ` +
        `${c.nonfinite}`;
    }
    const tol = truthTolerance(c);
    if (n.maxAbs > tol.maxAbs || n.normwise > tol.normwise) {
      return `${stem}: PyTorch's float32 error is now ${n.maxAbs} (normwise ${n.normwise}), ` +
        `more than ${TRUTH_FACTOR}× the committed ${c.maxAbs} (${c.normwise})`;
    }
  }
  return undefined;
}

function compareFile(
  path: string,
  committedBytes: Uint8Array,
  freshBytes: Uint8Array,
  tolerances: ReadonlyMap<string, ReadonlyMap<string, _TensorTolerance>>,
): string | undefined {
  const parts = path.split("/");
  const file = parts[parts.length - 1];
  try {
    if (file.endsWith(".pb")) {
      const expected = decodeTensor(committedBytes, path), actual = decodeTensor(freshBytes, path);
      if (expected.name !== actual.name) {
        return `tensor name ${actual.name}, committed ${expected.name}`;
      }
      return tensorProblem(actual, expected, toleranceFor(parts, expected, tolerances));
    }
    if (file.endsWith(".onnx")) {
      return modelProblem(decodeModel(freshBytes, path), decodeModel(committedBytes, path));
    }
    if (file.endsWith(".json")) {
      const text = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
      return jsonProblem(text(freshBytes), text(committedBytes), "");
    }
  } catch (error) {
    return `unreadable: ${error instanceof Error ? error.message : error}`;
  }
  return "bytes differ";
}

function toleranceFor(
  parts: readonly string[],
  expected: OnnxTensor,
  tolerances: ReadonlyMap<string, ReadonlyMap<string, _TensorTolerance>>,
): Tolerance {
  const stem = parts[parts.length - 1].replace(/\.pb$/, "");
  // Seeded inputs, upstream gradients and training batches come from integer arithmetic.
  if (/^(input|grad_output)_\d+$/.test(stem) || parts[0] === "training") {
    return expected.dtype === "float32" && parts[0] === "training"
      ? modelTolerance(expected)
      : EXACT;
  }
  if (parts[0] === "torch-models" || parts[0] === "zoo") return modelTolerance(expected);
  return _toleranceOf(tolerances.get(parts[1])?.get(stem));
}

function tensorProblem(actual: OnnxTensor, expected: OnnxTensor, tol: Tolerance) {
  const r = compareTensors(actual, expected, tol);
  return r.ok ? undefined : r.message;
}

/** Models: same structure exactly; initializer values within the whole-model tolerance. */
function modelProblem(actual: OnnxModel, expected: OnnxModel): string | undefined {
  const meta = (m: OnnxModel) =>
    JSON.stringify(
      { ...m, graph: { ...m.graph, initializers: m.graph.initializers.map((t) => t.toString()) } },
      (_key, value) =>
        value instanceof OnnxTensor
          ? { name: value.name, dims: value.dims, data: Array.from(value.data, String) }
          : typeof value === "bigint"
          ? String(value)
          : value,
    );
  if (meta(actual) !== meta(expected)) return "model structure differs";
  for (const [k, e] of expected.graph.initializers.entries()) {
    const problem = tensorProblem(actual.graph.initializers[k], e, modelTolerance(e));
    if (problem) return `initializer ${e.name}: ${problem}`;
  }
  return undefined;
}

/** JSON values: numbers within rtol 1e-4 (training losses), everything else equal. */
function jsonProblem(actual: unknown, expected: unknown, at: string): string | undefined {
  if (typeof expected === "number" && typeof actual === "number") {
    return Math.abs(actual - expected) <= 1e-6 + 1e-4 * Math.abs(expected)
      ? undefined
      : `${at || "value"}: ${actual}, committed ${expected}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) {
      return `${at}: length ${actual.length}, committed ${expected.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const p = jsonProblem(actual[i], expected[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (expected && actual && typeof expected === "object" && typeof actual === "object") {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) {
      const p = jsonProblem(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (p) return p;
    }
    return undefined;
  }
  return Object.is(actual, expected)
    ? undefined
    : `${at}: ${JSON.stringify(actual)}, committed ${JSON.stringify(expected)}`;
}

/** The scoped part of a manifest, with hashes of within-tolerance files masked. */
function canonical(m: Manifest, scope: _Scope, masked: ReadonlySet<string>) {
  const matches = (name: string) => !scope.filter || name.includes(scope.filter);
  const sources = scope.sources;
  const cases = m.cases.filter((c) => matches(c.name)).map((c) => {
    const out: Record<string, unknown> = { ...c };
    for (const source of ["onnxruntime", "pytorch"] as GoldenSource[]) {
      const entry = c[source];
      if (!entry || !sources.includes(source)) {
        delete out[source];
        continue;
      }
      const dir = `${CASE_DIRS[source]}/${c.name}`;
      const files = Object.fromEntries(
        Object.entries(entry.files).map(([p, h]) => [p, masked.has(`${dir}/${p}`) ? "~" : h]),
      );
      // PyTorch's float32 error moves with the CPU; its files are compared through the truth.
      const { float32Error, ...rest } = entry;
      out[source] = { ...rest, files, ...(float32Error ? { float32Error: "~" } : {}) };
    }
    return out;
  }).filter((c) => sources.some((s) => c[s]));
  const models = m.models.filter((x) => (x.name === "training" ? scope.training : scope.models))
    .map((x) => ({
      ...x,
      ...(x.float32Error ? { float32Error: "~" } : {}),
      files: Object.fromEntries(
        Object.entries(x.files).map(([p, h]) => [p, masked.has(`${x.dir}/${p}`) ? "~" : h]),
      ),
    }));
  return {
    opset: m.opset,
    fills: m.fills,
    tolerance: m.tolerance,
    backwardMethods: _backwardMethods(cases as unknown as Manifest["cases"]),
    cases,
    models,
    unsupported: m.unsupported.filter((u) => sources.includes(u.source) && matches(u.case)),
    // The numbers of a disagreement may move with the CPU; what disagrees and why may not.
    disagreements: sources.includes("pytorch")
      ? m.disagreements.filter((d) => matches(d.case)).map((d) => ({
        case: d.case,
        tensor: d.tensor,
        dropped: d.dropped,
        explanation: d.explanation,
      }))
      : [],
  };
}

async function compareManifests(
  committedDir: string,
  freshDir: string,
  scope: _Scope,
  withinTolerance: readonly string[],
): Promise<{ problems: string[]; notes: string[] }> {
  const read = async (dir: string) =>
    JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)) as Manifest;
  const committed = await read(committedDir), fresh = await read(freshDir);
  const masked = new Set(withinTolerance);
  const a = canonical(committed, scope, masked), b = canonical(fresh, scope, masked);
  const problems: string[] = [];
  for (const key of Object.keys(a) as (keyof typeof a)[]) {
    const x = a[key], y = b[key];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      const id = (v: unknown) => {
        const r = v as Record<string, unknown>;
        return String(r.name ?? `${r.case}/${r.tensor ?? r.source}`);
      };
      const ys = new Map(y.map((v) => [id(v), JSON.stringify(v)]));
      const xs = new Map(x.map((v) => [id(v), JSON.stringify(v)]));
      const differing = [...new Set([...xs.keys(), ...ys.keys()])].filter((k) =>
        xs.get(k) !== ys.get(k)
      );
      problems.push(
        differing.length === 0
          ? `manifest.json: ${key} are listed in another order`
          : `manifest.json: ${key} differ for ${differing.length} entries: ` +
            differing.slice(0, 10).join(", ") + (differing.length > 10 ? ", ..." : ""),
      );
    } else problems.push(`manifest.json: ${key} differs`);
  }
  const notes: string[] = [];
  // Only the generators that ran this time can be compared.
  const ran = new Set(Object.keys(fresh.generators));
  const versions = (m: Manifest) =>
    JSON.stringify(Object.entries(m.generators).filter(([k]) => ran.has(k)));
  if (versions(committed) !== versions(fresh)) {
    notes.push(
      `generator versions differ (values compared within tolerance instead): committed ` +
        `${versions(committed)}, now ${versions(fresh)}`,
    );
  }
  return { problems, notes };
}
